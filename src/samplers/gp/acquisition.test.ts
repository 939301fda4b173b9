import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalCdf, normalPdf } from "../../math/normal.js";
import { Rng } from "../../math/random.js";
import { categoricalDistribution, floatDistribution, intDistribution } from "../../space/distributions.js";
import { LogExpectedImprovement, maximizeAcquisition } from "./acquisition.js";
import type { TrainingData } from "./hyperparameters.js";
import { GPInputSpace } from "./input-space.js";
import { GaussianProcess } from "./posterior.js";

/** A GP on `space`'s columns fitted (with fixed hyperparameters) to f at n random points of the space. */
function model(space: GPInputSpace, n: number, seed: number, f: (x: Float64Array) => number, lengthscale = 0.3) {
  const rng = new Rng(seed);
  const x = new Float64Array(n * space.dim);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * space.dim, (i + 1) * space.dim);
    for (let d = 0; d < space.dim; d++) row[d] = rng.random();
    space.snap(row);
  }
  const y = Float64Array.from({ length: n }, (_, i) => f(x.subarray(i * space.dim, (i + 1) * space.dim)));
  const data: TrainingData = { x, y, n, dim: space.dim, categorical: space.categorical };
  const params = { lengthscales: new Float64Array(space.dim).fill(lengthscale), signalVariance: 1, noiseVariance: 1e-6 };
  return { gp: new GaussianProcess(data, params), best: Math.min(...y) };
}

describe("log expected improvement", () => {
  const space = new GPInputSpace({ a: floatDistribution("a", 0, 1), b: floatDistribution("b", 0, 1) });
  const { gp, best } = model(space, 12, 1, (x) => Math.sin(6 * x[0]!) + x[1]!);
  const acquisition = new LogExpectedImprovement(gp, best);

  it("equals log(σ·(zΦ(z) + φ(z))) where EI is not tiny", () => {
    const rng = new Rng(2);
    let checked = 0;
    for (let k = 0; k < 200; k++) {
      const point = Float64Array.from([rng.random(), rng.random()]);
      const { mean, variance } = gp.predict(point, 1);
      const sd = Math.sqrt(variance[0]!);
      const z = (best - mean[0]!) / sd;
      const ei = sd * (z * normalCdf(z) + normalPdf(z));
      if (ei < 1e-8) continue;
      checked++;
      assert.ok(Math.abs(acquisition.values(point, 1)[0]! - Math.log(ei)) < 1e-9);
    }
    assert.ok(checked > 50);
  });

  it("stays finite and ordered where EI underflows", () => {
    const confident = new LogExpectedImprovement(gp, best - 40);
    const values = confident.values(Float64Array.from([0.5, 0.5, 0.9, 0.9]), 2);
    assert.ok(values.every((v) => Number.isFinite(v) && v < -700));
  });

  it("has a gradient that matches finite differences", () => {
    const gradient = new Float64Array(2);
    for (const [shift, point] of [
      [0, [0.37, 0.61]],
      [-6, [0.8, 0.2]],
    ] as const) {
      const shifted = new LogExpectedImprovement(gp, best + shift);
      shifted.valueAndGradient(Float64Array.from(point), gradient);
      for (let d = 0; d < 2; d++) {
        const plus = Float64Array.from(point);
        const minus = Float64Array.from(point);
        plus[d]! += 1e-6;
        minus[d]! -= 1e-6;
        const numeric = (shifted.values(plus, 1)[0]! - shifted.values(minus, 1)[0]!) / 2e-6;
        assert.ok(Math.abs(gradient[d]! - numeric) < 1e-5 * Math.max(1, Math.abs(numeric)), `${gradient[d]} vs ${numeric}`);
      }
    }
  });
});

describe("maximizeAcquisition", () => {
  it("matches a dense grid search over a continuous square", () => {
    const space = new GPInputSpace({ a: floatDistribution("a", 0, 1), b: floatDistribution("b", 0, 1) });
    const { gp, best } = model(space, 15, 3, (x) => (x[0]! - 0.3) ** 2 + (x[1]! - 0.6) ** 2);
    const acquisition = new LogExpectedImprovement(gp, best);
    const grid = new Float64Array(201 * 201 * 2);
    for (let i = 0; i <= 200; i++) for (let j = 0; j <= 200; j++) grid.set([i / 200, j / 200], (i * 201 + j) * 2);
    const gridBest = Math.max(...acquisition.values(grid, 201 * 201));
    const found = maximizeAcquisition(acquisition, space, { seed: 4 });
    assert.ok(found.value >= gridBest - 1e-9, `${found.value} vs grid ${gridBest}`);
    assert.ok(Math.abs(acquisition.values(found.point, 1)[0]! - found.value) < 1e-12);
  });

  it("returns a point on the grid of a mixed space, as good as exhausting the discrete part", () => {
    const space = new GPInputSpace({
      c: categoricalDistribution("c", ["x", "y", "z"]),
      n: intDistribution("n", 0, 40),
      u: floatDistribution("u", 0, 1),
    });
    const f = (x: Float64Array) => (x[0]! > 0.6 ? -1 : 0) + (x[1]! - 0.5) ** 2 + (x[2]! - 0.2) ** 2;
    const { gp, best } = model(space, 25, 5, f, 0.4);
    const acquisition = new LogExpectedImprovement(gp, best);
    const found = maximizeAcquisition(acquisition, space, { seed: 6, anchors: [Float64Array.from([0.5, 0.5, 0.5])] });
    const snapped = Float64Array.from(found.point);
    space.snap(snapped);
    assert.deepEqual([...snapped], [...found.point], "discrete and categorical columns sit on cell centres");
    // Brute force: every choice × every integer × a fine grid of the continuous column.
    let bruteBest = -Infinity;
    for (let c = 0; c < 3; c++) {
      for (let n = 0; n <= 40; n++) {
        const rows = new Float64Array(501 * 3);
        for (let k = 0; k <= 500; k++) rows.set([(c + 0.5) / 3, (n + 0.5) / 41, k / 500], k * 3);
        bruteBest = Math.max(bruteBest, ...acquisition.values(rows, 501));
      }
    }
    assert.ok(found.value >= bruteBest - 1e-6, `${found.value} vs brute force ${bruteBest}`);
  });
});
