/**
 * @module fANOVA (Hutter, Hoos & Leyton-Brown 2014): the share of the target's variance that each parameter's main
 * effect explains, under a random forest fitted to the trials.
 *
 * A tree is a piecewise-constant function over the unit box; with every parameter uniform on its axis (log ranges in
 * log space), its functional ANOVA is exact. Parameter j's main effect at x_j is the tree averaged over all other
 * axes: each leaf adds value × (its volume / its width along j) wherever its box covers x_j. Its variance over x_j,
 * divided by the tree's variance, is the fraction; fractions are averaged over the trees whose variance is not 0.
 */
import { fitForest, type ForestColumn, type Leaf, type RegressionTree } from "../math/regression-forest.js";

export interface FanovaOptions {
  readonly trees: number;
  readonly seed: number;
}

/** Per column, the mean over the forest's trees of (main-effect variance / tree variance), each in [0, 1]. */
export function fanovaFractions(x: Float64Array, y: Float64Array, columns: readonly ForestColumn[], options: FanovaOptions): Float64Array {
  // Fully grown trees, as fANOVA and Optuna's evaluator use: the forest is there to interpolate the trials.
  const forest = fitForest(x, y, columns, { trees: options.trees, maxDepth: 64, minSamplesLeaf: 1, seed: options.seed });
  const sums = new Float64Array(columns.length);
  let counted = 0;
  for (const tree of forest) {
    const fractions = treeFractions(tree, columns);
    if (!fractions) continue;
    fractions.forEach((f, j) => (sums[j]! += f));
    counted++;
  }
  return counted === 0 ? sums : sums.map((s) => s / counted);
}

/** The tree's main-effect variance fractions, or null for a constant tree. */
export function treeFractions(tree: RegressionTree, columns: readonly ForestColumn[]): Float64Array | null {
  const widths = tree.map((leaf) => columns.map((column, j) => width(leaf, column, j)));
  const volumes = widths.map((w) => w.reduce((p, v) => p * v, 1));
  let mean = 0;
  let square = 0;
  tree.forEach((leaf, l) => {
    mean += volumes[l]! * leaf.value;
    square += volumes[l]! * leaf.value * leaf.value;
  });
  const variance = square - mean * mean;
  if (!(variance > 1e-12 * Math.max(1, square))) return null;
  return Float64Array.from(columns, (column, j) => {
    // The leaf's share of the main effect along j: its value weighted by its volume across the other axes.
    const weights = tree.map((leaf, l) => (leaf.value * volumes[l]!) / widths[l]![j]!);
    const effectSquare = column.kind === "numeric" ? numericEffectSquare(tree, weights, j) : categoricalEffectSquare(tree, weights, j, column.choices);
    return Math.min(1, Math.max(0, (effectSquare - mean * mean) / variance));
  });
}

function width(leaf: Leaf, column: ForestColumn, j: number): number {
  if (column.kind === "numeric") return leaf.hi[j]! - leaf.lo[j]!;
  let inBox = 0;
  for (const c of leaf.choices[j]!) inBox += c;
  return inBox / column.choices;
}

/** ∫ m(x_j)² dx_j for the piecewise-constant main effect m: each leaf adds its weight between its interval's ends. */
function numericEffectSquare(tree: RegressionTree, weights: readonly number[], j: number): number {
  const ends = new Float64Array(2 * tree.length);
  tree.forEach((leaf, l) => {
    ends[2 * l] = leaf.lo[j]!;
    ends[2 * l + 1] = leaf.hi[j]!;
  });
  ends.sort();
  const changes = new Float64Array(ends.length);
  tree.forEach((leaf, l) => {
    changes[lowerBound(ends, leaf.lo[j]!)]! += weights[l]!;
    changes[lowerBound(ends, leaf.hi[j]!)]! -= weights[l]!;
  });
  let effect = 0;
  let integral = 0;
  for (let e = 0; e < ends.length - 1; e++) {
    effect += changes[e]!;
    integral += effect * effect * (ends[e + 1]! - ends[e]!);
  }
  return integral;
}

/** The first index whose value is not below `value`, in a sorted array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Σ_c m(c)² / C: each choice weighs the same. */
function categoricalEffectSquare(tree: RegressionTree, weights: readonly number[], j: number, choices: number): number {
  const effect = new Float64Array(choices);
  tree.forEach((leaf, l) => leaf.choices[j]!.forEach((inBox, c) => (effect[c]! += inBox * weights[l]!)));
  return effect.reduce((s, m) => s + m * m, 0) / choices;
}
