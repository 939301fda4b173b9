import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../testing/temp.js";
import { sharedAnchorPath } from "../problems/data-paths.js";
import { PRUNING_ANCHOR_FILE, readPruningAnchor } from "./anchor.js";
import { summarizeCurves, summaryCells } from "./report.js";
import { epochMarks } from "./run.js";

/** A line as bench_pruning.py writes it (json.dumps of its result dict). */
function line(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    curve: "crossing", sampler: "tpe", pruner: "median", seed: 0, budget: 2700,
    best_at_epochs: { "270": 0.1, "675": 0.07, "1350": 0.06, "2700": 0.055 },
    total_epochs: 2721, n_trials: 234, states: { COMPLETE: 50, PRUNED: 184 },
    best_value: 0.055, best_trial_true_asymptote: 0.058, wall_s: 1.8, log_warnings: {},
    ...over,
  });
}

let dir: TempDir;
before(() => (dir = tempDir("scaletune-curve-anchor-")));
after(() => dir.remove());

describe("Optuna's pruning anchor", () => {
  it("reads bench_pruning.py's lines into runs, Python's Infinity (no complete trial yet) as null", () => {
    const path = dir.file("pruning.jsonl");
    const infinite = line({ sampler: "random", pruner: "sha", seed: 3, states: { COMPLETE: 100 } }).replace('"270":0.1', '"270": Infinity');
    writeFileSync(path, `${line()}\n\n${infinite}\n`);
    const { status, runs } = readPruningAnchor(path);
    assert.deepEqual(status, { state: "read", path, samplers: ["tpe", "random"], pruners: ["median", "sha"], budgets: [2700] });
    assert.deepEqual(runs[0], {
      problem: "curves:crossing", engine: "optuna", sampler: "tpe", pruner: "median", seed: 0, epochBudget: 2700,
      bestAt: [{ epochs: 270, best: 0.1 }, { epochs: 675, best: 0.07 }, { epochs: 1350, best: 0.06 }, { epochs: 2700, best: 0.055 }],
      totalEpochs: 2721, trials: 234, pruned: 184, bestValue: 0.055, bestAsymptote: 0.058, wallMs: 1800, progress: [], warnings: [],
    });
    assert.equal(runs[1]!.bestAt[0]!.best, null);
    assert.equal(runs[1]!.pruned, 0, "no PRUNED count: none pruned");
  });

  it("treats an absent file as a state and a malformed one as an error naming the line", () => {
    assert.deepEqual(readPruningAnchor(dir.file("missing.jsonl")), { status: { state: "absent", path: dir.file("missing.jsonl") }, runs: [] });
    const bad = dir.file("bad.jsonl");
    writeFileSync(bad, `${line()}\n{"curve": \n`);
    assert.throws(() => readPruningAnchor(bad), (e: Error) => e.name === "ConfigError" && /bad\.jsonl, line 2 is not JSON/.test(e.message));
    writeFileSync(bad, `${line({ n_trials: "many" })}\n`);
    assert.throws(() => readPruningAnchor(bad), (e: Error) => e.name === "ConfigError" && /line 1: "n_trials" must be a whole number/.test(e.message));
  });

  const results = sharedAnchorPath("optuna", "RESULTS.md");
  const skip = existsSync(PRUNING_ANCHOR_FILE) && existsSync(results) ? false : `the shared anchors are absent (${PRUNING_ANCHOR_FILE}); ../shared must sit next to the project`;
  it("reproduces every row of the anchor's RESULTS.md table (d) from the real file", { skip }, () => {
    const { status, runs } = readPruningAnchor();
    assert.deepEqual(status.state === "read" && [runs.length, status.samplers, status.pruners, status.budgets], [
      200, ["tpe", "random"], ["nop", "median", "median_w5", "hyperband", "sha"], [2700],
    ]);
    // | crossing | tpe | nop | 10 | 0.0906 [0.0772, 0.1086] | … | 100 | 0 | 0.0517 [0.0516, 0.0530] | 0.6 |
    const rows = readFileSync(results, "utf8").split("\n").filter((l) => /^\| (crossing|benign) \| /.test(l));
    assert.equal(rows.length, 20);
    for (const row of rows) {
      const [curve, sampler, pruner, ...cells] = row.slice(2, -2).split(" | ");
      const group = runs.filter((r) => r.problem === `curves:${curve}` && r.sampler === sampler && r.pruner === pruner);
      const [summary] = summarizeCurves(group, epochMarks(2700));
      assert.deepEqual(summaryCells(summary!), cells, row);
    }
  });
});
