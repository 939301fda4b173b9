import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HYPERBAND_BRACKETS_ATTR } from "../core/attributes.js";
import { RandomSampler } from "../samplers/random.js";
import type { Sampler } from "../samplers/sampler.js";
import { Rng } from "../math/random.js";
import { MemoryStorage } from "../storage/memory.js";
import { createStudy, loadStudy } from "../study/api.js";
import { flat, runCurve } from "../testing/curves.js";
import { HyperbandPruner } from "./hyperband.js";
import { describePrunerConformance } from "../testing/pruner-conformance.js";

const quiet = { warn: () => {} };

describePrunerConformance("HyperbandPruner (1 to 9, η 3)", () => new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 }));
describePrunerConformance("HyperbandPruner (maxResource auto)", () => new HyperbandPruner({ minResource: 1, reductionFactor: 2 }));


describe("HyperbandPruner", () => {
  const pruner = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });

  it("has ⌊log_η(max/min)⌋ + 1 brackets, filled in proportion to Hyperband's budgets 27 : 12 : 6 : 4", () => {
    assert.equal(pruner.bracketCount({ trials: () => [] } as never), 4);
    assert.equal(new HyperbandPruner({ minResource: 1, maxResource: 26 }).bracketCount({ trials: () => [] } as never), 3);
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 49_000; n++) counts[pruner.bracketOf("s", n, 4)]!++;
    for (const [b, share] of [27, 12, 6, 4].entries()) {
      assert.ok(Math.abs(counts[b]! / 49_000 - share / 49) < 0.01, `bracket ${b}: ${counts[b]} of 49000`);
    }
  });

  it("bracket b starts pruning at minResource · η^b and compares a trial only with its own bracket", async () => {
    const study = await createStudy({ name: "hb", pruner, ...quiet });
    const bracketOfNext = () => pruner.bracketOf("hb", study.trials().length, 4);
    const prunedSteps = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
    // Alternate a good and a bad curve; record, per bracket, the steps at which trials were stopped.
    for (let i = 0; i < 80; i++) {
      const bracket = bracketOfNext();
      const { prunedAt } = await runCurve(study, flat(i % 2 === 1 ? 10 + i : 1, 27));
      if (prunedAt !== null) prunedSteps[bracket]!.add(prunedAt);
    }
    // Bracket 0: first rung at 1; 1: at 3; 2: at 9; 3: at 27, the last step, where it is compared too.
    assert.deepEqual(prunedSteps.map((steps) => [...steps]), [[1], [3], [9], [27]]);
  });

  it("a trial competes only with its own bracket", async () => {
    const study = await createStudy({ name: "hb-own", pruner, ...quiet });
    const inBracket1: (number | null)[] = [];
    while (inBracket1.length < 2) {
      const bracket = pruner.bracketOf("hb-own", study.trials().length, 4);
      // Every other bracket holds better values (1) than both bracket-1 trials (5, then 6).
      const { prunedAt } = await runCurve(study, flat(bracket === 1 ? 5 + inBracket1.length : 1, 27));
      if (bracket === 1) inBracket1.push(prunedAt);
    }
    assert.ok(study.trials().length > 2, "trials of other brackets came first");
    assert.deepEqual(inBracket1, [null, 3]);
  });

  it("shows the sampler only the trials of the new trial's bracket", async () => {
    const seen: number[][] = [];
    const spy: Sampler = {
      name: "spy",
      sampleIndependent(study, trial, name, distribution) {
        seen.push(study.trials().map((t) => t.number));
        return new RandomSampler({ seed: 1 }).sampleIndependent(study, trial, name, distribution);
      },
    };
    const study = await createStudy({ name: "hb-view", sampler: spy, pruner, ...quiet });
    for (let i = 0; i < 30; i++) await runCurve(study, flat(i, 27));
    for (const [number, visible] of seen.entries()) {
      const bracket = pruner.bracketOf("hb-view", number, 4);
      const expected = Array.from({ length: number }, (_, n) => n).filter((n) => pruner.bracketOf("hb-view", n, 4) === bracket);
      assert.deepEqual(visible, expected, `trial ${number}`);
    }
  });

  it("under maxResource auto neither prunes nor narrows the sampler's view before a trial completes", async () => {
    const auto = new HyperbandPruner({ minResource: 1, reductionFactor: 3 });
    const study = await createStudy({ name: "hb-auto", pruner: auto, ...quiet });
    assert.equal(auto.samplerView(study, { number: 0, systemAttrs: {} }), study);
    assert.equal((await runCurve(study, flat(1, 9))).prunedAt, null);
    assert.equal(auto.bracketCount(study), 3, "max 9 → brackets at 1, 3, 9");
  });

  it("raising maxResource keeps old trials in their brackets and continues the best of them instead of rerunning", async () => {
    const storage = new MemoryStorage();
    const small = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const before = await createStudy({ name: "hb-inc", storage, pruner: small, ...quiet });
    const rng = new Rng(5);
    for (let i = 0; i < 40; i++) await runCurve(before, flat(rng.random(), 9));
    const old = before.trials();
    assert.ok(old.every((t) => t.systemAttrs[HYPERBAND_BRACKETS_ATTR] === 3));

    const large = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
    const study = await loadStudy({ name: "hb-inc", storage, pruner: large, ...quiet });
    const promoted = await large.continueBestTrials(study);
    // Per old bracket, the best ⌊n/3⌋ (at least 1) of the trials that completed at step 9.
    const expected: number[] = [];
    for (let b = 0; b < 3; b++) {
      const done = old.filter((t) => t.state === "complete" && small.bracketOf("hb-inc", t.number, 3) === b);
      const best = [...done].sort((x, y) => x.value! - y.value!).slice(0, Math.max(1, Math.floor(done.length / 3)));
      expected.push(...best.map((t) => t.number));
    }
    assert.deepEqual(promoted.map((t) => t.number).sort((x, y) => x - y), expected.sort((x, y) => x - y));
    assert.deepEqual(await large.continueBestTrials(study), [], "queued continuations are not queued twice");

    for (const parent of promoted) {
      const trial = await study.ask();
      assert.deepEqual(trial.continues, { trial: parent.number, lastStep: 9 });
      assert.deepEqual(trial.params, {});
      assert.equal(trial.suggestFloat("x", 0, 1), parent.params.x, "same parameters");
      assert.deepEqual([...trial.intermediateValues], [...parent.intermediateValues], "the parent's curve, not rerun");
      for (let step = 10; step <= 27; step++) {
        trial.report(parent.value! * 0.9, step);
        assert.equal(trial.shouldPrune(), false, "rungs below 9 were passed by the parent; the next one is at 27");
      }
      await study.tell(trial, parent.value! * 0.9);
    }
    // A new trial draws among 4 brackets; the sampler sees old trials in the brackets they were drawn in with 3.
    const fresh = await study.ask();
    assert.equal(fresh.systemAttrs[HYPERBAND_BRACKETS_ATTR], 4);
    const bracket = large.bracketOf("hb-inc", fresh.number, 4);
    const visible = large.samplerView(study, fresh).trials().filter((t) => t.number < old.length).map((t) => t.number);
    assert.deepEqual(visible, old.filter((t) => small.bracketOf("hb-inc", t.number, 3) === bracket).map((t) => t.number));
  });

  it("continues the best trials of a multi-objective study too, both objectives' curves copied", async () => {
    const storage = new MemoryStorage();
    const directions = ["minimize", "minimize"] as const;
    const before = await createStudy({ name: "hb-mo", storage, directions: [...directions], pruner: new HyperbandPruner({ minResource: 1, maxResource: 3 }), ...quiet });
    for (let i = 0; i < 6; i++) {
      const trial = await before.ask();
      trial.suggestFloat("x", 0, 1);
      for (let step = 1; step <= 3; step++) trial.report([i / step, (6 - i) / step], step);
      await before.tell(trial, [i / 3, (6 - i) / 3]);
    }
    const large = new HyperbandPruner({ minResource: 1, maxResource: 9 });
    const study = await loadStudy({ name: "hb-mo", storage, pruner: large, ...quiet });
    const promoted = await large.continueBestTrials(study);
    assert.ok(promoted.length > 0);
    const trial = await study.ask();
    const parent = promoted[0]!;
    assert.deepEqual([...trial.intermediateValues], [...parent.intermediateValues]);
    assert.deepEqual([...trial.snapshot().intermediateMetrics.get("objective:1")!], [...parent.intermediateMetrics.get("objective:1")!]);
  });

  it("refuses to continue trials without a numeric maximum, and refuses to continue a running trial", async () => {
    const study = await createStudy({ name: "hb-refuse", pruner: new HyperbandPruner({ minResource: 1 }), ...quiet });
    await assert.rejects(new HyperbandPruner({ minResource: 1 }).continueBestTrials(study), /needs a numeric maxResource/);
    const running = await study.ask();
    await assert.rejects(study.enqueueContinuation(running.snapshot()), /trial 0 is running; only complete or pruned trials can be continued/);
  });

  it("rejects unusable options", () => {
    assert.throws(() => new HyperbandPruner({ minResource: 10, maxResource: 5 }), /maxResource \(5\) must be at least minResource/);
    assert.throws(() => new HyperbandPruner({ reductionFactor: 1.5 }), /reductionFactor must be at least 2/);
    assert.throws(() => new HyperbandPruner({ minResource: "auto" as never }), /not "auto"/);
  });
});

describe("HyperbandPruner's view of a bracket", () => {
  it("leaves the study whole when a sampler writes through it (another worker's best trial is still seen)", async () => {
    const storage = new MemoryStorage();
    const random = new RandomSampler({ seed: 1 });
    const writing: Sampler = {
      name: "writing",
      sampleIndependent(study, trial, name, distribution) {
        void study.setSystemAttrs({ "writing:last": trial.number });
        return random.sampleIndependent(study, trial, name, distribution);
      },
    };
    const pruner = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const a = await createStudy({ name: "s", storage, sampler: writing, pruner });
    const b = await loadStudy({ name: "s", storage, sampler: new RandomSampler({ seed: 2 }) });
    await a.optimize((trial) => trial.suggestFloat("x", 0, 1), { nTrials: 1 });
    await a.optimize(
      async (trial) => {
        await b.optimize(() => -1, { nTrials: 1 }); // another worker finishes the best trial while this one runs
        return trial.suggestFloat("x", 0, 1);
      },
      { nTrials: 1 },
    );
    await a.refresh();
    assert.equal(a.bestValue, -1);
    assert.equal(a.systemAttrs["writing:last"], 1);
  });
});
