import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FixedTrial } from "../../study/trial.js";
import { SHIFT_UNIT } from "./functions.js";
import { regretOf, type Problem } from "./problem.js";
import { SYNTHETIC_PROBLEMS, syntheticProblem } from "./synthetic.js";

function problem(name: string): Problem {
  const p = syntheticProblem(name);
  assert.ok(p, name);
  return p;
}

async function valueAt(name: string, params: Record<string, number | string | boolean>): Promise<number> {
  return problem(name).objectiveFor(0)(new FixedTrial(params));
}

const box = (values: readonly number[]) => Object.fromEntries(values.map((v, i) => [`x${i}`, v]));
const tenths = box(Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1)));

describe("synthetic problems", () => {
  it("are the nine documented ones, all minimised with a known optimum", () => {
    assert.deepEqual(SYNTHETIC_PROBLEMS, [
      "branin", "hartmann6", "rosenbrock10", "ackley10", "rastrigin10",
      "ackley10_shifted", "rastrigin10_shifted", "nn_mixed", "cnn_mixed",
    ]);
    for (const name of SYNTHETIC_PROBLEMS) assert.equal(problem(name).direction, "minimize");
    assert.equal(syntheticProblem("constructor"), undefined);
  });

  it("take their known optimum value at their known argmin", async () => {
    for (const argmin of [[-Math.PI, 12.275], [Math.PI, 2.275], [9.42478, 2.475]]) {
      assert.ok(Math.abs((await valueAt("branin", box(argmin))) - 0.397887) < 1e-5);
    }
    const h6 = await valueAt("hartmann6", box([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]));
    assert.ok(Math.abs(h6 - -3.32237) < 1e-5, String(h6));
    assert.equal(await valueAt("rosenbrock10", box(Array(10).fill(1))), 0);
    assert.ok(Math.abs(await valueAt("ackley10", box(Array(10).fill(0)))) < 1e-12);
    assert.equal(await valueAt("rastrigin10", box(Array(10).fill(0))), 0);
    assert.ok(Math.abs(await valueAt("ackley10_shifted", box(SHIFT_UNIT.map((u) => u * 32.768)))) < 1e-12);
    assert.ok(Math.abs(await valueAt("rastrigin10_shifted", box(SHIFT_UNIT.map((u) => u * 5.12)))) < 1e-12);
    const nn = { optimizer: "sgd", lr: 0.005, momentum: 0.9, weight_decay: 5e-4, batch_size: 64, n_layers: 3, dropout: 0.3 };
    assert.ok(Math.abs((await valueAt("nn_mixed", nn)) - 0.05) < 1e-12);
    const cnn = { optimizer: "adam", lr: 1e-3, n_blocks: 4, base_width: 64, kernel_size: 3, label_smoothing: 0.1, activation: "gelu" };
    assert.equal(await valueAt("cnn_mixed", cnn), 0.06);
  });

  it("match the anchors' common.py values away from the optimum (computed with numpy there)", async () => {
    const expected: Record<string, number> = {
      branin: 51.38785089543271,
      hartmann6: -1.4069105761385297,
      rosenbrock10: 78.18,
      ackley10: 4.0523940289117455,
      rastrigin10: 103.85,
      ackley10_shifted: 20.44201454662323,
      rastrigin10_shifted: 132.76250916752008,
    };
    for (const [name, value] of Object.entries(expected)) {
      const got = await valueAt(name, tenths);
      assert.ok(Math.abs(got - value) <= 1e-12 * Math.max(1, Math.abs(value)), `${name}: ${got} vs ${value}`);
    }
    const adam = { optimizer: "adam", lr: 3e-3, beta1: 0.8, weight_decay: 1e-3, batch_size: 256, n_layers: 2, dropout: 0.1 };
    assert.ok(Math.abs((await valueAt("nn_mixed", adam)) - 0.14453373176305406) < 1e-14);
    const sgd = { optimizer: "sgd", lr: 1e-2, momentum: 0.5, weight_decay: 1e-5, batch_size: 32, n_layers: 4, dropout: 0.5 };
    assert.ok(Math.abs((await valueAt("nn_mixed", sgd)) - 0.12448130556236837) < 1e-14);
  });

  it("nn_mixed and cnn_mixed fall off their divergence cliff one decade above the best learning rate", async () => {
    const nn = { optimizer: "sgd", lr: 0.9, momentum: 0.9, weight_decay: 5e-4, batch_size: 64, n_layers: 3, dropout: 0.3 };
    assert.equal(await valueAt("nn_mixed", nn), 0.9);
    const cnn = { optimizer: "adam", lr: 0.02, n_blocks: 4, base_width: 64, kernel_size: 3, label_smoothing: 0.1, activation: "gelu" };
    assert.equal(await valueAt("cnn_mixed", cnn), 0.9);
  });

  it("cnn_mixed: the best learning rate scales as 1/width, and SGD alone asks for nesterov", async () => {
    const at = (lr: number, width: number, blocks: number) =>
      valueAt("cnn_mixed", { optimizer: "adam", lr, n_blocks: blocks, base_width: width, kernel_size: 3, label_smoothing: 0.1, activation: "gelu" });
    // Width 256 with 2 blocks keeps log2(width) + blocks = 10; only the depth term (0.004 · 4) remains at lr = 2.5e-4.
    assert.ok(Math.abs((await at(2.5e-4, 256, 2)) - 0.076) < 1e-12);
    assert.ok((await at(1e-3, 256, 2)) > 0.076 + 0.01);
    const sgd = { optimizer: "sgd", lr: 0.1, n_blocks: 4, base_width: 64, kernel_size: 3, label_smoothing: 0.1, activation: "gelu" };
    await assert.rejects(valueAt("cnn_mixed", sgd), /nesterov/);
    assert.ok(Math.abs((await valueAt("cnn_mixed", { ...sgd, nesterov: true })) - 0.071) < 1e-12);
  });

  it("regret is best − optimum for minimisation, optimum − best for maximisation, scaled", () => {
    assert.ok(Math.abs(regretOf(problem("branin"), 0.5) - 0.102113) < 1e-12);
    assert.equal(regretOf({ direction: "maximize", optimum: 90, regretScale: 10 }, 85), 0.5);
    assert.equal(regretOf({ direction: "maximize", optimum: null, regretScale: 1 }, 85), 85);
  });
});
