import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { ConfigError } from "../errors.js";
import { GridSampler } from "../samplers/grid.js";
import { RandomSampler } from "../samplers/random.js";
import { createStudy, loadStudy } from "./api.js";
import { tempDir } from "../testing/temp.js";

const quiet = { warn: () => {} };

/** A synchronous objective that holds the thread, as real training code without awaits does. */
function busyFor(ms: number): (trial: { suggestFloat(name: string, low: number, high: number): number }) => number {
  return (trial) => {
    const x = trial.suggestFloat("x", 0, 1);
    const until = Date.now() + ms;
    while (Date.now() < until);
    return x;
  };
}

describe("optimize: signals and timers reach a synchronous objective's loop", () => {
  it("stops within a trial when its signal aborts, although the objective never awaits", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }), ...quiet });
    const result = await study.optimize(busyFor(2), { nTrials: 2_000, signal: AbortSignal.timeout(100) });
    assert.equal(result.stoppedBecause, "aborted");
    // 100 ms of 2 ms trials: about 50; the loop without a turn of the event loop ran all 2,000.
    assert.ok(result.started < 500, `${result.started} trials started`);
    assert.equal(study.trials().length, result.started);
  });

  it("keeps a trial's heartbeat going while a synchronous objective holds the main thread", async () => {
    const dir = tempDir();
    const heartbeat = { intervalMs: 20, staleAfterMs: 10_000 };
    const study = await createStudy({ name: "beat", storage: `sqlite:${dir.file("b.db")}`, heartbeat, ...quiet });
    const watcher = new Database(dir.file("b.db"), { readonly: true });
    const beats = watcher.prepare<[number], { started_at: number; heartbeat_at: number }>("SELECT started_at, heartbeat_at FROM trials WHERE id = ?");
    // The objective never yields: it holds the main thread, reading its own trial's row through a connection of its
    // own, until a beat lands well after the start (only the heartbeat thread can write it) or 30 s pass. No
    // deadline of the beat's own is asserted, so a loaded machine slows the test instead of failing it.
    const held = await study.optimize(
      (trial) => {
        const until = Date.now() + 30_000;
        while (Date.now() < until) {
          const row = beats.get(trial.id);
          if (row !== undefined && row.heartbeat_at >= row.started_at + 3 * heartbeat.intervalMs) return 1;
        }
        return 0;
      },
      { nTrials: 1 },
    );
    assert.equal(held.started, 1);
    assert.deepEqual(study.trials().map((t) => t.values), [[1]], "a heartbeat landed while the objective held the main thread");
    watcher.close();
    await study.close();
    dir.remove();
  });

  it("aborts the running trials' signal: an objective that stops on it is failed and queued again", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }), ...quiet });
    const controller = new AbortController();
    const result = study.optimize(
      (trial) => {
        trial.suggestFloat("x", 0, 1);
        return new Promise<number>((_, reject) => trial.signal.addEventListener("abort", () => reject(new Error("stopped early"))));
      },
      { nTrials: 5, concurrency: 2, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    assert.equal((await result).stoppedBecause, "aborted");
    const failed = study.trials({ states: ["failed"] });
    assert.deepEqual(failed.map((t) => t.failReason), ["interrupted (aborted)", "interrupted (aborted)"]);
    assert.deepEqual(
      study.trials({ states: ["waiting"] }).map((t) => t.systemAttrs.retry_of),
      failed.map((t) => ({ number: t.number, depth: 0 })),
    );
  });
});

describe("optimize: how many trials", () => {
  it("lowers a huge concurrency to the trials left, and refuses one that nothing bounds", { timeout: 30_000 }, async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }), ...quiet });
    const result = await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3, concurrency: 1e9 });
    assert.equal(result.started, 3);
    await assert.rejects(
      study.optimize((t) => t.suggestFloat("x", 0, 1), { concurrency: 1e9 }),
      (e: Error) => e instanceof ConfigError && /concurrency 1000000000 is more trials than one process can run at once; use at most 10000/.test(e.message),
    );
  });

  it("stops exactly at the study's target with many loops racing for the last trials", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 4 }), ...quiet });
    const objective = async (t: { suggestFloat(n: string, l: number, h: number): number }) => {
      await new Promise((r) => setTimeout(r, 1));
      return t.suggestFloat("x", 0, 1);
    };
    const result = await study.optimize(objective, { targetTrials: 37, concurrency: 8 });
    assert.equal(result.stoppedBecause, "target-reached");
    assert.equal(study.trials().length, 37);
    const again = await study.optimize(objective, { targetTrials: 37, concurrency: 8 });
    assert.equal(again.started, 0);
  });

  it("keeps the target exact across processes sharing a file", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("t.db")}`;
    const workers = await Promise.all(Array.from({ length: 4 }, (_, i) => createStudy({ name: "t", storage, loadIfExists: true, sampler: new RandomSampler({ seed: i }), ...quiet })));
    await Promise.all(workers.map((w) => w.optimize(async (t) => {
      await new Promise((r) => setTimeout(r, 2));
      return t.suggestFloat("x", 0, 1);
    }, { targetTrials: 101, concurrency: 3 })));
    const reader = await loadStudy({ name: "t", storage, ...quiet });
    assert.equal(reader.trials().length, 101);
    assert.ok(reader.trials().every((t) => t.state === "complete"));
    for (const s of [...workers, reader]) await s.close();
    dir.remove();
  });

  it("says when the grid runs out before the trials asked for", async () => {
    const warnings: string[] = [];
    const study = await createStudy({ sampler: new GridSampler({ x: [1, 2, 3] }, { seed: 1 }), warn: (m) => warnings.push(m) });
    const result = await study.optimize((t) => t.suggestInt("x", 1, 3), { nTrials: 10 });
    assert.equal(result.stoppedBecause, "exhausted");
    assert.equal(result.started, 3);
    assert.deepEqual(warnings, ["sampler grid has no points left: 3 trial(s) started in this run, fewer than asked"]);
  });

  it("does not lose a grid point when the target refuses its trial", async () => {
    const study = await createStudy({ sampler: new GridSampler({ x: [1, 2, 3, 4, 5, 6] }, { seed: 2 }), ...quiet });
    const objective = async (t: { suggestInt(n: string, l: number, h: number): number }) => {
      await new Promise((r) => setTimeout(r, 1));
      return t.suggestInt("x", 1, 6);
    };
    // Three loops race for the last of 4 trials: the losers' grid points must stay for later.
    await study.optimize(objective, { targetTrials: 4, concurrency: 3 });
    await study.optimize(objective, { targetTrials: 10, concurrency: 3 });
    assert.deepEqual(study.trials().map((t) => t.params.x).sort(), [1, 2, 3, 4, 5, 6]);
  });
});
