import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, TrialPruned } from "../../errors.js";
import { createStudy } from "../../study/api.js";
import type { Trial } from "../../study/trial.js";
import { describeSamplerConformance } from "../../testing/sampler-conformance.js";
import { RandomSampler } from "../random.js";
import type { Sampler } from "../sampler.js";
import { paretoOrder } from "../../math/pareto.js";
import { TPESampler, defaultGamma, defaultWeights } from "./tpe.js";

describeSamplerConformance("tpe", (seed) => new TPESampler({ seed }));
describeSamplerConformance("tpe multivariate", (seed) => new TPESampler({ seed, multivariate: true }));
describeSamplerConformance("tpe multivariate group", (seed) => new TPESampler({ seed, multivariate: true, group: true }));

/** A bowl with its minimum 0 at (0.3, 0.6). */
const bowl = (t: Trial) => (t.suggestFloat("x", 0, 1) - 0.3) ** 2 + (t.suggestFloat("y", 0, 1) - 0.6) ** 2;
/** A wide bowl with its minimum 0 at (1.3, −0.7). */
const wideBowl = (t: Trial) => (t.suggestFloat("x", -5, 5) - 1.3) ** 2 + (t.suggestFloat("y", -5, 5) + 0.7) ** 2;
/** Lets a running trial's buffered suggestions reach the storage, where the next ask() sees them. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

async function bestAfter(sampler: Sampler, trials: number): Promise<number> {
  const study = await createStudy({ sampler, warn: () => {} });
  await study.optimize(wideBowl, { nTrials: trials });
  return study.bestValue;
}

describe("TPE sampler", () => {
  it("rejects unusable options with the fix in the message", () => {
    assert.throws(() => new TPESampler({ group: true }), (e) => e instanceof ConfigError && /multivariate: true together with group: true/.test(e.message));
    assert.throws(() => new TPESampler({ nEiCandidates: 0 }), /nEiCandidates must be a positive integer/);
    assert.throws(() => new TPESampler({ nStartupTrials: -1 }), /nStartupTrials must be a non-negative integer/);
    assert.throws(() => new TPESampler({ priorWeight: 0 }), /priorWeight must be a positive number/);
  });

  it("splits and weights like Optuna by default", () => {
    assert.deepEqual([1, 10, 11, 100, 250, 1000].map(defaultGamma), [1, 1, 2, 10, 25, 25]);
    assert.deepEqual(Array.from(defaultWeights(3)), [1, 1, 1]);
    const ramp = defaultWeights(30);
    // Five old trials ramp from 1/30 up to 1, then the newest 25 weigh 1.
    assert.deepEqual(Array.from(ramp.subarray(0, 5), (w) => w.toFixed(6)), ["0.033333", "0.275000", "0.516667", "0.758333", "1.000000"]);
    assert.ok(ramp.subarray(5).every((w) => w === 1));
  });

  it("finds the bottom of a quadratic bowl far better than random search in 60 trials", async () => {
    for (const seed of [1, 2, 3]) {
      const tpe = await bestAfter(new TPESampler({ seed }), 60);
      const random = await bestAfter(new RandomSampler({ seed }), 60);
      // 60 random points come within d² ≈ 100/(60π) ≈ 0.5 of the minimum; TPE refines to ~1e-2 or better.
      assert.ok(tpe < random / 5 && tpe < 0.05, `seed ${seed}: tpe ${tpe} vs random ${random}`);
    }
  });

  it("proposes the same points for maximising −f as for minimising f", async () => {
    const run = async (direction: "minimize" | "maximize") => {
      const study = await createStudy({ direction, sampler: new TPESampler({ seed: 4 }), warn: () => {} });
      await study.optimize((t) => (direction === "minimize" ? bowl(t) : -bowl(t)), { nTrials: 30 });
      return study.trials().map((t) => t.params);
    };
    assert.deepEqual(await run("maximize"), await run("minimize"));
  });

  it("with constantLiar, steers new proposals away from trials still running at the best point", async () => {
    const meanDistance = async (constantLiar: boolean, seed: number) => {
      const study = await createStudy({ sampler: new TPESampler({ seed, constantLiar }), warn: () => {} });
      await study.optimize(bowl, { nTrials: 30 });
      const best = study.bestParams as { x: number; y: number };
      for (let i = 0; i < 8; i++) {
        await study.enqueueTrial(best);
        bowl(await study.ask());
      }
      await flush();
      let total = 0;
      for (let i = 0; i < 6; i++) {
        const trial = await study.ask();
        bowl(trial);
        total += Math.max(Math.abs((trial.params.x as number) - best.x), Math.abs((trial.params.y as number) - best.y));
        await flush();
      }
      return total / 6;
    };
    let honest = 0;
    let liar = 0;
    for (const seed of [1, 2, 3]) {
      honest += await meanDistance(false, seed);
      liar += await meanDistance(true, seed);
    }
    assert.ok(liar > 1.5 * honest, `mean distance from the running trials: liar ${liar / 3}, without ${honest / 3}`);
  });

  it("learns from pruned trials, ranked by the last value they reported", async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 5 }), warn: () => {} });
    await study.optimize(
      (t) => {
        t.report((t.suggestFloat("x", 0, 1) - 0.3) ** 2, 1);
        throw new TrialPruned();
      },
      { nTrials: 50 },
    );
    const late = study.trials().slice(30).map((t) => Math.abs((t.params.x as number) - 0.3)).sort((a, b) => a - b);
    // Half of uniform draws would lie more than 0.25 from 0.3.
    assert.ok(late[late.length >> 1]! < 0.1, `distances from 0.3: ${late}`);
  });

  it("in group mode models a conditional parameter jointly, from the trials that have it", async () => {
    const conditional = (t: Trial) => {
      const optimizer = t.suggestCategorical("optimizer", ["sgd", "adam"]);
      const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
      return optimizer === "sgd" ? Math.abs(Math.log10(lr) + 2) + (t.suggestFloat("momentum", 0, 1) - 0.9) ** 2 : 1 + lr;
    };
    const relativeSpace = async (group: boolean) => {
      const sampler = new TPESampler({ seed: 6, multivariate: true, group });
      const study = await createStudy({ sampler, warn: () => {} });
      await study.optimize(conditional, { nTrials: 40 });
      const momenta = study.trials().slice(25).flatMap((t) => (t.params.momentum === undefined ? [] : [t.params.momentum as number]));
      return { names: Object.keys(sampler.inferRelativeSearchSpace(study, await study.ask())), momenta };
    };
    assert.deepEqual((await relativeSpace(false)).names, ["lr", "optimizer"]);
    const grouped = await relativeSpace(true);
    assert.deepEqual(grouped.names, ["lr", "momentum", "optimizer"]);
    assert.ok(grouped.momenta.length > 5 && grouped.momenta.filter((m) => m > 0.6).length / grouped.momenta.length > 0.7, `momenta ${grouped.momenta}`);
  });
});

describe("TPE on finite spaces", () => {
  /** 75 configurations, the best at a = 3, b = 1, c = "y". */
  const finite = (t: Trial) => (t.suggestInt("a", 0, 4) - 3) ** 2 + (t.suggestInt("b", 0, 4) - 1) ** 2 + (t.suggestCategorical("c", ["x", "y", "z"]) === "y" ? 0 : 2);
  const key = (params: Record<string, unknown>) => JSON.stringify(Object.entries(params).sort());

  it("does not re-run a configuration while untried ones remain, one parameter at a time or jointly", async () => {
    for (const multivariate of [false, true]) {
      for (const seed of [1, 2, 3]) {
        const study = await createStudy({ sampler: new TPESampler({ seed, multivariate, nStartupTrials: 10 }), warn: () => {} });
        await study.optimize(finite, { nTrials: 60 });
        const trials = study.trials();
        const seen = new Set(trials.slice(0, 10).map((t) => key(t.params)));
        // Unchecked, TPE's l(x) gathers on the best configuration and re-runs it: 21–26 of 40 trials did.
        for (const trial of trials.slice(10)) {
          assert.ok(!seen.has(key(trial.params)), `multivariate ${multivariate}, seed ${seed}: trial ${trial.number} repeats ${key(trial.params)}`);
          seen.add(key(trial.params));
        }
        assert.equal(study.bestValue, 0);
      }
    }
  });

  it("tells a conditional branch with untried configurations from an exhausted one", async () => {
    // Three configurations: (kind a, x 0), (kind a, x 1), (kind b). Whatever the random first trial is, the next two
    // are the other two, which needs knowing that a branch with x has two configurations and b's has one.
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const study = await createStudy({ sampler: new TPESampler({ seed, nStartupTrials: 1 }), warn: () => {} });
      await study.optimize((t) => (t.suggestCategorical("kind", ["a", "b"]) === "a" ? t.suggestInt("x", 0, 1) : 0.5), { nTrials: 4 });
      const keys = study.trials().map((t) => key(t.params));
      assert.equal(new Set(keys.slice(0, 3)).size, 3, `seed ${seed}: ${keys}`);
      // Then every configuration has run: the fourth trial repeats one rather than fail.
      assert.equal(keys.length, 4);
    }
  });
});

describe("multi-objective TPE", () => {
  it("orders points by Pareto front, then by crowding distance (extremes first)", () => {
    const points = [
      [1, 4],
      [2, 2],
      [4, 1],
      [3, 3],
      [5, 5],
      [2.5, 1.8],
    ];
    // Front 0 is (1,4), (2,2), (4,1), (2.5,1.8): the extremes first, then (2,2) (crowding 1.23) before (2.5,1.8) (1.0).
    assert.deepEqual(paretoOrder(points), [0, 2, 1, 5, 3, 4]);
  });

  it("concentrates proposals on the Pareto set of two conflicting objectives", async () => {
    const study = await createStudy({ directions: ["minimize", "maximize"], sampler: new TPESampler({ seed: 7 }), warn: () => {} });
    // Pareto set: x in [0, 1] (x² up, −(x−1)² down as x moves from 0 to 1); x ranges over [−2, 3].
    await study.optimize((t) => {
      const x = t.suggestFloat("x", -2, 3);
      return [x * x, -((x - 1) ** 2)];
    }, { nTrials: 60 });
    const late = study.trials().slice(30).map((t) => t.params.x as number);
    const onFront = late.filter((x) => x >= -0.05 && x <= 1.05).length;
    // Random proposals would land there 22% of the time.
    assert.ok(onFront / late.length > 0.6, `${onFront} of ${late.length} on the Pareto set`);
  });
});
