/**
 * @module Densities on a grid over [0, 1]: a Gaussian kernel density estimate (Scott's bandwidth) and a smoothed
 * histogram of choices, each as probabilities that sum to 1. Both mix in one uniform pseudo-sample, so that no
 * cell has probability 0 and ratios of two densities stay finite.
 */

/** Probability of each of `cells` equal cells of [0, 1] under a Gaussian KDE of `samples` (in [0, 1], reflected at the ends) plus one uniform pseudo-sample. */
export function kernelDensityOnGrid(samples: ArrayLike<number>, cells: number): Float64Array {
  const n = samples.length;
  const density = new Float64Array(cells);
  if (n > 0) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += samples[i]!;
    mean /= n;
    let spread = 0;
    for (let i = 0; i < n; i++) spread += (samples[i]! - mean) ** 2;
    const sd = Math.sqrt(spread / Math.max(1, n - 1));
    // Scott's rule, and never narrower than a cell: the grid could not show a narrower kernel.
    const bandwidth = Math.max(1.06 * sd * n ** -0.2, 1 / cells);
    for (let i = 0; i < n; i++) {
      const kernel = new Float64Array(cells);
      let mass = 0;
      // Reflected at 0 and 1 (the mass a kernel would put outside comes back in), so an even sample has an even
      // density up to the edges; each sample then weighs 1.
      for (let g = 0; g < cells; g++) {
        const at = (g + 0.5) / cells;
        for (const centre of [samples[i]!, -samples[i]!, 2 - samples[i]!]) kernel[g]! += Math.exp(-0.5 * ((at - centre) / bandwidth) ** 2);
        mass += kernel[g]!;
      }
      for (let g = 0; g < cells; g++) density[g]! += kernel[g]! / mass;
    }
  }
  for (let g = 0; g < cells; g++) density[g] = (density[g]! + 1 / cells) / (n + 1);
  return density;
}

/** Probability of each choice index: counts plus one pseudo-count each (Laplace smoothing). */
export function choiceHistogram(choices: ArrayLike<number>, count: number): Float64Array {
  const histogram = new Float64Array(count).fill(1);
  for (let i = 0; i < choices.length; i++) histogram[choices[i]!]! += 1;
  return histogram.map((h) => h / (choices.length + count));
}

/** Pearson χ² divergence of p from q, Σ q (p/q − 1)² = Σ p²/q − 1, for distributions on the same cells. */
export function pearsonDivergence(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (p[i]! * p[i]!) / q[i]!;
  return Math.max(0, sum - 1);
}
