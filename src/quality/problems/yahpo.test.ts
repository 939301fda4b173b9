import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FixedTrial } from "../../study/trial.js";
import { YAHPO_DIR, yahpoUnavailable } from "./yahpo-availability.js";
import { loadYahpoModel, parseConfigSpace, suggestConfig, yahpoProblem } from "./yahpo.js";

const CONFIG_SPACE = {
  hyperparameters: [
    { name: "rate_drop", type: "uniform_float", log: false, lower: 0, upper: 1 },
    { name: "booster", type: "categorical", choices: ["gblinear", "gbtree", "dart"] },
    { name: "eta", type: "uniform_float", log: true, lower: 1e-3, upper: 1 },
    { name: "task_id", type: "categorical", choices: ["3", "12"] },
    { name: "nrounds", type: "uniform_int", log: true, lower: 7, upper: 2981 },
  ],
  conditions: [
    { child: "rate_drop", parent: "booster", type: "EQ", value: "dart" },
    { child: "eta", parent: "booster", type: "IN", values: ["dart", "gbtree"] },
  ],
};

const yahpo = YAHPO_DIR;
const skipData = existsSync(join(yahpo, "lcbench", "model.onnx")) && existsSync(join(yahpo, "rbv2_xgboost", "model.onnx")) ? false : `no YAHPO data in ${yahpo}`;
const skipOnnx = await yahpoUnavailable();

describe("YAHPO Gym surrogates", () => {
  it("reads a ConfigSpace: drops instance/fidelity parameters, puts children after parents, honours EQ and IN", () => {
    const space = parseConfigSpace(CONFIG_SPACE, ["task_id"], "fixture");
    assert.deepEqual(space.params.map((p) => p.name), ["booster", "nrounds", "rate_drop", "eta"]);
    assert.deepEqual(space.choices.get("task_id"), ["3", "12"]);
    const linear = suggestConfig(new FixedTrial({ booster: "gblinear", nrounds: 100 }), space);
    assert.deepEqual([...linear], [["booster", "gblinear"], ["nrounds", 100]]);
    const tree = suggestConfig(new FixedTrial({ booster: "gbtree", nrounds: 7, eta: 0.1 }), space);
    assert.deepEqual([...tree.keys()], ["booster", "nrounds", "eta"]);
    const dart = suggestConfig(new FixedTrial({ booster: "dart", nrounds: 7, eta: 0.1, rate_drop: 0.5 }), space);
    assert.deepEqual([...dart.keys()], ["booster", "nrounds", "rate_drop", "eta"]);
    // A log int range stays a log int range.
    assert.throws(() => suggestConfig(new FixedTrial({ booster: "gblinear", nrounds: 3000 }), space), /not in int \[7, 2981\] log/);
  });

  it("rejects what it cannot represent, naming the file", () => {
    const bad = (raw: unknown) => () => parseConfigSpace(raw, [], "cs.json");
    assert.throws(bad({}), /malformed ConfigSpace file cs\.json: no hyperparameters/);
    assert.throws(bad({ hyperparameters: [{ name: "x", type: "normal_float" }] }), /"x" has type "normal_float"/);
    assert.throws(bad({ ...CONFIG_SPACE, conditions: [{ child: "eta", parent: "booster", type: "GT", value: 1 }] }), /"GT" on "eta"/);
    assert.throws(bad({ ...CONFIG_SPACE, conditions: [{ child: "eta", parent: "nope", type: "EQ", value: 1 }] }), /unknown parameter/);
  });

  it("encodes rbv2_xgboost inputs: fidelities at maximum, inactive parameters as 0 / #na#", { skip: skipOnnx }, async () => {
    const model = await loadYahpoModel(join(yahpo, "rbv2_xgboost"), "12");
    assert.equal(model.target, "acc");
    assert.equal(model.direction, "maximize");
    const config = new Map<string, number | string>([
      ["booster", "gblinear"], ["nrounds", 144], ["lambda", 1], ["alpha", 2], ["subsample", 0.5], ["num.impute.selected.cpo", "impute.hist"],
    ]);
    const inputs = model.encode(config);
    // nrounds eta gamma lambda alpha subsample max_depth min_child_weight colsample_bytree colsample_bylevel rate_drop skip_drop trainsize repl
    assert.deepEqual([...inputs.continuous], [144, 0, 0, 1, 2, 0.5, 0, 0, 0, 0, 0, 0, 1, 10]);
    // task_id "12" → 11, booster gblinear → 2, impute.hist → 1 (encoding.json)
    assert.deepEqual([...inputs.categorical], [11, 2, 1]);
    await assert.rejects(loadYahpoModel(join(yahpo, "rbv2_xgboost"), "999999"), /has no instance "999999"; its instances: 16, 40923/);
  });

  it("evaluates the lcbench surrogate at epoch 52 and normalises regret with the instance's min and max", { skip: skipOnnx }, async () => {
    const problem = await yahpoProblem(join(yahpo, "lcbench"), "167168");
    assert.equal(problem.direction, "maximize");
    assert.equal(problem.optimum, 87.94883);
    assert.ok(Math.abs(problem.regretScale - (87.94883 - 14.945163)) < 1e-9);
    const defaults = { batch_size: 91, learning_rate: 0.0031622777, max_dropout: 0.5, max_units: 256, momentum: 0.545, num_layers: 3, weight_decay: 0.050005 };
    const objective = problem.objectiveFor(0);
    const value = await objective(new FixedTrial(defaults));
    assert.ok(value > 14.945163 && value < 87.94883, `val_accuracy ${value} outside the instance's range`);
    assert.equal(await objective(new FixedTrial(defaults)), value);
    const heavyDecay = await objective(new FixedTrial({ ...defaults, weight_decay: 0.1 }));
    assert.notEqual(heavyDecay, value);
  });
});
