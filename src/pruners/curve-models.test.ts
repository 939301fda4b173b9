import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../math/random.js";
import { boundAtHorizon } from "./curve-models.js";

const steps = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("boundAtHorizon", () => {
  it("recovers an exact exponential curve whose rate is on the grid: prediction and bound at the horizon", () => {
    // r = 5 is the grid's last exponential rate; 1e-4 · (5 / 1e-4)^(i/47) hits it exactly at i = 47.
    const curve = (t: number) => 0.2 + 0.7 * Math.exp(-0.5 * t);
    const ts = steps(12);
    const bound = boundAtHorizon(ts, ts.map(curve), 40, 1.645)!;
    assert.ok(Math.abs(bound.predicted - curve(40)) < 2e-3, `predicted ${bound.predicted}, exact ${curve(40)}`);
    assert.ok(bound.optimistic <= bound.predicted);
  });

  it("recovers an exact power law (a rate on its grid) to within the grid's spacing", () => {
    const curve = (t: number) => 0.1 + 2 * t ** -0.02;
    const ts = steps(10);
    const bound = boundAtHorizon(ts, ts.map(curve), 100, 0)!;
    assert.ok(Math.abs(bound.predicted - curve(100)) < 1e-6, `predicted ${bound.predicted}, exact ${curve(100)}`);
  });

  it("keeps a noisy slow starter hopeful: its first points, still falling steeply, allow an end below the truth", () => {
    const slow = (t: number) => 0.05 + 0.95 * Math.exp(-0.05 * t);
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = new Rng(seed);
      const ts = steps(5);
      const bound = boundAtHorizon(ts, ts.map((t) => slow(t) + 0.003 * rng.normal()), 27, 1.645)!;
      assert.ok(bound.optimistic < slow(27), `seed ${seed}: optimistic ${bound.optimistic} should be below the true end ${slow(27)}`);
    }
  });

  it("judges a curve that has plateaued: noise of 0.003 leaves its bound within a few hundredths of the plateau", () => {
    const rng = new Rng(3);
    const plateau = (t: number) => 0.3 + 0.7 * Math.exp(-2 * t) + 0.003 * rng.normal();
    const ts = steps(8);
    const bound = boundAtHorizon(ts, ts.map(plateau), 27, 1.645)!;
    assert.ok(bound.optimistic > 0.25 && bound.optimistic < 0.3, `optimistic ${bound.optimistic}`);
  });

  it("takes steps counted in tokens (far past any table) and recovers a power law there", () => {
    const curve = (t: number) => 0.1 + 2 * t ** -0.02;
    const ts = Array.from({ length: 10 }, (_, i) => (i + 1) * 1e6);
    const bound = boundAtHorizon(ts, ts.map(curve), 1e8, 0)!;
    assert.ok(Math.abs(bound.predicted - curve(1e8)) < 1e-6, `predicted ${bound.predicted}, exact ${curve(1e8)}`);
  });

  it("needs four points", () => {
    assert.equal(boundAtHorizon([1, 2, 3], [3, 2, 1], 10, 1), null);
  });
});
