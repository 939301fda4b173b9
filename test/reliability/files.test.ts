/**
 * Reliability: files that are not ours are never changed, read-only stores can be inspected, and the built
 * package's heartbeat keeps beating while a synchronous objective holds the main thread.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { makeReadOnlyFolder, runUnprivileged } from "../../src/testing/unprivileged.js";
import { BIN, cli } from "./cli-process.js";

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-files-");
  writeFileSync(dir.file("objective.mjs"), `export default (t) => (t.suggestFloat("x", 0, 1) - 0.25) ** 2;\n`);
});
after(() => {
  chmodSync(dir.path, 0o755);
  dir.remove();
});

describe("reliability: stores and other files", () => {
  it("refuses a SQLite file that is not a scaletune store without writing a byte, for every command", () => {
    const other = new Database(dir.file("app.db"));
    other.exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada')");
    other.close();
    const before = readFileSync(dir.file("app.db"));
    const commands = [
      ["studies", "--storage", "sqlite:app.db"],
      ["trials", "--study", "x", "--storage", "sqlite:app.db"],
      ["best", "--study", "x", "--storage", "sqlite:app.db"],
      ["run", "objective.mjs", "--study", "x", "--storage", "sqlite:app.db", "--trials", "1"],
    ];
    for (const args of commands) {
      const r = cli(args, dir.path);
      assert.equal(r.status, 1, args.join(" "));
      assert.match(r.stderr, /app\.db is a SQLite database but not a scaletune one/);
    }
    assert.ok(readFileSync(dir.file("app.db")).equals(before), "the file is byte for byte as it was");
    assert.ok(!existsSync(dir.file("app.db-wal")));
  });

  it("shows the studies, trials and best trial of a store whose file and folder are read-only", () => {
    const folder = dir.file("archive");
    mkdirSync(folder);
    const args = ["run", "objective.mjs", "--study", "kept", "--storage", "sqlite:archive/s.db", "--trials", "5", "--sampler", "random"];
    assert.equal(cli(args, dir.path).status, 0);
    chmodSync(dir.file("archive/s.db"), 0o444);
    makeReadOnlyFolder(folder);
    chmodSync(dir.path, 0o755);
    const look = (args: string[]) => runUnprivileged([process.execPath, BIN, ...args, "--storage", "sqlite:s.db"], folder);
    const studies = look(["studies", "--json"]);
    assert.equal(studies.status, 0, studies.stderr);
    assert.equal((JSON.parse(studies.stdout) as { counts: { complete: number } }[])[0]!.counts.complete, 5);
    const trials = look(["trials", "--study", "kept", "--csv"]);
    assert.equal(trials.status, 0, trials.stderr);
    assert.equal(trials.stdout.trim().split("\n").length, 6);
    const best = look(["best", "--study", "kept", "--json"]);
    assert.equal(best.status, 0, best.stderr);
    const run = look(["run", "../objective.mjs", "--study", "kept", "--trials", "6"]);
    assert.notEqual(run.status, 0, "running needs write access");
    assert.match(run.stderr, /read-only/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
    assert.ok(!existsSync(`${folder}/s.db-shm`));
  });

  it("beats for a trial from the built package's heartbeat thread while a synchronous objective holds the main thread", () => {
    const script = `
      import { createStudy } from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      const study = await createStudy({ name: "beat", storage: "sqlite:beat.db", heartbeat: { intervalMs: 50, staleAfterMs: 60000 } });
      // The very first trial: the thread starts while this objective blocks the main thread.
      await study.optimize((t) => { t.suggestFloat("x", 0, 1); const until = Date.now() + 1500; while (Date.now() < until); return 1; }, { nTrials: 1 });
      const [trial] = (await study.storage.readTrials(study.id, {})).trials;
      console.log(trial.heartbeatAt - trial.startedAt);
      await study.close();`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir.path, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Number(r.stdout) >= 1000, `last beat ${r.stdout.trim()} ms into a 1,500 ms trial`);
  });
});
