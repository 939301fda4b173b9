/**
 * @module Order statistics: quantiles interpolate linearly between order statistics (numpy's default
 * `percentile`, Hyndman & Fan type 7).
 */

/** The q-quantile (0 ≤ q ≤ 1) of a non-empty list, linearly interpolated. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile of an empty list");
  return sortedQuantile([...values].sort((a, b) => a - b), q);
}

/** The q-quantile of values already sorted in ascending order (non-empty), for callers that keep them sorted. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of an empty list");
  return values.reduce((s, v) => s + v, 0) / values.length;
}
