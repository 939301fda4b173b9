/**
 * @module Errors meant for users: each names the problem and, where there is one, the fix. Also the package's
 * `scaletune/errors` face, so that a program (the CLI first) can tell them apart without loading the library.
 *
 * The CLI prints `message` alone (no stack) for these and exits non-zero; anything else is a bug and keeps its stack.
 */

export class ScaletuneError extends Error {
  override readonly name: string = "ScaletuneError";
}

/** A search-space definition that cannot be sampled (bad range, empty choices, conflicting re-definition). */
export class SearchSpaceError extends ScaletuneError {
  override readonly name = "SearchSpaceError";
}

/** A storage URL that cannot be parsed or reached, or a stored file that cannot be read. */
export class StorageError extends ScaletuneError {
  override readonly name = "StorageError";
}

/** A study that was asked for by name and does not exist, or that exists when it must not. */
export class StudyNotFoundError extends ScaletuneError {
  override readonly name = "StudyNotFoundError";
}

export class DuplicateStudyError extends ScaletuneError {
  override readonly name = "DuplicateStudyError";
}

/** A trial used after it finished, or told twice. */
export class TrialStateError extends ScaletuneError {
  override readonly name: string = "TrialStateError";
}

/**
 * A write to a trial that is no longer running in storage. Where a live worker meets it, another process ended the
 * trial while it ran: its heartbeat lapsed (a paused worker, a cut network), so the trial was failed and its
 * configuration queued again.
 */
export class TrialNotRunningError extends TrialStateError {
  override readonly name = "TrialNotRunningError";
  constructor(
    readonly trialNumber: number,
    /** The trial's stored state. */
    readonly state: string,
  ) {
    super(`trial ${trialNumber} is ${state}; only running trials can be changed`);
  }
}

/** An option or argument with a value scaletune cannot use. */
export class ConfigError extends ScaletuneError {
  override readonly name = "ConfigError";
}

/** An optional package that a command needs and that is not installed (TensorFlow.js, for the demo). */
export class MissingDependencyError extends ScaletuneError {
  override readonly name = "MissingDependencyError";
}

/** Thrown by `trial.shouldPrune()` users (and by `throw new TrialPruned()`) to end a trial as pruned. */
export class TrialPruned extends Error {
  override readonly name = "TrialPruned";
  constructor(message = "trial pruned") {
    super(message);
  }
}

/**
 * Whether an objective's error means "pruned". By name as well as class: an objective file run by `npx scaletune`
 * may import another copy of the package than the CLI's, and a script may define its own `TrialPruned`.
 */
export function isTrialPruned(error: unknown): boolean {
  return error instanceof TrialPruned || (error instanceof Error && error.name === "TrialPruned");
}

/** Error message and stack, as stored on a failed trial. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
