import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors.js";
import { createStudy } from "../study/api.js";
import { describePrunerConformance, pruneDecision, type Curve } from "../testing/pruner-conformance.js";
import { MedianPruner, PercentilePruner } from "./percentile.js";

describePrunerConformance("MedianPruner", () => new MedianPruner());
describePrunerConformance("PercentilePruner (25th, warm-up 2, every 2nd step)", () =>
  new PercentilePruner({ percentile: 25, nStartupTrials: 3, nWarmupSteps: 2, intervalSteps: 2 }),
);

/** Five complete trials that reported 1, 2, 3, 4 and 5 at step 3 (and 0 at step 0). */
const fiveAtStep3: Curve[] = [1, 2, 3, 4, 5].map((v) => ({ 0: 0, 3: v }));

/** The steps, out of 0 … last, at which a trial reporting `value` at every step would be pruned. */
async function prunedSteps(pruner: () => MedianPruner, complete: Curve[], value: number, last: number): Promise<number[]> {
  const steps: number[] = [];
  for (let step = 0; step <= last; step++) {
    const trial = Object.fromEntries(Array.from({ length: step + 1 }, (_, s) => [s, value]));
    if (await pruneDecision(pruner(), { complete, trial })) steps.push(step);
  }
  return steps;
}

describe("MedianPruner: decisions against hand-computed medians", () => {
  it("prunes a trial whose best value is strictly worse than the median (3) of the complete trials at its step", async () => {
    const decide = (trial: Curve) => pruneDecision(new MedianPruner(), { complete: fiveAtStep3, trial });
    assert.equal(await decide({ 3: 3 }), false, "equal to the median is kept");
    assert.equal(await decide({ 3: 3.000001 }), true);
    assert.equal(await decide({ 3: 2.9 }), false);
  });

  it("judges the trial by its best value over all its steps, not its latest one", async () => {
    const decide = (trial: Curve) => pruneDecision(new MedianPruner(), { complete: fiveAtStep3, trial });
    assert.equal(await decide({ 0: 2, 3: 3.5 }), false);
    assert.equal(await decide({ 0: 10, 3: 3.5 }), true);
  });

  it("mirrors the rule when maximizing: worse means below the median", async () => {
    const decide = (trial: Curve) => pruneDecision(new MedianPruner(), { direction: "maximize", complete: fiveAtStep3, trial });
    assert.equal(await decide({ 3: 3 }), false);
    assert.equal(await decide({ 3: 2.9 }), true);
    assert.equal(await decide({ 3: 4 }), false);
  });

  it("waits for nStartupTrials complete trials; pruned trials do not count", async () => {
    const four = fiveAtStep3.slice(0, 4);
    assert.equal(await pruneDecision(new MedianPruner(), { complete: four, pruned: [{ 3: 1 }, { 3: 1 }], trial: { 3: 100 } }), false);
    assert.equal(await pruneDecision(new MedianPruner({ nStartupTrials: 4 }), { complete: four, trial: { 3: 100 } }), true);
  });

  it("never prunes before a trial completes, even with nStartupTrials 0", async () => {
    assert.equal(await pruneDecision(new MedianPruner({ nStartupTrials: 0 }), { pruned: [{ 3: 1 }], trial: { 3: 100 } }), false);
  });

  it("does not prune at steps below nWarmupSteps", async () => {
    const complete = [1, 2, 3, 4, 5].map((v) => Object.fromEntries(Array.from({ length: 6 }, (_, s) => [s, v])));
    assert.deepEqual(await prunedSteps(() => new MedianPruner({ nWarmupSteps: 3 }), complete, 10, 5), [3, 4, 5]);
  });

  it("decides once per intervalSteps after the warm-up, at the first step reported in each interval", async () => {
    const complete = [1, 2, 3, 4, 5].map((v) => Object.fromEntries(Array.from({ length: 10 }, (_, s) => [s, v])));
    const pruner = () => new MedianPruner({ nWarmupSteps: 1, intervalSteps: 3 });
    assert.deepEqual(await prunedSteps(pruner, complete, 10, 9), [1, 4, 7]);
    // Step 4 opens the interval [4, 7); a trial that skipped it is judged at step 5 instead, then not again at 6.
    assert.equal(await pruneDecision(pruner(), { complete, trial: { 0: 10, 2: 10, 5: 10 } }), true);
    assert.equal(await pruneDecision(pruner(), { complete, trial: { 0: 10, 2: 10, 5: 10, 6: 10 } }), false);
  });

  it("needs nMinTrials complete trials that reported the step itself", async () => {
    // Five trials complete, but only two reported step 3 (values 1 and 2, median 1.5).
    const complete: Curve[] = [{ 0: 0, 3: 1 }, { 0: 0, 3: 2 }, { 0: 0 }, { 0: 0 }, { 0: 0, 2: 0 }];
    const decide = (nMinTrials: number) => pruneDecision(new MedianPruner({ nMinTrials }), { complete, trial: { 3: 1.6 } });
    assert.equal(await decide(2), true);
    assert.equal(await decide(3), false);
  });

  it("prunes a trial whose values are all NaN; leaves NaN out of the percentile but counts it for nMinTrials", async () => {
    assert.equal(await pruneDecision(new MedianPruner(), { complete: fiveAtStep3, trial: { 0: NaN, 3: NaN } }), true);
    assert.equal(await pruneDecision(new MedianPruner(), { complete: fiveAtStep3, trial: { 0: 1, 3: NaN } }), false);
    // Reported at step 3: 1, NaN, NaN, 5, 3 → the median of 1, 3, 5 is 3.
    const withNaN: Curve[] = [1, NaN, NaN, 5, 3].map((v) => ({ 3: v }));
    assert.equal(await pruneDecision(new MedianPruner({ nMinTrials: 5 }), { complete: withNaN, trial: { 3: 3.5 } }), true);
    assert.equal(await pruneDecision(new MedianPruner({ nMinTrials: 5 }), { complete: withNaN, trial: { 3: 2.5 } }), false);
    const allNaN: Curve[] = [1, 2, 3, 4, 5].map(() => ({ 3: NaN }));
    assert.equal(await pruneDecision(new MedianPruner(), { complete: allNaN, trial: { 3: 100 } }), false);
  });

  it("refuses a multi-objective study with a ConfigError", async () => {
    const study = await createStudy({ directions: ["minimize", "maximize"], warn: () => {} });
    const trial = await study.ask();
    trial.report([1, 1], 0);
    assert.throws(() => new MedianPruner().prune(study, trial.snapshot()), (e) => e instanceof ConfigError && /2 objectives/.test(e.message));
  });
});

describe("PercentilePruner: interpolated percentiles", () => {
  it("interpolates linearly between order statistics, as numpy does", async () => {
    // numpy.percentile([1, 2, 3, 4, 5], 30) = 2.2
    const decide = (trial: Curve) => pruneDecision(new PercentilePruner({ percentile: 30 }), { complete: fiveAtStep3, trial });
    assert.equal(await decide({ 3: 2.2 }), false);
    assert.equal(await decide({ 3: 2.21 }), true);
  });

  it("counts the percentile from the best end when maximizing (the 70th from the bottom for 30)", async () => {
    // numpy.percentile([1, 2, 3, 4, 5], 70) = 3.8
    const decide = (trial: Curve) =>
      pruneDecision(new PercentilePruner({ percentile: 30 }), { direction: "maximize", complete: fiveAtStep3, trial });
    assert.equal(await decide({ 3: 3.8 }), false);
    assert.equal(await decide({ 3: 3.79 }), true);
  });

  it("keeps only the best at percentile 0 and prunes only the worse-than-worst at 100", async () => {
    const decide = (percentile: number, value: number) =>
      pruneDecision(new PercentilePruner({ percentile }), { complete: fiveAtStep3, trial: { 3: value } });
    assert.equal(await decide(0, 1), false);
    assert.equal(await decide(0, 1.5), true);
    assert.equal(await decide(100, 5), false);
    assert.equal(await decide(100, 5.5), true);
  });

  it("rejects options it cannot use, naming the option", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new PercentilePruner({ percentile: -1 }), /percentile must be a number from 0 to 100.*got -1/],
      [() => new PercentilePruner({ percentile: 101 }), /percentile must be a number from 0 to 100.*got 101/],
      [() => new PercentilePruner({ percentile: NaN }), /percentile must be/],
      [() => new PercentilePruner({} as never), /percentile must be.*got undefined/],
      [() => new MedianPruner({ nStartupTrials: -1 }), /nStartupTrials must be a non-negative integer.*got -1/],
      [() => new MedianPruner({ nStartupTrials: 1.5 }), /nStartupTrials must be a non-negative integer.*got 1.5/],
      [() => new MedianPruner({ nWarmupSteps: -2 }), /nWarmupSteps must be a non-negative integer/],
      [() => new MedianPruner({ intervalSteps: 0 }), /intervalSteps must be a positive integer.*got 0/],
      [() => new MedianPruner({ nMinTrials: 0 }), /nMinTrials must be a positive integer.*got 0/],
    ];
    for (const [build, message] of cases) assert.throws(build, (e) => e instanceof ConfigError && message.test(e.message));
  });

  it("is the median pruner at percentile 50, with Optuna's defaults", () => {
    const median = new MedianPruner();
    assert.equal(median.name, "median");
    assert.deepEqual(
      [median.percentile, median.nStartupTrials, median.nWarmupSteps, median.intervalSteps, median.nMinTrials],
      [50, 5, 0, 1, 1],
    );
    assert.equal(new PercentilePruner({ percentile: 10 }).name, "percentile");
  });
});
