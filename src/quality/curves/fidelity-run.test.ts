import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TrialPruned } from "../../errors.js";
import type { Pruner } from "../../pruners/pruner.js";
import { RandomSampler } from "../../samplers/random.js";
import { createStudy } from "../../study/api.js";
import type { CurveTrial } from "../problems/problem.js";
import { reportCost, runFidelityStudy, type FidelityRunOptions } from "./fidelity-run.js";

/** Even-numbered trials are pruned once they have reported `at` steps; odd ones run to the end. */
const pruneEvenAt = (at: number): Pruner => ({ name: `even-at-${at}`, prune: (_study, trial) => trial.number % 2 === 0 && trial.intermediateValues.size >= at });

/** Reports `steps` in order (value: the step), asking after each. */
const reporting = (steps: readonly number[]) => (trial: CurveTrial) => {
  trial.suggestFloat("x", 0, 1);
  for (const step of steps) {
    trial.report(step, step);
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  return steps.at(-1)!;
};

async function run(options: Omit<FidelityRunOptions, "study">, pruner: Pruner) {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 0 }), pruner });
  try {
    return await runFidelityStudy({ ...options, study });
  } finally {
    await study.close();
  }
}

describe("the multi-fidelity run loop", () => {
  it("charges a continued run the steps since the previous report, a retrained one each step in full", () => {
    assert.equal(reportCost("continued", 1, null), 1);
    assert.equal(reportCost("continued", 6, 2), 4);
    assert.equal(reportCost("continued", 52, null), 52);
    assert.equal(reportCost("retrained", 9, 3), 9);
    assert.equal(reportCost("retrained", 27, null), 27);
  });

  it("continued: a trial stopped at step k cost k; the trial that reaches the budget finishes", async () => {
    const records = await run({ objective: reporting([1, 2, 3, 4, 5, 6]), budget: 20, stepCost: "continued", overrun: "finish" }, pruneEvenAt(2));
    // Trials 0, 2, … stop at step 2 (2 steps), 1, 3, … run all 6: 2, 8, 10, 16, 18, 24 — the last ends past 20.
    assert.deepEqual(records.map((r) => [r.state, r.spent]), [["pruned", 2], ["complete", 8], ["pruned", 10], ["complete", 16], ["pruned", 18], ["complete", 24]]);
    assert.deepEqual(records[1]!.reports.map((r) => r.spent), [3, 4, 5, 6, 7, 8]);
    assert.deepEqual([records[1]!.value, records[0]!.value], [6, null]);
  });

  it("retrained: a report costs its whole step, so a trial stopped at the k-th rung cost the sum of the rungs so far", async () => {
    const records = await run({ objective: reporting([1, 3, 9, 27]), budget: 100, stepCost: "retrained", overrun: "finish" }, pruneEvenAt(3));
    // Pruned at its 3rd report: 1 + 3 + 9 = 13; complete: 1 + 3 + 9 + 27 = 40.
    assert.deepEqual(records.map((r) => r.spent), [13, 53, 66, 106]);
    assert.deepEqual(records[0]!.reports.map((r) => [r.step, r.spent]), [[1, 1], [3, 4], [9, 13]]);
  });

  it("cut: the report that would pass the budget is not made, and the run ends inside that trial", async () => {
    const records = await run({ objective: reporting([1, 3, 9, 27]), budget: 60, stepCost: "retrained", overrun: "cut" }, pruneEvenAt(3));
    // 13, then 53; trial 2 reports 1 and 3 (57), its 9 would make 66 > 60.
    assert.deepEqual(records.map((r) => [r.state, r.spent, r.reports.length]), [["pruned", 13, 3], ["complete", 53, 4], ["cut", 57, 2]]);
    const exact = await run({ objective: reporting([1, 3, 9, 27]), budget: 53, stepCost: "retrained", overrun: "cut" }, pruneEvenAt(3));
    assert.deepEqual(exact.map((r) => r.state), ["pruned", "complete"], "a budget spent exactly starts no further trial");
  });

  it("lets an objective's own errors through", async () => {
    const failing = () => {
      throw new RangeError("surrogate broke");
    };
    await assert.rejects(run({ objective: failing, budget: 10, stepCost: "continued", overrun: "cut" }, pruneEvenAt(1)), /surrogate broke/);
  });
});
