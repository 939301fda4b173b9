/**
 * @module Saturating learning-curve models and how far a partial curve may still go.
 *
 * Two families, each with a rate r and a shape g_r(t) that decays to 0 (t = step, ≥ 1):
 *   exponential  y(t) = c + a · e^(−r t)      power law  y(t) = c + a · t^(−r)
 * For a fixed rate the model is linear in (c, a), so least squares is closed-form; the rate is scanned on a
 * log-spaced grid (variable projection). That makes every fit deterministic and cheap (no iterative optimiser,
 * no start points), which is what a pruner called after every report needs.
 *
 * The uncertainty kept is the profile over the rate: every rate whose residual sum of squares stays within an
 * F-test band of the best one (SSE ≤ SSE_min · (1 + F / (n − 3)), F = 4 ≈ the 95 % point of F(1, ∞)) is plausible,
 * and for each the prediction at the horizon is widened by its standard error *as an observation*: the curve's
 * uncertainty plus the noise of the final measurement itself, since what the pruner compares with the best trial
 * is the value the trial would report, not its noise-free mean. (Without the noise term the bar — the best of many
 * noisy finals, so biased low — prunes configurations as good as the best; measured on the benign curves of
 * `scaletune bench`, TPE, 2,700 epochs: 0.0510 → 0.0471.) Early in a curve, when slow
 * and fast saturation fit equally well, the band holds slow rates whose asymptote is far below the data, so the
 * optimistic bound stays low and the trial is not judged yet.
 */

export type CurveFamily = "exponential" | "power";

export const CURVE_FAMILIES: readonly CurveFamily[] = ["exponential", "power"];

/** Rates scanned per family: log-spaced, wide enough for curves that saturate in one step or in thousands. */
const RATE_GRID: Readonly<Record<CurveFamily, Float64Array>> = {
  exponential: logGrid(1e-4, 5, 48),
  power: logGrid(0.02, 4, 40),
};

/** F(1, ∞) at 95 %, rounded up: the profile band on the rate. */
const PROFILE_F = 4;

export interface CurveBound {
  /** Least-squares prediction at the horizon (best family and rate). */
  readonly predicted: number;
  /** The lowest value at the horizon any plausible family and rate allows, minus z standard errors. */
  readonly optimistic: number;
}

/**
 * Fits both families to points (t_i ≥ 1, y_i) of a curve that should decrease, and bounds its value at `horizon`.
 * Needs at least 4 points (3 parameters plus one degree of freedom); null otherwise.
 */
export function boundAtHorizon(steps: readonly number[], values: readonly number[], horizon: number, z: number): CurveBound | null {
  const n = steps.length;
  if (n < 4) return null;
  // Fits go to preallocated arrays: a pruner calls this after every report, and garbage here is latency there.
  let count = 0;
  let bestIndex = -1;
  for (const family of CURVE_FAMILIES) {
    const rates = RATE_GRID[family];
    for (let index = 0; index < rates.length; index++) {
      if (!linearFit(shapesAt(family, index, steps), values, shape(family, rates[index]!, horizon), count)) continue;
      if (bestIndex < 0 || FIT_SSE[count]! < FIT_SSE[bestIndex]!) bestIndex = count;
      count++;
    }
  }
  if (bestIndex < 0) return null;
  const band = FIT_SSE[bestIndex]! * (1 + PROFILE_F / (n - 3));
  let optimistic = Infinity;
  for (let i = 0; i < count; i++) {
    if (FIT_SSE[i]! <= band) optimistic = Math.min(optimistic, FIT_PREDICTED[i]! - z * FIT_STANDARD_ERROR[i]!);
  }
  return { predicted: FIT_PREDICTED[bestIndex]!, optimistic };
}

const GRID_SIZE = CURVE_FAMILIES.reduce((sum, family) => sum + RATE_GRID[family].length, 0);
const FIT_SSE = new Float64Array(GRID_SIZE);
const FIT_PREDICTED = new Float64Array(GRID_SIZE);
const FIT_STANDARD_ERROR = new Float64Array(GRID_SIZE);

export function shape(family: CurveFamily, rate: number, t: number): number {
  return family === "exponential" ? Math.exp(-rate * t) : t ** -rate;
}

/** g at integer t for each grid rate, computed once: a pruner refits after every report, over the same steps. */
const SHAPE_TABLES: Readonly<Record<CurveFamily, Float64Array[]>> = { exponential: [], power: [] };
/** Steps beyond this (e.g. steps counted in tokens) are computed directly instead of tabulated. */
const TABLE_LIMIT = 1 << 16;
/** g at each step of the current fit, reused from call to call. */
let shapeScratch = new Float64Array(128);

/** g(t) of one grid rate at each of `steps` (integers ≥ 1), in a scratch array valid until the next call. */
function shapesAt(family: CurveFamily, rateIndex: number, steps: readonly number[]): Float64Array {
  if (shapeScratch.length < steps.length) shapeScratch = new Float64Array(2 * steps.length);
  let last = 0;
  for (const t of steps) if (t > last) last = t;
  const rate = RATE_GRID[family][rateIndex]!;
  if (last > TABLE_LIMIT) {
    for (let i = 0; i < steps.length; i++) shapeScratch[i] = shape(family, rate, steps[i]!);
    return shapeScratch;
  }
  const tables = SHAPE_TABLES[family];
  let table = tables[rateIndex];
  if (!table || last >= table.length) {
    const length = Math.max(64, 2 ** Math.ceil(Math.log2(last + 1)));
    table = Float64Array.from({ length }, (_, i) => shape(family, rate, i));
    tables[rateIndex] = table;
  }
  for (let i = 0; i < steps.length; i++) shapeScratch[i] = table[steps[i]!]!;
  return shapeScratch;
}

/**
 * Least squares of y = c + a · g(t) given g at each point; writes, at `slot` of the fit arrays, the
 * residual sum of squares, the prediction c + a · g_h at the horizon and the standard error of an observation
 * there (fit and noise), with the residual variance on n − 3 degrees of freedom (the rate was fitted too). False
 * when g does not vary over the points.
 */
function linearFit(g: Float64Array, values: readonly number[], gAtHorizon: number, slot: number): boolean {
  const n = values.length;
  let sumG = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumG += g[i]!;
    sumY += values[i]!;
  }
  const meanG = sumG / n;
  const meanY = sumY / n;
  // Centred sums in a second pass: no cancellation when g barely varies over the points.
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = g[i]! - meanG;
    const dy = values[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  // Relative test: a shape that is flat over the points (a rate far too fast or too slow) identifies nothing.
  if (!(sxx > 1e-12 * Math.max(1, meanG * meanG) * n)) return false;
  const a = sxy / sxx;
  const c = meanY - a * meanG;
  const sse = Math.max(0, syy - a * sxy);
  const variance = sse / (n - 3);
  const dh = gAtHorizon - meanG;
  FIT_SSE[slot] = sse;
  FIT_PREDICTED[slot] = c + a * gAtHorizon;
  FIT_STANDARD_ERROR[slot] = Math.sqrt(variance * (1 + 1 / n + (dh * dh) / sxx));
  return true;
}

function logGrid(low: number, high: number, count: number): Float64Array {
  const grid = new Float64Array(count);
  for (let i = 0; i < count; i++) grid[i] = low * (high / low) ** (i / (count - 1));
  return grid;
}
