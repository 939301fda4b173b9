/**
 * @module The (μ/μ_w, λ)-CMA-ES of Hansen's tutorial as a pure state machine over the unit box, with margin.
 *
 * `distribution.sample(rng)` draws a candidate (`distribution.mirror(candidate)` reflects one through the mean) and
 * `tell(raws, values)` updates the search distribution from one
 * complete generation (weighted recombination, cumulative step-size adaptation, rank-one plus active rank-μ
 * covariance update). Nothing here reads a clock or a global generator, so the same inputs give the same state.
 *
 * Continuous axes live in [0, 1]: a candidate is redrawn until it lies inside, then clipped. Discrete axes (integer
 * or stepped parameters, whose grid values own cells of the box) are unbounded in the Gaussian and encoded to a
 * cell; the margin correction of Hamano et al. (2022, "CMA-ES with Margin") keeps the probability of leaving the
 * mean's cell at least α = 1/(nλ), so the search never freezes on one grid value while it is still improving.
 */
import { symmetricEigen } from "../../math/eigen.js";
import { normalCdf, normalQuantile } from "../../math/normal.js";
import type { Rng } from "../../math/random.js";

/** A discrete axis of the box: grid values own consecutive cells of [0, 1]. */
export interface DiscreteAxis {
  /** Number of grid values, at least 2. */
  readonly cells: number;
  /** The cell a coordinate falls in (coordinates outside [0, 1] fall in the end cells). */
  cellOf(coordinate: number): number;
  /** The coordinate separating cell `cell` from cell `cell + 1`. */
  boundary(cell: number): number;
}

export interface CmaEsConfig {
  /** Initial mean, one coordinate per axis, inside [0, 1]. */
  readonly mean: ArrayLike<number>;
  /** Initial step size (in box units). */
  readonly sigma: number;
  /** Candidates per generation, λ (default 4 + ⌊3 ln n⌋). */
  readonly popsize?: number;
  /** Per axis: its grid, or null for a continuous axis (default: all continuous). */
  readonly discrete?: readonly (DiscreteAxis | null)[];
  /** Apply the margin correction to discrete axes (default true). */
  readonly withMargin?: boolean;
}

/**
 * Why a run has stagnated (Hansen's termination criteria): `tolfun` the best values of the last 10 + ⌈30n/λ⌉
 * generations and all of this one lie within 1e-12; `tolx` every coordinate's standard deviation and evolution
 * path are below 1e-12 σ₀; `noeffectaxis` / `noeffectcoord` a step of 0.1 σ along a principal axis / 0.2 σ along
 * a coordinate no longer changes the mean in floating point; `conditioncov` the condition number of C exceeds
 * 1e14; `flatfitness` the best and the ⌈0.7λ⌉-th best values were equal in two consecutive generations.
 */
export type StopReason = "tolfun" | "tolx" | "noeffectaxis" | "noeffectcoord" | "conditioncov" | "flatfitness";

/** A candidate: `raw` is the Gaussian sample (told back), `point` where to evaluate it (discrete axes encoded). */
export interface Candidate {
  readonly raw: Float64Array;
  readonly point: Float64Array;
}

const TOL_FUN = 1e-12;
const TOL_X_FACTOR = 1e-12;
const MAX_CONDITION = 1e14;
const FLAT_GENERATIONS = 2;
const RESAMPLING_PER_DIMENSION = 10;
/** Eigenvalues of C below this fraction of the largest are rounding noise and are lifted to it. */
const EIGENVALUE_FLOOR = 1e-20;
/** Keeps margin probabilities strictly inside (0, 1/2), where Φ⁻¹ is finite and positive. */
const PROBABILITY_CLIP = 1e-10;

export function defaultPopsize(dimension: number): number {
  return 4 + Math.floor(3 * Math.log(dimension));
}

/** The learning rates and weights of the default strategy (Hansen 2016, "The CMA Evolution Strategy: A Tutorial"). */
interface Strategy {
  readonly lambda: number;
  readonly mu: number;
  /** Active weights by rank: positive for the best μ (summing to 1), negative for the rest. */
  readonly weights: Float64Array;
  readonly muEff: number;
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  /** E‖N(0, I)‖. */
  readonly chiN: number;
  /** Generations of best values that TolFun looks back over. */
  readonly historyLength: number;
}

function strategy(n: number, lambda: number): Strategy {
  const mu = Math.floor(lambda / 2);
  const prime = Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const effective = (ws: readonly number[]) => ws.reduce((a, b) => a + b, 0) ** 2 / ws.reduce((a, b) => a + b * b, 0);
  const muEff = effective(prime.slice(0, mu));
  const negative = prime.slice(mu).filter((w) => w < 0);
  const muEffMinus = negative.length > 0 ? effective(negative) : 0;
  const alphaCov = 2;
  const c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
  // Negative weights are scaled so that the active update keeps C positive definite (tutorial eq. 50–53).
  const alphaMinus = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu));
  const positiveSum = prime.filter((w) => w > 0).reduce((a, b) => a + b, 0);
  const negativeSum = -negative.reduce((a, b) => a + b, 0);
  const weights = Float64Array.from(prime, (w) => (w >= 0 ? w / positiveSum : (alphaMinus * w) / negativeSum));
  const cSigma = (muEff + 2) / (n + muEff + 5);
  return {
    lambda,
    mu,
    weights,
    muEff,
    cc: (4 + muEff / n) / (n + 4 + (2 * muEff) / n),
    c1,
    cmu,
    cSigma,
    dSigma: 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma,
    chiN: Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)),
    historyLength: 10 + Math.ceil((30 * n) / lambda),
  };
}

/**
 * The search distribution of one generation: N(mean, σ² B diag(D²) Bᵀ), with the margin's scaling A applied
 * when encoding discrete axes. Immutable, so a generation can be sampled after the optimiser has moved on.
 */
export class SearchDistribution {
  constructor(
    readonly mean: Float64Array,
    readonly sigma: number,
    /** Eigenvectors of C, row-major, one per column. */
    private readonly basis: Float64Array,
    /** Square roots of C's eigenvalues. */
    private readonly scales: Float64Array,
    /** Margin scaling per axis (1 for continuous axes). */
    readonly encodingScale: Float64Array,
    private readonly discrete: readonly (DiscreteAxis | null)[],
  ) {}

  /** Draws until the continuous axes lie in [0, 1] (at most 10n times, then clips). */
  sample(rng: Rng): Candidate {
    const n = this.mean.length;
    const raw = new Float64Array(n);
    const z = new Float64Array(n);
    for (let attempt = 0; ; attempt++) {
      for (let i = 0; i < n; i++) z[i] = this.scales[i]! * rng.normal();
      for (let i = 0; i < n; i++) {
        let y = 0;
        for (let k = 0; k < n; k++) y += this.basis[i * n + k]! * z[k]!;
        raw[i] = this.mean[i]! + this.sigma * y;
      }
      if (this.inside(raw)) break;
      if (attempt + 1 >= RESAMPLING_PER_DIMENSION * n) {
        for (let i = 0; i < n; i++) if (this.discrete[i] == null) raw[i] = Math.min(1, Math.max(0, raw[i]!));
        break;
      }
    }
    return { raw, point: this.encode(raw) };
  }

  /**
   * The candidate mirrored through the mean, m − (x − m), or null when it leaves [0, 1] on a continuous axis.
   * Evaluating a sample and its mirror (Brockhoff et al. 2010) cancels the sampling noise of the mean's first-order
   * move, which is what the small populations of a short run suffer from most.
   */
  mirror(candidate: Candidate): Candidate | null {
    const raw = Float64Array.from(candidate.raw, (x, i) => 2 * this.mean[i]! - x);
    return this.inside(raw) ? { raw, point: this.encode(raw) } : null;
  }

  private inside(raw: Float64Array): boolean {
    for (let i = 0; i < raw.length; i++) if (this.discrete[i] == null && (raw[i]! < 0 || raw[i]! > 1)) return false;
    return true;
  }

  /** Where a raw sample is evaluated: continuous axes as they are, discrete ones through the margin's scaling. */
  private encode(raw: Float64Array): Float64Array {
    return Float64Array.from(raw, (x, i) => {
      if (this.discrete[i] == null) return x;
      const encoded = this.mean[i]! + this.encodingScale[i]! * (x - this.mean[i]!);
      return Math.min(1, Math.max(0, encoded));
    });
  }
}

export class CmaEs {
  readonly dimension: number;
  readonly popsize: number;
  private readonly strategy: Strategy;
  private readonly discrete: readonly (DiscreteAxis | null)[];
  private readonly withMargin: boolean;
  private readonly margin: number;
  private readonly tolX: number;
  private current: SearchDistribution;
  private readonly cov: Float64Array;
  private eigenvalues: Float64Array;
  private basis: Float64Array;
  private pSigma: Float64Array;
  private pc: Float64Array;
  private generationCount = 0;
  private readonly bestHistory: number[] = [];
  private flatStreak = 0;
  private stop: StopReason | null = null;

  constructor(config: CmaEsConfig) {
    const n = config.mean.length;
    if (n === 0) throw new RangeError("CMA-ES needs at least one dimension");
    const popsize = config.popsize ?? defaultPopsize(n);
    if (!Number.isInteger(popsize) || popsize < 2) throw new RangeError(`CMA-ES popsize must be an integer ≥ 2, got ${popsize}`);
    if (!(config.sigma > 0) || !Number.isFinite(config.sigma)) throw new RangeError(`CMA-ES sigma must be positive, got ${config.sigma}`);
    this.dimension = n;
    this.popsize = popsize;
    this.strategy = strategy(n, popsize);
    this.discrete = config.discrete ?? new Array<null>(n).fill(null);
    if (this.discrete.length !== n) throw new RangeError(`CMA-ES got ${this.discrete.length} axis descriptions for ${n} dimensions`);
    this.withMargin = config.withMargin ?? true;
    this.margin = 1 / (n * popsize);
    this.tolX = TOL_X_FACTOR * config.sigma;
    this.cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) this.cov[i * n + i] = 1;
    this.eigenvalues = new Float64Array(n).fill(1);
    this.basis = Float64Array.from(this.cov);
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.current = new SearchDistribution(
      Float64Array.from(config.mean),
      config.sigma,
      this.basis,
      new Float64Array(n).fill(1),
      new Float64Array(n).fill(1),
      this.discrete,
    );
  }

  /** The distribution the next generation is drawn from. */
  get distribution(): SearchDistribution {
    return this.current;
  }

  get mean(): Float64Array {
    return Float64Array.from(this.current.mean);
  }

  get sigma(): number {
    return this.current.sigma;
  }

  /** A copy of the covariance matrix C (row-major); the distribution's covariance is σ²C. */
  get covariance(): Float64Array {
    return Float64Array.from(this.cov);
  }

  /** Number of generations told so far. */
  get generation(): number {
    return this.generationCount;
  }

  /** Why the run has stagnated after the last generation, or null while it is still making progress. */
  get stopReason(): StopReason | null {
    return this.stop;
  }

  /**
   * Updates the distribution from one generation: `raws[i]` the raw sample of candidate i, `values[i]` its value
   * (lower is better; +Infinity ranks last). Tied values share the weights of the ranks they span, so the update
   * does not depend on the order of equal candidates.
   */
  tell(raws: readonly Float64Array[], values: readonly number[]): void {
    const { lambda, mu, weights, muEff, cc, c1, cmu, cSigma, dSigma, chiN } = this.strategy;
    const n = this.dimension;
    if (raws.length !== lambda || values.length !== lambda) {
      throw new RangeError(`CMA-ES tell needs ${lambda} candidates, got ${raws.length} samples and ${values.length} values`);
    }
    const { mean, sigma } = this.current;
    const order = Array.from({ length: lambda }, (_, i) => i).sort((i, j) => compareValues(values[i]!, values[j]!));
    const sorted = order.map((i) => values[i]!);
    const active = tieAveraged(weights, sorted);
    const recombination = tieAveraged(
      weights.map((w, rank) => (rank < mu ? w : 0)),
      sorted,
    );
    const steps = order.map((i) => Float64Array.from(raws[i]!, (x, k) => (x - mean[k]!) / sigma));

    const stepMean = new Float64Array(n);
    steps.forEach((y, rank) => {
      for (let k = 0; k < n; k++) stepMean[k] = stepMean[k]! + recombination[rank]! * y[k]!;
    });
    const nextMean = Float64Array.from(mean, (m, k) => m + sigma * stepMean[k]!);

    // Cumulation for step-size control uses C^(-1/2) y_w = B D⁻¹ Bᵀ y_w.
    const whitenedMean = this.whiten(stepMean);
    const pathFactor = Math.sqrt(cSigma * (2 - cSigma) * muEff);
    this.pSigma = Float64Array.from(this.pSigma, (p, k) => (1 - cSigma) * p + pathFactor * whitenedMean[k]!);
    const pSigmaNorm = Math.hypot(...this.pSigma);
    const generation = this.generationCount + 1;
    const hSigma = pSigmaNorm / Math.sqrt(1 - (1 - cSigma) ** (2 * generation)) < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
    const pcFactor = hSigma * Math.sqrt(cc * (2 - cc) * muEff);
    this.pc = Float64Array.from(this.pc, (p, k) => (1 - cc) * p + pcFactor * stepMean[k]!);

    // Negative weights act on directions normalised by their Mahalanobis length, which keeps C positive definite.
    const effective = steps.map((y, rank) => {
      const w = active[rank]!;
      if (w >= 0) return w;
      const whitened = this.whiten(y);
      return (w * n) / Math.max(whitened.reduce((s, v) => s + v * v, 0), Number.MIN_VALUE);
    });
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const decay = 1 + c1 * (1 - hSigma) * cc * (2 - cc) - c1 - cmu * weightSum;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let rankMu = 0;
        for (let r = 0; r < lambda; r++) rankMu += effective[r]! * steps[r]![i]! * steps[r]![j]!;
        const value = decay * this.cov[i * n + j]! + c1 * this.pc[i]! * this.pc[j]! + cmu * rankMu;
        this.cov[i * n + j] = this.cov[j * n + i] = value;
      }
    }
    // The exponent is capped so that one lucky generation cannot blow the step size up.
    const nextSigma = sigma * Math.exp(Math.min(1, (cSigma / dSigma) * (pSigmaNorm / chiN - 1)));
    this.decompose();
    this.generationCount = generation;

    const encodingScale = Float64Array.from(this.current.encodingScale);
    if (this.withMargin) this.correctMargin(nextMean, nextSigma, encodingScale);
    this.current = new SearchDistribution(
      nextMean,
      nextSigma,
      this.basis,
      this.eigenvalues.map(Math.sqrt),
      encodingScale,
      this.discrete,
    );
    this.stop = this.stagnation(sorted);
  }

  /** C^(-1/2) v. */
  private whiten(v: Float64Array): Float64Array {
    const n = this.dimension;
    const projected = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.basis[i * n + k]! * v[i]!;
      projected[k] = s / Math.sqrt(this.eigenvalues[k]!);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += this.basis[i * n + k]! * projected[k]!;
      out[i] = s;
    }
    return out;
  }

  /** Eigendecomposition of C; eigenvalues lost to rounding are lifted back to a positive floor. */
  private decompose(): void {
    const n = this.dimension;
    const { values, vectors } = symmetricEigen(this.cov, n);
    const floor = Math.max(values[n - 1]!, 0) * EIGENVALUE_FLOOR || Number.MIN_VALUE;
    if (values[0]! < floor) {
      for (let k = 0; k < n; k++) values[k] = Math.max(values[k]!, floor);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
          this.cov[i * n + j] = s;
        }
      }
    }
    this.eigenvalues = values;
    this.basis = vectors;
  }

  /**
   * The margin correction (Hamano et al. 2022): on each discrete axis, moves the mean and rescales the encoding so
   * that the probability of the encoded value leaving the mean's cell is at least α/2 towards each neighbouring
   * cell (α in total at an end of the grid, where there is only one neighbour).
   */
  private correctMargin(mean: Float64Array, sigma: number, scale: Float64Array): void {
    const alpha = this.margin;
    const n = this.dimension;
    this.discrete.forEach((axis, j) => {
      if (axis == null) return;
      const m = mean[j]!;
      const spread = sigma * Math.sqrt(this.cov[j * n + j]!);
      const std = spread * scale[j]!;
      const cell = axis.cellOf(m);
      const low = axis.boundary(Math.min(Math.max(cell - 1, 0), axis.cells - 2));
      const high = axis.boundary(Math.min(cell, axis.cells - 2));
      const pLow = normalCdf((low - m) / std);
      const pHigh = normalCdf((m - high) / std);
      if (Math.max(pLow, pHigh) > 0.5) {
        // End cell: `low` = `high` is the only boundary; keep α of the mass beyond it.
        if (Math.min(pLow, pHigh) < alpha) mean[j] = high + Math.sign(m - high) * normalQuantile(1 - alpha) * std;
        return;
      }
      // Raise each tail to α/2 and take the excess from all three parts in proportion to what they have above α/2.
      const pMid = 1 - pLow - pHigh;
      const raisedLow = Math.max(pLow, alpha / 2);
      const raisedHigh = Math.max(pHigh, alpha / 2);
      const excess = raisedLow + raisedHigh + pMid - 1;
      const room = raisedLow + raisedHigh + pMid - (3 * alpha) / 2;
      const clip = (p: number) => Math.min(0.5 - PROBABILITY_CLIP, Math.max(PROBABILITY_CLIP, p));
      const targetLow = clip(raisedLow - (excess * (raisedLow - alpha / 2)) / room);
      const targetHigh = clip(raisedHigh - (excess * (raisedHigh - alpha / 2)) / room);
      // Solve P(x < low) = targetLow and P(x > high) = targetHigh for the encoded mean and spread.
      const zLow = -normalQuantile(targetLow);
      const zHigh = -normalQuantile(targetHigh);
      scale[j] = (high - low) / ((zLow + zHigh) * spread);
      mean[j] = (low * zHigh + high * zLow) / (zLow + zHigh);
    });
  }

  private stagnation(sorted: readonly number[]): StopReason | null {
    const n = this.dimension;
    const { historyLength, lambda } = this.strategy;
    const { mean, sigma } = this.current;
    const best = sorted[0]!;
    this.bestHistory.push(best);
    if (this.bestHistory.length > historyLength) this.bestHistory.shift();
    const flat = best === sorted[Math.ceil(0.7 * lambda) - 1];
    this.flatStreak = flat ? this.flatStreak + 1 : 0;

    if (this.generationCount >= historyLength) {
      const all = [...this.bestHistory, ...sorted];
      if (Math.max(...all) - Math.min(...all) < TOL_FUN) return "tolfun";
    }
    let small = true;
    for (let i = 0; i < n && small; i++) {
      small = sigma * Math.sqrt(this.cov[i * n + i]!) < this.tolX && sigma * Math.abs(this.pc[i]!) < this.tolX;
    }
    if (small) return "tolx";
    const axis = this.generationCount % n;
    const axisStep = 0.1 * sigma * Math.sqrt(this.eigenvalues[axis]!);
    if (mean.every((m, i) => m === m + axisStep * this.basis[i * n + axis]!)) return "noeffectaxis";
    if (mean.some((m, i) => m === m + 0.2 * sigma * Math.sqrt(this.cov[i * n + i]!))) return "noeffectcoord";
    if (this.eigenvalues[n - 1]! / this.eigenvalues[0]! > MAX_CONDITION) return "conditioncov";
    if (this.flatStreak >= FLAT_GENERATIONS) return "flatfitness";
    return null;
  }
}

/** Orders numbers ascending with +Infinity last (pruned candidates). */
function compareValues(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Weights by rank, averaged over each run of equal values in `sorted`. */
function tieAveraged(weights: ArrayLike<number>, sorted: readonly number[]): Float64Array {
  const out = new Float64Array(sorted.length);
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    let sum = 0;
    for (let r = start; r < end; r++) sum += weights[r]!;
    for (let r = start; r < end; r++) out[r] = sum / (end - start);
    start = end;
  }
  return out;
}
