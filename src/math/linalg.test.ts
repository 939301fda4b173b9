import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "./random.js";
import {
  cholesky,
  choleskyInverse,
  choleskySolve,
  logDeterminant,
  solveLower,
  solveLowerTransposed,
} from "./linalg.js";

/** A random symmetric positive-definite n×n matrix B·Bᵀ + n·I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = i === j ? n : 0;
      for (let k = 0; k < n; k++) sum += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = sum;
    }
  }
  return a;
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `entry ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe("cholesky", () => {
  it("factors a textbook matrix exactly", () => {
    // [[4, 12, -16], [12, 37, -43], [-16, -43, 98]] = L·Lᵀ with L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]].
    const factor = cholesky(Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]), 3);
    assert.deepEqual([...factor.lower], [2, 0, 0, 6, 1, 0, -8, 5, 3]);
    assert.equal(factor.jitter, 0);
    assert.ok(Math.abs(logDeterminant(factor) - Math.log(36)) < 1e-14);
  });

  it("reconstructs a random positive-definite matrix", () => {
    const n = 12;
    const a = randomSpd(n, 1);
    const { lower } = cholesky(a, n);
    const transposed = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) transposed[j * n + i] = lower[i * n + j]!;
    assertClose(multiply(lower, transposed, n), a, 1e-10);
  });

  it("adds jitter to a singular positive-semidefinite matrix and refuses an indefinite one", () => {
    // Rank one: v·vᵀ with v = (1, 2, 3).
    const v = [1, 2, 3];
    const singular = Float64Array.from({ length: 9 }, (_, k) => v[Math.floor(k / 3)]! * v[k % 3]!);
    const factor = cholesky(singular, 3);
    assert.ok(factor.jitter > 0 && factor.jitter < 1e-5, `jitter ${factor.jitter}`);
    assert.throws(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2), /not positive definite/);
    assert.throws(() => cholesky(new Float64Array(5), 2), /2×2 matrix/);
  });
});

describe("triangular and Cholesky solves", () => {
  const n = 9;
  const a = randomSpd(n, 2);
  const factor = cholesky(a, n);
  const rng = new Rng(3);
  const b = Float64Array.from({ length: n }, () => rng.normal());

  it("solves L·x = b and Lᵀ·x = b", () => {
    const x = solveLower(factor.lower, n, b);
    const lx = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) lx[i]! += factor.lower[i * n + k]! * x[k]!;
    assertClose(lx, b, 1e-12);
    const y = solveLowerTransposed(factor.lower, n, b);
    const lty = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = i; k < n; k++) lty[i]! += factor.lower[k * n + i]! * y[k]!;
    assertClose(lty, b, 1e-12);
  });

  it("solves A·x = b and inverts A", () => {
    const x = choleskySolve(factor, b);
    const ax = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) ax[i]! += a[i * n + k]! * x[k]!;
    assertClose(ax, b, 1e-10);
    const identity = Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
    assertClose(multiply(a, choleskyInverse(factor), n), identity, 1e-10);
  });

  it("matches the determinant of a diagonal matrix", () => {
    assert.ok(Math.abs(logDeterminant(cholesky(Float64Array.from([2, 0, 0, 0, 3, 0, 0, 0, 5]), 3)) - Math.log(30)) < 1e-14);
  });
});
