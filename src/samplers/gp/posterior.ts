/**
 * @module The posterior of a Gaussian process with fixed hyperparameters: mean, variance and their gradients.
 *
 * Built once per proposal from the training data (one Cholesky factorisation), then queried thousands of times by
 * the acquisition search: a prediction costs one forward substitution (O(n²)), a prediction with gradients two.
 * The variance is that of the latent function, without observation noise, which is what expected improvement
 * needs. Pending evaluations are added as fantasy observations (see `withFantasies`), so that the acquisition
 * steers parallel proposals away from points that are already being evaluated.
 */
import { cholesky, choleskySolve, type CholeskyFactor } from "../../math/linalg.js";
import { distanceWeights, matern52, matern52Slope, scaledDistance, type KernelParams } from "./kernel.js";
import type { TrainingData } from "./hyperparameters.js";

/** Variances are floored at this fraction of the signal variance, so that σ and log σ stay finite. */
const VARIANCE_FLOOR = 1e-12;

export class GaussianProcess {
  readonly data: TrainingData;
  readonly params: KernelParams;
  private readonly weights: Float64Array;
  private readonly factor: CholeskyFactor;
  private readonly alpha: Float64Array;
  private readonly k: Float64Array;
  private readonly slopes: Float64Array;
  private readonly w: Float64Array;

  constructor(data: TrainingData, params: KernelParams) {
    const { n, x, categorical } = data;
    this.data = data;
    this.params = params;
    this.weights = distanceWeights(params);
    const covariance = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      covariance[i * n + i] = params.signalVariance + params.noiseVariance;
      for (let j = 0; j < i; j++) {
        const k = params.signalVariance * matern52(scaledDistance(x, i, x, j, this.weights, categorical));
        covariance[i * n + j] = k;
        covariance[j * n + i] = k;
      }
    }
    this.factor = cholesky(covariance, n);
    this.alpha = choleskySolve(this.factor, data.y);
    this.k = new Float64Array(n);
    this.slopes = new Float64Array(n);
    this.w = new Float64Array(n);
  }

  /** Fills `this.k` with k(x_i, point) (and `this.slopes` with σ²_f·m'(s_i)) for a point at row `row` of `points`. */
  private covariances(points: Float64Array, row: number): void {
    const { n, x, categorical } = this.data;
    const { signalVariance } = this.params;
    for (let i = 0; i < n; i++) {
      const s = scaledDistance(x, i, points, row, this.weights, categorical);
      this.k[i] = signalVariance * matern52(s);
      this.slopes[i] = signalVariance * matern52Slope(s);
    }
  }

  /** w = L⁻¹k (forward substitution into `this.w`); returns |w|² = kᵀK⁻¹k, the variance the data explain. */
  private explainedVariance(): number {
    const { n } = this.data;
    const { lower } = this.factor;
    let explained = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let sum = this.k[i]!;
      for (let j = 0; j < i; j++) sum -= lower[row + j]! * this.w[j]!;
      const wi = sum / lower[row + i]!;
      this.w[i] = wi;
      explained += wi * wi;
    }
    return explained;
  }

  private meanFromCovariances(): number {
    let mean = 0;
    for (let i = 0; i < this.data.n; i++) mean += this.k[i]! * this.alpha[i]!;
    return mean;
  }

  /** Posterior mean and latent variance at each of the `count` rows of `points` (flat, `dim` columns). */
  predict(points: Float64Array, count: number): { mean: Float64Array; variance: Float64Array } {
    const mean = new Float64Array(count);
    const variance = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      this.covariances(points, r);
      mean[r] = this.meanFromCovariances();
      variance[r] = Math.max(this.params.signalVariance - this.explainedVariance(), VARIANCE_FLOOR * this.params.signalVariance);
    }
    return { mean, variance };
  }

  /**
   * Mean and variance at one point, writing their gradients with respect to the point into `meanGradient` and
   * `varianceGradient` (zero on categorical columns, which are not differentiable, and on inactive ones).
   */
  predictWithGradient(point: Float64Array, meanGradient: Float64Array, varianceGradient: Float64Array): { mean: number; variance: number } {
    const { n, dim, x, categorical } = this.data;
    this.covariances(point, 0);
    const mean = this.meanFromCovariances();
    const rawVariance = this.params.signalVariance - this.explainedVariance();
    const floor = VARIANCE_FLOOR * this.params.signalVariance;
    // v = K⁻¹k = L⁻ᵀw, overwriting w (rows of L are contiguous, so eliminate column-wise).
    const { lower } = this.factor;
    const v = this.w;
    for (let i = n - 1; i >= 0; i--) {
      const row = i * n;
      const vi = v[i]! / lower[row + i]!;
      v[i] = vi;
      for (let j = 0; j < i; j++) v[j]! -= lower[row + j]! * vi;
    }
    meanGradient.fill(0);
    varianceGradient.fill(0);
    // ∂k_i/∂p_d = slope_i · 2w_d(p_d - x_id): ∂μ = Σ α_i ∂k_i, ∂σ² = -2 Σ v_i ∂k_i.
    for (let i = 0; i < n; i++) {
      const meanCoefficient = this.alpha[i]! * this.slopes[i]!;
      const varianceCoefficient = -2 * v[i]! * this.slopes[i]!;
      for (let d = 0; d < dim; d++) {
        // Categorical and inactive (NaN) columns contribute a constant distance: no slope.
        const change = 2 * this.weights[d]! * (point[d]! - x[i * dim + d]!);
        if (categorical[d] || change !== change) continue;
        meanGradient[d]! += meanCoefficient * change;
        varianceGradient[d]! += varianceCoefficient * change;
      }
    }
    if (rawVariance <= floor) varianceGradient.fill(0);
    return { mean, variance: Math.max(rawVariance, floor) };
  }

  /**
   * This process conditioned on fantasy observations at the `count` rows of `points`: the posterior mean there
   * (the "kriging believer", which leaves the mean unchanged and removes the variance), raised to `atLeast` when
   * the mean is lower (a "constant liar" that does not let a pending point look better than `atLeast`).
   */
  withFantasies(points: Float64Array, count: number, atLeast = -Infinity): GaussianProcess {
    if (count === 0) return this;
    const mean = this.predict(points, count).mean.map((m) => Math.max(m, atLeast));
    const { n, dim } = this.data;
    const x = new Float64Array((n + count) * dim);
    x.set(this.data.x);
    x.set(points.subarray(0, count * dim), n * dim);
    const y = new Float64Array(n + count);
    y.set(this.data.y);
    y.set(mean, n);
    return new GaussianProcess({ ...this.data, x, y, n: n + count }, this.params);
  }
}
