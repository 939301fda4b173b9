import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ForestColumn, Leaf } from "../math/regression-forest.js";
import { treeFractions } from "./fanova.js";

const numeric: ForestColumn[] = [{ kind: "numeric" }, { kind: "numeric" }];

function leaf(value: number, lo: [number, number], hi: [number, number]): Leaf {
  return { value, lo: Float64Array.from(lo), hi: Float64Array.from(hi), choices: [null, null] };
}

describe("treeFractions", () => {
  it("gives a tree that depends on one axis all of its variance on that axis", () => {
    const tree = [leaf(0, [0, 0], [0.25, 1]), leaf(4, [0.25, 0], [1, 1])];
    assert.deepEqual([...treeFractions(tree, numeric)!], [1, 0]);
  });

  it("gives an additive tree its parts, and an exclusive-or tree none", () => {
    // f = 2·[x > ½] + [y > ½]: variances 1 and 1/4 of 5/4.
    const cells = (f: (a: number, b: number) => number) =>
      [0, 1].flatMap((a) => [0, 1].map((b) => leaf(f(a, b), [a / 2, b / 2], [(a + 1) / 2, (b + 1) / 2])));
    const additive = treeFractions(cells((a, b) => 2 * a + b), numeric)!;
    assert.ok(Math.abs(additive[0]! - 0.8) < 1e-12 && Math.abs(additive[1]! - 0.2) < 1e-12);
    const xor = treeFractions(cells((a, b) => a ^ b), numeric)!;
    assert.ok(xor.every((f) => Math.abs(f) < 1e-12));
  });

  it("weighs each choice of a categorical axis the same, and skips a constant tree", () => {
    // Choices {0} → 3, {1, 2} → 0: mean 1, variance 2.
    const columns: ForestColumn[] = [{ kind: "categorical", choices: 3 }];
    const tree: Leaf[] = [
      { value: 3, lo: Float64Array.of(0), hi: Float64Array.of(1), choices: [Uint8Array.of(1, 0, 0)] },
      { value: 0, lo: Float64Array.of(0), hi: Float64Array.of(1), choices: [Uint8Array.of(0, 1, 1)] },
    ];
    assert.ok(Math.abs(treeFractions(tree, columns)![0]! - 1) < 1e-12);
    assert.equal(treeFractions([leaf(2, [0, 0], [1, 1])], numeric), null);
  });
});
