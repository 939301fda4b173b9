import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../../math/random.js";
import { fitYeoJohnson, gaussianizeOutputs, yeoJohnson } from "./output-transform.js";

function moments(values: ArrayLike<number>): { mean: number; sd: number } {
  const list = Array.from(values);
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  return { mean, sd: Math.sqrt(list.reduce((a, b) => a + (b - mean) ** 2, 0) / list.length) };
}

describe("output transform", () => {
  it("implements the Yeo–Johnson formula, including its logarithmic cases", () => {
    assert.equal(yeoJohnson(Math.E - 1, 0), 1);
    assert.equal(yeoJohnson(3, 2), 7.5);
    assert.equal(yeoJohnson(1 - Math.E, 2), -1);
    assert.equal(yeoJohnson(-3, 0), -7.5);
    assert.equal(yeoJohnson(-2, 1), -2, "λ = 1 is the identity");
  });

  it("keeps normal data as they are and bends skewed data (λ < 1 for a long upper tail, > 1 for a lower one)", () => {
    const rng = new Rng(1);
    const normal = Float64Array.from({ length: 2000 }, () => rng.normal());
    assert.ok(Math.abs(fitYeoJohnson(normal) - 1) < 0.15);
    const upperTail = Float64Array.from({ length: 2000 }, () => Math.exp(rng.normal()));
    assert.ok(fitYeoJohnson(upperTail) < 0.5);
    assert.ok(fitYeoJohnson(upperTail.map((v) => -v)) > 1.5);
  });

  it("keeps the order of the values and returns them standardised", () => {
    const rng = new Rng(2);
    for (const values of [
      Array.from({ length: 50 }, () => Math.exp(3 * rng.normal())),
      Array.from({ length: 50 }, () => -Math.exp(2 * rng.normal()) + rng.normal()),
    ]) {
      const out = gaussianizeOutputs(values);
      const { mean, sd } = moments(out);
      assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12);
      for (let i = 0; i < values.length; i++) {
        for (let j = 0; j < values.length; j++) if (values[i]! < values[j]!) assert.ok(out[i]! < out[j]!);
      }
    }
  });

  it("spreads the good end of a heavy-tailed minimisation objective", () => {
    // Values 1, 2, …, plus one huge outlier: plain standardisation squeezes the rest together.
    const values = [...Array.from({ length: 20 }, (_, i) => i + 1), 1e6];
    const { mean, sd } = moments(values);
    const plainGap = (values[1]! - values[0]!) / sd;
    const out = gaussianizeOutputs(values);
    assert.ok(out[1]! - out[0]! > 10 * plainGap, `${out[1]! - out[0]!} vs ${plainGap}`);
    assert.ok(Number.isFinite(mean));
  });

  it("maps constant values to zeros", () => {
    assert.ok(gaussianizeOutputs([3, 3, 3]).every((v) => v === 0));
    assert.ok(gaussianizeOutputs([-2, -2]).every((v) => v === 0));
  });
});
