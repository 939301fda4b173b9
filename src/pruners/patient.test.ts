import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors.js";
import { createStudy } from "../study/api.js";
import type { Direction } from "../core/types.js";
import { describePrunerConformance, pruneDecision, type Curve } from "../testing/pruner-conformance.js";
import { PatientPruner } from "./patient.js";
import { MedianPruner } from "./percentile.js";
import type { Pruner } from "./pruner.js";

describePrunerConformance("PatientPruner (early stopping, patience 2)", () => new PatientPruner(null, { patience: 2 }));
describePrunerConformance("PatientPruner around MedianPruner", () =>
  new PatientPruner(new MedianPruner({ nStartupTrials: 3 }), { patience: 1 }),
);

/** Steps 0, 1, 2, … reporting `values` in order. */
const curve = (...values: number[]): Curve => Object.fromEntries(values.map((v, s) => [s, v]));

const decide = (pruner: Pruner, trial: Curve, direction: Direction = "minimize") => pruneDecision(pruner, { direction, trial });
const patient = (patience: number, minDelta?: number) => new PatientPruner(null, { patience, ...(minDelta !== undefined && { minDelta }) });

/** Answers `answer` and counts how often it was asked. */
class Recording implements Pruner {
  readonly name = "recording";
  calls = 0;
  constructor(private readonly answer: boolean) {}
  prune(): boolean {
    this.calls++;
    return this.answer;
  }
}

describe("PatientPruner: stalls against hand-computed windows", () => {
  it("needs a step before the window of the last patience + 1 steps", async () => {
    assert.equal(await decide(patient(2), curve(1, 2, 3)), false);
    assert.equal(await decide(patient(2), curve(1, 2, 3, 4)), true);
  });

  it("prunes when the best of the window is no better than the best before it", async () => {
    // Before the window (steps 0–1) the best is 0.5; within it (steps 2–4) 0.55: worse.
    assert.equal(await decide(patient(2), curve(1, 0.5, 0.6, 0.7, 0.55)), true);
    // Within it 0.45: an improvement.
    assert.equal(await decide(patient(2), curve(1, 0.5, 0.6, 0.45, 0.7)), false);
    // A plateau has not improved.
    assert.equal(await decide(patient(2), curve(1, 0.5, 0.5, 0.5, 0.5)), true);
  });

  it("counts an improvement only when it exceeds minDelta", async () => {
    // Best before 0.5, best within 0.375: an improvement of 0.125.
    const improving = curve(1, 0.5, 0.75, 0.375, 0.875);
    assert.equal(await decide(patient(2, 0.1), improving), false);
    assert.equal(await decide(patient(2, 0.125), improving), true);
    assert.equal(await decide(patient(2, 0.25), improving), true);
  });

  it("mirrors the rule when maximizing", async () => {
    assert.equal(await decide(patient(2), curve(0, 0.5, 0.25, 0.375, 0.25), "maximize"), true);
    assert.equal(await decide(patient(2), curve(0, 0.5, 0.25, 0.625, 0.25), "maximize"), false);
    assert.equal(await decide(patient(2, 0.125), curve(0, 0.5, 0.25, 0.625, 0.25), "maximize"), true);
  });

  it("orders the window by step, not by report order", async () => {
    const unordered = new Map([[4, 0.55], [0, 1], [3, 0.7], [1, 0.5], [2, 0.6]]);
    assert.equal(await decide(patient(2), unordered), true);
  });

  it("with patience 0 compares the latest step with all the earlier ones", async () => {
    assert.equal(await decide(patient(0), curve(1, 1.5)), true);
    assert.equal(await decide(patient(0), curve(1, 0.5)), false);
  });

  it("skips NaN values and never prunes when one side has only NaN", async () => {
    assert.equal(await decide(patient(2), curve(1, NaN, 1.2, NaN, 1.1)), true);
    assert.equal(await decide(patient(2), curve(NaN, NaN, 1, 1.1, 1.2)), false);
    assert.equal(await decide(patient(2), curve(1, 0.5, NaN, NaN, NaN)), false);
  });

  it("asks the wrapped pruner only about stalled trials, and takes its answer", async () => {
    const no = new Recording(false);
    assert.equal(await decide(new PatientPruner(no, { patience: 2 }), curve(1, 0.5, 0.6, 0.45, 0.7)), false);
    assert.equal(no.calls, 0);
    assert.equal(await decide(new PatientPruner(no, { patience: 2 }), curve(1, 0.5, 0.6, 0.7, 0.55)), false);
    assert.equal(no.calls, 1);
    const yes = new Recording(true);
    assert.equal(await decide(new PatientPruner(yes, { patience: 2 }), curve(1, 0.5, 0.6, 0.7, 0.55)), true);
  });

  it("keeps a stalled trial that the wrapped median rule does not condemn", async () => {
    const complete: Curve[] = [1, 2, 3].map((v) => curve(v, v, v, v));
    const pruner = () => new PatientPruner(new MedianPruner({ nStartupTrials: 3 }), { patience: 1 });
    // Stalled at 1.5 (best before 1.5, best within 1.6); median at step 3 is 2.
    assert.equal(await pruneDecision(pruner(), { complete, trial: curve(1.5, 1.6, 1.7, 1.6) }), false);
    // Stalled at 2.5: worse than the median.
    assert.equal(await pruneDecision(pruner(), { complete, trial: curve(2.5, 2.6, 2.7, 2.6) }), true);
  });

  it("refuses a multi-objective study with a ConfigError", async () => {
    const study = await createStudy({ directions: ["minimize", "minimize"], warn: () => {} });
    const trial = await study.ask();
    assert.throws(() => patient(1).prune(study, trial.snapshot()), (e) => e instanceof ConfigError && /2 objectives/.test(e.message));
  });

  it("rejects options it cannot use, naming the option", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => patient(-1), /patience must be a non-negative integer.*got -1/],
      [() => patient(1.5), /patience must be a non-negative integer.*got 1.5/],
      [() => new PatientPruner(null, {} as never), /patience must be a non-negative integer.*got undefined/],
      [() => patient(2, -0.1), /minDelta must be a non-negative number.*got -0.1/],
      [() => patient(2, NaN), /minDelta must be a non-negative number.*got NaN/],
      [() => new PatientPruner({ patience: 2 } as never, { patience: 2 }), /wraps a pruner or null/],
    ];
    for (const [build, message] of cases) assert.throws(build, (e) => e instanceof ConfigError && message.test(e.message));
  });
});
