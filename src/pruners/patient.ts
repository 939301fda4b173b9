/**
 * @module PatientPruner: prune only trials that stopped improving, so a noisy curve is not cut at its first bad step.
 */
import { ConfigError } from "../errors.js";
import type { StudyView } from "../core/study-view.js";
import type { FrozenTrial } from "../core/types.js";
import { bestOf, checkCount, singleDirection } from "../core/curve.js";
import type { Pruner } from "./pruner.js";

export interface PatientPrunerOptions {
  /** Steps without improvement before the wrapped pruner is asked. */
  patience: number;
  /** An improvement must exceed this to count. Default 0. */
  minDelta?: number;
}

/**
 * Early stopping with patience: a trial that has not improved by more than `minDelta` over its last `patience`
 * steps is handed to the wrapped pruner (or, without one, pruned). Improvement compares the best value reported in
 * the window of the last `patience + 1` steps with the best before it; a trial with no step before the window is
 * never pruned.
 *
 * @example
 * // Ask the median rule only about trials that have stalled for 3 steps.
 * const study = await createStudy({ pruner: new PatientPruner(new MedianPruner(), { patience: 3 }) });
 */
export class PatientPruner implements Pruner {
  readonly name = "patient";
  readonly patience: number;
  readonly minDelta: number;

  constructor(
    readonly wrapped: Pruner | null,
    options: PatientPrunerOptions,
  ) {
    if (wrapped !== null && typeof wrapped?.prune !== "function") {
      throw new ConfigError("PatientPruner wraps a pruner or null: new PatientPruner(new MedianPruner(), { patience: 3 })");
    }
    this.patience = checkCount("patience", options.patience, 0, "steps without improvement before pruning");
    const minDelta = options.minDelta ?? 0;
    if (!(Number.isFinite(minDelta) && minDelta >= 0)) {
      throw new ConfigError(`minDelta must be a non-negative number (the improvement that counts), got ${String(minDelta)}`);
    }
    this.minDelta = minDelta;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const direction = singleDirection(study.directions, `the ${this.name} pruner`);
    const steps = [...trial.intermediateValues.keys()].sort((a, b) => a - b);
    const windowStart = steps.length - this.patience - 1;
    if (windowStart < 1) return false;
    const valuesAt = (from: number, to?: number) => steps.slice(from, to).map((step) => trial.intermediateValues.get(step)!);
    const before = bestOf(valuesAt(0, windowStart), direction);
    const within = bestOf(valuesAt(windowStart), direction);
    const improvement = direction === "minimize" ? before - within : within - before;
    // NaN (one side reported only NaN) is not evidence of a stall.
    if (!(improvement <= this.minDelta)) return false;
    return this.wrapped === null || this.wrapped.prune(study, trial);
  }
}
