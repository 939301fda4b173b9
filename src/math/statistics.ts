/**
 * @module Order statistics and summaries of samples: quantiles interpolate linearly between order statistics
 * (numpy's default `percentile`, Hyndman & Fan type 7), the standard error uses the sample standard deviation.
 */

/** The q-quantile (0 ≤ q ≤ 1) of a non-empty list, linearly interpolated. */
export function quantile(values: readonly number[], q: number): number {
  return sortedQuantile(sortedCopy(values, "quantile"), q);
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

export interface Quartiles {
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
}

/** The 25th, 50th and 75th percentiles of a non-empty list, interpolated as `quantile` does. */
export function quartiles(values: readonly number[]): Quartiles {
  const sorted = sortedCopy(values, "quartiles");
  return { q25: sortedQuantile(sorted, 0.25), median: sortedQuantile(sorted, 0.5), q75: sortedQuantile(sorted, 0.75) };
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of an empty list");
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The standard error of the mean, s / √n, with the sample standard deviation s (n − 1 degrees of freedom); n ≥ 2. */
export function standardError(values: readonly number[]): number {
  if (values.length < 2) throw new RangeError("standard error of fewer than two values");
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1) / values.length);
}

function sortedCopy(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new RangeError(`${what} of an empty list`);
  return [...values].sort((a, b) => a - b);
}

/** Ranks 1..n, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    for (let k = start; k <= end; k++) out[order[k]!] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

/** Spearman's rank correlation of two paired lists (Pearson's correlation of their ranks, ties averaged); NaN when either is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 2) throw new RangeError("spearman needs two lists of the same length, at least 2");
  const [ra, rb] = [ranks(a), ranks(b)];
  const [ma, mb] = [mean(ra), mean(rb)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < ra.length; i++) {
    ab += (ra[i]! - ma) * (rb[i]! - mb);
    aa += (ra[i]! - ma) ** 2;
    bb += (rb[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
