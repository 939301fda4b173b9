/**
 * PostgresStorage against a real server (see fixture.ts): the conformance suite, schema creation and its version
 * check, concurrency across connections, and the one-line errors for a wrong host, port, user, password or database.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { StorageError } from "../../src/errors.js";
import { openStorage } from "../../src/storage/open.js";
import { connectionErrorMessage, PostgresStorage, POSTGRES_SCHEMA_VERSION, redactUrl } from "../../src/storage/postgres.js";
import { startHeartbeat } from "../../src/study/heartbeat.js";
import { describeStorageConformance } from "../../src/testing/storage-conformance.js";
import { freshSchema, SERVER, skip, skipReason } from "./fixture.js";

if (skipReason === null) {
  describeStorageConformance("postgres", async () => {
    const schema = await freshSchema();
    return { storage: new PostgresStorage(schema.url), cleanup: () => schema.drop() };
  });
}

describe("redactUrl", () => {
  it("hides the password in the userinfo and in a password parameter, and nothing else", () => {
    assert.equal(redactUrl("postgres://alice:s3cr%40t@db.example:5433/tune"), "postgres://alice:***@db.example:5433/tune");
    assert.equal(redactUrl("postgresql://alice@db/tune?sslmode=require&password=hunter2"), "postgresql://alice@db/tune?sslmode=require&password=***");
    assert.equal(redactUrl("postgres://db/tune"), "postgres://db/tune");
    assert.equal(redactUrl("sqlite:./a:b@c.db"), "sqlite:./a:b@c.db");
  });

  it("keeps passwords out of the errors of unknown URLs", () => {
    assert.throws(() => openStorage("mysql://u:hunter2@h/db"), (e: Error) => e instanceof StorageError && !e.message.includes("hunter2") && e.message.includes("u:***@h"));
  });
});

describe("PostgreSQL connection errors", () => {
  // Trust authentication (the test server's) accepts any password, so the password and user lines are checked on
  // the errors pg raises for them, built here by hand (same code, same fields).
  const serverError = (code: string, message: string) => Object.assign(new pg.DatabaseError(message, 0, "error"), { code });

  it("names the password or the user for the server's authentication errors, without the password", () => {
    const url = "postgres://alice:hunter2@db:5432/tune";
    const password = connectionErrorMessage(serverError("28P01", 'password authentication failed for user "alice"'), url);
    assert.equal(password, "cannot connect to PostgreSQL at postgres://alice:***@db:5432/tune: password authentication failed: check the user and password (in the URL or PGPASSWORD/~/.pgpass)");
    assert.match(connectionErrorMessage(serverError("28000", "no pg_hba.conf entry"), url), /refused this user: check the user name/);
    assert.match(connectionErrorMessage(serverError("3D000", 'database "tune" does not exist'), url), /database does not exist/);
    assert.doesNotMatch(connectionErrorMessage(new Error("weird failure mentioning hunter2"), url), /hunter2/);
  });

  it("says a closed port is a host or port to check", { skip }, async () => {
    const storage = new PostgresStorage("postgres://alice:hunter2@127.0.0.1:1/postgres");
    await assert.rejects(storage.listStudies(), (e: Error) => {
      assert.ok(e instanceof StorageError);
      assert.equal(e.message, "cannot connect to PostgreSQL at postgres://alice:***@127.0.0.1:1/postgres: connection refused: check the host and port (is the server running?)");
      return true;
    });
    await storage.close();
  });

  it("says an unknown host is a host to check", async () => {
    const storage = new PostgresStorage("postgres://nowhere.invalid/postgres");
    await assert.rejects(storage.listStudies(), /^StorageError: cannot connect to PostgreSQL at postgres:\/\/nowhere\.invalid\/postgres: unknown host: check the host name$/);
    await storage.close();
  });

  it("says a missing database is a database to check", { skip }, async () => {
    const url = new URL(SERVER);
    url.pathname = "/scaletune_no_such_database";
    const storage = new PostgresStorage(url.toString());
    await assert.rejects(storage.findStudy("x"), /cannot connect to PostgreSQL at .*scaletune_no_such_database: the database does not exist/);
    await storage.close();
  });
});

describe("PostgreSQL schema", { skip }, () => {
  it("is created once by workers starting at once, and refused when a newer scaletune wrote it", async () => {
    const schema = await freshSchema();
    const storages = Array.from({ length: 6 }, () => new PostgresStorage(schema.url));
    try {
      await Promise.all(storages.map((s, i) => s.createStudy(`s${i}`, ["minimize"])));
      assert.equal((await storages[0]!.listStudies()).length, 6);
      const admin = new pg.Client({ connectionString: schema.url });
      await admin.connect();
      await admin.query("UPDATE scaletune_meta SET value = $1 WHERE key = 'schema_version'", [String(POSTGRES_SCHEMA_VERSION + 1)]);
      await admin.end();
      const later = new PostgresStorage(schema.url);
      await assert.rejects(later.listStudies(), /written by a newer scaletune \(schema 2; this version reads up to 1\); upgrade scaletune/);
      await later.close();
    } finally {
      await Promise.all(storages.map((s) => s.close()));
      await schema.drop();
    }
  });

  it("reads an empty database without creating tables when only looking", async () => {
    const schema = await freshSchema();
    const storage = openStorage(schema.url, { readOnly: true });
    assert.deepEqual(await storage.listStudies(), []);
    assert.equal(await storage.findStudy("x"), null);
    await storage.close();
    const writer = new PostgresStorage(schema.url);
    assert.deepEqual(await writer.listStudies(), [], "a writer then creates them");
    await writer.close();
    await schema.drop();
  });

  it("opens postgres:// and postgresql:// URLs without connecting", async () => {
    const storage = openStorage("postgresql://127.0.0.1:1/none");
    assert.ok(storage instanceof PostgresStorage);
    assert.equal(storage.persistent, true);
    await storage.close();
  });
});

describe("PostgreSQL shared by worker processes", { skip }, () => {
  const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr}`))));
    });

  for (const [kind, target] of [["random", 200], ["grid", 120]] as const) {
    it(`numbers trials densely and exactly to the target from 4 processes (${kind})`, async () => {
      const schema = await freshSchema();
      try {
        await Promise.all([0, 1, 2, 3].map((seed) => run([schema.url, "shared", kind, String(target), String(seed)])));
        const reader = new PostgresStorage(schema.url);
        const study = (await reader.findStudy("shared"))!;
        const { trials } = await reader.readTrials(study.id, { curves: false });
        await reader.close();
        assert.deepEqual(trials.map((t) => t.number), Array.from({ length: target }, (_, i) => i));
        assert.ok(trials.every((t) => t.state === "complete"));
        if (kind === "grid") assert.equal(new Set(trials.map((t) => t.params.x)).size, target, "no grid point twice");
      } finally {
        await schema.drop();
      }
    });
  }
});

describe("PostgreSQL heartbeats", { skip }, () => {
  it("come from a thread of their own: a trial stays alive while a synchronous objective holds the main thread", async () => {
    const schema = await freshSchema();
    const storage = new PostgresStorage(schema.url);
    try {
      const study = await storage.createStudy("beat", ["minimize"]);
      const trial = await storage.createTrial(study.id, { state: "running", now: 0 });
      const heartbeat = startHeartbeat(storage, 50, (message) => assert.fail(message));
      heartbeat.add(trial.id);
      const pause = new Int32Array(new SharedArrayBuffer(4));
      const blockedAt = Date.now();
      Atomics.wait(pause, 0, 0, 1500); // the main thread does nothing else meanwhile
      heartbeat.remove(trial.id);
      await heartbeat.stop();
      const [stored] = (await storage.readTrials(study.id, {})).trials;
      assert.ok(stored!.heartbeatAt! > blockedAt, `last beat ${stored!.heartbeatAt! - blockedAt} ms after blocking`);
      assert.ok(stored!.heartbeatAt! <= blockedAt + 1500);
    } finally {
      await storage.close();
      await schema.drop();
    }
  });
});
