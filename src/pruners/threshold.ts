/**
 * @module ThresholdPruner: stop a trial whose latest value leaves fixed bounds or is NaN (a diverging run).
 */
import { ConfigError } from "../errors.js";
import type { StudyView } from "../core/study-view.js";
import type { FrozenTrial } from "../core/types.js";
import { checkCount, decisionStep } from "../core/curve.js";
import type { Pruner } from "./pruner.js";

export interface ThresholdPrunerOptions {
  /** Values below this prune. */
  lower?: number;
  /** Values above this prune. */
  upper?: number;
  /** No pruning at steps below this one. Default 0. */
  nWarmupSteps?: number;
  /** Decide once per this many steps after the warm-up, at the first step reported in each. Default 1 (every step). */
  intervalSteps?: number;
}

/**
 * Prunes a trial when the value it reported at its latest step is NaN, below `lower` or above `upper`. The bounds
 * do not depend on the study's direction, so it also works in multi-objective studies.
 *
 * @example
 * // A loss above 10 means the run diverged.
 * const study = await createStudy({ pruner: new ThresholdPruner({ upper: 10, nWarmupSteps: 2 }) });
 */
export class ThresholdPruner implements Pruner {
  readonly name = "threshold";
  /** −∞ when no lower bound was given. */
  readonly lower: number;
  /** +∞ when no upper bound was given. */
  readonly upper: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  constructor(options: ThresholdPrunerOptions) {
    const { lower, upper } = options;
    if (lower === undefined && upper === undefined) {
      throw new ConfigError("ThresholdPruner needs lower, upper or both: the bounds outside which a value prunes its trial");
    }
    this.lower = checkBound("lower", lower ?? -Infinity);
    this.upper = checkBound("upper", upper ?? Infinity);
    if (this.lower > this.upper) {
      throw new ConfigError(`lower (${this.lower}) is above upper (${this.upper}), so every value would prune; swap them`);
    }
    this.nWarmupSteps = checkCount("nWarmupSteps", options.nWarmupSteps ?? 0, 0, "the first step at which a trial may be pruned");
    this.intervalSteps = checkCount("intervalSteps", options.intervalSteps ?? 1, 1, "steps between decisions; 1 decides at every step");
  }

  prune(_study: StudyView, trial: FrozenTrial): boolean {
    const step = decisionStep(trial, this.nWarmupSteps, this.intervalSteps);
    if (step === null) return false;
    const value = trial.intermediateValues.get(step)!;
    return Number.isNaN(value) || value < this.lower || value > this.upper;
  }
}

function checkBound(option: "lower" | "upper", value: number): number {
  if (typeof value === "number" && !Number.isNaN(value)) return value;
  throw new ConfigError(`${option} must be a number, got ${String(value)}`);
}
