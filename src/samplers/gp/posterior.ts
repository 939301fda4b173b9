/**
 * @module The posterior of a Gaussian process with fixed hyperparameters: mean, variance and their gradients.
 *
 * Built once per proposal from the training data (one Cholesky factorisation), then queried thousands of times by
 * the acquisition search: a prediction costs one forward substitution (O(n²)), a prediction with gradients two.
 * The variance is that of the latent function, without observation noise, which is what expected improvement
 * needs. Pending evaluations are added as fantasy observations (see `withFantasies`), so that the acquisition
 * steers parallel proposals away from points that are already being evaluated.
 */
import { cholesky, choleskySolve, dot, type CholeskyFactor } from "../../math/linalg.js";
import { covariance, covarianceGradient, distanceWeights, type KernelParams } from "./kernel.js";
import type { TrainingData } from "./hyperparameters.js";

/** Variances are floored at this fraction of the signal variance, so that σ and log σ stay finite. */
const VARIANCE_FLOOR = 1e-12;
/** Rows of `predict` solved together (the unrolled substitution below is written for four). */
const BLOCK = 4;

export class GaussianProcess {
  readonly data: TrainingData;
  readonly params: KernelParams;
  private readonly weights: Float64Array;
  private readonly factor: CholeskyFactor;
  /** Lᵀ, so that the back substitution in `predictWithGradient` also reads rows. */
  private readonly upper: Float64Array;
  private readonly alpha: Float64Array;
  private readonly k: Float64Array;
  /** ∂k(x_i, point)/∂point of one training point. */
  private readonly slope: Float64Array;
  private readonly w: Float64Array;

  constructor(data: TrainingData, params: KernelParams) {
    const { n, x, categorical } = data;
    this.data = data;
    this.params = params;
    this.weights = distanceWeights(params);
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      matrix[i * n + i] = params.signalVariance + params.noiseVariance;
      for (let j = 0; j < i; j++) {
        const k = covariance(x, i, x, j, params, this.weights, categorical);
        matrix[i * n + j] = k;
        matrix[j * n + i] = k;
      }
    }
    this.factor = cholesky(matrix, n);
    this.upper = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) this.upper[j * n + i] = this.factor.lower[i * n + j]!;
    this.alpha = choleskySolve(this.factor, data.y);
    this.k = new Float64Array(n);
    this.slope = new Float64Array(data.dim);
    this.w = new Float64Array(n);
  }

  /** Fills `this.k` with k(x_i, point) for the point at row `row` of `points`. */
  private covariances(points: Float64Array, row: number): void {
    const { n, x, categorical } = this.data;
    for (let i = 0; i < n; i++) this.k[i] = covariance(x, i, points, row, this.params, this.weights, categorical);
  }

  /** w = L⁻¹k (forward substitution into `this.w`); returns |w|² = kᵀK⁻¹k, the variance the data explain. */
  private explainedVariance(): number {
    const { n } = this.data;
    const { lower } = this.factor;
    let explained = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const wi = (this.k[i]! - dot(lower, row, this.w, 0, i)) / lower[row + i]!;
      this.w[i] = wi;
      explained += wi * wi;
    }
    return explained;
  }

  private meanFromCovariances(): number {
    return dot(this.k, 0, this.alpha, 0, this.data.n);
  }

  /**
   * Posterior mean and latent variance at each of the `count` rows of `points` (flat, `dim` columns). Rows go
   * through the forward substitution L·w = k four at a time, interleaved, so that each entry of L read serves four
   * points (1.4× faster than one at a time at n = 300, where scoring the acquisition's candidates is most of it).
   */
  predict(points: Float64Array, count: number): { mean: Float64Array; variance: Float64Array } {
    const { n, x, categorical } = this.data;
    const { signalVariance } = this.params;
    const { lower } = this.factor;
    const mean = new Float64Array(count);
    const variance = new Float64Array(count);
    const k = new Float64Array(n * BLOCK);
    const w = new Float64Array(n * BLOCK);
    for (let first = 0; first < count; first += BLOCK) {
      // A short last block repeats its last row.
      for (let b = 0; b < BLOCK; b++) {
        const row = Math.min(first + b, count - 1);
        for (let i = 0; i < n; i++) k[i * BLOCK + b] = covariance(x, i, points, row, this.params, this.weights, categorical);
      }
      let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
      let e0 = 0, e1 = 0, e2 = 0, e3 = 0;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0, q = 0; j < i; j++, q += BLOCK) {
          const l = lower[row + j]!;
          s0 += l * w[q]!;
          s1 += l * w[q + 1]!;
          s2 += l * w[q + 2]!;
          s3 += l * w[q + 3]!;
        }
        const q = i * BLOCK;
        const scale = 1 / lower[row + i]!;
        const a = this.alpha[i]!;
        const w0 = (k[q]! - s0) * scale;
        const w1 = (k[q + 1]! - s1) * scale;
        const w2 = (k[q + 2]! - s2) * scale;
        const w3 = (k[q + 3]! - s3) * scale;
        w[q] = w0;
        w[q + 1] = w1;
        w[q + 2] = w2;
        w[q + 3] = w3;
        e0 += w0 * w0;
        e1 += w1 * w1;
        e2 += w2 * w2;
        e3 += w3 * w3;
        m0 += k[q]! * a;
        m1 += k[q + 1]! * a;
        m2 += k[q + 2]! * a;
        m3 += k[q + 3]! * a;
      }
      const explained = [e0, e1, e2, e3];
      const means = [m0, m1, m2, m3];
      for (let b = 0; b < BLOCK && first + b < count; b++) {
        mean[first + b] = means[b]!;
        variance[first + b] = Math.max(signalVariance - explained[b]!, VARIANCE_FLOOR * signalVariance);
      }
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
    // v = K⁻¹k = L⁻ᵀw, overwriting w: v_i = (w_i - Σ_{j>i} (Lᵀ)_ij v_j) / L_ii along row i of Lᵀ.
    const { upper } = this;
    const v = this.w;
    for (let i = n - 1; i >= 0; i--) {
      const row = i * n;
      v[i] = (v[i]! - dot(upper, row + i + 1, v, i + 1, n - 1 - i)) / upper[row + i]!;
    }
    meanGradient.fill(0);
    varianceGradient.fill(0);
    // ∂μ = Σ α_i ∂k_i, ∂σ² = -2 Σ v_i ∂k_i.
    for (let i = 0; i < n; i++) {
      covarianceGradient(x, i, point, this.params, this.weights, categorical, this.slope);
      const meanCoefficient = this.alpha[i]!;
      const varianceCoefficient = -2 * v[i]!;
      for (let d = 0; d < dim; d++) {
        meanGradient[d]! += meanCoefficient * this.slope[d]!;
        varianceGradient[d]! += varianceCoefficient * this.slope[d]!;
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
