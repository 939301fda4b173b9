/**
 * @module The sampler interface: one joint ("relative") step per trial plus a per-parameter fallback.
 *
 * At the start of a trial the study asks the sampler for a *relative* search space (parameters it can model
 * jointly, inferred from past trials) and samples all of them at once. Every parameter the objective then
 * suggests outside that space, as in conditional branches of a define-by-run objective, goes through
 * `sampleIndependent`. Random sampling needs only the fallback; model-based samplers (TPE, GP, CMA-ES) add the
 * joint step without the core changing. All values are internal (categorical → choice index).
 */
import type { Distribution, SearchSpace } from "../space/distributions.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { FrozenTrial, JsonValue, ParamValue } from "../core/types.js";

/** Decided before a trial is created: values the trial must take, and attributes to store with it. */
export interface TrialReservation {
  readonly fixedParams?: Readonly<Record<string, ParamValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  /**
   * A key claimed together with the trial's creation, atomically: when another worker holds it, no trial is created
   * and the study asks `reserve` again. A claim made inside `reserve` instead would be lost if the trial were then
   * not created (the study's target reached in the meantime).
   */
  readonly claim?: string;
}

export interface Sampler {
  /** Recorded in the study so that a reader knows how its trials were proposed. */
  readonly name: string;
  /** Runs before a trial is created; null means the sampler has nothing left to propose and the study stops. */
  reserve?(study: StudyView): Promise<TrialReservation | null>;
  inferRelativeSearchSpace?(study: StudyView, trial: SamplingTrial): SearchSpace;
  sampleRelative?(study: StudyView, trial: SamplingTrial, space: SearchSpace): Promise<Record<string, number>>;
  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number;
  afterTrial?(study: StudyView, trial: FrozenTrial): Promise<void>;
}
