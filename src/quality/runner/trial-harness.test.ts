import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultBudgets, runBench, type BenchOptions } from "./trial-harness.js";

const base: BenchOptions = { problems: ["branin"], samplers: ["random"], trials: 12, seeds: 2, parallel: 1, optunaSamplers: null };

describe("benchmark harness", () => {
  it("defaults to a quarter, half and all of the trials", () => {
    assert.deepEqual(defaultBudgets(200), [50, 100, 200]);
    assert.deepEqual(defaultBudgets(2), [1, 2]);
  });

  it("rejects bad input before running anything, with one clear message", async () => {
    const rejects = (options: Partial<BenchOptions>, message: RegExp) =>
      assert.rejects(runBench({ ...base, ...options }), (e: Error) => e.name === "ConfigError" && message.test(e.message));
    await rejects({ problems: ["nope"] }, /unknown problem "nope"/);
    await rejects({ samplers: ["annealing"] }, /unknown sampler "annealing"/);
    await rejects({ samplers: ["grid"] }, /grid sampler needs a grid/);
    await rejects({ samplers: [] }, /no sampler to run/);
    await rejects({ budgets: [5, 13] }, /budget 13 must be a whole number of trials between 1 and --trials \(12\)/);
    await rejects({ optunaSamplers: ["smac"] }, /unknown Optuna sampler "smac"; choose from: random, tpe/);
  });

  it("gives the same results whatever the number of worker processes", async () => {
    const options = { ...base, problems: ["branin,nn_mixed"], samplers: ["random", "sobol"], budgets: [6, 12] };
    const one = await runBench({ ...options, parallel: 1 });
    const two = await runBench({ ...options, parallel: 2 });
    const curves = (report: typeof one) => report.problems.flatMap((p) => p.runs.map((r) => [p.name, r.sampler, r.seed, r.bestSoFar]));
    assert.deepEqual(curves(one), curves(two));
    assert.deepEqual(one.problems.map((p) => p.summaries.map((s) => s.budgets)), two.problems.map((p) => p.summaries.map((s) => s.budgets)));
    const [branin] = one.problems;
    assert.equal(branin!.runs.length, 4);
    for (const r of branin!.runs) {
      assert.equal(r.bestSoFar.length, 12);
      assert.ok(r.askMs !== null && r.askMs >= 0);
      assert.ok(r.bestSoFar.every((v, i) => i === 0 || v! <= r.bestSoFar[i - 1]!), "best-so-far never gets worse");
    }
    assert.deepEqual(one.seeds, [0, 1]);
  });
});
