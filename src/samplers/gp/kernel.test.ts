import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { columnDistance, columnReach, covariance, distanceWeights, matern52, matern52Slope, scaledDistance, type KernelParams } from "./kernel.js";

describe("Matérn-5/2 kernel", () => {
  it("has the textbook profile (1 + √5 r + 5r²/3)·e^{-√5 r}", () => {
    assert.equal(matern52(0), 1);
    assert.ok(Math.abs(matern52(1) - 0.5239941088318203) < 1e-15);
    assert.ok(Math.abs(matern52(0.2) - 0.8583853627333655) < 1e-15);
    assert.ok(matern52(400) < 1e-16);
  });

  it("has a slope in s = r² that matches finite differences, finite at s = 0", () => {
    assert.equal(matern52Slope(0), -5 / 6);
    for (const s of [1e-4, 0.05, 0.7, 3, 12]) {
      const numeric = (matern52(s + 1e-7) - matern52(s - 1e-7)) / 2e-7;
      assert.ok(Math.abs(matern52Slope(s) - numeric) < 1e-7, `s=${s}: ${matern52Slope(s)} vs ${numeric}`);
    }
  });

  it("weights squared differences by 1/ℓ² per column and compares categorical columns by equality", () => {
    const categorical = Uint8Array.from([0, 1]);
    const a = Float64Array.from([0.2, 0.3]);
    const b = Float64Array.from([0.6, 0.7]);
    assert.ok(Math.abs(columnDistance(a, 0, b, 0, 0, 2, categorical) - 0.16) < 1e-15);
    assert.equal(columnDistance(a, 0, b, 0, 1, 2, categorical), 1);
    assert.equal(columnDistance(a, 0, a, 0, 1, 2, categorical), 0);
    const weights = Float64Array.from([1 / 0.25, 1 / 4]);
    assert.ok(Math.abs(scaledDistance(a, 0, b, 0, weights, categorical) - (0.16 / 0.25 + 1 / 4)) < 1e-15);
    const params = { lengthscales: Float64Array.from([0.5, 2]), signalVariance: 3, noiseVariance: 0.1 };
    const kernelValue = (p: Float64Array, q: Float64Array, kernel: KernelParams, columns: Uint8Array) =>
      covariance(p, 0, q, 0, kernel, distanceWeights(kernel), columns);
    assert.ok(Math.abs(kernelValue(a, b, params, categorical) - 3 * matern52(0.64 + 0.25)) < 1e-15);
    assert.equal(kernelValue(a, a, params, categorical), 3, "k(x, x) = σ²_f (noise is not part of the kernel)");
  });

  it("measures how far the latent function can change along each column: 1 − m(1/ℓ²), by variance share if additive", () => {
    const ard: KernelParams = { lengthscales: Float64Array.of(0.01, 5, 1e6), signalVariance: 2, noiseVariance: 1e-6 };
    const [steep, gentle, flat] = columnReach(ard);
    assert.ok(Math.abs(steep! - 1) < 1e-12);
    // m(0.04) = (1 + √0.2 + 0.2/3)·e^{-√0.2} = 0.967986…
    assert.ok(Math.abs(gentle! - 0.0320139) < 1e-6, `ℓ = 5: ${gentle}`);
    assert.ok(flat! < 1e-10);
    const additive: KernelParams = {
      lengthscales: Float64Array.of(0.01, 0.01),
      componentVariances: Float64Array.of(0.75, 0.25),
      signalVariance: 1,
      noiseVariance: 1e-6,
    };
    assert.deepEqual([...columnReach(additive)].map((r) => Number(r.toFixed(9))), [0.75, 0.25]);
  });

  it("treats an inactive (NaN) value as equal to another inactive one and as far as the range ends from an active one", () => {
    for (const categorical of [Uint8Array.from([0]), Uint8Array.from([1])]) {
      const column = (a: number, b: number) => columnDistance(Float64Array.of(a), 0, Float64Array.of(b), 0, 0, 1, categorical);
      assert.equal(column(NaN, NaN), 0);
      assert.equal(column(NaN, 0.3), 1);
      assert.equal(column(0.9, NaN), 1);
    }
  });
});
