import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../../math/random.js";
import type { TrainingData } from "./hyperparameters.js";
import { GaussianProcess } from "./posterior.js";

function data(n: number, seed: number): TrainingData {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * 3 }, (_, k) => (k % 3 === 2 ? (rng.int(4) + 0.5) / 4 : rng.random()));
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(4 * x[i * 3]!) - x[i * 3 + 1]! + (x[i * 3 + 2]! < 0.5 ? 0.5 : 0));
  return { x, y, n, dim: 3, categorical: Uint8Array.from([0, 0, 1]) };
}

const params = { lengthscales: Float64Array.from([0.3, 0.5, 1]), signalVariance: 1.3, noiseVariance: 1e-8 };

describe("GP posterior", () => {
  it("interpolates noiseless observations with (almost) no variance left there", () => {
    const training = data(30, 1);
    const gp = new GaussianProcess(training, params);
    const { mean, variance } = gp.predict(training.x, training.n);
    for (let i = 0; i < training.n; i++) {
      assert.ok(Math.abs(mean[i]! - training.y[i]!) < 1e-5, `point ${i}: ${mean[i]} vs ${training.y[i]}`);
      assert.ok(variance[i]! < 1e-6, `variance ${variance[i]}`);
    }
  });

  it("reverts to the prior far from the data", () => {
    const gp = new GaussianProcess(data(10, 2), { ...params, lengthscales: Float64Array.from([0.01, 0.01, 0.01]) });
    const { mean, variance } = gp.predict(Float64Array.from([0.5, 0.5, 0.125]), 1);
    assert.ok(Math.abs(mean[0]!) < 1e-6);
    assert.ok(Math.abs(variance[0]! - 1.3) < 1e-6);
  });

  const additive = { ...params, componentVariances: Float64Array.from([0.6, 0.5, 0.2]), signalVariance: 1.3 };
  for (const [name, kernel] of [["ARD", params], ["additive", additive]] as const) {
    it(`gives gradients of mean and variance that match finite differences, and the same values as predict (${name} kernel)`, () => {
      const gp = new GaussianProcess(data(25, 3), { ...kernel, noiseVariance: 1e-3 });
      const meanGradient = new Float64Array(3);
      const varianceGradient = new Float64Array(3);
      for (const point of [Float64Array.from([0.3, 0.6, 0.375]), Float64Array.from([0.9, 0.1, 0.875])]) {
        const at = gp.predictWithGradient(point, meanGradient, varianceGradient);
        const batch = gp.predict(point, 1);
        assert.ok(Math.abs(at.mean - batch.mean[0]!) < 1e-12 && Math.abs(at.variance - batch.variance[0]!) < 1e-12);
        for (const d of [0, 1]) {
          const plus = Float64Array.from(point);
          const minus = Float64Array.from(point);
          plus[d]! += 1e-6;
          minus[d]! -= 1e-6;
          const [p, m] = [gp.predict(plus, 1), gp.predict(minus, 1)];
          const meanNumeric = (p.mean[0]! - m.mean[0]!) / 2e-6;
          const varianceNumeric = (p.variance[0]! - m.variance[0]!) / 2e-6;
          assert.ok(Math.abs(meanGradient[d]! - meanNumeric) < 1e-6 * Math.max(1, Math.abs(meanNumeric)), `∂μ/∂x${d}`);
          assert.ok(Math.abs(varianceGradient[d]! - varianceNumeric) < 1e-6 * Math.max(1, Math.abs(varianceNumeric)), `∂σ²/∂x${d}`);
        }
        assert.equal(meanGradient[2], 0, "categorical columns have no gradient");
      }
    });
  }

  it("predicts a batch of any size row by row as it predicts each row alone (inactive values included)", () => {
    const gp = new GaussianProcess(data(40, 6), { ...params, noiseVariance: 1e-4 });
    const rng = new Rng(7);
    const count = 7;
    const points = Float64Array.from({ length: count * 3 }, (_, k) => (k === 4 ? NaN : k % 3 === 2 ? (rng.int(4) + 0.5) / 4 : rng.random()));
    const batch = gp.predict(points, count);
    for (let r = 0; r < count; r++) {
      const alone = gp.predict(points.slice(r * 3, r * 3 + 3), 1);
      assert.ok(Math.abs(batch.mean[r]! - alone.mean[0]!) < 1e-12, `mean of row ${r}`);
      assert.ok(Math.abs(batch.variance[r]! - alone.variance[0]!) < 1e-12, `variance of row ${r}`);
    }
    assert.ok(batch.variance[1]! > batch.variance[0]!, "the row with an inactive value is farther from the data");
  });

  it("keeps the mean but removes the variance at fantasy points (pending evaluations)", () => {
    const gp = new GaussianProcess(data(20, 4), { ...params, noiseVariance: 1e-6 });
    const pending = Float64Array.from([0.42, 0.77, 0.625]);
    const probe = Float64Array.from([0.5, 0.7, 0.625, 0.1, 0.2, 0.125]);
    const before = gp.predict(probe, 2);
    const fantasised = gp.withFantasies(pending, 1);
    const after = fantasised.predict(probe, 2);
    for (let r = 0; r < 2; r++) assert.ok(Math.abs(after.mean[r]! - before.mean[r]!) < 1e-6);
    assert.ok(fantasised.predict(pending, 1).variance[0]! < 1e-5);
    assert.ok(gp.predict(pending, 1).variance[0]! > 1e-3);
    assert.equal(gp.withFantasies(new Float64Array(0), 0), gp);
  });

  it("raises fantasy observations to a floor (constant liar) when the posterior mean is below it", () => {
    const gp = new GaussianProcess(data(20, 5), { ...params, noiseVariance: 1e-6 });
    const pending = Float64Array.from([0.2, 0.3, 0.375]);
    const floor = gp.predict(pending, 1).mean[0]! + 0.5;
    assert.ok(Math.abs(gp.withFantasies(pending, 1, floor).predict(pending, 1).mean[0]! - floor) < 1e-4);
  });
});
