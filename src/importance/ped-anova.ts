/**
 * @module PED-ANOVA (Watanabe, Bansal & Hutter 2023): a parameter matters as much as the values the best trials
 * took differ from the values all trials took, measured by the Pearson divergence between the two distributions
 * (closed form: both are estimated on the same grid, a Gaussian KDE for numbers, a smoothed histogram for choices).
 */
import { choiceHistogram, kernelDensityOnGrid, pearsonDivergence } from "../math/grid-density.js";
import type { ForestColumn } from "../math/regression-forest.js";
import { sortedQuantile } from "../math/statistics.js";
import type { Direction } from "../core/types.js";

/** Grid cells a numeric parameter's densities are estimated on. */
const CELLS = 100;

/**
 * Per column, the Pearson divergence of the top `topQuantile` of trials (best by `direction`) from all trials.
 * A conditional parameter is judged among the trials that set it, against the same target threshold.
 */
export function pedAnovaDivergences(
  x: Float64Array,
  y: Float64Array,
  columns: readonly ForestColumn[],
  direction: Direction,
  topQuantile: number,
): Float64Array {
  const sign = direction === "maximize" ? -1 : 1;
  const losses = Float64Array.from(y, (v) => sign * v).sort();
  const threshold = sortedQuantile(losses, topQuantile);
  const width = columns.length;
  return Float64Array.from(columns, (column, j) => {
    const all: number[] = [];
    const top: number[] = [];
    for (let i = 0; i < y.length; i++) {
      const value = x[i * width + j]!;
      if (Number.isNaN(value)) continue;
      all.push(value);
      if (sign * y[i]! <= threshold) top.push(value);
    }
    if (top.length < 2) return 0;
    return column.kind === "numeric"
      ? pearsonDivergence(kernelDensityOnGrid(top, CELLS), kernelDensityOnGrid(all, CELLS))
      : pearsonDivergence(choiceHistogram(top, column.choices), choiceHistogram(all, column.choices));
  });
}
