import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../errors.js";
import { TrialPruned } from "../../errors.js";
import { createStudy } from "../../study/api.js";
import type { Trial } from "../../study/trial.js";
import { describeSamplerConformance } from "../../testing/sampler-conformance.js";
import { GPSampler } from "./sampler.js";

describeSamplerConformance("gp", (seed) => new GPSampler({ seed }));

describe("GPSampler", () => {
  it("finds the minimum of a 2-d quadratic to within 1e-4 in 25 trials (10 of them random)", async () => {
    const quadratic = (t: Trial) => (t.suggestFloat("x", -3, 3) - 0.5) ** 2 + 2 * (t.suggestFloat("y", -3, 3) + 1) ** 2 + 1;
    for (const seed of [1, 2]) {
      const study = await createStudy({ sampler: new GPSampler({ seed }), warn: () => {} });
      await study.optimize(quadratic, { nTrials: 25 });
      assert.ok(study.bestValue - 1 < 1e-4, `seed ${seed}: best ${study.bestValue}`);
    }
  });

  it("models a conditional space whole: tunes the parameters that exist on one branch only", async () => {
    // Branch "a" reaches 0 only with its three own parameters tuned together with the shared one. A GP of the
    // always-present parameters alone samples x, y and z at random and stays near 0.05 at this budget.
    const objective = (t: Trial) => {
      const shared = (t.suggestFloat("shared", 0, 1) - 0.4) ** 2;
      if (t.suggestCategorical("branch", ["a", "b"]) === "b") return 0.3 + shared;
      return shared + ["x", "y", "z"].reduce((sum, name, k) => sum + (t.suggestFloat(name, 0, 1) - 0.2 * (k + 1)) ** 2, 0);
    };
    for (const seed of [1, 2, 3]) {
      const study = await createStudy({ sampler: new GPSampler({ seed }), warn: () => {} });
      await study.optimize(objective, { nTrials: 40 });
      assert.equal(study.bestParams.branch, "a", `seed ${seed}`);
      assert.ok(study.bestValue < 1e-3, `seed ${seed}: best ${study.bestValue}`);
    }
  });

  it("maximises, with a deterministic objective over a mixed integer/float space", async () => {
    const study = await createStudy({
      direction: "maximize",
      sampler: new GPSampler({ seed: 3, nStartupTrials: 5, deterministicObjective: true }),
      warn: () => {},
    });
    await study.optimize((t) => -((t.suggestFloat("a", -2, 2) - 0.7) ** 2) - (t.suggestInt("k", -5, 5) - 2) ** 2, { nTrials: 30 });
    assert.equal(study.bestParams.k, 2);
    assert.ok(Math.abs((study.bestParams.a as number) - 0.7) < 2e-3, `a = ${study.bestParams.a}`);
  });

  it("stores each fit on the trial it proposed, for the next fit to start from", async () => {
    const study = await createStudy({ sampler: new GPSampler({ seed: 4, nStartupTrials: 3 }), warn: () => {} });
    await study.optimize((t) => t.suggestFloat("a", 0, 1) ** 2, { nTrials: 6 });
    const stored = study.trials().map((t) => t.systemAttrs["gp:kernel"] as { theta: number[] } | undefined);
    assert.deepEqual(stored.map((s) => s !== undefined), [false, false, false, true, true, true]);
    assert.equal(stored[5]!.theta.length, 3, "one lengthscale, signal and noise variance");
  });

  it("steers a parallel ask away from the point of a running trial", async () => {
    const objective = (t: Trial) => (t.suggestFloat("a", 0, 1) - 0.3) ** 2 + (t.suggestFloat("b", 0, 1) - 0.6) ** 2;
    const study = await createStudy({ sampler: new GPSampler({ seed: 5 }), warn: () => {} });
    await study.optimize(objective, { nTrials: 15 });
    const first = await study.ask();
    const a = [first.suggestFloat("a", 0, 1), first.suggestFloat("b", 0, 1)];
    // Suggestions reach the storage on the next turn of the event loop (as they would long before another worker asks).
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await study.ask();
    const b = [second.suggestFloat("a", 0, 1), second.suggestFloat("b", 0, 1)];
    assert.ok(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!) > 0.05, `${a} vs ${b}`);
    await study.tell(first, objective(first));
    await study.tell(second, objective(second));
  });

  it("falls back to random sampling with one notice for multi-objective studies", async () => {
    const warnings: string[] = [];
    const study = await createStudy({
      directions: ["minimize", "minimize"],
      sampler: new GPSampler({ seed: 6, nStartupTrials: 2 }),
      warn: (m) => warnings.push(m),
    });
    await study.optimize((t) => [t.suggestFloat("a", 0, 1), 1 - t.suggestFloat("b", 0, 1)], { nTrials: 8 });
    assert.equal(study.trials({ states: ["complete"] }).length, 8);
    assert.equal(warnings.filter((w) => w.includes("multi-objective")).length, 1);
  });

  it("learns from pruned trials at their last reported value, so it does not propose a pruned point again", async () => {
    // Complete values fall towards x = 0, but every trial below 0.2 is pruned after a bad report: a model of the
    // complete trials alone keeps proposing the corner x = 0.
    const study = await createStudy({ sampler: new GPSampler({ seed: 3, nStartupTrials: 4 }), warn: () => {} });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat("x", 0, 1);
        t.report(x < 0.2 ? 5 : x, 1);
        if (x < 0.2) throw new TrialPruned();
        return x;
      },
      { nTrials: 30 },
    );
    const xs = study.trials().map((t) => t.params.x as number);
    assert.equal(new Set(xs).size, xs.length, `a point was proposed twice: ${xs.map((x) => x.toFixed(3)).join(" ")}`);
    assert.ok(study.bestValue! < 0.25, `best ${study.bestValue}`);
  });

  it("once stalled, explores a parameter the fit finds no effect of instead of keeping the incumbent's value", async () => {
    // Any x in [0.5, 1.5] is optimal, so the search stalls there. The stepped parameter's effect (≤ 0.0006) is too
    // small for the fit to see: without exploration every later trial repeats the incumbent's value of it.
    const objective = (t: Trial) =>
      Math.max(0, Math.abs(t.suggestFloat("x", -3, 3) - 1) - 0.5) ** 2 + 0.01 * (t.suggestFloat("s", 0, 0.3, { step: 0.05 }) - 0.25) ** 2;
    const study = await createStudy({ sampler: new GPSampler({ seed: 3, deterministicObjective: true }), warn: () => {} });
    await study.optimize(objective, { nTrials: 50 });
    const late = new Set(study.trials().slice(25).map((t) => t.params.s));
    assert.ok(late.size >= 4, `values of s in trials 25–49: ${[...late].join(", ")}`);
    assert.equal(study.bestParams.s, 0.25);
  });

  it("rejects a bad number of startup trials", () => {
    assert.throws(() => new GPSampler({ nStartupTrials: -1 }), ConfigError);
    assert.throws(() => new GPSampler({ nStartupTrials: 2.5 }), /nStartupTrials must be a non-negative integer/);
  });
});
