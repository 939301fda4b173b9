import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { choiceHistogram, kernelDensityOnGrid, pearsonDivergence } from "./grid-density.js";

describe("grid densities", () => {
  it("sum to 1; even samples give an even density, clustered ones a peak", () => {
    const even = kernelDensityOnGrid(Float64Array.from({ length: 200 }, (_, i) => (i + 0.5) / 200), 50);
    assert.ok(Math.abs(even.reduce((s, p) => s + p, 0) - 1) < 1e-12);
    for (const p of even) assert.ok(Math.abs(p - 1 / 50) < 0.002, String(p));
    const peak = kernelDensityOnGrid([0.33, 0.33, 0.33], 10);
    assert.equal(peak.indexOf(Math.max(...peak)), 3);
    assert.ok(Math.min(...peak) > 0, "the uniform pseudo-sample keeps every cell above 0");
  });

  it("smooths a histogram with one pseudo-count per choice", () => {
    assert.deepEqual([...choiceHistogram([0, 0, 1], 3)], [3 / 6, 2 / 6, 1 / 6]);
  });

  it("computes Pearson's divergence in closed form", () => {
    const uniform = Float64Array.from([0.25, 0.25, 0.25, 0.25]);
    assert.equal(pearsonDivergence(uniform, uniform), 0);
    // p all on one cell of four: Σ p²/q − 1 = 1/0.25 − 1.
    assert.equal(pearsonDivergence(Float64Array.from([1, 0, 0, 0]), uniform), 3);
  });
});
