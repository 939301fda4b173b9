/**
 * @module Fitting the kernel's hyperparameters: maximum a posteriori under the log marginal likelihood.
 *
 * The hyperparameters are optimised in log space — θ = (log ℓ_1, …, log ℓ_D, log σ²_f, log σ²_n) for the ARD
 * product kernel, (log ℓ_1, …, log ℓ_D, log v_1, …, log v_D, log σ²_n) for the additive one — by bounded L-BFGS on
 * the negative log posterior with its analytic gradient
 *   ∂/∂θ_j [½ yᵀK⁻¹y + ½ log|K|] = -½ tr((ααᵀ - K⁻¹) ∂K/∂θ_j),  α = K⁻¹y,
 * which costs one Cholesky factorisation and one inverse per evaluation. Weak priors keep the fit away from the
 * degenerate solutions of small data sets (all noise, or lengthscales collapsing onto the points):
 * - log ℓ_d ~ N(log(½√D), sd √3): lengthscales grow like √D, as typical distances in the unit box do (the scaling
 *   of Hvarfner, Hellsten and Nardi, "Vanilla Bayesian Optimization Performs Great in High Dimensions", ICML 2024,
 *   with a shorter median: their longer one made early fits nearly linear and sent proposals to the corners);
 *   an additive term sees one column, so its median is ½;
 * - log σ²_f ~ N(0, 1), since the outputs are standardised; each additive variance log v_d ~ N(-log D, 1);
 * - σ²_n ~ Gamma(0.1, 2): almost flat in log σ²_n for small noise, so a deterministic objective can be fitted
 *   closely enough to locate its optimum precisely, while large noise stays affordable for noisy objectives.
 */
import { cholesky, choleskyInverse, choleskySolve, dot, logDeterminant } from "../../math/linalg.js";
import { minimizeBounded } from "../../math/lbfgs.js";
import { columnDistance, matern52, matern52Slope, type KernelParams } from "./kernel.js";

/** Inputs in the unit box (n rows of `dim` columns, flat) and standardised outputs. */
export interface TrainingData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly dim: number;
  /** 1 for categorical columns, compared by equality. */
  readonly categorical: Uint8Array;
}

/** The smallest noise variance (in standardised units): also the fixed noise of deterministic objectives. */
export const MIN_NOISE_VARIANCE = 1e-8;
const LENGTHSCALE_RANGE = [1e-2, 1e2] as const;
const SIGNAL_VARIANCE_RANGE = [1e-3, 1e3] as const;
const MAX_NOISE_VARIANCE = 10;
const SIGNAL_PRIOR_SD = 1;
const LENGTHSCALE_PRIOR_SD = Math.sqrt(3);
const NOISE_PRIOR = { shape: 0.1, rate: 2 };
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export interface FitOptions {
  /** Fix the noise at `MIN_NOISE_VARIANCE` instead of fitting it. */
  readonly deterministic: boolean;
  /** Log parameters of an earlier fit to start from, besides (or, with `onlyWarmStart`, instead of) the default. */
  readonly warmStart?: Float64Array | null;
  /** Skip the default starting point when a warm start is given (saves a cold optimisation on large data). */
  readonly onlyWarmStart?: boolean;
  /** Iteration limit of the run from the warm start (default `maxIterations`). */
  readonly warmStartIterations?: number;
  readonly maxIterations?: number;
  /** The kernel's form (default "ard"). */
  readonly structure?: KernelStructure;
}

export interface FittedKernel {
  readonly structure: KernelStructure;
  readonly params: KernelParams;
  /** The log parameters θ of `params`. */
  readonly theta: Float64Array;
  /** The negative log posterior at θ. */
  readonly objective: number;
  /** -log p(y | θ), the fit to the data alone (the posterior without the prior). */
  readonly negativeLogLikelihood: number;
}

/**
 * The kernel's form (see `kernel.ts`): the ARD product kernel, θ = (log ℓ_1..D, log σ²_f, log σ²_n), or the
 * first-order additive kernel, θ = (log ℓ_1..D, log v_1..D, log σ²_n). The noise is last in both.
 */
export type KernelStructure = "ard" | "additive";

function thetaLength(dim: number, structure: KernelStructure): number {
  return structure === "ard" ? dim + 2 : 2 * dim + 1;
}

/** Kernel parameters from log parameters θ. */
export function paramsFromTheta(theta: ArrayLike<number>, dim: number, structure: KernelStructure = "ard"): KernelParams {
  const lengthscales = Float64Array.from({ length: dim }, (_, d) => Math.exp(theta[d]!));
  const noiseVariance = Math.exp(theta[thetaLength(dim, structure) - 1]!);
  if (structure === "ard") return { lengthscales, signalVariance: Math.exp(theta[dim]!), noiseVariance };
  const componentVariances = Float64Array.from({ length: dim }, (_, d) => Math.exp(theta[dim + d]!));
  return { lengthscales, signalVariance: componentVariances.reduce((sum, v) => sum + v, 0), noiseVariance, componentVariances };
}

/** Median lengthscale of the prior, and the default starting point: ½√D (½ for a one-column additive term). */
function typicalLogLengthscale(dim: number, structure: KernelStructure): number {
  return Math.log(0.5) + (structure === "ard" ? 0.5 * Math.log(dim) : 0);
}

/** Prior median of one variance: the outputs are standardised, so the variances add up to about 1. */
function typicalLogVariance(dim: number, structure: KernelStructure): number {
  return structure === "ard" ? 0 : -Math.log(dim);
}

/** Bounds of θ; a deterministic objective pins the noise at its minimum. */
export function thetaBounds(dim: number, deterministic: boolean, structure: KernelStructure = "ard"): { lower: Float64Array; upper: Float64Array } {
  const size = thetaLength(dim, structure);
  const lower = new Float64Array(size).fill(Math.log(SIGNAL_VARIANCE_RANGE[0]));
  const upper = new Float64Array(size).fill(Math.log(SIGNAL_VARIANCE_RANGE[1]));
  lower.fill(Math.log(LENGTHSCALE_RANGE[0]), 0, dim);
  upper.fill(Math.log(LENGTHSCALE_RANGE[1]), 0, dim);
  lower[size - 1] = Math.log(MIN_NOISE_VARIANCE);
  upper[size - 1] = deterministic ? lower[size - 1]! : Math.log(MAX_NOISE_VARIANCE);
  return { lower, upper };
}

/** The default starting point: the prior's medians, small noise. */
export function defaultTheta(dim: number, deterministic: boolean, structure: KernelStructure = "ard"): Float64Array {
  const size = thetaLength(dim, structure);
  const theta = new Float64Array(size).fill(typicalLogVariance(dim, structure));
  theta.fill(typicalLogLengthscale(dim, structure), 0, dim);
  theta[size - 1] = deterministic ? Math.log(MIN_NOISE_VARIANCE) : Math.log(1e-3);
  return theta;
}

/** log p(θ) up to a constant, adding its gradient into `gradient` when given. */
export function logPrior(theta: ArrayLike<number>, dim: number, gradient: Float64Array | null, structure: KernelStructure = "ard"): number {
  let value = 0;
  const term = (index: number, mean: number, sd: number) => {
    const z = (theta[index]! - mean) / sd;
    value -= 0.5 * z * z;
    if (gradient) gradient[index]! -= z / sd;
  };
  const size = thetaLength(dim, structure);
  const lengthscaleMean = typicalLogLengthscale(dim, structure);
  for (let d = 0; d < dim; d++) term(d, lengthscaleMean, LENGTHSCALE_PRIOR_SD);
  for (let j = dim; j < size - 1; j++) term(j, typicalLogVariance(dim, structure), SIGNAL_PRIOR_SD);
  // Gamma(shape, rate) on σ²_n = e^θ, as a density of θ (with the Jacobian e^θ): shape·θ - rate·e^θ.
  const noise = Math.exp(theta[size - 1]!);
  value += NOISE_PRIOR.shape * theta[size - 1]! - NOISE_PRIOR.rate * noise;
  if (gradient) gradient[size - 1]! += NOISE_PRIOR.shape - NOISE_PRIOR.rate * noise;
  return value;
}

/**
 * The negative log posterior -log p(y | θ) - log p(θ) of one data set, as a function of θ with its gradient.
 * Per-column distances of every pair of points are computed once, so each evaluation costs O(n²D) for the
 * covariance and its derivatives plus O(n³) for the factorisation and inverse.
 */
export function negativeLogPosterior(
  data: TrainingData,
  structure: KernelStructure = "ard",
): (theta: Float64Array, gradient: Float64Array | null) => number {
  const { n, dim, x, y, categorical } = data;
  const pairs = (n * (n - 1)) / 2;
  const size = thetaLength(dim, structure);
  // Column-major (one run of all pairs per column), so that the covariance and the gradient sweep contiguous memory.
  const distances = new Float64Array(pairs * dim);
  for (let d = 0; d < dim; d++) {
    const column = d * pairs;
    for (let i = 1, p = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) distances[column + p] = columnDistance(x, i, x, j, d, dim, categorical);
    }
  }
  const covariance = new Float64Array(n * n);
  const pairCovariance = new Float64Array(pairs);
  // W_ij per pair, once the gradient is asked for (see below).
  const pairWeights = new Float64Array(pairs);
  const terms = new PairTerms(structure, distances, pairs, dim);

  return (theta, gradient) => {
    const signal = terms.covariances(theta, pairCovariance, gradient !== null);
    const noise = Math.exp(theta[size - 1]!);
    for (let i = 0; i < n; i++) covariance[i * n + i] = signal + noise;
    for (let i = 1, p = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        covariance[i * n + j] = pairCovariance[p]!;
        covariance[j * n + i] = pairCovariance[p]!;
      }
    }
    let factor;
    try {
      factor = cholesky(covariance, n);
    } catch (error) {
      if (error instanceof RangeError) return Infinity;
      throw error;
    }
    const alpha = choleskySolve(factor, y);
    let fit = 0;
    for (let i = 0; i < n; i++) fit += y[i]! * alpha[i]!;
    const value = 0.5 * fit + 0.5 * logDeterminant(factor) + n * HALF_LOG_2PI - logPrior(theta, dim, null, structure);
    if (!gradient) return value;

    // W = ααᵀ - K⁻¹; ∂(-log p(y|θ))/∂θ_j = -½ Σ_ij W_ij ∂K_ij/∂θ_j, the sum split into diagonal and pairs.
    const inverse = choleskyInverse(factor);
    let diagonal = 0;
    for (let i = 0; i < n; i++) diagonal += alpha[i]! * alpha[i]! - inverse[i * n + i]!;
    for (let i = 1, p = 0; i < n; i++) {
      const ai = alpha[i]!;
      const row = i * n;
      for (let j = 0; j < i; j++, p++) pairWeights[p] = ai * alpha[j]! - inverse[row + j]!;
    }
    terms.gradient(theta, pairWeights, pairCovariance, diagonal, gradient);
    // ∂K/∂log σ²_n = σ²_n I.
    gradient[size - 1] = -0.5 * diagonal * noise;
    const priorGradient = new Float64Array(size);
    logPrior(theta, dim, priorGradient, structure);
    for (let j = 0; j < size; j++) gradient[j]! -= priorGradient[j]!;
    return value;
  };
}

/** The kernel over every training pair, and its derivatives in the kernel's own parameters (all but the noise). */
class PairTerms {
  private readonly weights: Float64Array;
  /** Per pair (ARD) or per column and pair (additive): m'(s), the Matérn slope, kept for the gradient. */
  private readonly slopes: Float64Array;
  /** Additive only, per column and pair: m(s_d), each column's correlation. */
  private readonly correlations: Float64Array;

  constructor(
    private readonly structure: KernelStructure,
    private readonly distances: Float64Array,
    private readonly pairs: number,
    private readonly dim: number,
  ) {
    this.weights = new Float64Array(dim);
    this.slopes = new Float64Array(structure === "ard" ? pairs : pairs * dim);
    this.correlations = new Float64Array(structure === "ard" ? 0 : pairs * dim);
  }

  /** Writes k per pair into `out` and returns k(x, x), the prior variance. */
  covariances(theta: Float64Array, out: Float64Array, withSlopes: boolean): number {
    const { pairs, dim, distances, weights, slopes } = this;
    for (let d = 0; d < dim; d++) weights[d] = Math.exp(-2 * theta[d]!);
    if (this.structure === "ard") {
      // s_p = Σ_d w_d δ_pd, then k_p = σ²_f m(s_p).
      out.fill(0);
      for (let d = 0; d < dim; d++) {
        const w = weights[d]!;
        const column = d * pairs;
        for (let p = 0; p < pairs; p++) out[p]! += w * distances[column + p]!;
      }
      const signal = Math.exp(theta[dim]!);
      for (let p = 0; p < pairs; p++) {
        const s = out[p]!;
        if (withSlopes) slopes[p] = matern52Slope(s);
        out[p] = signal * matern52(s);
      }
      return signal;
    }
    // k_p = Σ_d v_d m(w_d δ_pd).
    out.fill(0);
    let total = 0;
    for (let d = 0; d < dim; d++) {
      const w = weights[d]!;
      const v = Math.exp(theta[dim + d]!);
      total += v;
      const column = d * pairs;
      for (let p = 0; p < pairs; p++) {
        const s = w * distances[column + p]!;
        const m = matern52(s);
        this.correlations[column + p] = m;
        if (withSlopes) slopes[column + p] = matern52Slope(s);
        out[p]! += v * m;
      }
    }
    return total;
  }

  /**
   * Writes -½ Σ_ij W_ij ∂K_ij/∂θ_j for the kernel's parameters, from W per pair, Σ_i W_ii (`diagonal`) and the
   * pair covariances of the same θ (after `covariances` with slopes).
   */
  gradient(theta: Float64Array, pairWeights: Float64Array, pairCovariance: Float64Array, diagonal: number, gradient: Float64Array): void {
    const { pairs, dim, distances, weights, slopes } = this;
    if (this.structure === "ard") {
      // ∂K_p/∂log ℓ_d = σ²_f m'(s_p)·(-2 w_d δ_pd); ∂K/∂log σ²_f = K without the noise.
      const signal = Math.exp(theta[dim]!);
      let offDiagonal = 0;
      for (let p = 0; p < pairs; p++) {
        offDiagonal += pairWeights[p]! * pairCovariance[p]!;
        slopes[p]! *= pairWeights[p]!; // spent: the next `covariances` writes them afresh
      }
      for (let d = 0; d < dim; d++) gradient[d] = 2 * weights[d]! * signal * dot(slopes, 0, distances, d * pairs, pairs);
      gradient[dim] = -0.5 * (diagonal * signal + 2 * offDiagonal);
      return;
    }
    // ∂K_p/∂log ℓ_d = v_d m'(s_pd)·(-2 s_pd), s_pd = w_d δ_pd; ∂K_p/∂log v_d = v_d m(s_pd), ∂K_ii/∂log v_d = v_d.
    for (let d = 0; d < dim; d++) {
      const v = Math.exp(theta[dim + d]!);
      const w = weights[d]!;
      const column = d * pairs;
      let lengthscaleSum = 0;
      let varianceSum = 0;
      for (let p = 0; p < pairs; p++) {
        const c = pairWeights[p]!;
        lengthscaleSum += c * slopes[column + p]! * w * distances[column + p]!;
        varianceSum += c * this.correlations[column + p]!;
      }
      gradient[d] = 2 * v * lengthscaleSum;
      gradient[dim + d] = -0.5 * diagonal * v - v * varianceSum;
    }
  }
}

/**
 * MAP hyperparameters: bounded L-BFGS from the default starting point and from a warm start (an earlier fit),
 * keeping the better optimum. A run stops when an iteration gains less than 1e-5 of the objective (0.002 nats at
 * 300 observations, far below what separates two fits in their predictions). Deterministic: the same data and warm
 * start always give the same result.
 */
export function fitKernel(data: TrainingData, options: FitOptions): FittedKernel {
  const structure = options.structure ?? "ard";
  const objective = negativeLogPosterior(data, structure);
  const bounds = thetaBounds(data.dim, options.deterministic, structure);
  const starts: Float64Array[] = [];
  const warm = options.warmStart && options.warmStart.length === thetaLength(data.dim, structure) ? options.warmStart : null;
  if (!(warm && options.onlyWarmStart)) starts.push(defaultTheta(data.dim, options.deterministic, structure));
  if (warm) starts.push(warm);
  let best: FittedKernel | null = null;
  for (const start of starts) {
    const result = minimizeBounded(objective, start, {
      ...bounds,
      maxIterations: (start === warm ? options.warmStartIterations : undefined) ?? options.maxIterations ?? 100,
      gradientTolerance: 1e-4,
      functionTolerance: 1e-5,
    });
    if (best === null || result.value < best.objective) {
      best = {
        structure,
        params: paramsFromTheta(result.x, data.dim, structure),
        theta: result.x,
        objective: result.value,
        negativeLogLikelihood: result.value + logPrior(result.x, data.dim, null, structure),
      };
    }
  }
  return best!;
}

/**
 * The Bayesian information criterion of a fit, -2 log p(y | θ) + k log n (lower is better): what chooses between
 * the ARD and the additive kernel, the additive one having D - 1 parameters more.
 */
export function informationCriterion(fit: FittedKernel, n: number): number {
  return 2 * fit.negativeLogLikelihood + fit.theta.length * Math.log(n);
}
