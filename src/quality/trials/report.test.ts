import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Problem } from "../problems/problem.js";
import { bestSoFar, type Engine, type RunResult } from "../problems/run-result.js";
import { formatReport, optunaCounterpart, summarizeProblem, type BenchReport } from "./report.js";

const problem: Problem = {
  name: "toy",
  direction: "minimize",
  optimum: 1,
  regretScale: 1,
  description: "a toy",
  objectiveFor: () => () => 0,
};

function run(engine: Engine, sampler: string, seed: number, values: (number | null)[], askMs: number): RunResult {
  return { problem: "toy", engine, sampler, seed, bestSoFar: bestSoFar(values, "minimize"), askMs, tellMs: 0.1, objectiveMs: 0, wallMs: 1000, failed: values.filter((v) => v === null).length, warnings: [] };
}

const runs = [
  run("scaletune", "random", 0, [5, 3, 4, 2], 1),
  run("scaletune", "random", 1, [null, 9, 1.5, 8], 3),
  run("scaletune", "random", 2, [4, 4, 4, 4], 2),
  run("optuna", "random", 0, [6, 6, 5, 3], 10),
  run("optuna", "tpe", 0, [2, 2, 2, 2], 20),
];

describe("benchmark report", () => {
  it("keeps the running best, skipping failed trials", () => {
    assert.deepEqual(bestSoFar([null, 3, 5, 2, null], "minimize"), [null, 3, 3, 2, 2]);
    assert.deepEqual(bestSoFar([1, 3, 2], "maximize"), [1, 3, 3]);
  });

  it("summarises regret per budget as median and quartiles over seeds, and overhead as medians", () => {
    const report = summarizeProblem(problem, runs, [1, 2, 4]);
    assert.equal(report.metric, "regret");
    const ours = report.summaries[0]!;
    assert.deepEqual([ours.engine, ours.sampler, ours.seeds, ours.failedTrials], ["scaletune", "random", 3, 1]);
    // Budget 1: seed 1 has no complete trial yet, so 2 runs: regrets 4 and 3.
    assert.deepEqual(ours.budgets[0], { budget: 1, runs: 2, q25: 3.25, median: 3.5, q75: 3.75, meanBest: 4.5 });
    // Budget 4: bests 2, 1.5, 4 → regrets 1, 0.5, 3.
    assert.deepEqual(ours.budgets[2], { budget: 4, runs: 3, q25: 0.75, median: 1, q75: 2, meanBest: 2.5 });
    assert.equal(ours.askMs, 2);
    assert.deepEqual(report.summaries.map((s) => `${s.engine}/${s.sampler}`), ["scaletune/random", "optuna/random", "optuna/tpe"]);
    assert.equal(summarizeProblem({ ...problem, optimum: null }, runs, [4]).metric, "best value");
    assert.equal(summarizeProblem({ ...problem, regretScale: 10 }, runs, [4]).summaries[0]!.budgets[0]!.median, 0.1);
  });

  it("pairs each scaletune sampler with Optuna's namesake, Sobol with QMC, else TPE", () => {
    assert.equal(optunaCounterpart("random", ["tpe", "random"]), "random");
    assert.equal(optunaCounterpart("sobol", ["tpe", "qmc"]), "qmc");
    assert.equal(optunaCounterpart("gp", ["random", "tpe"]), "tpe");
    assert.equal(optunaCounterpart("gp", ["cmaes"]), "cmaes");
    assert.equal(optunaCounterpart("gp", []), null);
  });

  it("prints one markdown table per problem with Optuna rows and scaletune ÷ Optuna ratios", () => {
    const report: BenchReport = {
      version: 1, trials: 4, seeds: [0, 1, 2], budgets: [2, 4], parallel: 2, optuna: "3.1.0", wallSeconds: 1.5,
      problems: [summarizeProblem(problem, runs, [2, 4])],
    };
    const text = formatReport(report);
    assert.match(text, /^# scaletune bench: 4 trials, seeds 0–2, budgets 2, 4, vs Optuna 3\.1\.0$/m);
    assert.match(text, /^\| engine \| sampler \| seeds \| regret@2 \| regret@4 \| ask ms \(median\) \| wall s \/ run \(median\) \|$/m);
    assert.match(text, /^\| scaletune \| random \(1 failed trials\) \| 3 \| 3 \[2\.5, 5\.5\] \| 1 \[0\.75, 2\] \| 2\.000 \| 1\.00 \|$/m);
    // Budget 2: our regrets 2, 8, 3 (median 3) against Optuna random's 5; budget 4: 1 against 2; ask 2 ms against 10.
    assert.match(text, /^\| random \| random \| 0\.6 \| 0\.5 \| 0\.2 \|$/m);
  });
});
