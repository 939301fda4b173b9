import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "./random.js";

describe("Rng", () => {
  it("replays the same sequence for the same seed and differs for another", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.nextUint32()));
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.nextUint32()));
    assert.notDeepEqual(Rng.stream(1, 2).random(), Rng.stream(2, 1).random());
    assert.notEqual(new Rng(1).random(), new Rng(2 ** 32 + 1).random());
  });

  it("draws uniform numbers with the right moments and covers [0, 1)", () => {
    const rng = new Rng(7);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      assert.ok(u >= 0 && u < 1);
      sum += u;
      sq += u * u;
      bins[Math.floor(u * 10)]!++;
    }
    assert.ok(Math.abs(sum / n - 0.5) < 0.003);
    assert.ok(Math.abs(sq / n - 1 / 3) < 0.003);
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.1 % critical value.
    const chi = bins.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    assert.ok(chi < 27.9, `chi-square ${chi}`);
  });

  it("draws normal deviates with mean 0 and variance 1", () => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 100_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    assert.ok(Math.abs(mean) < 0.015 && Math.abs(variance - 1) < 0.02);
  });

  it("draws integers without bias and permutations", () => {
    const rng = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]!++;
    assert.ok(counts.every((c) => Math.abs(c - 10_000) < 400));
    assert.deepEqual(rng.permutation(10).sort((a, b) => a - b), [...Array(10).keys()]);
    assert.throws(() => rng.int(0), RangeError);
  });
});
