import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NopPruner } from "../pruners/pruner.js";
import { createStudy } from "../study/api.js";
import type { FrozenTrial } from "../core/types.js";
import { describeSamplerConformance } from "../testing/sampler-conformance.js";
import { bohb } from "../study/bohb.js";
import { BohbSampler } from "./bohb.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";

const quiet = { warn: () => {} };

describeSamplerConformance("BohbSampler", (seed) => new BohbSampler({ seed }));

/** A model that records what it is shown and proposes at random. */
function spyModel(seen: FrozenTrial[][]): Sampler {
  const random = new RandomSampler({ seed: 9 });
  return {
    name: "spy",
    sampleIndependent(study, trial, name, distribution) {
      seen.push([...study.trials()]);
      return random.sampleIndependent(study, trial, name, distribution);
    },
  };
}

/** Runs trials that report `curves[i]` at steps 1, 2, …, stopping where the curve ends (pruned before the last step 9). */
async function runCurves(sampler: Sampler, curves: readonly (readonly number[])[]) {
  const study = await createStudy({ sampler, pruner: new NopPruner(), ...quiet });
  for (const curve of curves) {
    const trial = await study.ask();
    trial.suggestFloat("x", 0, 1);
    curve.forEach((value, i) => trial.report(value, i + 1));
    await study.tell(trial, curve.length === 9 ? curve.at(-1)! : "pruned");
  }
  return study;
}

describe("BohbSampler", () => {
  it("fits the model on the largest step that minObservations finished trials reached, valued there", async () => {
    const seen: FrozenTrial[][] = [];
    const sampler = new BohbSampler({ seed: 1, minObservations: 3, randomFraction: 0, model: spyModel(seen) });
    // Trials stopped at steps 1, 3, 3, 9, 9, 1: three reached step 3, only two step 9.
    const study = await runCurves(sampler, [[5], [4, 3, 2], [6, 5, 4], [7, 6, 5, 4, 3, 2, 1, 1, 1], [3, 2, 1.5, 1, 1, 1, 1, 1, 0.5], [9]]);
    assert.equal(sampler.modelBudget(study), 3);
    const trial = await study.ask();
    trial.suggestFloat("x", 0, 1);
    const shown = seen.at(-1)!;
    assert.deepEqual(shown.map((t) => [t.number, t.state, t.value]), [[1, "complete", 2], [2, "complete", 4], [3, "complete", 5], [4, "complete", 1.5]]);
  });

  it("lets the model see the whole study while no step has enough observations", async () => {
    const sampler = new BohbSampler({ seed: 1, minObservations: 10 });
    const study = await runCurves(sampler, [[1, 2], [3]]);
    assert.equal(sampler.modelBudget(study), null);
  });

  it("samples randomFraction of its trials exactly as the random sampler with its seed does", async () => {
    const all = new BohbSampler({ seed: 4, randomFraction: 1 });
    const study = await createStudy({ sampler: all, ...quiet });
    const random = await createStudy({ sampler: new RandomSampler({ seed: 4 }), ...quiet });
    for (const s of [study, random]) await s.optimize((t) => t.suggestFloat("x", -1, 1) ** 2, { nTrials: 30 });
    assert.deepEqual(study.trials().map((t) => t.params), random.trials().map((t) => t.params));
    const third = new BohbSampler({ seed: 4 });
    const share = Array.from({ length: 3000 }, (_, n) => (third as unknown as { isRandom(t: { number: number }): boolean }).isRandom({ number: n }));
    assert.ok(Math.abs(share.filter(Boolean).length / 3000 - 1 / 3) < 0.03);
  });

  it("bohb() pairs it with a Hyperband pruner that shows every bracket", async () => {
    const pair = bohb({ seed: 2, minResource: 1, maxResource: 27 });
    assert.equal(pair.pruner.sampleWithinBracket, false);
    const study = await createStudy({ ...pair, ...quiet });
    assert.equal(pair.pruner.samplerView(study, { number: 5, systemAttrs: {} }), study);
  });

  it("rejects unusable options", () => {
    assert.throws(() => new BohbSampler({ minObservations: 1 }), /minObservations must be an integer of at least 2/);
    assert.throws(() => new BohbSampler({ randomFraction: 1.5 }), /randomFraction must be between 0 and 1/);
  });
});
