/**
 * @module Log expected improvement and its maximisation over a mixed unit box.
 *
 * EI(x) = σ(x)·h(z), z = (best - μ(x))/σ(x), for minimisation of the standardised objective. Its logarithm is
 * computed stably (see `logH`), so the search still has a slope to follow far from the data, where EI itself
 * underflows to zero. The maximiser scores a scrambled Sobol set of candidates plus Gaussian perturbations of the
 * best observations (all snapped onto the grid of discrete and categorical columns), then polishes the best few by
 * alternating bounded L-BFGS over the continuous columns with a search over the other cells of each discrete and
 * categorical column, until a round brings no improvement.
 */
import { minimizeBounded } from "../../math/lbfgs.js";
import { logH, logHDerivative } from "../../math/normal.js";
import { Rng } from "../../math/random.js";
import { ScrambledSobol } from "../../math/sobol.js";
import type { ActivityRules } from "./activity.js";
import type { GPInputSpace } from "./input-space.js";
import type { GaussianProcess } from "./posterior.js";

export class LogExpectedImprovement {
  private readonly meanGradient: Float64Array;
  private readonly varianceGradient: Float64Array;

  private readonly masked: Float64Array;

  /**
   * `best`: the value to improve on (the lowest standardised observation); `activity`: which parameters a point
   * would really have (the others are scored as inactive, see `activity.ts`).
   */
  constructor(
    readonly gp: GaussianProcess,
    readonly best: number,
    readonly activity: ActivityRules | null = null,
  ) {
    this.meanGradient = new Float64Array(gp.data.dim);
    this.varianceGradient = new Float64Array(gp.data.dim);
    this.masked = new Float64Array(gp.data.dim);
  }

  /** log EI at each of the `count` rows of `points`. */
  values(points: Float64Array, count: number): Float64Array {
    const activity = this.activity?.conditional ? this.activity : null;
    if (activity) {
      points = points.slice(0, count * this.gp.data.dim);
      for (let r = 0; r < count; r++) activity.mask(points.subarray(r * this.gp.data.dim, (r + 1) * this.gp.data.dim));
    }
    const { mean, variance } = this.gp.predict(points, count);
    return mean.map((m, r) => {
      const sd = Math.sqrt(variance[r]!);
      return Math.log(sd) + logH((this.best - m) / sd);
    });
  }

  /** log EI at one point, writing its gradient with respect to the point into `gradient`. */
  valueAndGradient(point: Float64Array, gradient: Float64Array): number {
    if (this.activity?.conditional) {
      this.masked.set(point);
      this.activity.mask(this.masked);
      point = this.masked;
    }
    // Inactive columns get no slope from the GP, hence a zero gradient.
    const { mean, variance } = this.gp.predictWithGradient(point, this.meanGradient, this.varianceGradient);
    const sd = Math.sqrt(variance);
    const z = (this.best - mean) / sd;
    const slope = logHDerivative(z);
    // log EI = ½ log σ² + log h(z):  ∂ = ∂σ²/(2σ²) + h'/h · (-∂μ/σ - z ∂σ²/(2σ²)).
    for (let d = 0; d < gradient.length; d++) {
      const relativeVariance = this.varianceGradient[d]! / (2 * variance);
      gradient[d] = relativeVariance + slope * (-this.meanGradient[d]! / sd - z * relativeVariance);
    }
    return Math.log(sd) + logH(z);
  }
}

export interface AcquisitionSearchOptions {
  /** Seed of the scrambled Sobol candidates and of the perturbations. */
  readonly seed: number;
  /** Number of quasi-random candidates scored first (default 1024). */
  readonly candidates?: number;
  /** Points to search around (unit-box points on the grid, best first), e.g. the best observations. */
  readonly anchors?: readonly Float64Array[];
  /** Number of Gaussian perturbations of the anchors added to the candidates (default 256). */
  readonly perturbations?: number;
  /** How many of the best candidates are polished by local search (default 8). */
  readonly localSearches?: number;
}

interface Scored {
  readonly point: Float64Array;
  readonly value: number;
}

/** Standard deviation, in unit-box coordinates, of the perturbations around anchors. */
const PERTURBATION_SCALE = 0.05;
/** Rounds of continuous/discrete alternation per local search. */
const MAX_ROUNDS = 4;
/** An improvement of log EI smaller than this ends a local search. */
const MIN_IMPROVEMENT = 1e-9;

/** The point of the unit box (snapped onto every grid column) with the highest acquisition value found. */
export function maximizeAcquisition(acquisition: LogExpectedImprovement, space: GPInputSpace, options: AcquisitionSearchOptions): Scored {
  const { dim } = space;
  const quasiRandom = options.candidates ?? 1024;
  const anchors = options.anchors ?? [];
  const local = anchors.length > 0 ? (options.perturbations ?? 256) : 0;
  const count = quasiRandom + anchors.length + local;
  const points = new Float64Array(count * dim);
  const sobol = new ScrambledSobol(options.seed);
  for (let r = 0; r < quasiRandom; r++) {
    for (let d = 0; d < dim; d++) points[r * dim + d] = sobol.point(r, d);
  }
  anchors.forEach((anchor, k) => points.set(anchor, (quasiRandom + k) * dim));
  // Local candidates: the acquisition's best often lies a short step from a good observation, in a basin that
  // a sparse global set misses; the better anchors get more of them.
  const rng = new Rng(options.seed);
  for (let k = 0; k < local; k++) {
    const anchor = anchors[Math.floor(anchors.length * rng.random() ** 2)]!;
    const row = (quasiRandom + anchors.length + k) * dim;
    for (let d = 0; d < dim; d++) points[row + d] = Math.min(1, Math.max(0, anchor[d]! + PERTURBATION_SCALE * rng.normal()));
  }
  for (let r = 0; r < count; r++) space.snap(points.subarray(r * dim, (r + 1) * dim));
  const values = acquisition.values(points, count);
  const order = Array.from({ length: count }, (_, r) => r).sort((a, b) => values[b]! - values[a]! || a - b);
  const starts: Scored[] = order
    .slice(0, options.localSearches ?? 8)
    .map((r) => ({ point: points.slice(r * dim, (r + 1) * dim), value: values[r]! }));
  let best = starts[0]!;
  for (const start of starts) {
    const result = localSearch(acquisition, space, start);
    if (result.value > best.value) best = result;
  }
  return best;
}

/** Alternates continuous L-BFGS and grid-cell search from `start` until neither improves log EI. */
function localSearch(acquisition: LogExpectedImprovement, space: GPInputSpace, start: Scored): Scored {
  let point: Float64Array = Float64Array.from(start.point);
  let value = start.value;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = value;
    if (space.continuousColumns.length > 0) ({ point, value } = polishContinuous(acquisition, space, point, value));
    for (const column of space.gridColumns) {
      const cells = space.alternatives(column, point[column]!);
      const trials = new Float64Array(cells.length * space.dim);
      cells.forEach((u, k) => {
        trials.set(point, k * space.dim);
        trials[k * space.dim + column] = u;
      });
      const scores = acquisition.values(trials, cells.length);
      scores.forEach((score, k) => {
        if (score > value) {
          value = score;
          point = trials.slice(k * space.dim, (k + 1) * space.dim);
        }
      });
    }
    if (space.gridColumns.length === 0 || value - before < MIN_IMPROVEMENT) break;
  }
  return { point, value };
}

/** Bounded L-BFGS on -log EI over the continuous columns, the others held fixed. */
function polishContinuous(acquisition: LogExpectedImprovement, space: GPInputSpace, point: Float64Array, value: number): Scored {
  const columns = space.continuousColumns;
  const full = Float64Array.from(point);
  const fullGradient = new Float64Array(space.dim);
  const result = minimizeBounded(
    (free, gradient) => {
      columns.forEach((column, k) => (full[column] = free[k]!));
      const logEi = acquisition.valueAndGradient(full, fullGradient);
      columns.forEach((column, k) => (gradient[k] = -fullGradient[column]!));
      return -logEi;
    },
    columns.map((column) => point[column]!),
    { lower: columns.map(() => 0), upper: columns.map(() => 1), maxIterations: 50, gradientTolerance: 1e-7, functionTolerance: 1e-10 },
  );
  if (-result.value <= value) return { point, value };
  const polished = Float64Array.from(point);
  columns.forEach((column, k) => (polished[column] = result.x[k]!));
  return { point: polished, value: -result.value };
}
