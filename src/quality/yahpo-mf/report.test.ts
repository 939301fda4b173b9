import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { epochLadder } from "../problems/yahpo-mf.js";
import type { YahpoMfProblem } from "../problems/yahpo-mf.js";
import { defaultMethods } from "./methods.js";
import { formatYahpoMfReport, summarizeYahpoMf } from "./report.js";
import type { YahpoMfRunResult } from "./run.js";

/** The fields a report reads; the objective is never called. */
const problem = {
  name: "yahpo-mf:lcbench:3945",
  scenario: "lcbench",
  instance: "3945",
  target: "val_accuracy",
  direction: "maximize",
  dimension: 7,
  ladder: epochLadder("epoch", 1, 52),
  budget: 6544,
  range: { min: 0, max: 100 },
  description: "lcbench 3945",
} as YahpoMfProblem;

const xgboost = { ...problem, name: "yahpo-mf:rbv2_xgboost:12", scenario: "rbv2_xgboost", instance: "12" } as YahpoMfProblem;

const [random, median] = defaultMethods(problem.ladder);

function run(method: string, seed: number, regretAt: (number | null)[], trials = 100, pruned = 0, name = problem.name): YahpoMfRunResult {
  return { problem: name, method, sampler: "", pruner: "", seed, budget: 6544, spent: 6544, regretAt, incumbent: [], trials, pruned, evaluations: trials, wallMs: 1000 * (seed + 1), warnings: [] };
}

const published = (panels: Record<string, Record<string, number[]>>) => ({
  state: "read" as const,
  path: "p.json",
  optimizers: ["Random", "optuna"],
  panels: new Map(Object.entries(panels).map(([panel, values]) => [panel, new Map(Object.entries(values))])),
});

describe("multi-fidelity YAHPO report", () => {
  const runs = [
    run(random!.label, 0, [0.2, 0.2, 0.1, 0.1]),
    run(random!.label, 1, [0.4, 0.2, 0.2, 0.1]),
    run(median!.label, 0, [null, 0.05, 0.05, 0.01], 300, 150),
    run(median!.label, 1, [0.1, 0.1, 0.03, 0.03], 200, 50),
  ];
  // On rbv2_xgboost 12 both of ours beat both published optimizers everywhere (rank 1).
  const xgboostRuns = [run(random!.label, 0, [0, 0, 0, 0], 100, 0, xgboost.name), run(median!.label, 0, [0, 0, 0, 0], 100, 0, xgboost.name)];
  const results = {
    problems: [
      { problem, methods: [random!, median!], runs },
      { problem: xgboost, methods: [random!, median!], runs: xgboostRuns },
    ],
    published: published({
      "lcbench 3945": { Random: [0.5, 0.4, 0.3, 0.2], optuna: [0.08, 0.06, 0.04, 0.02] },
      "rbv2_xgboost 12": { Random: [1, 1, 1, 1], optuna: [1, 1, 1, 1] },
    }),
    seeds: [0, 1],
    budgetFraction: 1,
    parallel: 2,
    wallSeconds: 3,
  };
  const report = summarizeYahpoMf(results);

  it("averages each fraction over the runs that had evaluated something by then, with its standard error", () => {
    const [r, m] = report.problems[0]!.summaries;
    assert.deepEqual(r!.meanRegret.map((v) => Number(v!.toFixed(12))), [0.3, 0.2, 0.15, 0.1]);
    // sd of {0.2, 0.4} is 0.1414…, over √2: 0.1.
    assert.ok(Math.abs(r!.standardError[0]! - 0.1) < 1e-12);
    assert.deepEqual([m!.meanRegret[0], m!.standardError[0], m!.trials, m!.prunedPercent, m!.wallMs], [0.1, null, 250, 37.5, 1500]);
  });

  it("ranks against the published optimizers and sets our Random beside the paper's", () => {
    // On lcbench 3945, Random's 0.3, 0.2, 0.15, 0.1 and tpe + median's 0.1, 0.075 lie between the paper's optuna and
    // Random (rank 2); tpe + median's 0.04 and 0.02 tie optuna's (1.5).
    const lcbench = report.ranksByScenario.lcbench!;
    assert.deepEqual(lcbench.ours.map((o) => [o.method, o.meanRank]), [["random + none", [2, 2, 2, 2]], ["tpe + median", [2, 2, 1.5, 1.5]]]);
    assert.deepEqual(report.ranksByScenario.rbv2_xgboost!.ours.map((o) => o.meanRank), [[1, 1, 1, 1], [1, 1, 1, 1]]);
    // Both instances: the means of the two.
    assert.deepEqual(report.ranks!.ours.map((o) => [o.method, o.meanRank]), [["random + none", [1.5, 1.5, 1.5, 1.5]], ["tpe + median", [1.5, 1.5, 1.25, 1.25]]]);
    assert.deepEqual(report.ranks!.counterparts, { "random + none": "Random", "tpe + median": "optuna" });
    const text = formatYahpoMfReport(report);
    assert.match(text, /^## Mean rank among the paper's optimizers \(2 instances\)$/m);
    assert.match(text, /^### lcbench only \(1 instance\)\n\n[^\n]+\n[^\n]+\n\| random \+ none \| 2\.00 \| 2\.00 \| 2\.00 \| 2\.00 \| Random 3\.00 \| Random 3\.00 \| Random \| Random \|$/m);
    assert.match(text, /^\| tpe \+ median \| 2\.00 \| 2\.00 \| 1\.50 \| 1\.50 \| optuna 1\.00 \| optuna 1\.50 \| Random \| Random \|$/m);
    assert.match(text, /^### rbv2_xgboost only \(1 instance\)$/m);
    assert.match(text, /## Normalisation check: our Random against the paper's[\s\S]*^\| yahpo-mf:lcbench:3945 \| 0\.3 \| 0\.5 \| 0\.1 \| 0\.2 \|$/m);
    assert.match(text, /^\| tpe \+ median \| median \| 2 \| 0\.1 \| 0\.075 \| 0\.04 \| 0\.02 \| 2\.00 \| 1\.50 \| 250 \| 38 \| 1\.5 \|$/m);
  });

  it("says when the runs spent only a fraction of the protocol's budget", () => {
    assert.doesNotMatch(formatYahpoMfReport(report), /quick check/);
    const quick = summarizeYahpoMf({ ...results, budgetFraction: 0.05 });
    assert.equal(quick.budgetFraction, 0.05);
    assert.ok(Math.abs(quick.problems[0]!.budget - 327.2) < 1e-9, "5 % of lcbench's 6544 epochs");
    assert.match(formatYahpoMfReport(quick), /^\*\*A quick check: runs spent 5 % of the protocol's budget, so nothing here compares with the paper\.\*\*$/m);
  });
});
