import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FidelityTrialRecord } from "../curves/fidelity-run.js";
import { yahpoUnavailable } from "../problems/yahpo-availability.js";
import { loadYahpoMfProblem } from "../problems/yahpo-mf.js";
import { incumbentAt, incumbentTrace, runYahpoMf, type YahpoMfTask } from "./run.js";

const skip = await yahpoUnavailable();

const record = (reports: [step: number, value: number, spent: number][]): FidelityTrialRecord => ({
  number: 0,
  state: "pruned",
  value: null,
  params: {},
  reports: reports.map(([step, value, spent]) => ({ step, value, spent })),
  spent: reports.at(-1)![2],
});

const task = (over: Partial<YahpoMfTask>): YahpoMfTask => ({
  kind: "yahpo-mf", problem: "yahpo-mf:lcbench:167168", method: "random + none", sampler: "random", pruner: "none", seed: 0, budget: 100, ...over,
});

describe("a multi-fidelity YAHPO run", () => {
  it("takes the incumbent over every report of every trial, low fidelities included", () => {
    const records = [record([[1, 0.5, 1], [2, 0.7, 2]]), record([[1, 0.6, 3], [2, 0.65, 4], [3, 0.9, 5]])];
    const trace = incumbentTrace(records, "maximize");
    assert.deepEqual(trace, [[1, 0.5], [2, 0.7], [5, 0.9]]);
    assert.deepEqual(incumbentTrace(records, "minimize"), [[1, 0.5]]);
    assert.deepEqual([0.5, 1, 4, 5, 99].map((spent) => incumbentAt(trace, spent)), [null, 0.5, 0.7, 0.9, 0.9]);
  });

  it("without a pruner evaluates full fidelity only, and cuts the evaluation that would pass the budget", { skip }, async () => {
    const problem = await loadYahpoMfProblem("yahpo-mf:lcbench:167168");
    const run = await runYahpoMf(problem, task({}));
    // 52 epochs, then 52 more would make 104 > 100: one evaluation counts.
    assert.deepEqual([run.trials, run.evaluations, run.spent, run.pruned], [2, 1, 52, 0]);
    const regret = problem.normalizedRegret(run.incumbent[0]![1]);
    assert.deepEqual(run.regretAt, [null, null, regret, regret], "nothing had been evaluated by 25 or 50 epochs");
    assert.deepEqual(run.incumbent.map(([spent]) => spent), [52]);
  });

  it("charges rbv2's rungs their trainsize and is reproducible from its seed", { skip }, async () => {
    const problem = await loadYahpoMfProblem("yahpo-mf:rbv2_xgboost:12");
    const hyperband = task({ problem: problem.name, method: "random + hyperband", pruner: problem.ladder.hyperband, budget: 10 });
    const run = await runYahpoMf(problem, hyperband);
    assert.ok(run.spent <= 10 && run.spent > 10 - 1, `spent ${run.spent}`);
    // Every report costs a multiple of 1/27 of a full training.
    assert.ok(Math.abs(run.spent * 27 - Math.round(run.spent * 27)) < 1e-9);
    assert.ok(run.pruned > 0 && run.evaluations > run.trials, "Hyperband stops trials at low rungs");
    assert.deepEqual((await runYahpoMf(problem, hyperband)).regretAt, run.regretAt);
    assert.notDeepEqual((await runYahpoMf(problem, { ...hyperband, seed: 1 })).incumbent, run.incumbent);
  });
});
