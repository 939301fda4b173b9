/**
 * @module Dense symmetric positive-definite linear algebra on flat row-major `Float64Array` matrices.
 *
 * Everything a Gaussian process needs: a Cholesky factorisation that adds diagonal jitter when rounding makes a
 * covariance matrix numerically indefinite, triangular solves, solves and inverses through the factor, and the
 * log-determinant. An n×n matrix is a `Float64Array` of length n·n with entry (i, j) at index i·n + j. Loops run
 * along rows so that the inner loops read memory contiguously, which is what makes them fast in JavaScript.
 */

/** A lower-triangular Cholesky factor L with L·Lᵀ = A + jitter·I (entries above the diagonal are zero). */
export interface CholeskyFactor {
  readonly lower: Float64Array;
  readonly n: number;
  /** The diagonal term that had to be added to make the factorisation succeed (0 when none was needed). */
  readonly jitter: number;
}

/** How many times the jitter is grown tenfold before giving up on a matrix. */
const JITTER_ATTEMPTS = 8;
/** First jitter, relative to the mean diagonal entry. */
const INITIAL_RELATIVE_JITTER = 1e-10;

function checkSquare(a: Float64Array, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) {
    throw new RangeError(`${what}: expected a ${n}×${n} matrix (length ${n * n}), got length ${a.length}`);
  }
}

/**
 * Writes the Cholesky factor of `a + jitter·I` into `out` (Cholesky–Banachiewicz, row by row).
 * Returns false when a pivot is not positive, i.e. the matrix is not numerically positive definite.
 */
function factorInto(a: Float64Array, n: number, jitter: number, out: Float64Array): boolean {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = a[rowI + j]!;
      for (let k = 0; k < j; k++) sum -= out[rowI + k]! * out[rowJ + k]!;
      if (i === j) {
        const pivot = sum + jitter;
        if (!(pivot > 0)) return false;
        out[rowI + i] = Math.sqrt(pivot);
      } else {
        out[rowI + j] = sum / out[rowJ + j]!;
      }
    }
  }
  return true;
}

/**
 * Cholesky factor of a symmetric positive-definite matrix (only its lower triangle is read). When rounding makes
 * the matrix indefinite, retries with a diagonal jitter starting at 1e-10 × the mean diagonal and growing tenfold;
 * throws a RangeError if the matrix is still not positive definite after that.
 */
export function cholesky(a: Float64Array, n: number): CholeskyFactor {
  checkSquare(a, n, "cholesky");
  const lower = new Float64Array(n * n);
  if (factorInto(a, n, 0, lower)) return { lower, n, jitter: 0 };
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i]!;
  let jitter = INITIAL_RELATIVE_JITTER * Math.max(Number.MIN_VALUE, Math.abs(trace / Math.max(1, n)));
  for (let attempt = 0; attempt < JITTER_ATTEMPTS; attempt++, jitter *= 10) {
    if (factorInto(a, n, jitter, lower)) return { lower, n, jitter };
  }
  throw new RangeError(`cholesky: the matrix is not positive definite, even with a diagonal jitter of ${jitter / 10}`);
}

/** Solves L·x = b for lower-triangular L (forward substitution); returns a new vector. */
export function solveLower(lower: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let sum = x[i]!;
    for (let k = 0; k < i; k++) sum -= lower[row + k]! * x[k]!;
    x[i] = sum / lower[row + i]!;
  }
  return x;
}

/** Solves Lᵀ·x = b for lower-triangular L (back substitution on the transpose); returns a new vector. */
export function solveLowerTransposed(lower: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b as ArrayLike<number>);
  // Column-oriented: once x[i] is final, remove its contribution from the rows above (row i of L is contiguous).
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const xi = x[i]! / lower[row + i]!;
    x[i] = xi;
    for (let k = 0; k < i; k++) x[k]! -= lower[row + k]! * xi;
  }
  return x;
}

/** Solves A·x = b given the Cholesky factor of A. */
export function choleskySolve(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  return solveLowerTransposed(factor.lower, factor.n, solveLower(factor.lower, factor.n, b));
}

/** log det A = 2 Σ log L_ii. */
export function logDeterminant(factor: CholeskyFactor): number {
  let sum = 0;
  for (let i = 0; i < factor.n; i++) sum += Math.log(factor.lower[i * factor.n + i]!);
  return 2 * sum;
}

/** The inverse of a lower-triangular matrix (itself lower triangular), by forward substitution on the identity. */
export function invertLower(lower: Float64Array, n: number): Float64Array {
  checkSquare(lower, n, "invertLower");
  const inv = new Float64Array(n * n);
  // Row i of L⁻¹: (e_i - Σ_{k<i} L_ik · row k of L⁻¹) / L_ii, every row read and written contiguously.
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let k = 0; k < i; k++) {
      const lik = lower[row + k]!;
      if (lik === 0) continue;
      const rowK = k * n;
      for (let j = 0; j <= k; j++) inv[row + j]! -= lik * inv[rowK + j]!;
    }
    inv[row + i] = 1;
    const scale = 1 / lower[row + i]!;
    for (let j = 0; j <= i; j++) inv[row + j]! *= scale;
  }
  return inv;
}

/** A⁻¹ = L⁻ᵀ·L⁻¹ from the Cholesky factor of A (symmetric, both triangles filled). */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const { n } = factor;
  const inverseLower = invertLower(factor.lower, n);
  const out = new Float64Array(n * n);
  // (A⁻¹)_ij = Σ_k (L⁻¹)_ki (L⁻¹)_kj over k ≥ max(i, j): accumulate one row k of L⁻¹ at a time (rank-one updates).
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i <= k; i++) {
      const lki = inverseLower[rowK + i]!;
      if (lki === 0) continue;
      const rowI = i * n;
      for (let j = 0; j <= i; j++) out[rowI + j]! += lki * inverseLower[rowK + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j]!;
  return out;
}
