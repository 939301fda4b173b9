/**
 * @module What samplers and pruners see of a study and of a trial in progress: the narrow view every family is
 * written against, so that none of them depends on the study's implementation.
 */
import type { Direction, FrozenTrial, JsonValue, TrialState } from "./types.js";

/** What samplers and pruners may read and do with a study. */
export interface StudyView {
  readonly name: string;
  readonly directions: readonly Direction[];
  /**
   * Trials known to this process (refreshed at every ask), optionally filtered by state. Unfiltered, it is the
   * same array until a trial changes and a new one after: samplers may skip work when they see the array again.
   */
  trials(options?: { states?: readonly TrialState[] }): readonly FrozenTrial[];
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  setSystemAttrs(attrs: Readonly<Record<string, JsonValue>>): Promise<void>;
  /** Claims a key exactly once across all workers sharing the study's storage. */
  claim(key: string): Promise<boolean>;
  /** Tells the user something once per process (repeated messages are dropped). */
  warn(message: string): void;
}

/** The parts of a trial in progress that a sampler may use. */
export type SamplingTrial = Pick<FrozenTrial, "id" | "number" | "internalParams" | "distributions" | "systemAttrs">;

/**
 * What a pruner needs to queue continuations of finished trials under a larger budget (incremental Hyperband):
 * the study's trials as stored now, and a queue that starts each continuation from its parent's curve.
 */
export interface ContinuableStudy extends Pick<StudyView, "name" | "directions" | "trials"> {
  /** Reads what other workers stored since the last look. */
  refresh(): Promise<void>;
  enqueueContinuation(parent: FrozenTrial, systemAttrs?: Readonly<Record<string, JsonValue>>): Promise<void>;
}
