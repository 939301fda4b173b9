import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, TrialPruned } from "../../errors.js";
import { createStudy, loadStudy } from "../../study/api.js";
import type { Study } from "../../study/study.js";
import type { Trial } from "../../study/trial.js";
import { describeSamplerConformance } from "../../testing/sampler-conformance.js";
import { tempDir } from "../../testing/temp.js";
import { CMAES_GENERATION_ATTR as GENERATION_ATTR, CMAES_INDEX_ATTR as INDEX_ATTR, CMAES_RESTART_ATTR as RESTART_ATTR } from "../../core/attributes.js";
import { CmaEs } from "./cma-es.js";
import { CmaEsSampler, type CmaEsSamplerOptions } from "./sampler.js";

// CMA-ES is a local search: from the default start (centre, σ₀ = 1/6) it moves away from the bad end n = 7 of the
// suite's integer range and may never visit it. Ten random startup trials and a wide σ₀ give the coverage the suite
// checks; every other property of the suite (bounds, determinism, exact resume mid-run) is unaffected by the options.
describeSamplerConformance("cmaes", (seed) => new CmaEsSampler({ seed, nStartupTrials: 10, sigma0: 0.5 }));

function quadratic(trial: Trial): number {
  const x = trial.suggestFloat("x", -5, 5);
  const y = trial.suggestFloat("y", 1e-3, 1e1, { log: true });
  const n = trial.suggestInt("n", 0, 20);
  return (x - 1.5) ** 2 + Math.log10(y) ** 2 + ((n - 13) / 4) ** 2;
}

async function run(options: CmaEsSamplerOptions, trials: number, objective: (t: Trial) => number = quadratic, direction: "minimize" | "maximize" = "minimize") {
  const sampler = new CmaEsSampler(options);
  const study = await createStudy({ sampler, direction, warn: () => {} });
  await study.optimize(objective, { nTrials: trials, catch: true });
  return { study, sampler };
}

function slotsOf(study: Study) {
  return study.trials().map((t) => [t.systemAttrs[RESTART_ATTR], t.systemAttrs[GENERATION_ATTR], t.systemAttrs[INDEX_ATTR]]);
}

describe("CmaEsSampler", () => {
  it("rejects bad options with the fix in the message", () => {
    assert.throws(() => new CmaEsSampler({ sigma0: -1 }), ConfigError);
    assert.throws(() => new CmaEsSampler({ popsize: 1 }), /popsize must be an integer ≥ 2/);
    assert.throws(() => new CmaEsSampler({ nStartupTrials: -1 }), /nStartupTrials/);
    assert.throws(() => new CmaEsSampler({ restartStrategy: "bipop" as "ipop" }), /"ipop" or null/);
    assert.throws(() => new CmaEsSampler({ incPopsize: 1.5 }), /incPopsize/);
    assert.throws(() => new CmaEsSampler({ x0: { a: Number.NaN } }), /x0\.a must be a finite number/);
  });

  it("refuses multi-objective studies", async () => {
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 1 }), directions: ["minimize", "maximize"] });
    await assert.rejects(study.ask(), /optimises one objective/);
  });

  it("tags trials with (restart, generation, index) in population-sized generations after one random trial", async () => {
    const { study } = await run({ seed: 1, popsize: 5 }, 12);
    assert.deepEqual(slotsOf(study), [
      [undefined, undefined, undefined],
      [0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3], [0, 0, 4],
      [0, 1, 0], [0, 1, 1], [0, 1, 2], [0, 1, 3], [0, 1, 4],
      [0, 2, 0],
    ]);
  });

  it("starts at x0 (else the centre of the box) and finds the optimum of a quadratic with an integer", async () => {
    const { study } = await run({ seed: 2, x0: { x: 4 } }, 300);
    assert.ok(study.bestValue < 1e-6, `best ${study.bestValue}`);
    assert.equal(study.bestParams.n, 13);
    const firstGeneration = study.trials().filter((t) => t.systemAttrs[RESTART_ATTR] === 0 && t.systemAttrs[GENERATION_ATTR] === 0);
    const average = (f: (params: Record<string, number>) => number) =>
      firstGeneration.reduce((s, t) => s + f(t.params as Record<string, number>), 0) / firstGeneration.length;
    // Centred on x0 for x, on the middle of the box for y (10^-1 on its log scale) and n (10).
    assert.ok(Math.abs(average((p) => p.x!) - 4) < 1.5);
    assert.ok(Math.abs(average((p) => Math.log10(p.y!)) + 1) < 0.7);
    assert.ok(Math.abs(average((p) => p.n!) - 10) < 3);
  });

  it("mirrors each odd slot through the mean of its generation, and tells the optimiser what was evaluated", async () => {
    const bowl = (t: Trial) => (t.suggestFloat("a", 0, 1) - 0.2) ** 2 + 3 * (t.suggestFloat("b", 0, 1) - 0.7) ** 2;
    const { study, sampler } = await run({ seed: 6, popsize: 4 }, 5, bowl);
    const generation0 = study.trials().slice(1);
    const point = (i: number) => Float64Array.of(generation0[i]!.params.a as number, generation0[i]!.params.b as number);
    // In box units (here the parameters themselves) slot 1 is 2·mean − slot 0, the mean being the centre.
    for (const [even, odd] of [[0, 1], [2, 3]] as const) {
      for (let k = 0; k < 2; k++) assert.ok(Math.abs(point(even)[k]! + point(odd)[k]! - 1) < 1e-12);
    }
    const reference = new CmaEs({ mean: Float64Array.of(0.5, 0.5), sigma: 1 / 6, popsize: 4 });
    reference.tell([0, 1, 2, 3].map(point), generation0.map((t) => t.value!));
    const state = sampler.currentState(study)!;
    assert.equal(state.generation, 1);
    assert.deepEqual([...state.mean], [...reference.mean]);
    assert.equal(state.sigma, reference.sigma);

    const independent = await run({ seed: 6, popsize: 4, mirroredSampling: false }, 3, bowl);
    const [first, second] = independent.study.trials().slice(1).map((t) => (t.params.a as number) + (t.params.b as number));
    assert.ok(Math.abs(first! + second! - 2) > 1e-6, "without mirroring the second slot is a draw of its own");
  });

  it("proposes the same for maximize(−f) as for minimize(f)", async () => {
    const minimised = await run({ seed: 3 }, 40);
    const maximised = await run({ seed: 3 }, 40, (t) => -quadratic(t), "maximize");
    assert.deepEqual(
      maximised.study.trials().map((t) => t.params),
      minimised.study.trials().map((t) => t.params),
    );
  });

  it("restores the exact optimiser state (mean, σ, C) when a stopped study is resumed with a new sampler", async () => {
    const dir = tempDir("scaletune-cmaes-");
    try {
      const uninterrupted = await run({ seed: 4 }, 45);
      const storage = `sqlite:${dir.file("study.db")}`;
      const first = new CmaEsSampler({ seed: 4 });
      const before = await createStudy({ name: "s", storage, sampler: first, warn: () => {} });
      await before.optimize(quadratic, { nTrials: 30 });
      const atStop = first.currentState(before)!;
      await before.close();

      const second = new CmaEsSampler({ seed: 4 });
      const after = await loadStudy({ name: "s", storage, sampler: second, warn: () => {} });
      assert.deepEqual(second.currentState(after), atStop);
      await after.optimize(quadratic, { nTrials: 15 });
      const resumed = second.currentState(after)!;
      const expected = uninterrupted.sampler.currentState(uninterrupted.study)!;
      assert.ok(resumed.generation >= 4);
      assert.deepEqual(resumed, expected);
      assert.deepEqual(after.trials().map((t) => t.params), uninterrupted.study.trials().map((t) => t.params));
      await after.close();
    } finally {
      dir.remove();
    }
  });

  it("re-proposes failed slots and counts pruned trials as the worst of their generation", async () => {
    let calls = 0;
    const objective = (t: Trial) => {
      const value = quadratic(t);
      calls++;
      if (calls % 5 === 0) throw new Error("crash");
      if (calls % 7 === 0) throw new TrialPruned();
      return value;
    };
    const { study, sampler } = await run({ seed: 5, popsize: 6 }, 60, objective);
    const generation0 = study.trials().filter((t) => t.systemAttrs[GENERATION_ATTR] === 0);
    const failed = generation0.filter((t) => t.state === "failed").length;
    // Each failed slot was replaced by one more proposal; pruned ones filled their slot.
    assert.ok(failed > 0 && generation0.some((t) => t.state === "pruned"));
    assert.equal(generation0.length, 6 + failed);
    const usable = study.trials().filter((t) => t.systemAttrs[RESTART_ATTR] === 0 && t.state !== "failed").length;
    assert.equal(sampler.currentState(study)!.generation, Math.floor(usable / 6));
  });

  it("restarts with a doubled population when the run stagnates (IPOP), and not with restartStrategy null", async () => {
    // A plateau: every candidate ties, which stops a run after two generations (flat fitness).
    const plateau = (t: Trial) => t.suggestFloat("a", 0, 1) * 0 + t.suggestFloat("b", 0, 1) * 0;
    const ipop = await run({ seed: 6 }, 1 + 6 * 2 + 12 * 2 + 1, plateau);
    const restarts = ipop.study.trials().map((t) => t.systemAttrs[RESTART_ATTR]);
    assert.equal(restarts.filter((r) => r === 0).length, 12);
    assert.equal(restarts.filter((r) => r === 1).length, 24);
    assert.equal(restarts.at(-1), 2);
    const none = await run({ seed: 6, restartStrategy: null }, 40, plateau);
    assert.ok(none.study.trials().every((t) => t.systemAttrs[RESTART_ATTR] === undefined || t.systemAttrs[RESTART_ATTR] === 0));
  });

  it("samples categorical and conditional parameters at random, with one notice naming them", async () => {
    const warnings: string[] = [];
    const sampler = new CmaEsSampler({ seed: 7 });
    const study = await createStudy({ sampler, warn: (m) => warnings.push(m) });
    await study.optimize(
      (t) => {
        const act = t.suggestCategorical("act", ["relu", "tanh"]);
        return quadratic(t) + (act === "relu" ? 0 : 1);
      },
      { nTrials: 40 },
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /"act" is sampled independently at random.*TPESampler/);
    const acts = new Set(study.trials().map((t) => t.params.act));
    assert.equal(acts.size, 2);
    assert.ok(study.trials().slice(1).every((t) => t.systemAttrs[RESTART_ATTR] === 0));
  });

  it("starts a new run when the shared search space changes", async () => {
    const { study, sampler } = await run({ seed: 8, popsize: 4 }, 30, (t) => {
      const x = t.suggestFloat("x", 0, 1);
      // From trial 12 on, "z" is no longer suggested, so the modelled space shrinks to {x}.
      return t.number < 12 ? x + t.suggestFloat("z", 0, 1) : x;
    });
    const state = sampler.currentState(study)!;
    assert.equal(state.restart, 1);
    assert.equal(state.mean.length, 1);
    assert.ok(study.trials().slice(13).every((t) => t.systemAttrs[RESTART_ATTR] === 1));
  });

  it("keeps generations consistent when trials run concurrently", async () => {
    const sampler = new CmaEsSampler({ seed: 9 });
    const study = await createStudy({ sampler, warn: () => {} });
    await study.optimize(async (t) => {
      await new Promise((resolve) => setTimeout(resolve, (t.number * 7) % 5));
      return quadratic(t);
    }, { nTrials: 80, concurrency: 4 });
    const tagged = study.trials().filter((t) => t.systemAttrs[RESTART_ATTR] !== undefined);
    const slots = new Set(tagged.map((t) => slotsOf(study)[t.number]!.join(":")));
    assert.equal(slots.size, tagged.length, "every slot is proposed once");
    assert.ok(sampler.currentState(study)!.generation >= 5);
    // A fresh sampler replays the same state from the stored trials.
    const replayed = new CmaEsSampler({ seed: 9 }).currentState(study);
    assert.deepEqual(replayed, sampler.currentState(study));
  });
});
