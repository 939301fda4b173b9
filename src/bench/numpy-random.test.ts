import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NumpyRandomState } from "./numpy-random.js";

const draw = (seed: number, n: number, count: number) => {
  const rng = new NumpyRandomState(seed);
  return Array.from({ length: count }, () => rng.randint(n));
};

describe("NumpyRandomState", () => {
  it("produces the reference MT19937 stream (init_genrand(5489) starts 3499211612, 581869302, …)", () => {
    const rng = new NumpyRandomState(5489);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => rng.nextUint32()), [3499211612, 581869302, 3890346734, 3586334585, 545404204]);
    const zero = new NumpyRandomState(0);
    assert.deepEqual([1, 2, 3].map(() => zero.nextUint32()), [2357136044, 2546248239, 3071714933]);
  });

  it("matches numpy.random.RandomState(seed).randint(n), including masked rejection (n = 6)", () => {
    // Printed by numpy 1.24.2: RandomState(s).randint(4, size=20) and [RandomState(3).randint(6) for _ in range(15)].
    assert.deepEqual(draw(0, 4, 20), [0, 3, 1, 0, 3, 3, 3, 3, 1, 3, 1, 2, 0, 3, 2, 0, 0, 0, 2, 1]);
    assert.deepEqual(draw(1, 4, 20), [1, 3, 0, 0, 3, 1, 3, 1, 3, 0, 0, 1, 0, 3, 1, 0, 2, 1, 2, 0]);
    assert.deepEqual(draw(9, 4, 20), [2, 0, 2, 1, 2, 0, 3, 2, 1, 1, 2, 0, 3, 0, 2, 1, 0, 1, 3, 1]);
    assert.deepEqual(draw(12345, 4, 20), [2, 1, 1, 1, 0, 1, 2, 2, 1, 2, 1, 1, 2, 1, 3, 2, 1, 3, 3, 2]);
    assert.deepEqual(draw(3, 6, 15), [2, 0, 1, 3, 0, 0, 0, 5, 5, 3, 2, 3, 1, 1, 2]);
  });

  it("keeps matching numpy past the first 624-word block", () => {
    // numpy 1.24.2: [RandomState(7).randint(4) for _ in range(1300)][1280:]
    assert.deepEqual(draw(7, 4, 1300).slice(1280), [1, 3, 1, 2, 0, 2, 1, 3, 3, 2, 1, 2, 3, 2, 0, 3, 0, 1, 1, 3]);
  });
});
