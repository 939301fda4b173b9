import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "./random.js";
import {
  ScrambledSobol,
  SOBOL_MAX_DIMENSION,
  primitivePolynomials,
  projectionTValue,
  sobolBits,
} from "./sobol.js";

const TWO_POW_32 = 2 ** 32;
const rawPoint = (index: number, dimension: number) => sobolBits(index, dimension) / TWO_POW_32;

/** True when the first 2^m values put exactly one point in every interval [k/2^m, (k+1)/2^m). */
function isStratified(values: readonly number[], m: number): boolean {
  const seen = new Set<number>();
  for (const x of values.slice(0, 2 ** m)) seen.add(Math.floor(x * 2 ** m));
  return seen.size === 2 ** m;
}

/**
 * t-value of a 2-D point set of size 2^m by counting: the smallest t such that every elementary rectangle
 * [a/2^d1, (a+1)/2^d1) × [b/2^d2, (b+1)/2^d2) with d1 + d2 = m - t holds exactly 2^t points.
 */
function countedTValue(xs: readonly number[], ys: readonly number[], m: number): number {
  for (let t = 0; t < m; t++) {
    let balanced = true;
    for (let d1 = 0; d1 <= m - t && balanced; d1++) {
      const d2 = m - t - d1;
      const counts = new Map<number, number>();
      xs.forEach((x, i) => {
        const cell = Math.floor(x * 2 ** d1) * 2 ** d2 + Math.floor(ys[i]! * 2 ** d2);
        counts.set(cell, (counts.get(cell) ?? 0) + 1);
      });
      balanced = counts.size === 2 ** (m - t) && [...counts.values()].every((c) => c === 2 ** t);
    }
    if (balanced) return t;
  }
  return m;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("primitive polynomials", () => {
  it("finds φ(2^s - 1)/s of each degree, in increasing order", () => {
    const expectedCounts = [1, 1, 2, 2, 6, 6, 18, 16, 48, 60, 176, 144, 630];
    expectedCounts.forEach((count, i) => {
      const found = primitivePolynomials(i + 1);
      assert.equal(found.length, count, `degree ${i + 1}`);
      assert.deepEqual(found, [...found].sort((a, b) => a - b));
    });
    assert.deepEqual(primitivePolynomials(3), [0b1011, 0b1101]);
    assert.deepEqual(primitivePolynomials(5), [37, 41, 47, 55, 59, 61]);
  });

  it("supports one dimension per polynomial of degree ≤ 13, plus van der Corput", () => {
    assert.equal(SOBOL_MAX_DIMENSION, 1111);
  });
});

describe("unscrambled Sobol' points", () => {
  it("has van der Corput as dimension 0", () => {
    const expected = [0, 0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875];
    assert.deepEqual(range(8).map((i) => rawPoint(i, 0)), expected);
    assert.equal(rawPoint(2 ** 32 - 1, 0), 1 - 2 ** -32);
  });

  it("uses Pascal's triangle mod 2 (polynomial x + 1) as dimension 1", () => {
    // m_1 = 1 with recurrence m_k = 2 m_{k-1} XOR m_{k-1}: Pascal's triangle mod 2.
    assert.deepEqual(range(8).map((i) => rawPoint(i, 1)), [0, 0.5, 0.75, 0.25, 0.625, 0.125, 0.375, 0.875]);
  });

  it("stratifies the first 2^m points of every 1-D projection, m = 1..10", () => {
    for (const dimension of [0, 1, 2, 3, 7, 20, 63, 64, 200, SOBOL_MAX_DIMENSION - 1]) {
      const values = range(1024).map((i) => rawPoint(i, dimension));
      for (let m = 1; m <= 10; m++) assert.ok(isStratified(values, m), `dimension ${dimension}, m = ${m}`);
    }
  });

  it("computes 2-D t-values from ranks that agree with counting points", () => {
    for (const m of [5, 8]) {
      const points = range(12).map((d) => range(2 ** m).map((i) => rawPoint(i, d)));
      for (let a = 0; a < 12; a++) {
        for (let b = a + 1; b < 12; b++) {
          const counted = countedTValue(points[a]!, points[b]!, m);
          assert.equal(projectionTValue(a, b, m), counted, `dims ${a}, ${b}, m = ${m}`);
        }
      }
    }
  });

  it("has good 2-D projections among the early dimensions", () => {
    for (let m = 1; m <= 10; m++) assert.equal(projectionTValue(0, 1, m), 0, `dims 0, 1 form a (0, ${m}, 2)-net`);
    let worstEarly = 0;
    let worstAll = 0;
    let total = 0;
    for (let a = 0; a < 64; a++) {
      for (let b = a + 1; b < 64; b++) {
        const t = projectionTValue(a, b, 10);
        if (b < 16) worstEarly = Math.max(worstEarly, t);
        worstAll = Math.max(worstAll, t);
        total += t;
      }
    }
    assert.ok(worstEarly <= 4, `worst t among dims < 16 is ${worstEarly}`);
    assert.ok(worstAll <= 7, `worst t among dims < 64 is ${worstAll}`);
    assert.ok(total / 2016 < 2.7, `mean t among dims < 64 is ${total / 2016}`);
  });
});

describe("ScrambledSobol", () => {
  it("returns values in [0, 1), off the 2^-32 grid, never 1", () => {
    const sobol = new ScrambledSobol(7);
    let offGrid = 0;
    let count = 0;
    for (const index of [0, 1, 2, 3, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1]) {
      for (let dimension = 0; dimension < 40; dimension++) {
        const x = sobol.point(index, dimension);
        assert.ok(x >= 0 && x < 1, `point(${index}, ${dimension}) = ${x}`);
        if (!Number.isInteger(x * TWO_POW_32)) offGrid++;
        count++;
      }
    }
    assert.ok(offGrid > 0.95 * count, `${offGrid} of ${count} values off the 2^-32 grid`);
  });

  it("replays the same points for the same seed and different ones for another seed", () => {
    const a = new ScrambledSobol(42);
    const b = new ScrambledSobol(42);
    const c = new ScrambledSobol(43);
    let differing = 0;
    for (let dimension = 0; dimension < 10; dimension++) {
      for (let index = 0; index < 100; index++) {
        assert.equal(a.point(index, dimension), b.point(index, dimension));
        if (a.point(index, dimension) !== c.point(index, dimension)) differing++;
      }
    }
    assert.equal(differing, 1000);
  });

  it("randomises each point uniformly across seeds", () => {
    // Over many seeds, one fixed point's coordinate must be spread evenly over [0, 1): 16 bins, chi-square test.
    const bins = new Array<number>(16).fill(0);
    const seeds = 4000;
    for (let seed = 0; seed < seeds; seed++) bins[Math.floor(new ScrambledSobol(seed).point(5, 3) * 16)]!++;
    const expected = seeds / 16;
    const chiSquare = bins.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    assert.ok(chiSquare < 37.7, `chi-square ${chiSquare.toFixed(1)} with 15 degrees of freedom (p = 0.001 cut-off)`);
  });

  it("keeps the first 2^m points of every 1-D projection stratified, m = 1..10", () => {
    for (const seed of [1, 2, 3]) {
      const sobol = new ScrambledSobol(seed);
      for (const dimension of [0, 1, 2, 5, 30, 100]) {
        const values = range(1024).map((i) => sobol.point(i, dimension));
        for (let m = 1; m <= 10; m++) assert.ok(isStratified(values, m), `seed ${seed}, dim ${dimension}, m = ${m}`);
      }
    }
  });

  it("keeps the t-value of 2-D projections of the first 2^m points", () => {
    const m = 8;
    const sobol = new ScrambledSobol(11);
    const pairs: [number, number][] = [[0, 1], [0, 2], [1, 2], [2, 3], [3, 5], [4, 7], [1, 6]];
    for (const [a, b] of pairs) {
      const xs = range(2 ** m).map((i) => sobol.point(i, a));
      const ys = range(2 ** m).map((i) => sobol.point(i, b));
      const t = countedTValue(xs, ys, m);
      assert.equal(t, projectionTValue(a, b, m), `dims ${a}, ${b}`);
      assert.ok(t <= 3, `dims ${a}, ${b}: t = ${t}`);
    }
  });

  it("integrates a smooth function far better than plain Monte Carlo", () => {
    // ∫ over [0,1]^6 of ∏ (1 + (x_i - 1/2)) is 1.
    const f = (coordinate: (i: number) => number) => {
      let product = 1;
      for (let i = 0; i < 6; i++) product *= 1 + (coordinate(i) - 0.5);
      return product;
    };
    const rmsError = (estimate: (seed: number) => number) => {
      const seeds = range(8).map((s) => s + 100);
      return Math.sqrt(seeds.reduce((sum, seed) => sum + (estimate(seed) - 1) ** 2, 0) / seeds.length);
    };
    const sobolEstimate = (n: number) => (seed: number) => {
      const sobol = new ScrambledSobol(seed);
      let sum = 0;
      for (let index = 0; index < n; index++) sum += f((i) => sobol.point(index, i));
      return sum / n;
    };
    const monteCarloEstimate = (n: number) => (seed: number) => {
      const rng = new Rng(seed);
      let sum = 0;
      for (let index = 0; index < n; index++) sum += f(() => rng.random());
      return sum / n;
    };
    const sobolSmall = rmsError(sobolEstimate(2 ** 8));
    const sobolLarge = rmsError(sobolEstimate(2 ** 12));
    const monteCarloLarge = rmsError(monteCarloEstimate(2 ** 12));
    const show = (x: number) => x.toExponential(2);
    assert.ok(sobolLarge * 10 < monteCarloLarge, `Sobol' ${show(sobolLarge)}, Monte Carlo ${show(monteCarloLarge)}`);
    // 16 times the points: Monte Carlo gains 4x; a scrambled net on a smooth integrand gains much more.
    assert.ok(sobolLarge * 10 < sobolSmall, `2^12 points ${show(sobolLarge)}, 2^8 points ${show(sobolSmall)}`);
  });

  it("rejects bad indices, dimensions and seeds with a RangeError naming the limit", () => {
    const sobol = new ScrambledSobol(1);
    for (const index of [-1, 0.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => sobol.point(index, 0), { name: "RangeError", message: /index .*4294967295/ });
      assert.throws(() => sobolBits(index, 0), RangeError);
    }
    for (const dimension of [-1, 1.5, SOBOL_MAX_DIMENSION, Number.NaN]) {
      assert.throws(() => sobol.point(0, dimension), { name: "RangeError", message: /dimension .*1110/ });
    }
    assert.throws(() => new ScrambledSobol(Number.NaN), RangeError);
    assert.throws(() => projectionTValue(0, 1, 11), RangeError);
  });
});
