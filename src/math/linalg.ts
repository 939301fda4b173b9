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
 * Σ_{k<length} a[aStart + k]·b[bStart + k]. Four partial sums let the CPU overlap the multiply-adds (the
 * factorisation of a 300×300 matrix: 13 → 10 ms against a single running sum).
 */
export function dot(a: Float64Array, aStart: number, b: Float64Array, bStart: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    s0 += a[aStart + k]! * b[bStart + k]!;
    s1 += a[aStart + k + 1]! * b[bStart + k + 1]!;
    s2 += a[aStart + k + 2]! * b[bStart + k + 2]!;
    s3 += a[aStart + k + 3]! * b[bStart + k + 3]!;
  }
  for (; k < length; k++) s0 += a[aStart + k]! * b[bStart + k]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Writes the Cholesky factor of `a + jitter·I` into `out` (Cholesky–Banachiewicz, row by row).
 * Returns false when a pivot is not positive, i.e. the matrix is not numerically positive definite.
 */
function factorInto(a: Float64Array, n: number, jitter: number, out: Float64Array): boolean {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j < i; j++) {
      const rowJ = j * n;
      out[rowI + j] = (a[rowI + j]! - dot(out, rowI, out, rowJ, j)) / out[rowJ + j]!;
    }
    const pivot = a[rowI + i]! - dot(out, rowI, out, rowI, i) + jitter;
    if (!(pivot > 0)) return false;
    out[rowI + i] = Math.sqrt(pivot);
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
    x[i] = (x[i]! - dot(lower, row, x, 0, i)) / lower[row + i]!;
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

/**
 * (L⁻¹)ᵀ, upper triangular, for lower-triangular L. Stored transposed so that both factors of every dot product
 * are contiguous: (L⁻¹)_ij = (δ_ij - Σ_{j≤k<i} L_ik (L⁻¹)_kj) / L_ii, with (L⁻¹)_kj read along row j of the result.
 */
function invertLowerTransposed(lower: Float64Array, n: number): Float64Array {
  const upper = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const scale = 1 / lower[row + i]!;
    for (let j = 0; j < i; j++) upper[j * n + i] = -dot(lower, row + j, upper, j * n + j, i - j) * scale;
    upper[row + i] = scale;
  }
  return upper;
}

/** A⁻¹ = L⁻ᵀ·L⁻¹ from the Cholesky factor of A (symmetric, both triangles filled). */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const { n } = factor;
  const u = invertLowerTransposed(factor.lower, n);
  const out = new Float64Array(n * n);
  // (A⁻¹)_ij = Σ_{k ≥ max(i, j)} (L⁻¹)_ki (L⁻¹)_kj: a dot product of rows i and j of L⁻ᵀ from column max(i, j) = i.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = dot(u, i * n + i, u, j * n + i, n - i);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
