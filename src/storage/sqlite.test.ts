import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { StorageError } from "../errors.js";
import { describeStorageConformance } from "../testing/storage-conformance.js";
import { tempDir } from "../testing/temp.js";
import { makeReadOnlyFolder, runUnprivileged } from "../testing/unprivileged.js";
import { openStorage } from "./open.js";
import { SqliteStorage } from "./sqlite.js";

describeStorageConformance("sqlite", async () => {
  const dir = tempDir();
  return { storage: new SqliteStorage(dir.file("s.db")), cleanup: async () => dir.remove() };
});

describe("sqlite storage files", () => {
  it("keeps studies across connections", async () => {
    const dir = tempDir();
    const first = new SqliteStorage(dir.file("a.db"));
    const study = await first.createStudy("kept", ["maximize"]);
    await first.createTrial(study.id, { state: "running", now: 1, params: { x: 2 } });
    await first.close();
    const second = new SqliteStorage(dir.file("a.db"));
    const changes = await second.readChanges((await second.findStudy("kept"))!.id, 0);
    assert.deepEqual(changes.trials.map((t) => t.params), [{ x: 2 }]);
    await second.close();
    dir.remove();
  });

  it("refuses files that are not scaletune databases, naming the file", () => {
    const dir = tempDir();
    writeFileSync(dir.file("text.db"), "this is not a database, just some text that is long enough to have a header".repeat(20));
    assert.throws(() => new SqliteStorage(dir.file("text.db")), (e: Error) => e instanceof StorageError && e.message.includes("text.db"));
    const other = new Database(dir.file("other.db"));
    other.exec("CREATE TABLE people (name TEXT)");
    other.close();
    assert.throws(() => new SqliteStorage(dir.file("other.db")), /not a scaletune one/);
    const newer = new SqliteStorage(dir.file("newer.db"));
    void newer.close();
    const raw = new Database(dir.file("newer.db"));
    raw.prepare("UPDATE scaletune_meta SET value = '99' WHERE key = 'schema_version'").run();
    raw.close();
    assert.throws(() => new SqliteStorage(dir.file("newer.db")), /newer scaletune \(schema 99/);
    dir.remove();
  });

  it("lets processes that open a new file at the same instant all succeed", async () => {
    // SQLite answers all but one of them "database is locked" when they switch the new file to WAL together.
    // Each process opens 40 new files, one every 50 ms on a shared clock, so the opens line up across processes.
    const dir = tempDir();
    const opener = `
      import { SqliteStorage } from ${JSON.stringify(new URL("./sqlite.ts", import.meta.url).href)};
      const [prefix, start] = process.argv.slice(-2);
      for (let round = 0; round < 40; round++) {
        await new Promise((wake) => setTimeout(wake, Number(start) + 50 * round - Date.now()));
        await new SqliteStorage(prefix + round + ".db").close();
      }`;
    const start = String(Date.now() + 2000);
    const exits = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const args = ["--import", "tsx", "--input-type=module", "-e", opener, dir.file("race-"), start];
          const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
          child.on("close", (code) => resolve({ code, stderr }));
        }),
      ),
    );
    assert.deepEqual(exits.map((e) => e.code), [0, 0, 0, 0], exits.map((e) => e.stderr).join("\n"));
    dir.remove();
  });

  it("refuses a SQLite file that is not a scaletune store without writing a byte to it", () => {
    const dir = tempDir();
    const other = new Database(dir.file("other.db"));
    other.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada')");
    other.close();
    const before = readFileSync(dir.file("other.db"));
    assert.throws(() => new SqliteStorage(dir.file("other.db")), /not a scaletune one/);
    assert.throws(() => new SqliteStorage(dir.file("other.db"), undefined, { readOnly: true }), /not a scaletune one/);
    assert.ok(readFileSync(dir.file("other.db")).equals(before), "the file is byte for byte as it was (journal mode included)");
    assert.ok(!existsSync(dir.file("other.db-wal")) && !existsSync(dir.file("other.db-shm")));
    dir.remove();
  });

  it("reads a store opened read-only, writes nothing, and refuses writes in one line", async () => {
    const dir = tempDir();
    const writer = new SqliteStorage(dir.file("s.db"));
    const study = await writer.createStudy("kept", ["minimize"]);
    await writer.createTrial(study.id, { state: "running", now: 1 });
    await writer.close();
    const before = readFileSync(dir.file("s.db"));
    const reader = new SqliteStorage(dir.file("s.db"), undefined, { readOnly: true });
    assert.deepEqual((await reader.listStudies()).map((x) => x.name), ["kept"]);
    assert.equal((await reader.readTrials(study.id, {})).trials.length, 1);
    await assert.rejects(reader.createStudy("new", ["minimize"]), /readonly/);
    await reader.close();
    assert.ok(readFileSync(dir.file("s.db")).equals(before));
    const missing = new SqliteStorage(dir.file("missing.db"), undefined, { readOnly: true });
    assert.deepEqual(await missing.listStudies(), [], "a store that does not exist holds no studies");
    await missing.close();
    assert.ok(!existsSync(dir.file("missing.db")), "and looking did not create it");
    dir.remove();
  });

  it("reads a store whose file and folder are read-only, as a user without write access", async () => {
    const dir = tempDir();
    const writer = new SqliteStorage(dir.file("s.db"));
    const study = await writer.createStudy("kept", ["minimize"]);
    const trial = await writer.createTrial(study.id, { state: "running", now: 1 });
    await writer.updateTrial(trial.id, { finish: { state: "complete", values: [0.5], failReason: null, at: 2 } });
    await writer.close();
    chmodSync(dir.file("s.db"), 0o444);
    makeReadOnlyFolder(dir.path);
    const reader = `
      import { SqliteStorage } from ${JSON.stringify(new URL("./sqlite.ts", import.meta.url).href)};
      const storage = new SqliteStorage("s.db", undefined, { readOnly: true });
      const [summary] = await storage.listStudies();
      console.log(JSON.stringify(summary.bestValues));
      await storage.close();`;
    const r = runUnprivileged([process.execPath, "--import", import.meta.resolve("tsx"), "--input-type=module", "-e", reader], dir.path);
    chmodSync(dir.path, 0o755);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "[0.5]");
    assert.ok(!existsSync(dir.file("s.db-shm")), "nothing was created beside the store");
    dir.remove();
  });

  it("explains a directory that does not exist", () => {
    assert.throws(() => new SqliteStorage("/nonexistent-dir/x.db"), /directory \/nonexistent-dir does not exist/);
  });
});

describe("storage URLs", () => {
  it("opens memory and sqlite URLs, including the SQLAlchemy form", async () => {
    assert.equal(openStorage(undefined).url, "memory:");
    const dir = tempDir();
    for (const url of [`sqlite:${dir.file("a.db")}`, `sqlite:///${dir.file("b.db")}`]) {
      const storage = openStorage(url);
      assert.equal(storage.persistent, true);
      await storage.close();
    }
    dir.remove();
  });

  it("rejects unknown and empty URLs with the fix in the message", () => {
    assert.throws(() => openStorage("mysql://x"), (e: Error) => e instanceof StorageError && /unrecognised.*use sqlite:<path>/.test(e.message));
    assert.throws(() => openStorage("sqlite:"), /names no file/);
    assert.throws(() => openStorage("sqlite://host/x.db"), /host part/);
  });
});
