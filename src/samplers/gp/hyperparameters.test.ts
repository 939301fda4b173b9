import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../../math/random.js";
import { matern52 } from "./kernel.js";
import {
  MIN_NOISE_VARIANCE,
  defaultTheta,
  fitKernel,
  informationCriterion,
  logPrior,
  negativeLogPosterior,
  paramsFromTheta,
  thetaBounds,
  type KernelStructure,
  type TrainingData,
} from "./hyperparameters.js";

/** n random points in [0,1]^dim (the last column categorical with 3 choices when `withCategorical`). */
function randomData(n: number, dim: number, seed: number, f: (x: Float64Array) => number, withCategorical = false): TrainingData {
  const rng = new Rng(seed);
  const categorical = new Uint8Array(dim);
  if (withCategorical) categorical[dim - 1] = 1;
  const x = new Float64Array(n * dim);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * dim, (i + 1) * dim);
    for (let d = 0; d < dim; d++) row[d] = categorical[d] ? (rng.int(3) + 0.5) / 3 : rng.random();
    y[i] = f(row);
  }
  return { x, y, n, dim, categorical };
}

describe("negative log posterior of the kernel hyperparameters", () => {
  it("equals the closed form for two points", () => {
    const data: TrainingData = {
      x: Float64Array.from([0.1, 0.5]),
      y: Float64Array.from([1, -0.5]),
      n: 2,
      dim: 1,
      categorical: new Uint8Array(1),
    };
    const theta = Float64Array.from([Math.log(0.3), Math.log(1.5), Math.log(0.01)]);
    const a = 1.5 + 0.01;
    const b = 1.5 * matern52(0.16 / 0.09);
    const det = a * a - b * b;
    // yᵀK⁻¹y for K = [[a, b], [b, a]]: (a·y1² - 2b·y1·y2 + a·y2²) / det.
    const quadratic = (a * 1 - 2 * b * 1 * -0.5 + a * 0.25) / det;
    const expected = 0.5 * quadratic + 0.5 * Math.log(det) + Math.log(2 * Math.PI) - logPrior(theta, 1, null);
    assert.ok(Math.abs(negativeLogPosterior(data)(theta, null) - expected) < 1e-12);
  });

  const gradientCases: [KernelStructure, number[][]][] = [
    ["ard", [[0.4, 1.2, 0.7, 0.8, 0.05], [2, 0.1, 3, 2.5, 1e-4]]],
    ["additive", [[0.4, 1.2, 0.7, 0.3, 0.5, 0.2, 0.05], [0.05, 0.1, 3, 1.5, 0.02, 0.7, 1e-4]]],
  ];
  for (const [structure, thetas] of gradientCases) {
    it(`has an analytic gradient that matches central finite differences (${structure} kernel, numeric and categorical columns)`, () => {
      const data = randomData(25, 3, 1, (x) => Math.sin(5 * x[0]!) + x[1]! * x[1]! + (x[2]! > 0.5 ? 0.3 : 0), true);
      const objective = negativeLogPosterior(data, structure);
      for (const theta of thetas.map((values) => Float64Array.from(values, Math.log))) {
        const gradient = new Float64Array(theta.length);
        objective(theta, gradient);
        for (let j = 0; j < theta.length; j++) {
          const plus = Float64Array.from(theta);
          const minus = Float64Array.from(theta);
          plus[j]! += 1e-6;
          minus[j]! -= 1e-6;
          const numeric = (objective(plus, null) - objective(minus, null)) / 2e-6;
          assert.ok(Math.abs(gradient[j]! - numeric) < 1e-5 * Math.max(1, Math.abs(numeric)), `θ_${j}: ${gradient[j]} vs ${numeric}`);
        }
      }
    });
  }

  it("gives the additive kernel's variances summing to k(x, x) and its one-column terms", () => {
    const theta = Float64Array.from([0.3, 2, 0.5, 0.25, 1e-3], Math.log);
    const params = paramsFromTheta(theta, 2, "additive");
    assert.ok(Math.abs(params.signalVariance - 0.75) < 1e-15);
    const data: TrainingData = { x: Float64Array.from([0.1, 0.2, 0.4, 0.9]), y: Float64Array.from([1, -1]), n: 2, dim: 2, categorical: new Uint8Array(2) };
    const a = 0.75 + 1e-3;
    const b = 0.5 * matern52(0.09 / 0.09) + 0.25 * matern52(0.49 / 4);
    const det = a * a - b * b;
    const quadratic = (2 * a + 2 * b) / det;
    const expected = 0.5 * quadratic + 0.5 * Math.log(det) + Math.log(2 * Math.PI) - logPrior(theta, 2, null, "additive");
    assert.ok(Math.abs(negativeLogPosterior(data, "additive")(theta, null) - expected) < 1e-12);
  });

  it("pulls parameters far above the prior back towards it", () => {
    const gradient = new Float64Array(4);
    logPrior(Float64Array.from([10, 10, 10, 10]), 2, gradient);
    assert.ok(gradient.every((g) => g < 0));
  });
});

describe("fitKernel", () => {
  it("finds a long lengthscale for an irrelevant input and a short one for a wiggly input (ARD)", () => {
    const data = randomData(40, 2, 2, (x) => Math.sin(8 * x[0]!));
    const { params } = fitKernel(data, { deterministic: false });
    assert.ok(params.lengthscales[1]! > 5 * params.lengthscales[0]!, `${params.lengthscales}`);
    assert.ok(params.noiseVariance < 1e-3, `noise ${params.noiseVariance}`);
  });

  it("estimates the noise of a noisy objective, and pins the noise of a deterministic one", () => {
    for (const [seed, noiseSd] of [
      [3, 0.1],
      [4, 0.3],
    ] as const) {
      const rng = new Rng(seed + 100);
      const raw = randomData(50, 2, seed, (x) => Math.sin(4 * x[0]!) + Math.cos(3 * x[1]!) + noiseSd * rng.normal());
      const mean = raw.y.reduce((a, b) => a + b, 0) / raw.n;
      const sd = Math.sqrt(raw.y.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.n);
      const data = { ...raw, y: raw.y.map((v) => (v - mean) / sd) };
      const truth = (noiseSd / sd) ** 2;
      const fitted = fitKernel(data, { deterministic: false }).params.noiseVariance;
      assert.ok(fitted > truth / 2 && fitted < truth * 2, `noise ${fitted} vs ${truth}`);
    }
    const smooth = randomData(20, 1, 4, (x) => x[0]! * x[0]!);
    const pinned = fitKernel(smooth, { deterministic: true }).params.noiseVariance;
    assert.ok(Math.abs(pinned - MIN_NOISE_VARIANCE) < 1e-12 * MIN_NOISE_VARIANCE, `noise ${pinned}`);
  });

  it("stays inside its bounds, and a warm start from its own optimum returns that optimum", () => {
    const data = randomData(30, 3, 5, (x) => x[0]! + Math.cos(4 * x[1]!));
    const fit = fitKernel(data, { deterministic: false });
    const { lower, upper } = thetaBounds(3, false);
    fit.theta.forEach((t, j) => assert.ok(t >= lower[j]! && t <= upper[j]!));
    const again = fitKernel(data, { deterministic: false, warmStart: fit.theta, onlyWarmStart: true });
    assert.ok(again.objective <= fit.objective + 1e-9);
    assert.ok(Math.abs(again.objective - fit.objective) < 1e-4);
    assert.deepEqual(paramsFromTheta(fit.theta, 3), fit.params);
  });

  it("prefers the additive kernel for a sum of one-column functions and the ARD one for an interaction, by BIC", () => {
    const choose = (f: (x: Float64Array) => number) => {
      const data = randomData(60, 3, 9, f);
      const [ard, additive] = (["ard", "additive"] as const).map((structure) => fitKernel(data, { deterministic: true, structure }));
      return informationCriterion(additive!, data.n) < informationCriterion(ard!, data.n) ? "additive" : "ard";
    };
    assert.equal(choose((x) => Math.sin(12 * x[0]!) + Math.cos(9 * x[1]!) + x[2]!), "additive");
    assert.equal(choose((x) => Math.sin(6 * x[0]! * x[1]!) * x[2]!), "ard");
  });

  it("limits the run from a warm start to warmStartIterations, and improves on the warm start", () => {
    const data = randomData(40, 3, 6, (x) => Math.sin(6 * x[0]!) + x[2]!);
    const full = fitKernel(data, { deterministic: false });
    const start = defaultTheta(3, false);
    const objective = negativeLogPosterior(data);
    const oneStep = fitKernel(data, { deterministic: false, warmStart: start, onlyWarmStart: true, warmStartIterations: 1 });
    assert.ok(oneStep.objective < objective(start, null), "one iteration improves");
    assert.ok(oneStep.objective > full.objective + 1e-3, `one iteration does not reach the optimum (${oneStep.objective} vs ${full.objective})`);
  });
});
