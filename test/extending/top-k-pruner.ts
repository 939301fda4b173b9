import { ConfigError, type FrozenTrial, type Pruner, type StudyView } from "scaletune";

export interface TopKPrunerOptions {
  /** A trial goes on while its value is among the best k that finished trials reported at the same step (default 3). */
  k?: number;
  /** Steps below this one are never judged (default 0). */
  nWarmupSteps?: number;
}

/** Prunes a trial whose latest value is worse than the k-th best value of the finished trials at the same step. */
export class TopKPruner implements Pruner {
  readonly name = "top-k";
  readonly k: number;
  readonly nWarmupSteps: number;

  constructor(options: TopKPrunerOptions = {}) {
    this.k = options.k ?? 3;
    this.nWarmupSteps = options.nWarmupSteps ?? 0;
    if (!Number.isInteger(this.k) || this.k < 1) {
      throw new ConfigError(`TopKPruner: k must be a positive integer, got ${this.k}`);
    }
    if (!Number.isInteger(this.nWarmupSteps) || this.nWarmupSteps < 0) {
      throw new ConfigError(`TopKPruner: nWarmupSteps must be a non-negative integer, got ${this.nWarmupSteps}`);
    }
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (study.directions.length !== 1) {
      throw new ConfigError(
        `TopKPruner ranks one value per step and study "${study.name}" has ${study.directions.length} objectives; ` +
          "use HyperbandPruner, SuccessiveHalvingPruner or LearningCurvePruner, which prune multi-objective studies",
      );
    }
    // The latest step: steps may come in any order and with gaps, and a Map keeps the order they were reported in.
    let step = -1;
    for (const reported of trial.intermediateValues.keys()) step = Math.max(step, reported);
    if (step < this.nWarmupSteps) return false; // this also covers a trial that has reported nothing (step −1)
    const sign = study.directions[0] === "maximize" ? -1 : 1;
    // Finished trials only: running ones (this trial too, once the study has read it back) are still being written.
    const others: number[] = [];
    for (const finished of study.trials({ states: ["complete", "pruned"] })) {
      const value = finished.intermediateValues.get(step);
      if (value !== undefined && !Number.isNaN(value)) others.push(sign * value);
    }
    if (others.length < this.k) return false;
    others.sort((a, b) => a - b);
    const value = trial.intermediateValues.get(step)!;
    return Number.isNaN(value) || sign * value > others[this.k - 1]!; // a NaN (a diverged run) is worse than any value
  }
}
