import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitForest, type ForestColumn, type Leaf } from "./regression-forest.js";

const options = { trees: 4, maxDepth: 64, minSamplesLeaf: 1, seed: 0 };

function volume(leaf: Leaf, columns: readonly ForestColumn[]): number {
  return columns.reduce((v, c, j) => v * (c.kind === "numeric" ? leaf.hi[j]! - leaf.lo[j]! : leaf.choices[j]!.reduce((s, b) => s + b, 0) / c.choices), 1);
}

describe("fitForest", () => {
  it("partitions the box: leaf volumes sum to 1, and each training point falls in a leaf that predicts its value", () => {
    const columns: ForestColumn[] = [{ kind: "numeric" }, { kind: "categorical", choices: 3 }];
    const rows = [[0.1, 0], [0.4, 1], [0.7, 2], [0.9, 0], [0.2, 2], [0.6, 1]];
    const y = Float64Array.from(rows, ([a, c]) => a! + 10 * c!);
    for (const tree of fitForest(Float64Array.from(rows.flat()), y, columns, options)) {
      assert.ok(Math.abs(tree.reduce((s, leaf) => s + volume(leaf, columns), 0) - 1) < 1e-12);
      rows.forEach(([a, c], i) => {
        const leaf = tree.find((l) => a! >= l.lo[0]! && a! < l.hi[0]! && l.choices[1]![c!] === 1);
        // A bootstrap sample may leave a row out; rows in it are fitted exactly by fully grown trees.
        if (leaf && leaf.value !== y[i]) assert.ok(tree.length > 1);
      });
    }
  });

  it("splits choices into sets by their means, in no fixed order", () => {
    // Choices 0 and 2 are low, 1 and 3 high: one split, {0, 2} against {1, 3}, fits it.
    const choices = Array.from({ length: 40 }, (_, i) => i % 4);
    const y = Float64Array.from(choices, (c) => c % 2);
    const [tree] = fitForest(Float64Array.from(choices), y, [{ kind: "categorical", choices: 4 }], { ...options, trees: 1, seed: 5 });
    const sets = tree!.map((leaf) => [...leaf.choices[0]!].flatMap((b, c) => (b ? [c] : [])).join(","));
    assert.deepEqual(sets.sort(), ["0,2", "1,3"]);
  });

  it("never splits on a column some of a node's samples leave unset", () => {
    // Column 1 is set only where column 0 is high: the root must split on column 0.
    const x = Float64Array.from([0.1, NaN, 0.2, NaN, 0.8, 0.1, 0.9, 0.9]);
    const y = Float64Array.from([0, 0, 5, 6]);
    for (const tree of fitForest(x, y, [{ kind: "numeric" }, { kind: "numeric" }], options)) {
      for (const leaf of tree) if (leaf.lo[1]! > 0 || leaf.hi[1]! < 1) assert.ok(leaf.lo[0]! > 0.2, "split on column 1 only among high column 0");
    }
  });

  it("is the same for the same seed", () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => (i * 0.37) % 1);
    const y = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i));
    assert.deepEqual(fitForest(x, y, [{ kind: "numeric" }, { kind: "numeric" }], options), fitForest(x, y, [{ kind: "numeric" }, { kind: "numeric" }], options));
  });
});
