/**
 * @module A random forest of regression trees (squared error, bootstrap samples) that keeps each leaf's box: the
 * part of the input space the leaf answers for. fANOVA needs those boxes, which general-purpose forests discard.
 *
 * Inputs are numeric columns in [0, 1] and categorical columns holding a choice index. A categorical column is
 * split into two sets of choices (the best such split, found by ordering the node's choices by their mean, which is
 * exact for squared error), so no order is assumed between choices. NaN means "not set" (a conditional
 * parameter): a node is split on a column only when every one of its samples has it set, so a parameter's absence
 * is never read as information; the parameter that decides it is split on instead.
 */
import { Rng } from "./random.js";

/** One input column: numeric in [0, 1], or categorical with `choices` choice indices. */
export type ForestColumn = { readonly kind: "numeric" } | { readonly kind: "categorical"; readonly choices: number };

export interface ForestOptions {
  readonly trees: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly seed: number;
}

/** A leaf: its prediction and its box (per numeric column an interval, per categorical column its choices). */
export interface Leaf {
  readonly value: number;
  /** Interval bounds per column; for categorical columns unused (0 and 1). */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Per column: for a categorical column, 1 for each choice in the box; null for a numeric column. */
  readonly choices: readonly (Uint8Array | null)[];
}

export type RegressionTree = readonly Leaf[];

interface Box {
  lo: Float64Array;
  hi: Float64Array;
  choices: (Uint8Array | null)[];
}

interface Split {
  readonly column: number;
  readonly score: number;
  /** Numeric: samples below go left. */
  readonly threshold: number;
  /** Categorical: 1 for the choices that go left. */
  readonly left: Uint8Array | null;
}

/**
 * Fits `options.trees` trees, each to a bootstrap sample of the rows of `x` (row-major, `columns.length` wide),
 * and returns their leaves. Deterministic for a seed.
 */
export function fitForest(x: Float64Array, y: Float64Array, columns: readonly ForestColumn[], options: ForestOptions): RegressionTree[] {
  const n = y.length;
  const width = columns.length;
  // Rows by value, unset last, once: each tree's sample orders are read off these in linear time.
  const sortedRows = columns.map((_, j) =>
    Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const va = x[a * width + j]!;
      const vb = x[b * width + j]!;
      if (Number.isNaN(va)) return Number.isNaN(vb) ? a - b : 1;
      if (Number.isNaN(vb)) return -1;
      return va - vb || a - b;
    }),
  );
  const trees: RegressionTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    const rng = Rng.stream(options.seed, t);
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    trees.push(new TreeGrower(x, y, columns, rows, sortedRows, rng, options).grow());
  }
  return trees;
}

/** Per column, the bootstrap sample's positions in the order of `sortedRows` (a row drawn k times appears k times). */
function sampleOrders(rows: Int32Array, sortedRows: readonly Int32Array[]): Int32Array[] {
  const n = rows.length;
  // Positions grouped by row: a counting sort of the sample.
  const start = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) start[rows[s]! + 1]! += 1;
  for (let r = 0; r < n; r++) start[r + 1]! += start[r]!;
  const byRow = new Int32Array(n);
  const fill = start.slice(0, n);
  for (let s = 0; s < n; s++) byRow[fill[rows[s]!]!++] = s;
  return sortedRows.map((sorted) => {
    const order = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i]!;
      for (let p = start[r]!; p < start[r + 1]!; p++) order[k++] = byRow[p]!;
    }
    return order;
  });
}

class TreeGrower {
  private readonly width: number;
  /** Per column, the sample's values (NaN: not set). */
  private readonly values: Float64Array[];
  private readonly targets: Float64Array;
  /** Per column, sample positions ordered by value with unset ones last; each node owns one range of every order. */
  private readonly orders: Int32Array[];
  private readonly goesLeft: Uint8Array;
  private readonly buffer: Int32Array;
  private readonly leaves: Leaf[] = [];

  constructor(
    x: Float64Array,
    y: Float64Array,
    private readonly columns: readonly ForestColumn[],
    rows: Int32Array,
    sortedRows: readonly Int32Array[],
    private readonly rng: Rng,
    private readonly options: ForestOptions,
  ) {
    const m = rows.length;
    this.width = columns.length;
    this.targets = new Float64Array(m);
    for (let s = 0; s < m; s++) this.targets[s] = y[rows[s]!]!;
    this.values = columns.map((_, j) => {
      const values = new Float64Array(m);
      for (let s = 0; s < m; s++) values[s] = x[rows[s]! * this.width + j]!;
      return values;
    });
    this.orders = sampleOrders(rows, sortedRows);
    this.goesLeft = new Uint8Array(m);
    this.buffer = new Int32Array(m);
  }

  grow(): RegressionTree {
    const box: Box = {
      lo: new Float64Array(this.width),
      hi: new Float64Array(this.width).fill(1),
      choices: this.columns.map((c) => (c.kind === "categorical" ? new Uint8Array(c.choices).fill(1) : null)),
    };
    if (this.targets.length > 0) this.node(0, this.targets.length, 0, box);
    return this.leaves;
  }

  /** Grows the node of samples [start, end) in every order; `box` is the node's, narrowed for each child and restored after. */
  private node(start: number, end: number, depth: number, box: Box): void {
    const order = this.orders[0]!;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      const target = this.targets[order[i]!]!;
      sum += target;
      min = Math.min(min, target);
      max = Math.max(max, target);
    }
    const count = end - start;
    const split =
      depth < this.options.maxDepth && count >= 2 * this.options.minSamplesLeaf && max > min ? this.bestSplit(start, end, sum) : null;
    if (!split) {
      this.leaves.push({ value: sum / count, lo: box.lo.slice(), hi: box.hi.slice(), choices: box.choices.map((c) => c && c.slice()) });
      return;
    }
    const middle = this.partition(start, end, split);
    const j = split.column;
    const parentChoices = box.choices[j];
    if (split.left && parentChoices) {
      box.choices[j] = parentChoices.map((inBox, c) => inBox & split.left![c]!);
      this.node(start, middle, depth + 1, box);
      box.choices[j] = parentChoices.map((inBox, c) => inBox & (1 - split.left![c]!));
      this.node(middle, end, depth + 1, box);
      box.choices[j] = parentChoices;
    } else {
      const [lo, hi] = [box.lo[j]!, box.hi[j]!];
      box.hi[j] = split.threshold;
      this.node(start, middle, depth + 1, box);
      box.hi[j] = hi;
      box.lo[j] = split.threshold;
      this.node(middle, end, depth + 1, box);
      box.lo[j] = lo;
    }
  }

  /** The split that most reduces the squared error, or null when none does. Columns are tried from a random one on, so that ties fall to any. */
  private bestSplit(start: number, end: number, sum: number): Split | null {
    let best: Split | null = null;
    const parentScore = (sum * sum) / (end - start);
    const first = this.rng.int(this.width);
    for (let k = 0; k < this.width; k++) {
      const column = (first + k) % this.width;
      const order = this.orders[column]!;
      // Unset values sort last: one unset sample makes the column ineligible here.
      if (Number.isNaN(this.values[column]![order[end - 1]!]!)) continue;
      const spec = this.columns[column]!;
      const found = spec.kind === "numeric" ? this.numericSplit(column, start, end, sum) : this.categoricalSplit(column, spec.choices, start, end, sum);
      if (found && found.score > (best?.score ?? parentScore * (1 + 1e-12) + 1e-12)) best = found;
    }
    return best;
  }

  private numericSplit(column: number, start: number, end: number, sum: number): Split | null {
    const order = this.orders[column]!;
    const values = this.values[column]!;
    const minLeaf = this.options.minSamplesLeaf;
    const count = end - start;
    let best: Split | null = null;
    let leftSum = 0;
    for (let i = start; i < end - 1; i++) {
      leftSum += this.targets[order[i]!]!;
      const leftCount = i - start + 1;
      const here = values[order[i]!]!;
      const next = values[order[i + 1]!]!;
      if (here === next || leftCount < minLeaf || count - leftCount < minLeaf) continue;
      const rightSum = sum - leftSum;
      const score = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / (count - leftCount);
      if (!best || score > best.score) best = { column, score, threshold: (here + next) / 2, left: null };
    }
    return best;
  }

  private categoricalSplit(column: number, choices: number, start: number, end: number, sum: number): Split | null {
    const order = this.orders[column]!;
    const values = this.values[column]!;
    const sums = new Float64Array(choices);
    const counts = new Float64Array(choices);
    for (let i = start; i < end; i++) {
      const c = values[order[i]!]!;
      sums[c]! += this.targets[order[i]!]!;
      counts[c]! += 1;
    }
    const seen = [...counts.keys()].filter((c) => counts[c]! > 0).sort((a, b) => sums[a]! / counts[a]! - sums[b]! / counts[b]! || a - b);
    const minLeaf = this.options.minSamplesLeaf;
    const count = end - start;
    let bestCut = -1;
    let bestScore = -Infinity;
    let leftSum = 0;
    let leftCount = 0;
    for (let k = 0; k < seen.length - 1; k++) {
      leftSum += sums[seen[k]!]!;
      leftCount += counts[seen[k]!]!;
      if (leftCount < minLeaf || count - leftCount < minLeaf) continue;
      const rightSum = sum - leftSum;
      const score = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / (count - leftCount);
      if (score > bestScore) {
        bestScore = score;
        bestCut = k;
      }
    }
    if (bestCut < 0) return null;
    const left = new Uint8Array(choices);
    let leftSamples = 0;
    for (let k = 0; k <= bestCut; k++) {
      left[seen[k]!] = 1;
      leftSamples += counts[seen[k]!]!;
    }
    // Choices no sample here has still belong to one side of the box: the larger one.
    if (leftSamples * 2 > count) for (let c = 0; c < choices; c++) if (counts[c] === 0) left[c] = 1;
    return { column, score: bestScore, threshold: NaN, left };
  }

  /** Reorders every column's range so that the left child's samples come first (stably); returns where the right child starts. */
  private partition(start: number, end: number, split: Split): number {
    const values = this.values[split.column]!;
    const anyOrder = this.orders[0]!;
    let leftCount = 0;
    for (let i = start; i < end; i++) {
      const s = anyOrder[i]!;
      const v = values[s]!;
      const left = split.left ? split.left[v] === 1 : v < split.threshold;
      this.goesLeft[s] = left ? 1 : 0;
      if (left) leftCount++;
    }
    for (const order of this.orders) {
      let l = start;
      let r = 0;
      for (let i = start; i < end; i++) {
        const s = order[i]!;
        if (this.goesLeft[s]) order[l++] = s;
        else this.buffer[r++] = s;
      }
      order.set(this.buffer.subarray(0, r), l);
    }
    return start + leftCount;
  }
}
