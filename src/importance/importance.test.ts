/**
 * Importances against functions whose answers are known in closed form, on uniform random trials. For
 * f = Σ a_i x_i on uniform inputs, a parameter's main effect explains a_i² Var(x) of the variance; the tolerances
 * are what 500 noiseless trials leave of the forest's and the densities' error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors.js";
import { RandomSampler } from "../samplers/random.js";
import { createStudy } from "../study/api.js";
import type { Trial } from "../study/trial.js";
import type { Study } from "../study/study.js";
import { importance, type ImportanceReport } from "./importance.js";

async function studyOf(objective: (trial: Trial) => number | number[], trials = 500, directions?: ("minimize" | "maximize")[]): Promise<Study> {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }), ...(directions && { directions }) });
  await study.optimize(objective, { nTrials: trials });
  return study;
}

function byName(report: ImportanceReport): Record<string, { importance: number; raw: number }> {
  return Object.fromEntries(report.params.map((p) => [p.name, p]));
}

const linear = (trial: Trial) => 3 * trial.suggestFloat("a", 0, 1) + 2 * trial.suggestFloat("b", 0, 1) + trial.suggestFloat("c", 0, 1) + 0 * trial.suggestFloat("idle", 0, 1);

describe("fANOVA", () => {
  it("gives a linear function's parameters a_i² / Σ a_j², and a parameter that does nothing about 0", async () => {
    const report = importance(await studyOf(linear), { method: "fanova" });
    const p = byName(report);
    assert.deepEqual(report.params.map((q) => q.name), ["a", "b", "c", "idle"]);
    for (const [name, expected] of [["a", 9 / 14], ["b", 4 / 14], ["c", 1 / 14]] as const) {
      assert.ok(Math.abs(p[name]!.importance - expected) < 0.03, `${name}: ${p[name]!.importance} vs ${expected}`);
      // No interactions: the main effects are (nearly) the whole variance.
      assert.ok(Math.abs(p[name]!.raw - expected) < 0.06, `${name} raw: ${p[name]!.raw} vs ${expected}`);
    }
    assert.ok(p.idle!.importance < 0.01, `idle: ${p.idle!.importance}`);
    assert.equal(report.trials, 500);
    assert.ok(Math.abs(report.params.reduce((s, q) => s + q.importance, 0) - 1) < 1e-12);
  });

  it("reads a log range in log space", async () => {
    const report = importance(
      await studyOf((t) => Math.log10(t.suggestFloat("lr", 1e-4, 1, { log: true })) + 0.5 * t.suggestFloat("x", 0, 4)),
    );
    // log10(lr) is uniform on [-4, 0]: variance 16/12; 0.5 x: variance 4/12.
    assert.ok(Math.abs(byName(report).lr!.importance - 0.8) < 0.03, JSON.stringify(report.params));
  });

  it("leaves an interaction-only function's main effects near 0", async () => {
    const report = importance(await studyOf((t) => (t.suggestFloat("x", 0, 1) - 0.5) * (t.suggestFloat("y", 0, 1) - 0.5)));
    for (const p of report.params) assert.ok(p.raw < 0.1, `${p.name}: ${p.raw}`);
  });

  it("finds a categorical effect without ordering the choices", async () => {
    // Choice effects 0, 3, 0, 1 (mean 1, variance 1.5) beside 2x (variance 1/3).
    const effects: Record<string, number> = { a: 0, b: 3, c: 0, d: 1 };
    const report = importance(await studyOf((t) => effects[t.suggestCategorical("kind", ["a", "b", "c", "d"]) as string]! + 2 * t.suggestFloat("x", 0, 1)));
    assert.ok(Math.abs(byName(report).kind!.importance - 1.5 / (1.5 + 1 / 3)) < 0.03, JSON.stringify(report.params));
  });

  it("judges a conditional parameter where it is set, and a conditional parameter that does nothing about 0", async () => {
    // f = momentum for sgd, 0 for adam: the optimizer's main effect has variance 1/16, momentum's 1/48.
    const report = importance(
      await studyOf((t) => {
        const sgd = t.suggestCategorical("optimizer", ["sgd", "adam"]) === "sgd";
        if (!sgd) t.suggestFloat("beta", 0, 1);
        return sgd ? t.suggestFloat("momentum", 0, 1) : 0;
      }),
    );
    const p = byName(report);
    assert.ok(Math.abs(p.optimizer!.importance - 0.75) < 0.05, JSON.stringify(report.params));
    assert.ok(Math.abs(p.momentum!.importance - 0.25) < 0.05, JSON.stringify(report.params));
    assert.ok(p.beta!.importance < 0.01, JSON.stringify(report.params));
  });

  it("is the same for the same seed, and counts only complete trials", async () => {
    const study = await studyOf(linear, 100);
    await study.enqueueTrial({ a: 1 });
    const trial = await study.ask();
    await study.tell(trial, "failed");
    assert.deepEqual(importance(study, { seed: 3 }), importance(study, { seed: 3 }));
    assert.equal(importance(study).trials, 100);
  });
});

describe("PED-ANOVA", () => {
  it("gives the best decile of a linear function's parameter its closed-form divergence (1 − γ)/γ, and an idle one about 0", async () => {
    // Minimising f = x: the best 10 % have x uniform on [0, 0.1], whose Pearson divergence from uniform is 9.
    const report = importance(await studyOf((t) => t.suggestFloat("x", 0, 1) + 0 * t.suggestFloat("idle", 0, 1), 2000), { method: "ped-anova" });
    const p = byName(report);
    assert.ok(Math.abs(p.x!.raw - 9) < 1.5, `x: ${p.x!.raw}`);
    assert.ok(p.idle!.raw < 0.3, `idle: ${p.idle!.raw}`);
  });

  it("reads the direction: maximising, the best trials are the high ones", async () => {
    const study = await studyOf((t) => t.suggestFloat("x", 0, 1) + 0.2 * t.suggestFloat("y", 0, 1), 500, ["maximize"]);
    assert.equal(importance(study, { method: "ped-anova" }).params[0]!.name, "x");
  });

  it("gives a choice that decides the best trials its smoothed-histogram divergence (about 1 for two choices)", async () => {
    const report = importance(await studyOf((t) => (t.suggestCategorical("kind", ["good", "bad"]) === "good" ? 0 : 1) + 0.01 * t.suggestFloat("x", 0, 1), 1000), {
      method: "ped-anova",
    });
    assert.ok(Math.abs(byName(report).kind!.raw - 0.96) < 0.06, JSON.stringify(report.params));
  });
});

describe("importance's inputs", () => {
  it("asks a multi-objective study for its target, and takes an index or a function", async () => {
    const study = await studyOf((t) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)], 200, ["minimize", "minimize"]);
    assert.throws(() => importance(study), (e: Error) => e instanceof ConfigError && /2 objectives: pass target/.test(e.message));
    assert.equal(importance(study, { target: 1 }).params[0]!.name, "y");
    assert.equal(importance(study, { target: (t) => t.values![0]! }).params[0]!.name, "x");
    assert.throws(() => importance(study, { target: 2 }), ConfigError);
  });

  it("refuses too few trials and unknown methods in one line", async () => {
    const study = await studyOf(linear, 1);
    assert.throws(() => importance(study), /at least 2 complete trials \(the study has 1\)/);
    assert.throws(() => importance(study, { method: "shap" as "fanova" }), /unknown importance method "shap"/);
  });
});
