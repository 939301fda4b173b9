import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { internalToUnit } from "../space/transform.js";
import { createStudy } from "../study/api.js";
import type { Trial } from "../study/trial.js";
import { describeSamplerConformance } from "../testing/sampler-conformance.js";
import { CrossEntropySampler } from "./cross-entropy.js";

describeSamplerConformance("cross-entropy", (seed) => new CrossEntropySampler({ seed }));

function quadratic(trial: Trial): number {
  const x = trial.suggestFloat("x", -4, 4);
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const layers = trial.suggestInt("layers", 1, 8);
  const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam", "rmsprop", "adagrad"]);
  return (x - 1) ** 2 + (Math.log10(lr) + 2) ** 2 + (layers - 3) ** 2 + (optimizer === "rmsprop" ? 0 : 2);
}

describe("CrossEntropySampler", () => {
  it("rejects bad options with the fix in the message", () => {
    assert.throws(() => new CrossEntropySampler({ populationSize: 1 }), /populationSize must be an integer ≥ 2/);
    assert.throws(() => new CrossEntropySampler({ eliteFraction: 0 }), /eliteFraction must be in \(0, 1\]/);
    assert.throws(() => new CrossEntropySampler({ smoothing: 1.5 }), /smoothing must be in \(0, 1\]/);
    assert.throws(() => new CrossEntropySampler({ nStartupTrials: 0 }), /nStartupTrials must be a positive integer/);
  });

  it("refuses multi-objective studies", async () => {
    const study = await createStudy({ sampler: new CrossEntropySampler({ seed: 1 }), directions: ["minimize", "minimize"] });
    await assert.rejects(study.optimize((t) => [t.suggestFloat("x", 0, 1), 0], { nTrials: 1 }), /optimises one objective/);
  });

  it("draws the startup generation as a Latin hypercube: one trial per stratum of every parameter", async () => {
    const study = await createStudy({ sampler: new CrossEntropySampler({ seed: 2, nStartupTrials: 16 }) });
    await study.optimize((t) => t.suggestFloat("a", 0, 1) + t.suggestFloat("b", 0, 16, { step: 1 }) * 0, { nTrials: 16 });
    const strata = study.trials().map((t) => Math.floor((t.params.a as number) * 16));
    assert.deepEqual([...strata].sort((x, y) => x - y), Array.from({ length: 16 }, (_, i) => i));
    // b has 17 values, each a cell narrower than a stratum: so no value is drawn more than twice.
    const counts = new Map<unknown, number>();
    for (const t of study.trials()) counts.set(t.params.b, (counts.get(t.params.b) ?? 0) + 1);
    assert.ok(Math.max(...counts.values()) <= 2, `value counts ${JSON.stringify([...counts])}`);
  });

  it("refits each numeric parameter to the elite: mean and spread of their unit coordinates", async () => {
    const sampler = new CrossEntropySampler({ seed: 3, nStartupTrials: 10, eliteFraction: 0.3, smoothing: 1 });
    const study = await createStudy({ sampler });
    await study.optimize((t) => (t.suggestFloat("lr", 1e-4, 1, { log: true }) - 0.01) ** 2, { nTrials: 10 });
    const elite = [...study.trials()].sort((a, b) => a.value! - b.value!).slice(0, 3);
    const distribution = study.trials()[0]!.distributions.lr!;
    const units = elite.map((t) => internalToUnit(distribution, t.params.lr as number));
    const mean = units.reduce((a, b) => a + b, 0) / 3;
    const std = Math.sqrt(units.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    const [model] = [...sampler.distributionsFor(study, 1).values()];
    assert.deepEqual(model, { kind: "numeric", mean, std });
  });

  it("converges on a quadratic and concentrates on the best categorical choice", async () => {
    const study = await createStudy({ sampler: new CrossEntropySampler({ seed: 4 }) });
    await study.optimize(quadratic, { nTrials: 200 });
    assert.ok(study.bestValue < 0.05, `best ${study.bestValue}`);
    assert.equal(study.bestParams.optimizer, "rmsprop");
    assert.equal(study.bestParams.layers, 3);
    const lastGeneration = study.trials().slice(-20);
    const share = lastGeneration.filter((t) => t.params.optimizer === "rmsprop").length / lastGeneration.length;
    assert.ok(share >= 0.8, `rmsprop in ${share * 100} % of the last generation`);
    const random = await createStudy({ sampler: new CrossEntropySampler({ seed: 4, populationSize: 200 }) });
    await random.optimize(quadratic, { nTrials: 200 });
    assert.ok(study.bestValue < random.bestValue / 10, "the method does much better than its own startup design");
  });

  it("proposes the same for maximize(−f) as for minimize(f)", async () => {
    const minimised = await createStudy({ sampler: new CrossEntropySampler({ seed: 5 }) });
    await minimised.optimize(quadratic, { nTrials: 60 });
    const maximised = await createStudy({ sampler: new CrossEntropySampler({ seed: 5 }), direction: "maximize" });
    await maximised.optimize((t) => -quadratic(t), { nTrials: 60 });
    assert.deepEqual(maximised.trials().map((t) => t.params), minimised.trials().map((t) => t.params));
  });

  it("refits when trials of an earlier generation finish late, matching a fresh sampler's fit", async () => {
    const sampler = new CrossEntropySampler({ seed: 6, populationSize: 5, nStartupTrials: 5 });
    const study = await createStudy({ sampler });
    const asked = [];
    for (let i = 0; i < 5; i++) asked.push(await study.ask());
    for (const trial of asked.slice(0, 3)) await study.tell(trial, quadratic(trial));
    const early = sampler.distributionsFor(study, 1);
    for (const trial of asked.slice(3)) await study.tell(trial, quadratic(trial));
    const late = sampler.distributionsFor(study, 1);
    assert.notDeepEqual(late, early);
    assert.deepEqual(late, new CrossEntropySampler({ seed: 6, populationSize: 5, nStartupTrials: 5 }).distributionsFor(study, 1));
  });
});
