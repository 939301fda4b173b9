import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, TrialPruned } from "../errors.js";
import { createStudy } from "../study/api.js";
import { describePrunerConformance, pruneDecision, type Curve } from "../testing/pruner-conformance.js";
import { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold.js";

// Bounds are absolute, not relative to the direction, so the suite checks that the direction changes nothing.
describePrunerConformance("ThresholdPruner (upper 1 after step 4)", () => new ThresholdPruner({ upper: 1, nWarmupSteps: 4 }), {
  directionAware: false,
});
describePrunerConformance("ThresholdPruner (0.3 to 1.5, every 3rd step)", () => new ThresholdPruner({ lower: 0.3, upper: 1.5, intervalSteps: 3 }), {
  directionAware: false,
});

const decide = (options: ThresholdPrunerOptions, trial: Curve) => pruneDecision(new ThresholdPruner(options), { trial });
/** Steps 0, 1, 2, … reporting `values` in order. */
const curve = (...values: number[]): Curve => Object.fromEntries(values.map((v, s) => [s, v]));

describe("ThresholdPruner: bounds on the latest value", () => {
  it("prunes strictly above upper and strictly below lower", async () => {
    assert.equal(await decide({ upper: 1 }, { 0: 1 }), false);
    assert.equal(await decide({ upper: 1 }, { 0: 1.01 }), true);
    assert.equal(await decide({ lower: 0 }, { 0: 0 }), false);
    assert.equal(await decide({ lower: 0 }, { 0: -0.01 }), true);
    assert.equal(await decide({ lower: 0, upper: 1 }, { 0: 0.5 }), false);
    assert.equal(await decide({ lower: 2, upper: 2 }, { 0: 2 }), false);
  });

  it("judges the latest step's value only, and prunes a NaN there", async () => {
    assert.equal(await decide({ upper: 1 }, curve(5, 0.5)), false);
    assert.equal(await decide({ upper: 1 }, curve(0.5, NaN)), true);
    assert.equal(await decide({ upper: 1 }, curve(NaN, 0.5)), false);
    assert.equal(await decide({ upper: 1 }, new Map([[3, 5], [1, 0.5]])), true, "the latest step is 3, though reported first");
  });

  it("does not prune at steps below nWarmupSteps", async () => {
    assert.equal(await decide({ upper: 1, nWarmupSteps: 2 }, curve(5, 5)), false);
    assert.equal(await decide({ upper: 1, nWarmupSteps: 2 }, curve(5, 5, 5)), true);
  });

  it("decides once per intervalSteps, at the first step reported in each interval", async () => {
    const options = { upper: 1, intervalSteps: 2 };
    assert.equal(await decide(options, curve(0.5, 5)), false);
    assert.equal(await decide(options, curve(0.5, 0.5, 5)), true);
    // Step 2 opens the interval [2, 4); a trial that skipped it is judged at step 3.
    assert.equal(await decide(options, { 0: 0.5, 3: 5 }), true);
  });

  it("prunes in multi-objective studies too, on the first objective's curve", async () => {
    const study = await createStudy({ directions: ["minimize", "maximize"], pruner: new ThresholdPruner({ upper: 1 }), warn: () => {} });
    await study.optimize((trial) => {
      trial.report(trial.number === 0 ? [0.5, 9] : [5, 0], 0);
      if (trial.shouldPrune()) throw new TrialPruned();
      return [1, 1];
    }, { nTrials: 2 });
    assert.deepEqual(study.trials().map((t) => t.state), ["complete", "pruned"]);
  });

  it("leaves a missing bound open", () => {
    const upperOnly = new ThresholdPruner({ upper: 3 });
    assert.deepEqual([upperOnly.lower, upperOnly.upper, upperOnly.nWarmupSteps, upperOnly.intervalSteps], [-Infinity, 3, 0, 1]);
  });

  it("rejects options it cannot use, naming the problem", () => {
    const cases: [ThresholdPrunerOptions, RegExp][] = [
      [{}, /needs lower, upper or both/],
      [{ lower: 2, upper: 1 }, /lower \(2\) is above upper \(1\).*swap them/],
      [{ lower: NaN }, /lower must be a number, got NaN/],
      [{ upper: "1" as never }, /upper must be a number, got 1/],
      [{ upper: 1, nWarmupSteps: -1 }, /nWarmupSteps must be a non-negative integer.*got -1/],
      [{ upper: 1, intervalSteps: 0 }, /intervalSteps must be a positive integer.*got 0/],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => new ThresholdPruner(options), (e) => e instanceof ConfigError && message.test(e.message));
    }
  });
});
