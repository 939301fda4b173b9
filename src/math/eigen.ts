/**
 * @module Eigendecomposition of a real symmetric matrix by the cyclic Jacobi method.
 *
 * Jacobi rotations are simple, unconditionally stable and accurate to working precision even for tiny
 * eigenvalues, which is what CMA-ES needs from its covariance matrix. The cost is O(n³) per sweep with a handful
 * of sweeps (quadratic convergence), fine for the tens of dimensions of a hyperparameter search.
 */

/** Eigenvalues in ascending order; `vectors` is row-major n×n with eigenvector j in column j. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

const MAX_SWEEPS = 64;

/**
 * Eigenvalues and orthonormal eigenvectors of the symmetric n×n matrix `matrix` (row-major; only the upper
 * triangle is read, so a slightly asymmetric input is treated as symmetric).
 *
 * @example
 * const { values } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2); // values = [1, 3]
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0 || matrix.length !== n * n) {
    throw new RangeError(`symmetricEigen needs an n×n matrix (n=${n}, ${matrix.length} entries given)`);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = matrix[i * n + j]!;
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let i = 0; i < n; i++) {
      diagonal += a[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    }
    // Converged once the off-diagonal mass no longer registers against the diagonal in double precision.
    if (off === 0 || off <= 1e-32 * diagonal) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((source, target) => {
    values[target] = a[source * n + source]!;
    for (let k = 0; k < n; k++) vectors[k * n + target] = v[k * n + source]!;
  });
  return { values, vectors };
}

/** One Jacobi rotation in the (p, q) plane that zeroes a[p][q], accumulated into the eigenvector matrix v. */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (apq === 0) return;
  const app = a[p * n + p]!;
  const aqq = a[q * n + q]!;
  const theta = (aqq - app) / (2 * apq);
  // The smaller root of t² + 2θt − 1 = 0 keeps the rotation angle below π/4 (stable); for huge θ, t ≈ 1/(2θ).
  const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  a[p * n + p] = app - t * apq;
  a[q * n + q] = aqq + t * apq;
  a[p * n + q] = a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    if (k !== p && k !== q) {
      const akp = a[k * n + p]!;
      const akq = a[k * n + q]!;
      a[k * n + p] = a[p * n + k] = c * akp - s * akq;
      a[k * n + q] = a[q * n + k] = s * akp + c * akq;
    }
    const vkp = v[k * n + p]!;
    const vkq = v[k * n + q]!;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
