import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { symmetricEigen } from "./eigen.js";
import { Rng } from "./random.js";

function close(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `entry ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Max |V Λ Vᵀ − A| and max |Vᵀ V − I|. */
function residuals(matrix: Float64Array, n: number): { reconstruction: number; orthogonality: number } {
  const { values, vectors } = symmetricEigen(matrix, n);
  let reconstruction = 0;
  let orthogonality = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let dot = 0;
      for (let k = 0; k < n; k++) {
        sum += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
        dot += vectors[k * n + i]! * vectors[k * n + j]!;
      }
      reconstruction = Math.max(reconstruction, Math.abs(sum - matrix[i * n + j]!));
      orthogonality = Math.max(orthogonality, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return { reconstruction, orthogonality };
}

describe("symmetricEigen", () => {
  it("finds the eigenpairs of a 2×2 matrix", () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    close(values, [1, 3], 1e-15);
    // Eigenvector of 3 is (1, 1)/√2 up to sign.
    close([Math.abs(vectors[1]!), Math.abs(vectors[3]!)], [Math.SQRT1_2, Math.SQRT1_2], 1e-15);
  });

  it("matches the closed form of the second-difference matrix: 2 − 2cos(kπ/(n+1))", () => {
    const n = 7;
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      matrix[i * n + i] = 2;
      if (i + 1 < n) matrix[i * n + i + 1] = matrix[(i + 1) * n + i] = -1;
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    close(symmetricEigen(matrix, n).values, expected, 1e-14);
  });

  it("returns a diagonal matrix's entries sorted, and handles repeated eigenvalues and n = 1", () => {
    close(symmetricEigen(Float64Array.of(5, 0, 0, 0, -1, 0, 0, 0, 5), 3).values, [-1, 5, 5], 0);
    // J − I for the 4×4 all-ones J: eigenvalues 3 and −1 (three times).
    const ones = new Float64Array(16).map((_, i) => (i % 5 === 0 ? 0 : 1));
    close(symmetricEigen(ones, 4).values, [-1, -1, -1, 3], 1e-14);
    close(symmetricEigen(Float64Array.of(4), 1).values, [4], 0);
    assert.throws(() => symmetricEigen(new Float64Array(5), 2), /n×n matrix/);
  });

  it("reconstructs random symmetric matrices with orthonormal eigenvectors, including ill-conditioned ones", () => {
    const rng = new Rng(3);
    for (const n of [3, 10, 30]) {
      const matrix = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) matrix[i * n + j] = matrix[j * n + i] = rng.normal();
      }
      const { reconstruction, orthogonality } = residuals(matrix, n);
      assert.ok(reconstruction < 1e-12 && orthogonality < 1e-12, `n=${n}: ${reconstruction}, ${orthogonality}`);
    }
    // A covariance with condition number 1e12, as CMA-ES produces on an ill-conditioned ellipsoid.
    const n = 6;
    const q = symmetricEigen(Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * i + 1)), n).vectors;
    const scales = [1e-12, 1e-9, 1e-6, 1e-3, 0.1, 1];
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) matrix[i * n + j] = matrix[i * n + j]! + q[i * n + k]! * scales[k]! * q[j * n + k]!;
      }
    }
    const { values } = symmetricEigen(matrix, n);
    for (let k = 0; k < n; k++) assert.ok(Math.abs(values[k]! - scales[k]!) < 1e-15, `eigenvalue ${k}: ${values[k]}`);
  });
});
