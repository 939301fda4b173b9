/**
 * The PostgreSQL change feed (LISTEN/NOTIFY) against a real server: another connection's writes reach a watcher, a
 * study skips its read when nothing changed and reads when something did (its own writes included), and a killed
 * listener connection makes everyone read until it is back, with what was written meanwhile.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { StudyNotFoundError } from "../../src/errors.js";
import { createStudy, RandomSampler, StudyReader, type Study } from "../../src/index.js";
import { LISTENER_APPLICATION_NAME, PostgresStorage } from "../../src/storage/postgres.js";
import type { StudyWatch } from "../../src/storage/storage.js";
import { freshSchema, SERVER, skip, type Schema } from "./fixture.js";

/**
 * Waits (on the feed, not on a clock) until the watch's known sequence satisfies `ok`. The feed never keeps a
 * process alive, so an idle timer does while the test waits for a reconnection.
 */
async function until(watch: StudyWatch, ok: (seq: number | null) => boolean): Promise<number | null> {
  const alive = setInterval(() => {}, 1000);
  try {
    for (;;) {
      const next = watch.nextChange();
      const seq = watch.knownSeq();
      if (ok(seq)) return seq;
      await next;
    }
  } finally {
    clearInterval(alive);
  }
}

/** Counts a storage's `readChanges` calls. */
function countReads(storage: PostgresStorage): { readonly count: number } {
  const counter = { count: 0 };
  const read = storage.readChanges.bind(storage);
  storage.readChanges = (studyId, cursor) => {
    counter.count++;
    return read(studyId, cursor);
  };
  return counter;
}

async function listenerPids(): Promise<number[]> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [LISTENER_APPLICATION_NAME]);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

async function terminate(pids: readonly number[]): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  await client.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
  await client.end();
}

const objective = 1;

describe("PostgreSQL change feed", { skip, timeout: 60_000 }, () => {
  let schema: Schema;
  let watcherStorage: PostgresStorage;
  let writerStorage: PostgresStorage;
  let study: Study;
  let writer: Study;
  let reads: { readonly count: number };

  before(async () => {
    schema = await freshSchema();
    watcherStorage = new PostgresStorage(schema.url);
    writerStorage = new PostgresStorage(schema.url);
    reads = countReads(watcherStorage);
    study = await createStudy({ name: "fed", storage: watcherStorage, sampler: new RandomSampler({ seed: 1 }) });
    writer = await createStudy({ name: "fed", storage: writerStorage, loadIfExists: true, sampler: new RandomSampler({ seed: 2 }) });
  });

  after(async () => {
    await study?.close();
    await writer?.close();
    await schema?.drop();
  });

  /** A complete trial written by the other connection; returns its number. */
  async function tellElsewhere(): Promise<number> {
    const trial = await writer.ask();
    trial.suggestFloat("x", 0, 1);
    await writer.tell(trial, objective);
    return trial.number;
  }

  it("tells a watcher of another connection's writes, from nothing known to the written sequence", async () => {
    const watch = watcherStorage.watch(study.id);
    try {
      const live = await until(watch, (seq) => seq !== null);
      await tellElsewhere();
      // ask (create) and tell (finish): two changes, announced one after the other — wait for both, then none past.
      const after = await until(watch, (seq) => seq! >= live! + 2);
      assert.equal(after, live! + 2);
    } finally {
      watch.close();
    }
    assert.equal(watch.knownSeq(), null, "a closed watch knows nothing");
  });

  it("lets a study skip its read while nothing changed, and read when another worker wrote", async () => {
    const probe = watcherStorage.watch(study.id);
    try {
      await study.refresh();
      await until(probe, (seq) => seq !== null);
      await study.refresh();
      const before = reads.count;
      await study.refresh();
      await study.refresh();
      assert.equal(reads.count, before, "no read while nothing changed");

      const known = probe.knownSeq()!;
      const number = await tellElsewhere();
      await until(probe, (seq) => seq! >= known + 2);
      await study.refresh();
      assert.equal(reads.count, before + 1);
      assert.equal(study.trial(number)?.state, "complete");
    } finally {
      probe.close();
    }
  });

  it("reads its own writes at once, without waiting for their announcement", async () => {
    await study.refresh();
    // The listener's socket paused: no announcement arrives, as when the feed lags behind the writer.
    const socket = (watcherStorage as unknown as { listener: { client: { connection: { stream: Socket } } } }).listener.client.connection.stream;
    socket.pause();
    try {
      const trial = await study.ask();
      trial.suggestFloat("x", 0, 1);
      await study.tell(trial, 0.5);
      assert.equal(study.trial(trial.number)?.state, "complete");
      assert.equal(study.bestValue, 0.5);
      await study.setUserAttr("note", "mine");
      assert.equal(study.userAttrs.note, "mine");
    } finally {
      socket.resume();
    }
  });

  it("reads at every refresh while its listener is gone, and catches up on what was written meanwhile", async () => {
    const probe = watcherStorage.watch(study.id);
    try {
      await until(probe, (seq) => seq !== null);
      // Every scaletune listener on the server: other test files' reconnect as this one does.
      const killed = await listenerPids();
      assert.ok(killed.length > 0, "a listener connection is open");
      await terminate(killed);
      await until(probe, (seq) => seq === null);

      const before = reads.count;
      await study.refresh();
      await study.refresh();
      assert.equal(reads.count, before + 2, "a lost feed means reading");

      const number = await tellElsewhere();
      const back = await until(probe, (seq) => seq !== null);
      const now = await listenerPids();
      assert.ok(now.length > 0 && now.every((pid) => !killed.includes(pid)), "new connections replaced the killed ones");
      const { cursor } = await writerStorage.readChanges(study.id, 0);
      assert.ok(back! >= cursor, `the feed knows sequence ${back}, the study is at ${cursor}`);
      await study.refresh();
      assert.equal(study.trial(number)?.state, "complete");
    } finally {
      probe.close();
    }
  });

  it("wakes a StudyReader waiting for a change, and says when nothing changed", async () => {
    const reader = await StudyReader.open({ name: "fed", storage: schema.url });
    const alive = setInterval(() => {}, 1000);
    try {
      assert.equal(await reader.waitForChange(60_000), true, "the feed is up: read");
      assert.equal(await reader.waitForChange(20), false, "nothing changed");
      const [changed] = await Promise.all([reader.waitForChange(60_000), tellElsewhere()]);
      assert.equal(changed, true);
      const numbers = (await reader.trials()).map((t) => t.number);
      assert.equal(numbers.length, writer.trials().length);
    } finally {
      clearInterval(alive);
      await reader.close();
    }
  });

  it("lets a script go on after closing a watched study: the feed holds nothing open", () => {
    const script = `
      import { loadStudy } from "./src/index.ts";
      const study = await loadStudy({ name: "fed", storage: process.argv[1] });
      const feed = study.storage.watch(study.id);
      const alive = setInterval(() => {}, 1000);
      while (feed.knownSeq() === null) await feed.nextChange();
      clearInterval(alive);
      // The feed still watched: closing the storage ends its connection.
      await study.close();
      process.stdout.write("after close");`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, schema.url], { encoding: "utf8" });
    assert.equal(run.stdout, "after close", run.stderr);
    assert.equal(run.status, 0);
  });

  it("makes a study deleted elsewhere read, and so learn it is gone", async () => {
    const doomed = await createStudy({ name: "doomed", storage: watcherStorage });
    await doomed.refresh();
    const probe = watcherStorage.watch(doomed.id);
    try {
      const live = await until(probe, (seq) => seq !== null);
      await writerStorage.deleteStudy(doomed.id);
      await until(probe, (seq) => seq! > live!);
      await assert.rejects(doomed.refresh(), StudyNotFoundError);
    } finally {
      probe.close();
    }
  });
});
