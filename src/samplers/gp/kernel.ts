/**
 * @module The Matérn-5/2 covariance with one lengthscale per input column (automatic relevance determination).
 *
 * k(a, b) = σ²_f · m(s) with s = Σ_d δ_d(a, b) / ℓ_d² and m(s) = (1 + √(5s) + 5s/3)·e^{-√(5s)}, where δ_d is the
 * squared difference on a numeric column and 0 or 1 (same choice or not) on a categorical one. Matérn-5/2 is
 * twice differentiable, rough enough for real objectives yet smooth enough for gradient-based acquisition search.
 * Writing it in s = r² keeps its derivative finite at a = b, where the derivative in r needs a limit.
 *
 * The first-order additive form k(a, b) = Σ_d v_d·m(δ_d(a, b)/ℓ_d²) (Duvenaud, Nickisch and Rasmussen, "Additive
 * Gaussian Processes", NeurIPS 2011) models a sum of one-column functions: a separable objective, such as one whose
 * parameters act independently, or Rastrigin's bowl with its grid of local minima, which the product kernel can
 * only learn cell by cell of the grid.
 *
 * A parameter that a trial did not have (a conditional one, inactive in that trial) is encoded as NaN: two
 * inactive values are identical (δ = 0) and an inactive value is as far from any active one as the two ends of
 * the range are from each other (δ = 1), so trials of different branches of a conditional space inform each
 * other through the parameters they share.
 */

export interface KernelParams {
  /** One lengthscale per input column, in unit-box coordinates. */
  readonly lengthscales: Float64Array;
  /** The prior variance of the latent function, k(x, x): σ²_f, or Σ_d v_d for the additive kernel. */
  readonly signalVariance: number;
  /** Variance of the observation noise (added on the diagonal of the training covariance only). */
  readonly noiseVariance: number;
  /** The additive kernel's variance per column, v_d; absent for the ARD product kernel. */
  readonly componentVariances?: Float64Array;
}

/** m(s), the Matérn-5/2 correlation at scaled squared distance s. */
export function matern52(s: number): number {
  const r = Math.sqrt(5 * s);
  return (1 + r + (r * r) / 3) * Math.exp(-r);
}

/** dm/ds = -(5/6)(1 + √(5s))·e^{-√(5s)}, finite (-5/6) at s = 0. */
export function matern52Slope(s: number): number {
  const r = Math.sqrt(5 * s);
  return (-5 / 6) * (1 + r) * Math.exp(-r);
}

/**
 * Per column, how much the latent function can change from one end of the column's range to the other, as a share
 * of its prior variance: 1 − m(1/ℓ_d²), weighted by the column's share v_d/Σv of the variance in the additive form.
 * Near 0, the fit has found no effect of the column (a lengthscale many times the range, or no variance).
 */
export function columnReach(params: KernelParams): Float64Array {
  const { lengthscales, componentVariances, signalVariance } = params;
  return lengthscales.map((l, d) => (1 - matern52(1 / (l * l))) * (componentVariances ? componentVariances[d]! / signalVariance : 1));
}

/** 1/ℓ_d² per column: the weights of the scaled squared distance. */
export function distanceWeights(params: KernelParams): Float64Array {
  return params.lengthscales.map((l) => 1 / (l * l));
}

/** Unit-box value of a parameter the trial did not have. */
export const INACTIVE = NaN;

/**
 * Per-column distance term δ_d between row `i` of `x` and row `j` of `y` (both flat, `dim` columns): squared
 * difference on numeric columns, 0/1 on categorical ones, 0/1 when either is inactive (NaN).
 */
export function columnDistance(x: Float64Array, i: number, y: Float64Array, j: number, column: number, dim: number, categorical: Uint8Array): number {
  const a = x[i * dim + column]!;
  const b = y[j * dim + column]!;
  // NaN compares unequal to everything, itself included.
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : 1;
  if (categorical[column]) return a === b ? 0 : 1;
  return (a - b) * (a - b);
}

/** s = Σ_d w_d·δ_d between row `i` of `x` and row `j` of `y`. */
export function scaledDistance(
  x: Float64Array,
  i: number,
  y: Float64Array,
  j: number,
  weights: Float64Array,
  categorical: Uint8Array,
): number {
  const dim = weights.length;
  let s = 0;
  for (let d = 0; d < dim; d++) {
    // The common case inline (numeric, both active: the difference is a number); this runs n times per candidate.
    const difference = x[i * dim + d]! - y[j * dim + d]!;
    s += weights[d]! * (categorical[d] || difference !== difference ? columnDistance(x, i, y, j, d, dim, categorical) : difference * difference);
  }
  return s;
}

/** k(row i of x, row j of y); `weights` are the params' `distanceWeights`. */
export function covariance(
  x: Float64Array,
  i: number,
  y: Float64Array,
  j: number,
  params: KernelParams,
  weights: Float64Array,
  categorical: Uint8Array,
): number {
  const variances = params.componentVariances;
  if (!variances) return params.signalVariance * matern52(scaledDistance(x, i, y, j, weights, categorical));
  const dim = weights.length;
  let k = 0;
  for (let d = 0; d < dim; d++) k += variances[d]! * matern52(weights[d]! * columnDistance(x, i, y, j, d, dim, categorical));
  return k;
}

/**
 * ∂k(row i of x, point)/∂point into `out`: 2 w_d (p_d - x_id) times the slope of the Matérn term in s (the one
 * product term, or column d's own additive term). Zero on categorical and inactive columns, which have no slope.
 */
export function covarianceGradient(
  x: Float64Array,
  i: number,
  point: Float64Array,
  params: KernelParams,
  weights: Float64Array,
  categorical: Uint8Array,
  out: Float64Array,
): void {
  const dim = weights.length;
  const variances = params.componentVariances;
  const productSlope = variances ? 0 : params.signalVariance * matern52Slope(scaledDistance(x, i, point, 0, weights, categorical));
  for (let d = 0; d < dim; d++) {
    const change = 2 * weights[d]! * (point[d]! - x[i * dim + d]!);
    if (categorical[d] || change !== change) {
      out[d] = 0;
      continue;
    }
    const slope = variances ? variances[d]! * matern52Slope(weights[d]! * columnDistance(x, i, point, 0, d, dim, categorical)) : productSlope;
    out[d] = slope * change;
  }
}
