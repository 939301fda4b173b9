import assert from "node:assert/strict";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { firstStepAtOrPast } from "../../core/curve.js";
import { HyperbandPruner } from "../../pruners/hyperband.js";
import { prunerFromSpec } from "../../pruners/registry.js";
import { rungResource } from "../../pruners/rungs.js";
import { FixedTrial } from "../../study/trial.js";
import { tempDir } from "../../testing/temp.js";
import { YAHPO_DIR, yahpoUnavailable } from "./yahpo-availability.js";
import { epochLadder, geometricLadder, loadYahpoMfProblem, protocolBudget, rungCount, yahpoMfProblemNames, type FidelityLadder } from "./yahpo-mf.js";
import { yahpoProblem } from "./yahpo.js";

const skip = await yahpoUnavailable();

/** The step at which each Hyperband bracket first prunes, on a trial that reports every step of the ladder. */
function bracketRungs(ladder: FidelityLadder): number[] {
  const pruner = prunerFromSpec(ladder.hyperband) as HyperbandPruner;
  const brackets = pruner.bracketCount({ trials: () => [] })!;
  const curve = new Map(ladder.steps.map((s) => [s, 0]));
  return Array.from({ length: brackets }, (_, b) => {
    const resource = rungResource({ minResource: pruner.minResource, reductionFactor: pruner.reductionFactor, minEarlyStoppingRate: b }, 0);
    return firstStepAtOrPast(curve, resource)!;
  });
}

const LCBENCH_DEFAULTS = { batch_size: 91, learning_rate: 0.0031622777, max_dropout: 0.5, max_units: 256, momentum: 0.545, num_layers: 3, weight_decay: 0.050005 };

describe("multi-fidelity YAHPO problems", () => {
  it("budgets ceil(20·F + √d·F·40) fidelity units, as the paper's run_mf.R", () => {
    // lcbench: F = 52 epochs, d = 7: 1040 + 2.6457513…·2080 = 6543.16 → 6544.
    assert.equal(protocolBudget(52, 7), 6544);
    // rbv2_xgboost: F = trainsize 1, d = 14: 20 + 3.7416574…·40 = 169.67 → 170.
    assert.equal(protocolBudget(1, 14), 170);
  });

  it("puts rbv2's trainsize on the ladder 1/27, 1/9, 1/3, 1 as steps 1, 3, 9, 27, each a training of its own", () => {
    assert.equal(rungCount(0.03, 1), 4);
    assert.equal(rungCount(1 / 27, 1), 4, "an exact power of 3 is a rung");
    assert.equal(rungCount(0.04, 1), 3);
    const ladder = geometricLadder("trainsize", 0.03, 1);
    assert.deepEqual(ladder.steps, [1, 3, 9, 27]);
    assert.deepEqual(ladder.fidelities, [1 / 27, 1 / 9, 1 / 3, 1]);
    assert.deepEqual([ladder.stepsPerUnit, ladder.stepCost], [27, "retrained"]);
    assert.equal(ladder.hyperband, "hyperband:minResource=1,maxResource=27,reductionFactor=3");
    // Hyperband's four brackets start pruning at the four rungs.
    assert.deepEqual(bracketRungs(ladder), [1, 3, 9, 27]);
    assert.deepEqual(geometricLadder("trainsize", 0.1, 2).fidelities, [2 / 9, 2 / 3, 2]);
  });

  it("reports every lcbench epoch from one training run, with Hyperband's brackets on the paper's rungs 52·3^−k", () => {
    const ladder = epochLadder("epoch", 1, 52);
    assert.equal(ladder.steps.length, 52);
    assert.deepEqual([ladder.steps[0], ladder.steps.at(-1), ladder.stepsPerUnit, ladder.stepCost], [1, 52, 1, "continued"]);
    assert.equal(ladder.hyperband, `hyperband:minResource=${52 / 27},maxResource=52,reductionFactor=3`);
    // Rungs 1.93, 5.78, 17.3 and 52, reached at the first whole epoch at or past each.
    assert.deepEqual(bracketRungs(ladder), [2, 6, 18, 52]);
    assert.throws(() => epochLadder("epoch", 0.5, 52), /must range over whole numbers from 1 up/);
  });

  it("expands the group, keeps names distinct and explains a malformed one", () => {
    assert.deepEqual(yahpoMfProblemNames(["yahpo-mf", "yahpo-mf:lcbench:167168"]), [
      "yahpo-mf:lcbench:167168", "yahpo-mf:lcbench:189873", "yahpo-mf:lcbench:189906",
      "yahpo-mf:rbv2_xgboost:12", "yahpo-mf:rbv2_xgboost:1501", "yahpo-mf:rbv2_xgboost:16", "yahpo-mf:rbv2_xgboost:40499",
    ]);
    assert.throws(() => yahpoMfProblemNames(["yahpo-mf:lcbench"]), /problem "yahpo-mf:lcbench": write yahpo-mf:<scenario>:<instance>, e\.g\. yahpo-mf:lcbench:167168, or the group yahpo-mf/);
  });

  it("loads lcbench with the protocol's numbers; its epoch 52 is the full-fidelity problem's value", { skip }, async () => {
    const problem = await loadYahpoMfProblem(`yahpo-mf:${join(YAHPO_DIR, "lcbench")}:167168`);
    assert.deepEqual([problem.scenario, problem.target, problem.direction, problem.dimension, problem.budget], ["lcbench", "val_accuracy", "maximize", 7, 6544]);
    assert.deepEqual(problem.range, { min: 14.945163, max: 87.94883 });
    assert.ok(Math.abs(problem.normalizedRegret(87.94883 - 7.3003667) - 0.1) < 1e-12);
    const full = await (await yahpoProblem(join(YAHPO_DIR, "lcbench"), "167168")).objectiveFor(0)(new FixedTrial(LCBENCH_DEFAULTS));
    const curve = new FixedTrial(LCBENCH_DEFAULTS);
    assert.equal(await problem.objective(problem.ladder.steps)(curve), full);
    assert.deepEqual([...curve.intermediateValues.keys()], problem.ladder.steps);
    assert.equal(curve.intermediateValues.get(52), full);
    assert.notEqual(curve.intermediateValues.get(1), full, "epoch 1 is another prediction");
    assert.throws(() => problem.objective([53]), /has no step 53; its steps: 1, 2, 3/);
  });

  it("loads rbv2_xgboost with d = 14 (repl and trainsize are fidelities), budget 170 and its trainsize ladder", { skip }, async () => {
    const problem = await loadYahpoMfProblem("yahpo-mf:rbv2_xgboost:40499");
    assert.deepEqual([problem.target, problem.dimension, problem.budget, problem.ladder.steps], ["acc", 14, 170, [1, 3, 9, 27]]);
    const config = { booster: "gbtree", nrounds: 500, eta: 0.1, gamma: 0.01, lambda: 1, alpha: 1, subsample: 0.8, max_depth: 6, min_child_weight: 3,
      colsample_bytree: 0.8, colsample_bylevel: 0.8, "num.impute.selected.cpo": "impute.mean" };
    const trial = new FixedTrial(config);
    const value = await problem.objective([1, 3, 9, 27])(trial);
    const full = await (await yahpoProblem("rbv2_xgboost", "40499")).objectiveFor(0)(new FixedTrial(config));
    assert.equal(value, full);
    assert.notEqual(trial.intermediateValues.get(1), full, "1/27 of the data predicts another accuracy");
  });

  it("names the missing data: a scenario folder, or the min/max statistics that normalise regret", { skip }, async () => {
    await assert.rejects(loadYahpoMfProblem("yahpo-mf:nb301:CIFAR10"), /problem "yahpo-mf:nb301:…" needs the benchmark data in .*nb301/);
    // The lcbench files without the global_statistics folder next to them.
    const dir = tempDir("scaletune-yahpo-mf-");
    try {
      mkdirSync(dir.file("lcbench"));
      for (const file of ["config_space.json", "encoding.json", "model.onnx"]) symlinkSync(join(YAHPO_DIR, "lcbench", file), join(dir.file("lcbench"), file));
      await assert.rejects(
        loadYahpoMfProblem(`yahpo-mf:${dir.file("lcbench")}:167168`),
        /reports normalised regret, which needs the min and max of val_accuracy on instance 167168 in global_statistics\/instance_target_statistics\.csv/,
      );
    } finally {
      dir.remove();
    }
  });
});
