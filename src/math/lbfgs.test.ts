import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { minimizeBounded, type ObjectiveWithGradient } from "./lbfgs.js";

/** The n-dimensional Rosenbrock function Σ 100(x_{i+1} - x_i²)² + (1 - x_i)², minimum 0 at (1, …, 1). */
const rosenbrock: ObjectiveWithGradient = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i]! += -400 * a * x[i]! - 2 * b;
    g[i + 1]! += 200 * a;
  }
  return f;
};

describe("minimizeBounded (projected L-BFGS)", () => {
  it("finds the Rosenbrock minimum without bounds, in 2 and 10 dimensions", () => {
    const two = minimizeBounded(rosenbrock, [-1.2, 1]);
    assert.ok(two.converged);
    assert.ok(Math.abs(two.x[0]! - 1) < 1e-5 && Math.abs(two.x[1]! - 1) < 1e-5, `${two.x}`);
    const ten = minimizeBounded(rosenbrock, Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1)), { maxIterations: 500 });
    for (const v of ten.x) assert.ok(Math.abs(v - 1) < 1e-4, `${ten.x}`);
    assert.ok(ten.value < 1e-9);
  });

  it("stops on the bound when the unconstrained optimum lies outside the box", () => {
    // Σ (x_i - c_i)² over [0, 1]³ with c = (2, -1, 0.3): the answer is clamp(c) = (1, 0, 0.3).
    const c = [2, -1, 0.3];
    const result = minimizeBounded(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < 3; i++) {
          f += (x[i]! - c[i]!) ** 2;
          g[i] = 2 * (x[i]! - c[i]!);
        }
        return f;
      },
      [0.5, 0.5, 0.5],
      { lower: [0, 0, 0], upper: [1, 1, 1] },
    );
    assert.deepEqual([...result.x].map((v) => Number(v.toFixed(8))), [1, 0, 0.3]);
    assert.ok(Math.abs(result.value - 2.0) < 1e-12);
  });

  it("solves a coupled quadratic with one bound active (KKT answer (1, -1/2), f = -9/4)", () => {
    // f = x² + y² + xy - 3x is minimised at (2, -1) without bounds; with x ≤ 1 the bound binds and y = -x/2.
    const result = minimizeBounded(
      (v, g) => {
        const [x, y] = [v[0]!, v[1]!];
        g[0] = 2 * x + y - 3;
        g[1] = 2 * y + x;
        return x * x + y * y + x * y - 3 * x;
      },
      [0, 4],
      { lower: [0, -5], upper: [1, 5] },
    );
    assert.ok(Math.abs(result.x[0]! - 1) < 1e-12 && Math.abs(result.x[1]! + 0.5) < 1e-6, `${result.x}`);
    assert.ok(Math.abs(result.value + 2.25) < 1e-10);
  });

  it("minimises Rosenbrock restricted to x ≤ 0.5 at the corner of the valley (0.5, 0.25)", () => {
    const result = minimizeBounded(rosenbrock, [-1.5, 2], { lower: [-2, -1], upper: [0.5, 3], maxIterations: 500 });
    assert.ok(Math.abs(result.x[0]! - 0.5) < 1e-9 && Math.abs(result.x[1]! - 0.25) < 1e-5, `${result.x}`);
    assert.ok(Math.abs(result.value - 0.25) < 1e-8);
  });

  it("starts from the projection of an outside point and respects the iteration cap", () => {
    const result = minimizeBounded(rosenbrock, [-10, 10], { lower: [-2, -2], upper: [2, 2], maxIterations: 3 });
    assert.equal(result.iterations, 3);
    assert.equal(result.converged, false);
    assert.ok(result.x.every((v) => v >= -2 && v <= 2));
    assert.throws(() => minimizeBounded(rosenbrock, [0, 0], { lower: [1, 0], upper: [0, 1] }), /bound 0 is empty/);
  });
});
