/**
 * @module The sampler conformance suite: every sampler that proposes values for any search space must pass it.
 *
 * @example
 * import { describeSamplerConformance } from "scaletune/testing";
 * describeSamplerConformance("my sampler", (seed) => new MySampler({ seed }));
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { containsInternal, type Distribution } from "../space/distributions.js";
import type { Sampler } from "../samplers/sampler.js";
import { createStudy, loadStudy } from "../study/api.js";
import type { Trial } from "../study/trial.js";
import type { ParamValue } from "../core/types.js";
import { tempDir } from "./temp.js";

/** Every kind of parameter the library offers, suggested in a fixed order. */
function mixedObjective(trial: Trial): number {
  const x = trial.suggestFloat("x", -3, 3);
  const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
  const q = trial.suggestFloat("q", 0, 1, { step: 0.125 });
  const n = trial.suggestInt("n", -2, 7);
  const width = trial.suggestInt("width", 8, 512, { log: true });
  const even = trial.suggestInt("even", 0, 10, { step: 2 });
  const opt = trial.suggestCategorical("opt", ["sgd", "adam", 3, true, null]);
  return x * x + Math.abs(Math.log10(lr) + 3) + q + Math.abs(n) + Math.log2(width) / 10 + even / 10 + (opt === "adam" ? 0 : 1);
}

async function paramsOf(sampler: Sampler, trials: number, objective: (t: Trial) => number = mixedObjective) {
  const study = await createStudy({ sampler, warn: () => {} });
  await study.optimize(objective, { nTrials: trials });
  return study.trials();
}

/** Runs `first` trials, closes the study, loads it in a new study object with a new sampler, and runs `then` more. */
async function resumedParams(factory: (seed: number) => Sampler, seed: number, first: number, then: number) {
  const dir = tempDir("scaletune-resume-");
  try {
    const storage = `sqlite:${dir.file("resume.db")}`;
    const before = await createStudy({ name: "resume", storage, sampler: factory(seed), warn: () => {} });
    await before.optimize(mixedObjective, { nTrials: first });
    await before.close();
    const after = await loadStudy({ name: "resume", storage, sampler: factory(seed), warn: () => {} });
    await after.optimize(mixedObjective, { nTrials: then });
    const params = after.trials().map((t) => t.params);
    await after.close();
    return params;
  } finally {
    dir.remove();
  }
}

export function describeSamplerConformance(name: string, factory: (seed: number) => Sampler): void {
  describe(`sampler conformance: ${name}`, () => {
    it("proposes values inside every distribution kind", async () => {
      const trials = await paramsOf(factory(1), 120);
      assert.equal(trials.length, 120);
      const seen = new Map<string, Set<ParamValue>>();
      for (const trial of trials) {
        assert.equal(trial.state, "complete", trial.failReason ?? "");
        for (const [param, value] of Object.entries(trial.internalParams)) {
          const distribution = trial.distributions[param] as Distribution;
          assert.ok(containsInternal(distribution, value), `${param}=${value} outside its distribution`);
          if (!seen.has(param)) seen.set(param, new Set());
          seen.get(param)!.add(trial.params[param]!);
        }
      }
      // Coverage: over 120 trials every categorical choice and both ends of the integer range appear.
      assert.equal(seen.get("opt")?.size, 5);
      assert.ok(seen.get("n")?.has(-2) && seen.get("n")?.has(7));
    });

    it("replays the same proposals for the same seed, and others for another seed", async () => {
      const a = (await paramsOf(factory(11), 25)).map((t) => t.params);
      const b = (await paramsOf(factory(11), 25)).map((t) => t.params);
      const c = (await paramsOf(factory(12), 25)).map((t) => t.params);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
    });

    it("continues a resumed study exactly as if it had never stopped (sampler state is restored)", async () => {
      const uninterrupted = (await paramsOf(factory(5), 45)).map((t) => t.params);
      assert.deepEqual(await resumedParams(factory, 5, 30, 15), uninterrupted);
    });

    it("handles conditional, define-by-run parameters", async () => {
      const trials = await paramsOf(factory(3), 60, (t) => {
        const kind = t.suggestCategorical("kind", ["linear", "tree"]);
        if (kind === "linear") return t.suggestFloat("alpha", 1e-4, 1, { log: true });
        const depth = t.suggestInt("depth", 1, 4);
        let s = 0;
        for (let i = 0; i < depth; i++) s += t.suggestFloat(`w${i}`, 0, 1);
        return s;
      });
      assert.ok(trials.every((t) => t.state === "complete"));
      assert.ok(trials.some((t) => t.params.kind === "linear") && trials.some((t) => t.params.kind === "tree"));
    });
  });
}
