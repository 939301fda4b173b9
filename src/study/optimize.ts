/**
 * @module The in-process optimisation loop: ask, run the objective, tell — `concurrency` trials at a time.
 *
 * The loop gives the event loop a turn between trials (at least every millisecond), even when the objective is
 * synchronous: signal handlers, timers, an aborted `signal` and a closed stdout are then noticed within a trial,
 * not after the whole run.
 */
import { ConfigError, describeError, isTrialPruned } from "../errors.js";
import type { FrozenTrial, NoTrial, TrialOutcome, TrialState } from "../core/types.js";
import type { Trial } from "./trial.js";

export type Objective = (trial: Trial) => TrialOutcome | Promise<TrialOutcome>;

/** What the loop asks of a study: start trials, tell their outcomes, and heed a stop. */
export interface OptimizingStudy {
  readonly sampler: { readonly name: string };
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly countedTrials: number;
  readonly stopping: boolean;
  stop(): void;
  resume(): void;
  refresh(): Promise<void>;
  recoverStaleTrials(options: { force?: boolean }): Promise<number>;
  recordMethods(): Promise<void>;
  startTrial(targetTrials?: number): Promise<Trial | NoTrial>;
  tell(trial: Trial, outcome: TrialOutcome, failReason?: string): Promise<FrozenTrial>;
  failInterrupted(trial: Trial, reason: string): Promise<FrozenTrial>;
  warn(message: string): void;
}

/** `OptimizeOptions` for a study of type S (its callbacks receive S). */
export interface LoopOptions<S> {
  /** Trials to start in this call (default: until timeout, stop() or the sampler runs out). */
  nTrials?: number;
  /**
   * The study's target: no trial starts once the study counts this many (`study.countedTrials`: waiting, running and
   * finished trials of every worker, failures that were queued again not counted). Exact across processes.
   */
  targetTrials?: number;
  /** No new trial starts after this many milliseconds; running ones finish. */
  timeoutMs?: number;
  /**
   * Trials evaluated at once in this process (useful when the objective awaits I/O or subprocesses). More than the
   * trials left to run (`nTrials`, `targetTrials`) would only wait, so it is lowered to that.
   */
  concurrency?: number;
  /**
   * Which objective errors fail only their trial and let the study go on. `false` (default, as in Optuna):
   * the error is stored on the trial, then rethrown. `true`: every error is caught. Or error classes / a predicate.
   */
  catch?: boolean | readonly (abstract new (...args: never[]) => unknown)[] | ((error: unknown) => boolean);
  /** Called after every finished trial, in order of completion. */
  callbacks?: readonly ((study: S, trial: FrozenTrial) => void | Promise<void>)[];
  /**
   * Aborting stops starting trials, like `study.stop()`, and aborts the running trials' `trial.signal`: an objective
   * that throws because of it has its trial failed and queued again, as an interrupted one.
   */
  signal?: AbortSignal;
}

/** Why an `optimize` call stopped starting trials. */
export type StopReason = "n-trials" | NoTrial | "timeout" | "stopped" | "aborted";

export interface OptimizeResult {
  /** Trials this call started. */
  readonly started: number;
  readonly stoppedBecause: StopReason;
}

/** More trials than this at once in one process is a mistake (a typo, 1e8), not a workload. */
export const MAX_CONCURRENCY = 10_000;

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new ConfigError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

function catches(policy: LoopOptions<unknown>["catch"], error: unknown): boolean {
  if (policy === undefined || policy === false) return false;
  if (policy === true) return true;
  if (typeof policy === "function") return policy(error);
  return policy.some((cls) => error instanceof cls);
}

/** Runs the objective on one trial and records the outcome; returns the finished trial (rethrowing uncaught errors). */
export async function runTrial(study: OptimizingStudy, trial: Trial, objective: Objective, policy: LoopOptions<unknown>["catch"]): Promise<FrozenTrial> {
  let outcome: TrialOutcome;
  try {
    outcome = await objective(trial);
  } catch (error) {
    if (trial.isFinished) throw error;
    if (isTrialPruned(error)) return study.tell(trial, "pruned");
    if (trial.signal.aborted) return study.failInterrupted(trial, `interrupted (${(trial.signal.reason as Error).message})`);
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

/**
 * How long the loop may run trials without giving the event loop a turn (timers, signals, I/O callbacks). A turn
 * after every trial would cost trivial objectives a third of their throughput; one per millisecond is as prompt for
 * Ctrl-C and costs nothing measurable.
 */
const TURN_EVERY_MS = 1;

/** A turn of the event loop, when the last one is TURN_EVERY_MS old: even between synchronous trials. */
function eventLoopTurns(): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < TURN_EVERY_MS) return undefined;
    last = now;
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
}

/** The trials this call can still start, or Infinity. */
function trialsLeft(study: OptimizingStudy, options: Pick<LoopOptions<unknown>, "nTrials" | "targetTrials">): number {
  const byCount = options.nTrials ?? Infinity;
  const byTarget = options.targetTrials === undefined ? Infinity : options.targetTrials - study.countedTrials;
  return Math.max(0, Math.min(byCount, byTarget));
}

export async function optimize<S extends OptimizingStudy>(study: S, objective: Objective, options: LoopOptions<S> = {}): Promise<OptimizeResult> {
  const { nTrials, targetTrials, timeoutMs, concurrency = 1, callbacks = [], signal } = options;
  if (typeof objective !== "function") throw new ConfigError("optimize() needs an objective function (trial) => number");
  positiveInteger("nTrials", nTrials);
  positiveInteger("targetTrials", targetTrials);
  positiveInteger("concurrency", concurrency);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new ConfigError(`timeoutMs must be positive, got ${timeoutMs}`);

  study.resume();
  await study.refresh();
  // A process that opens the study for work cleans up after workers that died, whatever is left to do.
  await study.recoverStaleTrials({ force: true });
  await study.recordMethods();
  // Waiting (retried) trials run even at the target: they count already.
  const workers = Math.min(concurrency, Math.max(trialsLeft(study, options), study.counts.waiting, 1));
  if (workers > MAX_CONCURRENCY) {
    throw new ConfigError(`concurrency ${concurrency} is more trials than one process can run at once; use at most ${MAX_CONCURRENCY}`);
  }
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let started = 0;
  let stoppedBecause = null as StopReason | null;
  let firstError: { error: unknown } | null = null;
  const mine = new Set<Trial>();
  const onAbort = () => {
    for (const trial of mine) trial.abort("aborted");
  };
  signal?.addEventListener("abort", onAbort);

  const stopReason = (): StopReason | null => {
    if (signal?.aborted) return "aborted";
    if (study.stopping) return "stopped";
    if (nTrials !== undefined && started >= nTrials) return "n-trials";
    if (Date.now() >= deadline) return "timeout";
    return null;
  };

  const turn = eventLoopTurns();
  const worker = async (): Promise<void> => {
    for (;;) {
      // An uncaught objective error ends every loop; optimize rethrows it instead of returning a reason.
      if (firstError !== null) return;
      const reason = stopReason();
      if (reason !== null) return void (stoppedBecause ??= reason);
      started++;
      try {
        const trial = await study.startTrial(targetTrials);
        if (typeof trial === "string") {
          started--;
          stoppedBecause ??= trial;
          // Other loops stop too: the sampler has nothing left, or the study its target.
          study.stop();
          return;
        }
        mine.add(trial);
        const frozen = await runTrial(study, trial, objective, options.catch).finally(() => mine.delete(trial));
        for (const callback of callbacks) await callback(study, frozen);
      } catch (error) {
        firstError ??= { error };
        return;
      }
      await turn();
    }
  };

  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (firstError !== null) throw (firstError as { error: unknown }).error;
  const reason = stoppedBecause ?? "stopped";
  if (reason === "exhausted" && (nTrials !== undefined || targetTrials !== undefined)) {
    study.warn(`sampler ${study.sampler.name} has no points left: ${started} trial(s) started in this run, fewer than asked`);
  }
  return { started, stoppedBecause: reason };
}
