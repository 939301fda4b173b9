/**
 * Writes whose connection dies after the server committed them but before its reply arrived: the storage retries
 * them without doubling a trial, refusing a finish that succeeded, or leaving a trial failed but never retried.
 * The loss is made by a driver client that runs the statement for real and then reports the connection gone.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { PostgresStorage } from "../../src/storage/postgres.js";
import { freshSchema, skip, type Schema } from "./fixture.js";

/** A driver client that loses the reply of the next statement whose text contains `marker`, once it has run. */
function replyLosingClient(state: { marker: string | null }): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      const real = this.query.bind(this) as (config: unknown, values: unknown, callback: (error: Error | null, result?: unknown) => void) => void;
      const query = (config: { text?: string } | string, values: unknown, callback: (error: Error | null, result?: unknown) => void) => {
        const text = typeof config === "string" ? config : (config.text ?? "");
        if (state.marker === null || !text.includes(state.marker)) return real(config, values, callback);
        state.marker = null;
        real(config, values, (error, result) => callback(error ?? new Error("Connection terminated unexpectedly"), error ? undefined : result));
      };
      Object.assign(this, { query });
    }
  };
}

describe("PostgreSQL writes whose reply is lost after the commit", { skip }, () => {
  let schema: Schema;
  let storage: PostgresStorage;
  const lose = { marker: null as string | null };
  const lines: string[] = [];
  before(async () => {
    schema = await freshSchema();
    storage = new PostgresStorage(schema.url, { pool: { Client: replyLosingClient(lose) }, warn: (m) => lines.push(m) });
  });
  after(async () => {
    await storage.close();
    await schema.drop();
  });

  it("creates a study once", async () => {
    lose.marker = "INSERT INTO studies";
    const study = await storage.createStudy("once", ["minimize"]);
    assert.equal(lose.marker, null, "the reply was lost");
    assert.deepEqual((await storage.listStudies()).map((s) => [s.id, s.name]), [[study.id, "once"]]);
    assert.match(lines.join("\n"), /lost the connection to PostgreSQL at .*\n.* is back after/);
  });

  it("creates a trial once, with its claim, and numbers the next one densely", async () => {
    const study = await storage.createStudy("create", ["minimize"]);
    lose.marker = "INSERT INTO trials";
    const trial = await storage.tryCreateTrial(study.id, { state: "running", now: 1 }, { claim: "grid:0" });
    assert.equal(lose.marker, null);
    assert.notEqual(typeof trial, "string", "the trial is not refused for its own claim");
    const next = await storage.createTrial(study.id, { state: "running", now: 2 });
    const { trials } = await storage.readTrials(study.id, {});
    assert.deepEqual(trials.map((t) => t.number), [0, 1]);
    assert.equal(next.number, 1);
    assert.deepEqual(trials[0]!.systemAttrs, {}, "the token is the storage's own");
  });

  it("starts one waiting trial, the one it took", async () => {
    const study = await storage.createStudy("start", ["minimize"]);
    await storage.createTrial(study.id, { state: "waiting", now: 1 });
    await storage.createTrial(study.id, { state: "waiting", now: 1 });
    lose.marker = "SKIP LOCKED";
    const started = await storage.startWaitingTrial(study.id, 5);
    assert.equal(lose.marker, null);
    const { trials } = await storage.readTrials(study.id, {});
    assert.deepEqual(trials.map((t) => t.state), ["running", "waiting"]);
    assert.equal(started?.number, 0);
  });

  it("finishes a trial whose finish was committed, without calling it already complete", async () => {
    const study = await storage.createStudy("finish", ["minimize"]);
    const trial = await storage.createTrial(study.id, { state: "running", now: 1 });
    lose.marker = "UPDATE trials t SET";
    await storage.updateTrial(trial.id, { finish: { state: "complete", values: [0.5], failReason: null, at: 9 } });
    assert.equal(lose.marker, null);
    const [stored] = (await storage.readTrials(study.id, {})).trials;
    assert.deepEqual([stored!.state, stored!.values], ["complete", [0.5]]);
  });

  it("returns the stale trials it failed, so that they are retried", async () => {
    const study = await storage.createStudy("stale", ["minimize"]);
    const trial = await storage.createTrial(study.id, { state: "running", now: 1 });
    lose.marker = "state = 'failed'";
    const failed = await storage.failStaleTrials(study.id, 100, 200, "no heartbeat");
    assert.equal(lose.marker, null);
    assert.deepEqual(failed.map((t) => [t.id, t.state, t.failReason]), [[trial.id, "failed", "no heartbeat"]]);
  });
});
