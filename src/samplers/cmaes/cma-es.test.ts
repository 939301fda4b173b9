import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { symmetricEigen } from "../../math/eigen.js";
import { normalCdf } from "../../math/normal.js";
import { Rng } from "../../math/random.js";
import { CmaEs, defaultPopsize, type CmaEsConfig, type DiscreteAxis } from "./cma-es.js";

/** K equal cells of [0, 1], as the shared transform lays out an integer range. */
function grid(cells: number): DiscreteAxis {
  return { cells, cellOf: (u) => Math.min(cells - 1, Math.max(0, Math.floor(u * cells))), boundary: (i) => (i + 1) / cells };
}

/** Runs generations until the best value reaches `target` (or `maxEvaluations`); returns evaluations used. */
function minimise(
  config: CmaEsConfig,
  f: (point: Float64Array) => number,
  options: { target: number; maxEvaluations: number; seed: number; onGeneration?: (es: CmaEs) => void },
): { evaluations: number; best: number; es: CmaEs } {
  const es = new CmaEs(config);
  let evaluations = 0;
  let best = Infinity;
  while (best > options.target && evaluations < options.maxEvaluations && es.stopReason === null) {
    const raws: Float64Array[] = [];
    const values: number[] = [];
    for (let k = 0; k < es.popsize; k++) {
      const { raw, point } = es.distribution.sample(Rng.stream(options.seed, es.generation, k));
      const value = f(point);
      raws.push(raw);
      values.push(value);
      best = Math.min(best, value);
      evaluations++;
    }
    es.tell(raws, values);
    options.onGeneration?.(es);
  }
  return { evaluations, best, es };
}

const centre = (n: number) => new Float64Array(n).fill(0.5);
const sphere = (optimum: number) => (x: Float64Array) => x.reduce((s, v) => s + (v - optimum) ** 2, 0);

describe("CMA-ES", () => {
  it("uses the default population 4 + ⌊3 ln n⌋", () => {
    assert.deepEqual([1, 2, 10, 100].map(defaultPopsize), [4, 6, 10, 17]);
    assert.throws(() => new CmaEs({ mean: centre(2), sigma: 0.1, popsize: 1 }), /popsize must be an integer ≥ 2/);
    assert.throws(() => new CmaEs({ mean: centre(2), sigma: 0 }), /sigma must be positive/);
  });

  it("converges on the sphere to 1e-10 within a bounded number of evaluations", () => {
    // Reference CMA-ES needs roughly 250 (n = 2), 700 (n = 5) and 1500 (n = 10) evaluations from this start.
    for (const [n, budget] of [[2, 500], [5, 1200], [10, 2500]] as const) {
      const { best, evaluations, es } = minimise({ mean: centre(n), sigma: 1 / 6 }, sphere(0.3), { target: 1e-10, maxEvaluations: budget, seed: n });
      assert.ok(best <= 1e-10, `n=${n}: best ${best} after ${evaluations} evaluations`);
      for (const m of es.mean) assert.ok(Math.abs(m - 0.3) < 1e-4);
    }
  });

  it("learns the inverse Hessian of an ill-conditioned ellipsoid", () => {
    const n = 4;
    const scales = [1, 10, 100, 1000];
    const ellipsoid = (x: Float64Array) => x.reduce((s, v, i) => s + scales[i]! ** 2 * (v - 0.4) ** 2, 0);
    const { best, evaluations, es } = minimise({ mean: centre(n), sigma: 1 / 6 }, ellipsoid, { target: 1e-12, maxEvaluations: 4000, seed: 7 });
    assert.ok(best <= 1e-12, `best ${best} after ${evaluations} evaluations`);
    // Adapted, C approaches the inverse Hessian diag(1/scale²): axis i's standard deviation is 1000/scale_i times the last's.
    const covariance = es.covariance;
    for (let i = 0; i < n; i++) {
      const ratio = Math.sqrt(covariance[i * n + i]! / covariance[(n - 1) * n + n - 1]!);
      const expected = scales[n - 1]! / scales[i]!;
      assert.ok(ratio > expected / 2 && ratio < expected * 2, `axis ${i}: standard deviation ratio ${ratio}, expected ≈ ${expected}`);
    }
  });

  it("keeps continuous candidates inside the box, even with the mean on its edge", () => {
    const es = new CmaEs({ mean: Float64Array.of(0, 1, 0.5), sigma: 0.5 });
    for (let k = 0; k < 200; k++) {
      const { raw, point } = es.distribution.sample(Rng.stream(1, k));
      for (let i = 0; i < 3; i++) {
        assert.ok(point[i]! >= 0 && point[i]! <= 1, `coordinate ${point[i]}`);
        assert.equal(raw[i], point[i]);
      }
    }
  });

  it("mirrors a candidate through the mean, and refuses a mirror that leaves the box on a continuous axis", () => {
    const discrete = [null, grid(5)];
    const es = new CmaEs({ mean: Float64Array.of(0.5, 0.5), sigma: 0.3, discrete });
    const { distribution } = es;
    let refused = 0;
    for (let k = 0; k < 200; k++) {
      const candidate = distribution.sample(Rng.stream(3, k));
      const mirrored = distribution.mirror(candidate);
      const outside = 1 - candidate.raw[0]! < 0 || 1 - candidate.raw[0]! > 1;
      if (mirrored === null) {
        assert.ok(outside, `refused the inside mirror of ${candidate.raw[0]}`);
        refused++;
        continue;
      }
      assert.equal(mirrored.raw[0], 1 - candidate.raw[0]!);
      assert.equal(mirrored.raw[1], 1 - candidate.raw[1]!);
      assert.equal(mirrored.point[0], mirrored.raw[0]);
      // The discrete axis is unbounded in the Gaussian: its mirror is clipped into the box when encoded.
      assert.equal(mirrored.point[1], Math.min(1, Math.max(0, mirrored.raw[1]!)));
    }
    // With the mean at the centre every inside sample has an inside mirror; off-centre some do not.
    assert.equal(refused, 0);
    const offCentre = new CmaEs({ mean: Float64Array.of(0.9, 0.5), sigma: 0.3 }).distribution;
    const mirrors = Array.from({ length: 200 }, (_, k) => offCentre.mirror(offCentre.sample(Rng.stream(4, k))));
    assert.ok(mirrors.some((m) => m === null) && mirrors.some((m) => m !== null));
  });

  it("does not depend on the order of tied candidates", () => {
    const run = (swap: boolean) => {
      const es = new CmaEs({ mean: centre(3), sigma: 0.2, popsize: 6 });
      const raws = Array.from({ length: 6 }, (_, k) => es.distribution.sample(Rng.stream(2, k)).raw);
      const values = [3, 1, 1, 2, 5, 5];
      if (swap) [raws[1], raws[2], raws[4], raws[5]] = [raws[2]!, raws[1]!, raws[5]!, raws[4]!];
      es.tell(raws, values);
      return { mean: [...es.mean], sigma: es.sigma, covariance: [...es.covariance] };
    };
    assert.deepEqual(run(true), run(false));
  });

  it("reports stagnation: flat fitness, and TolFun once the values stop changing", () => {
    const flat = minimise({ mean: centre(3), sigma: 0.2 }, () => 1, { target: -Infinity, maxEvaluations: 1000, seed: 1 });
    assert.equal(flat.es.stopReason, "flatfitness");
    assert.equal(flat.es.generation, 2);
    const converged = minimise({ mean: centre(2), sigma: 0.2 }, sphere(0.5), { target: -Infinity, maxEvaluations: 20_000, seed: 1 });
    assert.ok(converged.es.stopReason !== null && converged.evaluations < 20_000, `still running after ${converged.evaluations}`);
  });

  describe("with margin", () => {
    const mixed = (cells: number, target: number, discrete: number, continuous: number) => (x: Float64Array) => {
      let s = 0;
      for (let i = 0; i < discrete; i++) s += Math.abs(Math.min(cells - 1, Math.floor(x[i]! * cells)) - target);
      for (let i = 0; i < continuous; i++) s += 1000 ** (i / Math.max(1, continuous - 1)) * (x[discrete + i]! - 0.4) ** 2;
      return s;
    };

    it("reaches an off-centre integer optimum where plain CMA-ES freezes on a wrong value", () => {
      const cells = 20;
      const f = mixed(cells, 17, 4, 2);
      const axes = [grid(cells), grid(cells), grid(cells), grid(cells), null, null];
      const solved = (withMargin: boolean) =>
        Array.from({ length: 8 }, (_, seed) => {
          const { best } = minimise({ mean: centre(6), sigma: 1 / 6, discrete: axes, withMargin }, f, { target: 1e-8, maxEvaluations: 3000, seed });
          return best <= 1e-8;
        }).filter(Boolean).length;
      assert.equal(solved(true), 8);
      assert.ok(solved(false) <= 6, "without margin the integers should freeze in some runs");
    });

    it("keeps at least α/2 probability of leaving the mean's cell on each side (α at the ends)", () => {
      const cells = 5;
      const n = 4;
      const alpha = 1 / (n * defaultPopsize(n));
      const axes = [grid(cells), grid(cells), null, null];
      const check = (es: CmaEs) => {
        const { mean, sigma, encodingScale } = es.distribution;
        const covariance = es.covariance;
        for (let j = 0; j < 2; j++) {
          const std = sigma * encodingScale[j]! * Math.sqrt(covariance[j * n + j]!);
          const cell = axes[j]!.cellOf(mean[j]!);
          const below = cell > 0 ? normalCdf((cell / cells - mean[j]!) / std) : 0;
          const above = cell < cells - 1 ? normalCdf((mean[j]! - (cell + 1) / cells) / std) : 0;
          if (cell === 0 || cell === cells - 1) assert.ok(below + above >= alpha * (1 - 1e-6), `end cell: ${below + above} < ${alpha}`);
          else assert.ok(Math.min(below, above) >= (alpha / 2) * (1 - 1e-6), `inner cell: ${below}, ${above} < ${alpha / 2}`);
        }
      };
      // Optimum in an end cell (0) on one axis and an inner cell (2) on the other.
      const f = (x: Float64Array) => Math.floor(x[0]! * cells) + Math.abs(Math.floor(x[1]! * cells) - 2) + (x[2]! - 0.3) ** 2 + (x[3]! - 0.6) ** 2;
      const { best } = minimise({ mean: centre(n), sigma: 1 / 6, discrete: axes }, f, { target: 1e-10, maxEvaluations: 3000, seed: 4, onGeneration: check });
      assert.ok(best <= 1e-10, `best ${best}`);
    });
  });
});

describe("CMA-ES covariance", () => {
  it("stays symmetric positive definite through the active update", () => {
    const n = 5;
    const { es } = minimise({ mean: centre(n), sigma: 0.3 }, (x) => Math.sin(10 * x[0]!) + x.reduce((s, v) => s + v * v, 0), {
      target: -Infinity,
      maxEvaluations: 600,
      seed: 3,
    });
    const covariance = es.covariance;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(covariance[i * n + j], covariance[j * n + i]);
    assert.ok(symmetricEigen(covariance, n).values[0]! > 0);
  });
});
