/**
 * @module The storage conformance suite: every backend (ours and third parties') must pass these cases.
 *
 * @example
 * import { describeStorageConformance } from "scaletune/testing";
 * describeStorageConformance("my backend", async () => ({ storage: new MyStorage(), cleanup: async () => {} }));
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DuplicateStudyError, StudyNotFoundError } from "../errors.js";
import type { Storage } from "../storage/storage.js";

export interface StorageFixture {
  storage: Storage;
  cleanup(): Promise<void>;
}

async function withStorage(factory: () => Promise<StorageFixture>, body: (storage: Storage) => Promise<void>): Promise<void> {
  const fixture = await factory();
  try {
    await body(fixture.storage);
  } finally {
    await fixture.storage.close();
    await fixture.cleanup();
  }
}

const floatX = { type: "float", low: 0, high: 1, log: false, step: null } as const;

export function describeStorageConformance(name: string, factory: () => Promise<StorageFixture>): void {
  const test = (title: string, body: (storage: Storage) => Promise<void>) => it(title, () => withStorage(factory, body));

  describe(`storage conformance: ${name}`, () => {
    test("creates, finds, lists and deletes studies", async (s) => {
      const a = await s.createStudy("a", ["minimize"]);
      const b = await s.createStudy("b", ["maximize", "minimize"]);
      assert.notEqual(a.id, b.id);
      assert.deepEqual((await s.findStudy("b"))?.directions, ["maximize", "minimize"]);
      assert.equal(await s.findStudy("missing"), null);
      await assert.rejects(s.createStudy("a", ["minimize"]), DuplicateStudyError);
      assert.deepEqual((await s.listStudies()).map((x) => x.name).sort(), ["a", "b"]);
      await s.createTrial(a.id, { state: "running", now: 1 });
      await s.deleteStudy(a.id);
      assert.equal(await s.findStudy("a"), null);
      assert.deepEqual((await s.listStudies()).map((x) => x.name), ["b"]);
      await assert.rejects(s.readChanges(a.id, 0), StudyNotFoundError);
    });

    test("numbers trials densely per study and stores their fields", async (s) => {
      const a = await s.createStudy("a", ["minimize"]);
      const b = await s.createStudy("b", ["minimize"]);
      const numbers = [];
      for (let i = 0; i < 5; i++) numbers.push((await s.createTrial(i % 2 ? a.id : b.id, { state: "running", now: 1000 + i })).number);
      assert.deepEqual(numbers, [0, 0, 1, 1, 2]);
      const t = await s.createTrial(a.id, {
        state: "running",
        now: 42,
        params: { x: 0.1 + 0.2 },
        distributions: { x: floatX },
        userAttrs: { note: "ünïcode ✓", nested: { list: [1, null, true] } },
      });
      assert.equal(t.state, "running");
      assert.equal(t.startedAt, 42);
      assert.equal(t.params.x, 0.30000000000000004);
      assert.deepEqual(t.userAttrs, { note: "ünïcode ✓", nested: { list: [1, null, true] } });
    });

    test("updates a running trial and refuses to change a finished one", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const t = await s.createTrial(study.id, { state: "running", now: 1 });
      await s.updateTrial(t.id, { params: { x: 0.5 }, distributions: { x: floatX } });
      await s.updateTrial(t.id, { userAttrs: { k: 1 }, intermediate: [{ metric: "", step: 0, value: 3 }, { metric: "", step: 1, value: NaN }] });
      await s.updateTrial(t.id, { finish: { state: "complete", values: [1.5], failReason: null, at: 9 } });
      const [stored] = (await s.readChanges(study.id, 0)).trials;
      assert.equal(stored?.state, "complete");
      assert.deepEqual(stored?.values, [1.5]);
      assert.deepEqual(stored?.params, { x: 0.5 });
      assert.deepEqual(stored?.userAttrs, { k: 1 });
      assert.equal(stored?.completedAt, 9);
      const curve = (await s.readChanges(study.id, 0)).intermediate;
      assert.deepEqual(curve.map((r) => [r.step, r.value]), [[0, 3], [1, NaN]]);
      // The study takes this error for a trial that another process ended (its heartbeat lapsed): fields included.
      const notRunning = { name: "TrialNotRunningError", trialNumber: t.number, state: "complete" };
      await assert.rejects(s.updateTrial(t.id, { userAttrs: { k: 2 } }), notRunning);
      await assert.rejects(s.updateTrial(t.id, { finish: { state: "failed", values: null, failReason: "x", at: 10 } }), notRunning);
    });

    test("returns only what changed since a cursor", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const t0 = await s.createTrial(study.id, { state: "running", now: 1 });
      const t1 = await s.createTrial(study.id, { state: "running", now: 1 });
      const first = await s.readChanges(study.id, 0);
      assert.equal(first.trials.length, 2);
      const idle = await s.readChanges(study.id, first.cursor);
      assert.deepEqual([idle.trials.length, idle.intermediate.length, idle.attrs.length], [0, 0, 0]);
      assert.equal(idle.cursor, first.cursor);
      await s.updateTrial(t1.id, { intermediate: [{ metric: "", step: 5, value: 0.25 }] });
      await s.setStudyAttrs(study.id, "system", { sampler: "random" });
      const next = await s.readChanges(study.id, first.cursor);
      assert.deepEqual(next.trials.map((t) => t.id), [t1.id]);
      assert.deepEqual(next.intermediate.map((r) => [r.trialId, r.step, r.value]), [[t1.id, 5, 0.25]]);
      assert.deepEqual(next.attrs, [{ kind: "system", key: "sampler", value: "random" }]);
      assert.ok(next.cursor > first.cursor);
      await s.updateTrial(t0.id, { finish: { state: "failed", values: null, failReason: "boom", at: 2 } });
      const last = await s.readChanges(study.id, next.cursor);
      assert.deepEqual(last.trials.map((t) => [t.id, t.state, t.failReason]), [[t0.id, "failed", "boom"]]);
      assert.equal(last.intermediate.length, 0);
    });

    test("starts waiting trials in number order, each once", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      assert.equal(await s.startWaitingTrial(study.id, 5), null);
      await s.createTrial(study.id, { state: "waiting", now: 1, systemAttrs: { fixed_params: { x: 1 } } });
      await s.createTrial(study.id, { state: "running", now: 1 });
      await s.createTrial(study.id, { state: "waiting", now: 1 });
      const started = await Promise.all([s.startWaitingTrial(study.id, 7), s.startWaitingTrial(study.id, 7), s.startWaitingTrial(study.id, 7)]);
      assert.deepEqual(started.map((t) => t?.number ?? null).sort(), [0, 2, null].sort());
      const first = started.find((t) => t?.number === 0)!;
      assert.equal(first.state, "running");
      assert.equal(first.startedAt, 7);
      assert.deepEqual(first.systemAttrs, { fixed_params: { x: 1 } });
    });

    test("claims a key exactly once", async (s) => {
      const a = await s.createStudy("a", ["minimize"]);
      const b = await s.createStudy("b", ["minimize"]);
      const results = await Promise.all([s.claim(a.id, "grid:1"), s.claim(a.id, "grid:1"), s.claim(b.id, "grid:1")]);
      assert.deepEqual(results, [true, false, true]);
      assert.equal(await s.claim(a.id, "grid:2"), true);
    });

    test("fails stale running trials once, and heartbeats keep trials alive", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const stale = await s.createTrial(study.id, { state: "running", now: 100 });
      const alive = await s.createTrial(study.id, { state: "running", now: 100 });
      const done = await s.createTrial(study.id, { state: "running", now: 100 });
      await s.updateTrial(done.id, { finish: { state: "complete", values: [1], failReason: null, at: 150 } });
      await s.heartbeat([alive.id], 500);
      const failed = await s.failStaleTrials(study.id, 400, 600, "no heartbeat");
      assert.deepEqual(failed.map((t) => [t.id, t.state, t.failReason, t.completedAt]), [[stale.id, "failed", "no heartbeat", 600]]);
      assert.deepEqual(await s.failStaleTrials(study.id, 400, 600, "no heartbeat"), []);
      const states = new Map((await s.readChanges(study.id, 0)).trials.map((t) => [t.id, t.state]));
      assert.deepEqual([states.get(stale.id), states.get(alive.id), states.get(done.id)], ["failed", "running", "complete"]);
    });

    test("summarises studies: counts per state and best value by direction", async (s) => {
      const min = await s.createStudy("min", ["minimize"]);
      const max = await s.createStudy("max", ["maximize"]);
      for (const [study, values] of [[min, [3, 1, 2]], [max, [3, 1, 2]]] as const) {
        for (const v of values) {
          const t = await s.createTrial(study.id, { state: "running", now: 1 });
          await s.updateTrial(t.id, { finish: { state: "complete", values: [v], failReason: null, at: 2 } });
        }
        const f = await s.createTrial(study.id, { state: "running", now: 1 });
        await s.updateTrial(f.id, { finish: { state: "failed", values: null, failReason: "x", at: 3 } });
        await s.createTrial(study.id, { state: "waiting", now: 1 });
      }
      const byName = new Map((await s.listStudies()).map((x) => [x.name, x]));
      assert.deepEqual(byName.get("min")?.bestValues, [1]);
      assert.deepEqual(byName.get("max")?.bestValues, [3]);
      assert.deepEqual(byName.get("min")?.counts, { waiting: 1, running: 0, complete: 3, pruned: 0, failed: 1 });
      assert.equal(byName.get("min")?.lastActivityAt, 3);
      assert.deepEqual(byName.get("min")?.runningTrials, []);
    });

    test("summarises running trials with their heartbeat and worker", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const worker = { host: "h", pid: 7 };
      await s.createTrial(study.id, { state: "running", now: 10, systemAttrs: { worker } });
      const done = await s.createTrial(study.id, { state: "running", now: 10 });
      await s.updateTrial(done.id, { finish: { state: "complete", values: [1], failReason: null, at: 11 } });
      await s.createTrial(study.id, { state: "running", now: 20 });
      await s.createTrial(study.id, { state: "running", now: 30, systemAttrs: { worker: "h/7/1//" } });
      const [summary] = await s.listStudies();
      assert.deepEqual(summary?.runningTrials, [
        { number: 0, heartbeatAt: 10, worker },
        { number: 2, heartbeatAt: 20, worker: null },
        { number: 3, heartbeatAt: 30, worker: "h/7/1//" },
      ]);
    });

    test("creates a trial only while its number is below the limit, atomically across callers", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const results = await Promise.all(Array.from({ length: 6 }, () => s.tryCreateTrial(study.id, { state: "running", now: 1 }, { numberBelow: 4 })));
      const created = results.filter((r) => typeof r !== "string");
      assert.deepEqual(created.map((t) => t.number).sort(), [0, 1, 2, 3]);
      assert.deepEqual(results.filter((r) => typeof r === "string"), ["number-limit", "number-limit"]);
      assert.equal((await s.createTrial(study.id, { state: "waiting", now: 1 })).number, 4, "the limit binds only where it is given");
    });

    test("creates a trial with a claim only while the key is unclaimed, and claims it", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const attempts = await Promise.all([1, 2, 3].map(() => s.tryCreateTrial(study.id, { state: "running", now: 1 }, { claim: "grid:0" })));
      assert.equal(attempts.filter((r) => typeof r !== "string").length, 1);
      assert.deepEqual(attempts.filter((r) => typeof r === "string"), ["claimed", "claimed"]);
      assert.equal(await s.claim(study.id, "grid:0"), false, "the key was claimed with the trial");
      assert.equal(await s.claim(study.id, "grid:1"), true);
      assert.equal(await s.tryCreateTrial(study.id, { state: "running", now: 1 }, { claim: "grid:1" }), "claimed");
      const limited = await s.tryCreateTrial(study.id, { state: "running", now: 1 }, { claim: "grid:2", numberBelow: 1 });
      assert.equal(limited, "number-limit");
      assert.equal(await s.claim(study.id, "grid:2"), true, "a refused creation claims nothing");
      assert.deepEqual((await s.readChanges(study.id, 0)).trials.map((t) => t.number), [0], "refusals leave the numbering dense");
    });

    test("adds the starter's attributes to a waiting trial as it starts", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      await s.createTrial(study.id, { state: "waiting", now: 1, systemAttrs: { fixed_params: { x: 1 } } });
      const started = await s.startWaitingTrial(study.id, 3, { worker: { host: "h", pid: 2 } });
      assert.deepEqual(started?.systemAttrs, { fixed_params: { x: 1 }, worker: { host: "h", pid: 2 } });
      const [stored] = (await s.readChanges(study.id, 0)).trials;
      assert.deepEqual(stored?.systemAttrs, started?.systemAttrs);
    });

    test("fails the given trials that are still running, once", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const other = await s.createStudy("b", ["minimize"]);
      const running = await s.createTrial(study.id, { state: "running", now: 1 });
      const done = await s.createTrial(study.id, { state: "running", now: 1 });
      await s.updateTrial(done.id, { finish: { state: "complete", values: [1], failReason: null, at: 2 } });
      const elsewhere = await s.createTrial(other.id, { state: "running", now: 1 });
      const { cursor } = await s.readChanges(study.id, 0);
      const failed = await s.failRunningTrials(study.id, [running.id, done.id, elsewhere.id], 9, "worker gone");
      assert.deepEqual(failed.map((t) => [t.id, t.state, t.failReason, t.completedAt]), [[running.id, "failed", "worker gone", 9]]);
      assert.deepEqual(await s.failRunningTrials(study.id, [running.id], 10, "again"), []);
      assert.deepEqual((await s.readChanges(study.id, cursor)).trials.map((t) => t.id), [running.id], "readers see the change");
      assert.equal((await s.readChanges(other.id, 0)).trials[0]?.state, "running", "another study's trial is untouched");
    });

    test("reads a page of trials by state and order, with or without their curves", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const values = [3, null, 1, 2, null, 1];
      for (const value of values) {
        const t = await s.createTrial(study.id, { state: "running", now: 1 });
        await s.updateTrial(t.id, { intermediate: [{ metric: "", step: 0, value: t.number }, { metric: "acc", step: 0, value: -t.number }] });
        if (value !== null) await s.updateTrial(t.id, { finish: { state: "complete", values: [value], failReason: null, at: 2 } });
      }
      const numbers = async (query: Parameters<Storage["readTrials"]>[1]) => (await s.readTrials(study.id, query)).trials.map((t) => t.number);
      assert.deepEqual(await numbers({}), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(await numbers({ descending: true, limit: 2 }), [5, 4]);
      assert.deepEqual(await numbers({ offset: 4 }), [4, 5]);
      assert.deepEqual(await numbers({ states: ["running"] }), [1, 4]);
      assert.deepEqual(await numbers({ orderBy: "value" }), [2, 5, 3, 0, 1, 4], "ties by number, valueless last");
      assert.deepEqual(await numbers({ orderBy: "value", descending: true }), [0, 3, 2, 5, 1, 4]);
      assert.deepEqual(await numbers({ orderBy: "value", states: ["complete"], limit: 1 }), [2]);
      assert.deepEqual(await numbers({ numbers: [4, 0, 9] }), [0, 4]);
      assert.deepEqual(await numbers({ numbers: [] }), []);
      const page = await s.readTrials(study.id, { offset: 1, limit: 2 });
      assert.deepEqual(
        page.intermediate.map((r) => [r.trialId, r.metric, r.value]).sort(),
        page.trials.flatMap((t) => [[t.id, "", t.number], [t.id, "acc", -t.number]]).sort(),
      );
      assert.deepEqual((await s.readTrials(study.id, { curves: false })).intermediate, []);
    });

    test("lists the parameter names and user-attribute keys of a study's trials in order of first appearance", async (s) => {
      const study = await s.createStudy("a", ["minimize"]);
      const other = await s.createStudy("b", ["minimize"]);
      await s.createTrial(other.id, { state: "running", now: 1, distributions: { elsewhere: floatX }, userAttrs: { elsewhere: 1 } });
      assert.deepEqual(await s.trialKeys(study.id), { params: [], userAttrs: [] });
      await s.createTrial(study.id, { state: "running", now: 1, distributions: { wd: floatX, lr: floatX }, userAttrs: { note: "a" } });
      await s.createTrial(study.id, { state: "running", now: 1, distributions: { lr: floatX, depth: floatX }, userAttrs: { zeta: "b", gpu: 0 } });
      assert.deepEqual(await s.trialKeys(study.id), { params: ["wd", "lr", "depth"], userAttrs: ["note", "zeta", "gpu"] });
    });

    it("exports a study and imports it into another storage exactly, where later writes go on from it (when it has both)", () =>
      withStorage(factory, (source) =>
        withStorage(factory, async (destination) => {
          if (!source.exportStudy || !destination.importStudy) return;
          await destination.createStudy("other", ["minimize"]);
          const study = await source.createStudy("a", ["minimize", "maximize"]);
          await source.setStudyAttrs(study.id, "user", { owner: { name: "ana" } });
          await source.setStudyAttrs(study.id, "system", { method: [1, null] });
          await source.claim(study.id, "grid:3");
          const done = await source.createTrial(study.id, { state: "running", now: 10, params: { x: 0.5 }, distributions: { x: floatX }, userAttrs: { u: "ü" } });
          await source.updateTrial(done.id, { intermediate: [{ metric: "", step: 1, value: NaN }, { metric: "acc", step: 1, value: 0.25 }] });
          await source.updateTrial(done.id, { finish: { state: "complete", values: [1.5, -2], failReason: null, at: 20 } });
          const failed = await source.createTrial(study.id, { state: "running", now: 30 });
          await source.updateTrial(failed.id, { finish: { state: "failed", values: null, failReason: "boom", at: 40 } });
          const running = await source.createTrial(study.id, { state: "running", now: 50, systemAttrs: { worker: "w1" } });
          await source.heartbeat([running.id], 55);
          await source.createTrial(study.id, { state: "waiting", now: 60, systemAttrs: { fixed_params: { x: 0.1 } } });

          const exported = await source.exportStudy(study.id);
          const imported = await destination.importStudy(exported);
          assert.deepEqual({ ...imported, id: 0 }, { ...study, id: 0 });
          const withoutIds = (e: typeof exported) => ({ ...e, trials: e.trials.map(({ id: _id, studyId: _studyId, ...t }) => t) });
          assert.deepEqual(withoutIds(await destination.exportStudy!(imported.id)), withoutIds(exported));
          assert.deepEqual(exported.trials.map((t) => [t.number, t.state, t.heartbeatAt]), [[0, "complete", 10], [1, "failed", 30], [2, "running", 55], [3, "waiting", null]]);
          assert.equal(exported.intermediate.length, 2);
          assert.ok(Number.isNaN(exported.intermediate[0]!.value));
          await assert.rejects(destination.importStudy(exported), DuplicateStudyError);

          const changes = await destination.readChanges(imported.id, 0);
          assert.equal(changes.cursor, exported.seq);
          assert.equal((await destination.createTrial(imported.id, { state: "running", now: 70 })).number, 4, "numbering goes on after the copied trials");
          assert.equal(await destination.claim(imported.id, "grid:3"), false, "claims are copied");
          assert.ok((await destination.readChanges(imported.id, changes.cursor)).cursor > changes.cursor);
        }),
      ));
  });
}
