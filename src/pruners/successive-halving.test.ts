import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createStudy } from "../study/api.js";
import { prunerFromSpec } from "./registry.js";
import { SuccessiveHalvingPruner } from "./successive-halving.js";
import { flat, runCurve } from "../testing/curves.js";
import { describePrunerConformance } from "../testing/pruner-conformance.js";

const quiet = { warn: () => {} };

describePrunerConformance("SuccessiveHalvingPruner (η 3, first rung at step 1)", () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }));
describePrunerConformance("SuccessiveHalvingPruner (minResource auto)", () => new SuccessiveHalvingPruner({ reductionFactor: 2 }));


describe("SuccessiveHalvingPruner", () => {
  it("promotes the best ⌊n/η⌋ (at least one) of the trials that reached a rung, as computed by hand", async () => {
    // η = 3, rungs at steps 1, 3, 9. Flat curves, so a trial's value is the same at every rung.
    const study = await createStudy({ pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }), ...quiet });
    const outcomes = [];
    for (const value of [5, 3, 4, 1, 2, 2.5, 1.5]) outcomes.push((await runCurve(study, flat(value, 9))).prunedAt);
    // 5: alone → on. 3: n = 2, one slot, best → on. 4: n = 3, 3 is better → pruned at step 1.
    // 1: best → on. 2: n = 5, one slot, 1 is better → pruned. 2.5: n = 6, two slots, 1 and 2 better → pruned.
    // 1.5: rung 1 n = 7, two slots, only 1 better → on; rung 3 holds 5, 3, 1 and itself: one slot, 1 better → pruned at 3.
    assert.deepEqual(outcomes, [null, null, 1, null, 1, 1, 3]);
    const pruned = study.trials().find((t) => t.number === 6)!;
    assert.equal(pruned.state, "pruned");
    assert.deepEqual([...pruned.intermediateValues.keys()], [1, 2, 3], "a pruned trial keeps its curve");
  });

  it("mirrors for maximisation", async () => {
    const study = await createStudy({
      direction: "maximize",
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
      ...quiet,
    });
    const outcomes = [];
    for (const value of [5, 3, 4, 1, 2, 2.5, 1.5]) outcomes.push((await runCurve(study, flat(-value, 9))).prunedAt);
    assert.deepEqual(outcomes, [null, null, 1, null, 1, 1, 3]);
  });

  it("decides a rung once, at the first report at or past it: later reports below the next rung are never pruned", async () => {
    const study = await createStudy({ pruner: new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2 }), ...quiet });
    await runCurve(study, flat(1, 8));
    // Reports at steps 1, 3 (past rung 2: tested against the value 1 and pruned when worse) …
    const worse = await runCurve(study, [9, 9, 9, 9], 1);
    assert.equal(worse.prunedAt, 2);
    // A trial promoted at rung 2 is not tested again before rung 4, however bad its step 3.
    const promoted = await study.ask();
    promoted.report(0.5, 2);
    assert.equal(promoted.shouldPrune(), false);
    promoted.report(100, 3);
    assert.equal(promoted.shouldPrune(), false);
    // A curve that skips step 2 is tested at step 3 instead.
    const skipping = await study.ask();
    skipping.report(9, 1);
    assert.equal(skipping.shouldPrune(), false, "no rung reached yet");
    skipping.report(9, 3);
    assert.equal(skipping.shouldPrune(), true);
  });

  it("under minResource auto prunes nothing before a trial completes, then uses its last step / 100", async () => {
    const study = await createStudy({ pruner: new SuccessiveHalvingPruner({ reductionFactor: 2 }), ...quiet });
    assert.equal((await runCurve(study, flat(1, 300))).prunedAt, null);
    // First complete trial ended at step 300 → minResource 3: a worse trial is stopped at step 3, not before.
    assert.equal((await runCurve(study, flat(2, 10))).prunedAt, 3);
  });

  it("prunes a NaN value at a rung", async () => {
    const study = await createStudy({ pruner: new SuccessiveHalvingPruner({ minResource: 1 }), ...quiet });
    assert.equal((await runCurve(study, [NaN, NaN])).prunedAt, 1);
  });

  it("rejects unusable options with the fix in the message", () => {
    assert.throws(() => new SuccessiveHalvingPruner({ reductionFactor: 1 }), /reductionFactor must be at least 2/);
    assert.throws(() => new SuccessiveHalvingPruner({ minResource: 0 }), /minResource must be a positive number/);
    assert.throws(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 }), /non-negative integer/);
    assert.throws(() => prunerFromSpec("sha:minResource=x"), /must be a number/);
    assert.ok(prunerFromSpec("sha:minResource=auto,reductionFactor=3") instanceof SuccessiveHalvingPruner);
  });

  it("ranks a multi-objective rung by Pareto front and crowding distance (MO-ASHA), as computed by hand", async () => {
    // η = 2, rungs at 1, 2, 4; flat curves of two losses.
    const study = await createStudy({
      directions: ["minimize", "minimize"],
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
      ...quiet,
    });
    const outcomes = [];
    for (const [a, b] of [[1, 5], [5, 1], [3, 3], [0.5, 0.5], [2, 6]]) {
      const trial = await study.ask();
      let prunedAt: number | null = null;
      for (let step = 1; step <= 4 && prunedAt === null; step++) {
        trial.report([a!, b!], step);
        if (trial.shouldPrune()) prunedAt = step;
      }
      await study.tell(trial, prunedAt === null ? [a!, b!] : "pruned");
      outcomes.push(prunedAt);
    }
    // (5,1) ties (1,5) on the first front, both extremes: a tie promotes. (3,3) is on the first front but less
    // crowded-apart than the extremes: third of 3, one slot → pruned. (0.5,0.5) dominates all. (2,6) is dominated
    // by (1,5): fifth of 5, two slots → pruned.
    assert.deepEqual(outcomes, [null, null, 1, null, 1]);
    assert.deepEqual([...study.trials()[2]!.intermediateMetrics.get("objective:1")!], [[1, 3]], "the second objective's curve is kept");
  });
});
