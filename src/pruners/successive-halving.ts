/**
 * @module SuccessiveHalvingPruner: asynchronous successive halving (ASHA) over the steps trials report.
 */
import { ConfigError } from "../errors.js";
import type { StudyView } from "../core/study-view.js";
import type { FrozenTrial } from "../core/types.js";
import { checkCount, lastStep } from "../core/curve.js";
import type { Pruner } from "./pruner.js";
import { failsRungPromotion } from "./rungs.js";

export interface SuccessiveHalvingOptions {
  /**
   * Resource (step) of the first rung. "auto" (default): the last step of the first complete trial divided by
   * 100, rounded up; nothing is pruned before a trial completes.
   */
  minResource?: number | "auto";
  /** η: a rung promotes the best 1/η of the trials that reach it. Default 4 (Optuna's). */
  reductionFactor?: number;
  /** s: the first rung sits at minResource · η^s. Default 0. */
  minEarlyStoppingRate?: number;
}

/**
 * @example
 * const study = await createStudy({ pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }) });
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = "sha";
  private readonly minResource: number | "auto";
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;

  constructor(options: SuccessiveHalvingOptions = {}) {
    this.minResource = checkMinResource(options.minResource ?? "auto");
    this.reductionFactor = checkReductionFactor(options.reductionFactor ?? 4);
    this.minEarlyStoppingRate = checkCount(
      "minEarlyStoppingRate",
      options.minEarlyStoppingRate ?? 0,
      0,
      "the first rung sits at minResource · reductionFactor^minEarlyStoppingRate",
    );
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const minResource = this.minResource === "auto" ? autoMinResource(study) : this.minResource;
    if (minResource === null) return false;
    const schedule = { minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: this.minEarlyStoppingRate };
    return failsRungPromotion(trial, study.trials(), schedule, study.directions);
  }
}

/** The last step of the study's first complete trial (the one with the lowest number), or null before one completes. */
export function firstCompleteLastStep(study: Pick<StudyView, "trials">): number | null {
  for (const trial of study.trials()) if (trial.state === "complete") return lastStep(trial);
  return null;
}

function autoMinResource(study: StudyView): number | null {
  const last = firstCompleteLastStep(study);
  return last === null ? null : Math.max(1, Math.ceil(last / 100));
}

export function checkMinResource(value: number | "auto"): number | "auto" {
  if (value === "auto" || (typeof value === "number" && Number.isFinite(value) && value > 0)) return value;
  throw new ConfigError(`minResource must be a positive number of steps or "auto", got ${String(value)}`);
}

export function checkReductionFactor(value: number): number {
  if (Number.isFinite(value) && value >= 2) return value;
  throw new ConfigError(`reductionFactor must be at least 2 (each rung keeps 1 in reductionFactor trials), got ${value}`);
}
