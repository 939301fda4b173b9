import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { mean } from "../../math/statistics.js";
import { FixedTrial } from "../../study/trial.js";
import { loadProblem } from "./catalog.js";
import { SHARED_DIR } from "./data-paths.js";
import { NumpyRandomState } from "./numpy-random.js";
import { PUBLISHED_NAVAL } from "./published.js";

const data = join(SHARED_DIR, "data");
const present = existsSync(join(data, "tabular", "hpolib_naval_propulsion.json.gz")) && existsSync(join(data, "published", "optuna_gp_sampler_values.json"));
const skip = present ? false : `no shared data in ${data}`;

/** The best single-seed configuration, "100000025": ln(MSE) −10.60497 with table seed 0. */
const BEST = {
  init_lr_index: 0, lr_schedule: "cosine", batch_size_index: 0, activation_fn_1: "tanh", activation_fn_2: "relu",
  dropout_1_index: 0, dropout_2_index: 0, n_units_1_index: 2, n_units_2_index: 5,
};

describe("published:naval (Optuna's published GPSampler benchmark objective)", { skip }, () => {
  it("is ln(valid MSE) of the table seed numpy's RandomState(seed).randint(4) draws for the trial's number", async () => {
    const problem = await loadProblem(PUBLISHED_NAVAL);
    assert.ok(Math.abs(problem.optimum! - -10.60496711730957) < 1e-6);
    const objective = problem.objectiveFor(0);
    // RandomState(0).randint(4) draws 0, 3, 1, 0, …: trials 0 and 3 see table seed 0, where this configuration is best.
    assert.equal(await objective(new FixedTrial(BEST, 3)), problem.optimum);
    assert.equal(await objective(new FixedTrial(BEST, 0)), problem.optimum);
    assert.ok((await objective(new FixedTrial(BEST, 1))) > problem.optimum! + 0.05);
    // The same trial number gives the same value whatever the call order (the bridge replays objectives).
    assert.equal(await objective(new FixedTrial(BEST, 1)), await problem.objectiveFor(0)(new FixedTrial(BEST, 1)));
    assert.equal(new NumpyRandomState(0).randint(4), 0);
  });

  it("shows the published runs as reference rows: Optuna's GPSampler reaches a mean best of −10.52 at 200 trials", async () => {
    const problem = await loadProblem(PUBLISHED_NAVAL);
    const runs = problem.referenceRuns!(200);
    assert.deepEqual([...new Set(runs.map((r) => r.sampler))], ["optuna-gp", "optuna-botorch", "optuna-random"]);
    const gp = runs.filter((r) => r.sampler === "optuna-gp");
    assert.equal(gp.length, 10);
    assert.ok(Math.abs(mean(gp.map((r) => r.bestSoFar[199]!)) - -10.5243) < 1e-4);
    assert.equal(problem.referenceRuns!(50)[0]!.bestSoFar.length, 50);
  });
});
