/**
 * @module PercentilePruner and MedianPruner: stop a trial whose best value so far is worse than a percentile of the
 * values complete trials reported at the same step (Optuna's rule).
 */
import { ConfigError } from "../errors.js";
import { sortedQuantile } from "../math/statistics.js";
import type { StudyView } from "../core/study-view.js";
import type { FrozenTrial } from "../core/types.js";
import { bestSoFar, checkCount, decisionStep, isWorse, singleDirection } from "../core/curve.js";
import type { Pruner } from "./pruner.js";

export interface MedianPrunerOptions {
  /** No pruning until this many trials are complete. Default 5. */
  nStartupTrials?: number;
  /** No pruning at steps below this one. Default 0. */
  nWarmupSteps?: number;
  /** Decide once per this many steps after the warm-up, at the first step reported in each. Default 1 (every step). */
  intervalSteps?: number;
  /** No pruning at a step that fewer complete trials than this have reported. Default 1. */
  nMinTrials?: number;
}

export interface PercentilePrunerOptions extends MedianPrunerOptions {
  /** 0–100: trials worse than this percentile of the complete trials at their step are pruned (25 keeps the best quarter). */
  percentile: number;
}

/**
 * Prunes a trial when its best value so far is strictly worse than the given percentile of the values that complete
 * trials reported at the trial's latest step. A trial whose reported values are all NaN is pruned.
 *
 * @example
 * const study = await createStudy({
 *   direction: "maximize",
 *   pruner: new PercentilePruner({ percentile: 25, nWarmupSteps: 10, intervalSteps: 5 }),
 * });
 */
export class PercentilePruner implements Pruner {
  readonly name: string = "percentile";
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(options: PercentilePrunerOptions) {
    const { percentile } = options;
    if (typeof percentile !== "number" || !(percentile >= 0 && percentile <= 100)) {
      throw new ConfigError(
        `percentile must be a number from 0 to 100 (25 keeps the best quarter of trials, 50 is MedianPruner), got ${String(percentile)}`,
      );
    }
    this.percentile = percentile;
    this.nStartupTrials = checkCount("nStartupTrials", options.nStartupTrials ?? 5, 0, "complete trials before pruning starts");
    this.nWarmupSteps = checkCount("nWarmupSteps", options.nWarmupSteps ?? 0, 0, "the first step at which a trial may be pruned");
    this.intervalSteps = checkCount("intervalSteps", options.intervalSteps ?? 1, 1, "steps between decisions; 1 decides at every step");
    this.nMinTrials = checkCount("nMinTrials", options.nMinTrials ?? 1, 1, "complete trials that must have reported a step to judge it");
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const direction = singleDirection(study.directions, `the ${this.name} pruner`);
    const step = decisionStep(trial, this.nWarmupSteps, this.intervalSteps);
    if (step === null) return false;
    const { complete, atStep } = this.completeValues(study, step);
    // With nothing complete there is nothing to compare with, even when nStartupTrials is 0.
    if (complete === 0 || complete < this.nStartupTrials) return false;
    const best = bestSoFar(trial, direction);
    if (Number.isNaN(best)) return true;
    if (atStep.reported < this.nMinTrials) return false;
    if (atStep.sorted.length === 0) return false;
    // The percentile is counted from the good end: for maximize that is the (100 − p)-th from the bottom.
    const p = direction === "minimize" ? this.percentile : 100 - this.percentile;
    return isWorse(best, sortedQuantile(atStep.sorted, p / 100), direction);
  }

  /**
   * How many trials are complete, and what they reported at `step`: how many reported it, and the sorted non-NaN
   * values (NaN reports count towards nMinTrials but stay out of the percentile, as numpy's nanpercentile in
   * Optuna). Kept while the study's trials array is the same one, which it is for every report of a running trial.
   */
  private completeValues(study: StudyView, step: number): { complete: number; atStep: StepValues } {
    const source = study.trials();
    if (this.cache?.source !== source) {
      this.cache = { source, complete: source.filter((t) => t.state === "complete"), byStep: new Map() };
    }
    const { complete, byStep } = this.cache;
    let atStep = byStep.get(step);
    if (!atStep) {
      const sorted: number[] = [];
      let reported = 0;
      for (const other of complete) {
        const value = other.intermediateValues.get(step);
        if (value === undefined) continue;
        reported++;
        if (!Number.isNaN(value)) sorted.push(value);
      }
      byStep.set(step, (atStep = { reported, sorted: Float64Array.from(sorted).sort() }));
    }
    return { complete: complete.length, atStep };
  }

  private cache: { source: readonly FrozenTrial[]; complete: readonly FrozenTrial[]; byStep: Map<number, StepValues> } | null = null;
}

interface StepValues {
  readonly reported: number;
  readonly sorted: Float64Array;
}

export class MedianPruner extends PercentilePruner {
  override readonly name: string = "median";

  constructor(options: MedianPrunerOptions = {}) {
    super({ ...options, percentile: 50 });
  }
}
