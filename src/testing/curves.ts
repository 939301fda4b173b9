/**
 * @module Runs one trial of a study along a given learning curve, asking the pruner after each step.
 */
import type { Study } from "../study/study.js";

export interface CurveOutcome {
  readonly number: number;
  /** The step at which the pruner stopped the trial, or null when it ran to the end. */
  readonly prunedAt: number | null;
}

/** Reports `values[i]` at step `firstStep + i`; completes with the last value unless pruned first. */
export async function runCurve(study: Study, values: readonly number[], firstStep = 1): Promise<CurveOutcome> {
  const trial = await study.ask();
  trial.suggestFloat("x", 0, 1);
  for (const [i, value] of values.entries()) {
    trial.report(value, firstStep + i);
    if (trial.shouldPrune()) {
      await study.tell(trial, "pruned");
      return { number: trial.number, prunedAt: firstStep + i };
    }
  }
  await study.tell(trial, values.at(-1)!);
  return { number: trial.number, prunedAt: null };
}

/** A flat curve: the same value at steps 1 … length. */
export const flat = (value: number, length: number): number[] => Array.from({ length }, () => value);
