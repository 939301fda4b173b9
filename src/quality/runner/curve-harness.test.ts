import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../testing/temp.js";
import { formatCurveReport } from "../curves/report.js";
import { DEFAULT_EPOCH_BUDGET } from "../problems/curves.js";
import { runCurveBench, type CurveBenchOptions } from "./curve-harness.js";

let dir: TempDir;
let base: CurveBenchOptions;

/** An anchored run as bench_pruning.py writes it. */
function anchorLine(sampler: string, pruner: string, seed: number, budget = 2700): string {
  return JSON.stringify({
    curve: "crossing", sampler, pruner, seed, budget,
    best_at_epochs: { "270": 0.09, "675": 0.07, "1350": 0.06, "2700": 0.058 },
    total_epochs: budget, n_trials: 100, states: { COMPLETE: 100 },
    best_value: 0.058, best_trial_true_asymptote: 0.06, wall_s: 0.1, log_warnings: {},
  });
}

before(() => {
  dir = tempDir("scaletune-curve-harness-");
  // Seeds 0 and 1 match ours; seed 7, tpe and the benign curve are not in the runs asked for.
  const lines = [anchorLine("random", "nop", 0), anchorLine("random", "nop", 1), anchorLine("random", "nop", 7), anchorLine("tpe", "nop", 0)];
  writeFileSync(dir.file("pruning.jsonl"), `${lines.join("\n")}\n${anchorLine("random", "nop", 0).replace('"crossing"', '"benign"')}\n`);
  base = { problems: ["curves:crossing"], samplers: ["random"], pruners: ["none"], seeds: 2, epochBudget: DEFAULT_EPOCH_BUDGET, parallel: 2, anchorPath: dir.file("pruning.jsonl") };
});
after(() => dir.remove());

describe("curve benchmark harness", () => {
  it("rejects bad input before running anything, with one clear message", async () => {
    const rejects = (options: Partial<CurveBenchOptions>, message: RegExp) =>
      assert.rejects(runCurveBench({ ...base, ...options }), (e: Error) => e.name === "ConfigError" && message.test(e.message));
    await rejects({ problems: ["curves:wiggly"] }, /unknown curve problem "curves:wiggly"/);
    await rejects({ samplers: ["annealing"] }, /unknown sampler "annealing"/);
    await rejects({ samplers: ["grid"] }, /grid sampler needs a grid/);
    await rejects({ samplers: [] }, /no sampler to run; pass --samplers/);
    await rejects({ pruners: ["psychic"] }, /unknown pruner "psychic"/);
    await rejects({ pruners: [" "] }, /no pruner to run; pass --pruners/);
    await rejects({ epochBudget: 26 }, /--epoch-budget 26 must be a whole number of epochs of at least 27 \(one full-length trial\)/);
    await rejects({ anchorPath: dir.file("pruning.jsonl/x") }, /cannot read Optuna's pruning anchor/);
  });

  it("runs every sampler × pruner × seed and adds the anchor's runs of the same problem, sampler, pruner, budget and seeds", async () => {
    const report = await runCurveBench(base);
    assert.deepEqual([report.kind, report.epochBudget, report.marks, report.seeds, report.parallel], ["curves", 2700, [270, 675, 1350, 2700], [0, 1], 2]);
    assert.equal(report.anchor.state, "read");
    const [problem] = report.problems;
    assert.deepEqual(problem!.runs.map((r) => [r.engine, r.sampler, r.pruner, r.seed]), [
      ["scaletune", "random", "none", 0],
      ["scaletune", "random", "none", 1],
      ["optuna", "random", "nop", 0],
      ["optuna", "random", "nop", 1],
    ]);
    assert.deepEqual(problem!.summaries.map((s) => `${s.engine}/${s.pruner}/${s.seeds}/${s.trials}`), ["scaletune/none/2/100", "optuna/nop/2/100"]);
    assert.match(formatCurveReport(report), /^\| random \| none \| random \+ nop \|( [^|]+ \|){4}$/m);
  });

  it("shows no Optuna rows, and says why, when the anchor ran another budget or is absent", async () => {
    const other = await runCurveBench({ ...base, seeds: 1, epochBudget: 270 });
    assert.deepEqual(other.problems[0]!.runs.map((r) => r.engine), ["scaletune"]);
    assert.match(formatCurveReport(other), /No anchored Optuna row for random \+ none: .* with an epoch budget of 2700, not 270\./);
    const absent = await runCurveBench({ ...base, seeds: 1, epochBudget: 270, anchorPath: dir.file("absent.jsonl") });
    assert.deepEqual(absent.anchor, { state: "absent", path: dir.file("absent.jsonl") });
    assert.match(formatCurveReport(absent), /No Optuna rows: the anchor file .*absent\.jsonl is absent/);
  });
});
