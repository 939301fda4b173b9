import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../math/random.js";
import { createStudy } from "../study/api.js";
import type { Direction } from "../core/types.js";
import { runCurve } from "../testing/curves.js";
import { LearningCurvePruner } from "./learning-curve.js";
import { prunerFromSpec } from "./registry.js";
import { describePrunerConformance } from "../testing/pruner-conformance.js";

const quiet = { warn: () => {} };

describePrunerConformance("LearningCurvePruner", () => new LearningCurvePruner());
describePrunerConformance("LearningCurvePruner (maxStep 11, confidence 0.8)", () => new LearningCurvePruner({ maxStep: 11, confidence: 0.8 }));


/** f + (1 − f) e^(−r t) + noise at t = 1 … 27, as in the crossing-curves benchmark. */
function curve(f: number, r: number, seed: number, sign = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: 27 }, (_, i) => sign * (f + (1 - f) * Math.exp(-r * (i + 1)) + 0.003 * rng.normal()));
}

async function crossingStudy(direction: Direction) {
  const sign = direction === "minimize" ? 1 : -1;
  const study = await createStudy({ direction, pruner: new LearningCurvePruner(), ...quiet });
  // Three finished trials: the bar is about 0.10.
  for (const [i, f] of [0.1, 0.15, 0.2].entries()) assert.equal((await runCurve(study, curve(f, 0.5, i, sign))).prunedAt, null);
  const fastButWorse = await runCurve(study, curve(0.3, 1.5, 10, sign));
  const slowButBetter = await runCurve(study, curve(0.05, 0.12, 11, sign));
  return { fastButWorse, slowButBetter };
}

describe("LearningCurvePruner", () => {
  it("stops a curve that plateaued above the best final value early and keeps a slow one that ends below it", async () => {
    const { fastButWorse, slowButBetter } = await crossingStudy("minimize");
    assert.ok(fastButWorse.prunedAt !== null && fastButWorse.prunedAt <= 6, `pruned at ${fastButWorse.prunedAt}`);
    assert.equal(slowButBetter.prunedAt, null, "the slow starter, above the plateaued one until step 11, runs to the end");
  });

  it("mirrors for maximisation", async () => {
    const { fastButWorse, slowButBetter } = await crossingStudy("maximize");
    assert.ok(fastButWorse.prunedAt !== null && fastButWorse.prunedAt <= 6);
    assert.equal(slowButBetter.prunedAt, null);
  });

  it("in a multi-objective study prunes a trial whose optimistic ends are dominated, not one that would join the front", async () => {
    const study = await createStudy({ directions: ["minimize", "minimize"], pruner: new LearningCurvePruner(), ...quiet });
    const run = async (a: readonly number[], b: readonly number[]) => {
      const trial = await study.ask();
      for (let i = 0; i < a.length; i++) {
        trial.report([a[i]!, b[i]!], i + 1);
        if (trial.shouldPrune()) {
          await study.tell(trial, "pruned");
          return i + 1;
        }
      }
      await study.tell(trial, [a.at(-1)!, b.at(-1)!]);
      return null;
    };
    for (const [i, f] of [0.1, 0.15, 0.2].entries()) assert.equal(await run(curve(f, 0.5, i), curve(0.2 - f / 2, 0.5, 10 + i)), null);
    // Finals ≈ (0.1, 0.15), (0.15, 0.125), (0.2, 0.1). Both curves flat well above them: dominated.
    const dominated = await run(curve(0.4, 2, 20), curve(0.4, 2, 21));
    assert.ok(dominated !== null && dominated <= 6, `pruned at ${dominated}`);
    // Worse in the first objective, far better in the second: it would join the front.
    assert.equal(await run(curve(0.4, 2, 22), curve(0.01, 2, 23)), null);
  });

  it("prunes nothing, and says why once, when the reports are not the objective's values (loss reported, accuracy returned)", async () => {
    const warnings: string[] = [];
    const study = await createStudy({ direction: "maximize", pruner: new LearningCurvePruner(), warn: (m) => warnings.push(m) });
    await study.optimize(
      (trial) => {
        const rate = trial.suggestFloat("rate", 0.1, 2);
        const loss = curve(0.1 + 0.5 / rate, rate, trial.number);
        for (const [i, value] of loss.entries()) {
          trial.report(value, i + 1);
          if (trial.shouldPrune()) throw new Error("pruned");
        }
        return 1 - loss.at(-1)! / 3;
      },
      { nTrials: 8 },
    );
    assert.equal(study.trials({ states: ["complete"] }).length, 8);
    assert.equal(warnings.filter((m) => /learning-curve pruner: trial \d+ returned .* prunes nothing/.test(m)).length, 1, warnings.join("\n"));
  });

  it("waits for nStartupTrials complete trials and for the final step to be known", async () => {
    const study = await createStudy({ pruner: new LearningCurvePruner({ nStartupTrials: 2 }), ...quiet });
    assert.equal((await runCurve(study, curve(0.1, 0.5, 1))).prunedAt, null);
    assert.equal((await runCurve(study, curve(0.5, 3, 2))).prunedAt, null, "one complete trial is not enough");
    assert.equal((await runCurve(study, curve(0.5, 3, 3))).prunedAt, 4, "the second completed at 0.5: now it is judged at step 4");
  });

  it("prunes a NaN report and never judges the final step", async () => {
    const study = await createStudy({ pruner: new LearningCurvePruner({ maxStep: 5, nStartupTrials: 1 }), ...quiet });
    await runCurve(study, [1, 0.5, 0.3, 0.2, 0.1]);
    assert.equal((await runCurve(study, [1, NaN])).prunedAt, 2);
    assert.equal((await runCurve(study, [1, 1, 1, 1, 1])).prunedAt, 4, "judged at step 4, not at 5 = maxStep");
  });

  it("rejects unusable options", () => {
    assert.throws(() => new LearningCurvePruner({ confidence: 1 }), /confidence must be in \(0\.5, 1\)/);
    assert.throws(() => new LearningCurvePruner({ nWarmupSteps: 3 }), /nWarmupSteps must be an integer of at least 4/);
    assert.throws(() => new LearningCurvePruner({ maxStep: -1 }), /positive number/);
    assert.ok(prunerFromSpec("learning-curve:maxStep=27,confidence=0.99") instanceof LearningCurvePruner);
  });
});
