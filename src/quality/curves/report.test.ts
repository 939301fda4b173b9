import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AnchorStatus } from "./anchor.js";
import { formatCurveReport, summarizeCurves, type CurveBenchReport } from "./report.js";
import type { CurveRunResult } from "./run.js";

const MARKS = [270, 675, 1350, 2700];

function run(engine: CurveRunResult["engine"], sampler: string, pruner: string, seed: number, bests: (number | null)[], trials: number, pruned: number): CurveRunResult {
  return {
    problem: "curves:crossing", engine, sampler, pruner, seed, epochBudget: 2700,
    bestAt: MARKS.map((epochs, i) => ({ epochs, best: bests[i]! })),
    totalEpochs: 2700, trials, pruned, bestValue: bests.at(-1)!, bestAsymptote: bests.at(-1)! + 0.004, wallMs: 500 + seed * 100,
    progress: [], warnings: [],
  };
}

const runs = [
  run("scaletune", "random", "none", 0, [0.09, 0.07, 0.06, 0.058], 100, 0),
  run("scaletune", "random", "none", 1, [0.1, 0.08, 0.065, 0.06], 100, 0),
  run("scaletune", "random", "none", 2, [0.08, 0.07, 0.062, 0.05], 100, 0),
  run("scaletune", "random", "median", 0, [null, 0.08, 0.07, 0.07], 900, 870),
  run("scaletune", "random", "median", 1, [0.12, 0.09, 0.08, 0.07], 1100, 1078),
  run("optuna", "random", "nop", 0, [0.09, 0.072, 0.0586, 0.0586], 100, 0),
  run("optuna", "random", "nop", 1, [0.09, 0.072, 0.0586, 0.0586], 100, 0),
];

function report(anchor: AnchorStatus): CurveBenchReport {
  return {
    version: 1, kind: "curves", epochBudget: 2700, marks: MARKS, seeds: [0, 1, 2], parallel: 2, wallSeconds: 3.2, anchor,
    problems: [{ name: "curves:crossing", description: "Crossing curves", summaries: summarizeCurves(runs, MARKS), runs }],
  };
}

const READ: AnchorStatus = { state: "read", path: "/x/pruning.jsonl", samplers: ["tpe", "random"], pruners: ["nop", "median_w5"], budgets: [2700] };

describe("curve benchmark report", () => {
  it("summarises per engine, sampler and pruner: quartiles per mark over the runs with a complete trial, medians of the rest", () => {
    const [none, median, nop] = summarizeCurves(runs, MARKS);
    assert.deepEqual([none!.engine, none!.sampler, none!.pruner, none!.seeds], ["scaletune", "random", "none", 3]);
    const [first] = none!.marks;
    assert.deepEqual([first!.epochs, first!.runs], [270, 3]);
    assert.ok(Math.abs(first!.best!.q25 - 0.085) < 1e-12 && first!.best!.median === 0.09 && first!.best!.q75 === 0.095, JSON.stringify(first));
    assert.deepEqual(median!.marks[0], { epochs: 270, runs: 1, best: { q25: 0.12, median: 0.12, q75: 0.12 } });
    assert.equal(median!.trials, 1000);
    assert.ok(Math.abs(median!.prunedPercent - (96.667 + 98) / 2) < 1e-3);
    assert.equal(none!.wallMs, 600);
    assert.deepEqual([nop!.engine, nop!.pruner, nop!.seeds], ["optuna", "nop", 2]);
  });

  it("prints each of our rows followed by its anchored Optuna row, ratios, and what has no counterpart", () => {
    const text = formatCurveReport(report(READ));
    assert.match(text, /^# scaletune bench: learning curves, epoch budget 2700, seeds 0–2, marks 270, 675, 1350, 2700 epochs$/m);
    assert.match(text, /^\| engine \| sampler \| pruner \| seeds \| best @270 ep \| best @675 ep \| best @1350 ep \| best @2700 ep \| trials run \| % pruned \| true f\(x\) of best \| wall s \|$/m);
    const rows = text.split("\n").filter((l) => /^\| (scaletune|optuna)/.test(l));
    assert.deepEqual(rows.map((r) => r.split(" | ").slice(0, 3).join(" ")), ["| scaletune random none", "| optuna (anchor) random nop", "| scaletune random median"]);
    assert.equal(rows[0], "| scaletune | random | none | 3 | 0.0900 [0.0850, 0.0950] | 0.0700 [0.0700, 0.0750] | 0.0620 [0.0610, 0.0635] | 0.0580 [0.0540, 0.0590] | 100 | 0 | 0.0620 [0.0580, 0.0630] | 0.6 |");
    assert.match(rows[2]!, /^\| scaletune \| random \| median \| 2 \| 0\.1200 \[0\.1200, 0\.1200\] \(1 of 2 runs\) \| /);
    // ours ÷ Optuna's median: 0.09/0.09, 0.07/0.072, 0.062/0.0586, 0.058/0.0586
    assert.match(text, /^\| random \| none \| random \+ nop \| 1 \| 0\.972 \| 1\.06 \| 0\.99 \|$/m);
    assert.match(text, /^No anchored Optuna row for random \+ median: the anchor ran samplers tpe, random with pruners nop \(none\), median_w5 \(median:nWarmupSteps=5\)\.$/m);
  });

  it("says so when the anchor file is absent", () => {
    const text = formatCurveReport(report({ state: "absent", path: "/x/pruning.jsonl" }));
    assert.match(text, /^No Optuna rows: the anchor file \/x\/pruning\.jsonl is absent \(the workplace's shared folder must sit next to the project, as \.\.\/shared\)\.$/m);
  });

  it("names the anchor's budget when ours differs", () => {
    const text = formatCurveReport({ ...report(READ), epochBudget: 1000 });
    assert.match(text, /with an epoch budget of 2700, not 1000\.$/m);
  });
});
