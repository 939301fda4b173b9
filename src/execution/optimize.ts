/**
 * @module The in-process optimisation loop: ask, run the objective, tell — `concurrency` trials at a time.
 */
import { ConfigError, describeError, isTrialPruned } from "../errors.js";
import type { Study, TrialOutcome } from "../study/study.js";
import type { Trial } from "../study/trial.js";
import type { FrozenTrial } from "../study/types.js";

export type Objective = (trial: Trial) => TrialOutcome | Promise<TrialOutcome>;
export type TrialCallback = (study: Study, trial: FrozenTrial) => void | Promise<void>;

export interface OptimizeOptions {
  /** Trials to start in this call (default: until timeout, stop() or the sampler runs out). */
  nTrials?: number;
  /** No new trial starts after this many milliseconds; running ones finish. */
  timeoutMs?: number;
  /** Trials evaluated at once in this process (useful when the objective awaits I/O or subprocesses). */
  concurrency?: number;
  /**
   * Which objective errors fail only their trial and let the study go on. `false` (default, as in Optuna):
   * the error is stored on the trial, then rethrown. `true`: every error is caught. Or error classes / a predicate.
   */
  catch?: boolean | readonly (abstract new (...args: never[]) => unknown)[] | ((error: unknown) => boolean);
  /** Called after every finished trial, in order of completion. */
  callbacks?: readonly TrialCallback[];
  /** Aborting stops starting trials, like `study.stop()`. */
  signal?: AbortSignal;
}

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new ConfigError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

function catches(policy: OptimizeOptions["catch"], error: unknown): boolean {
  if (policy === undefined || policy === false) return false;
  if (policy === true) return true;
  if (typeof policy === "function") return policy(error);
  return policy.some((cls) => error instanceof cls);
}

/** Runs the objective on one trial and records the outcome; returns the finished trial (rethrowing uncaught errors). */
export async function runTrial(study: Study, trial: Trial, objective: Objective, policy: OptimizeOptions["catch"]): Promise<FrozenTrial> {
  let outcome: TrialOutcome;
  try {
    outcome = await objective(trial);
  } catch (error) {
    if (trial.isFinished) throw error;
    if (isTrialPruned(error)) return study.tell(trial, "pruned");
    const frozen = await study.tell(trial, "failed", describeError(error));
    if (catches(policy, error)) {
      study.warn(`trial ${trial.number} failed: ${error instanceof Error ? error.message : String(error)}`);
      return frozen;
    }
    throw error;
  }
  if (trial.isFinished) throw new ConfigError(`trial ${trial.number} was told inside its objective; return the value instead`);
  return study.tell(trial, outcome);
}

export async function optimize(study: Study, objective: Objective, options: OptimizeOptions = {}): Promise<void> {
  const { nTrials, timeoutMs, concurrency = 1, callbacks = [], signal } = options;
  if (typeof objective !== "function") throw new ConfigError("optimize() needs an objective function (trial) => number");
  positiveInteger("nTrials", nTrials);
  positiveInteger("concurrency", concurrency);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new ConfigError(`timeoutMs must be positive, got ${timeoutMs}`);

  study.resume();
  await study.refresh();
  await study.recordMethods();
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let started = 0;
  let firstError: { error: unknown } | null = null;
  const keepGoing = () =>
    !study.stopping && firstError === null && (nTrials === undefined || started < nTrials) && Date.now() < deadline && !signal?.aborted;

  const heartbeat = study.storage.persistent
    ? setInterval(() => void study.beat().catch((e: unknown) => study.warn(`heartbeat failed: ${describeError(e)}`)), study.heartbeat.intervalMs)
    : null;
  heartbeat?.unref();

  const worker = async (): Promise<void> => {
    while (keepGoing()) {
      started++;
      try {
        const trial = await study.tryAsk();
        if (trial === null) {
          study.stop();
          return;
        }
        const frozen = await runTrial(study, trial, objective, options.catch);
        for (const callback of callbacks) await callback(study, frozen);
      } catch (error) {
        firstError ??= { error };
        return;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
  if (firstError !== null) throw (firstError as { error: unknown }).error;
}
