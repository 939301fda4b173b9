/**
 * @module The pruner interface: one decision, "stop this trial now?", from the study and the trial's curve.
 */
import type { ContinuableStudy, SamplingTrial, StudyView } from "../core/study-view.js";
import type { FrozenTrial, JsonValue } from "../core/types.js";

export interface Pruner {
  readonly name: string;
  /** Called by `trial.shouldPrune()` with the trial as it is now (its curve up to its latest report). */
  prune(study: StudyView, trial: FrozenTrial): boolean;
  /**
   * The study as the sampler should see it when proposing this trial's parameters (e.g. Hyperband shows only the
   * trial's bracket). Without it the sampler sees the whole study. `reserve`, which runs before a trial exists,
   * always sees the whole study.
   */
  samplerView?(study: StudyView, trial: Pick<SamplingTrial, "number" | "systemAttrs">): StudyView;
  /**
   * System attributes stored with each new sampled trial, for decisions that must not change when the pruner's
   * options do (Hyperband records its bracket count, so raising maxResource keeps old trials in their brackets).
   */
  newTrialAttrs?(study: StudyView): Readonly<Record<string, JsonValue>>;
  /**
   * Raising a multi-fidelity schedule's budget: queues, as continuations, the finished trials the larger schedule
   * would have promoted, and returns them (`scaletune run --continue-best-trials`). Pruners without a schedule to
   * raise leave it out.
   */
  continueBestTrials?(study: ContinuableStudy): Promise<FrozenTrial[]>;
}

/** Never prunes: for studies whose every trial must run to the end. */
export class NopPruner implements Pruner {
  readonly name = "none";
  prune(): boolean {
    return false;
  }
}
