/**
 * @module Runs a study to its target from the command line (`scaletune run`, `scaletune demo`): progress, the best
 * trial, every stop cause obeyed, resumable with the same command.
 */
import { ConfigError, SearchSpaceError, StudyNotFoundError } from "../errors.js";
import {
  DEFAULT_HEARTBEAT,
  GridSampler,
  autoSamplerHistory,
  createStudy,
  loadStudy,
  prunerFromSpec,
  samplerByName,
  type Direction,
  type FrozenTrial,
  type HeartbeatOptions,
  type OptimizeResult,
  type Study,
} from "../index.js";
import { shownStorage } from "./options.js";
import { formatNumber, formatValue, trialJson } from "./format.js";
import { exitCode, onStop, shellCommand, type StopCause } from "./interruption.js";
import type { ObjectiveModule } from "./objective-module.js";
import { Progress } from "./progress.js";

/** After this many failures in a row from the start of a run, the objective is presumed broken. */
const BROKEN_AFTER = 5;

/**
 * The study's target when neither `--trials` nor `--timeout` is given. Optuna runs until stopped and W&B asks; a
 * command that may run for days unasked is the worse surprise, and the number is printed with how to change it.
 */
export const DEFAULT_TARGET = 100;

export interface RunOptions {
  study: string;
  storage: string;
  trials?: number;
  timeout?: number;
  concurrency: number;
  sampler: string;
  /** A `prunerFromSpec` spec; default: the library's default pruner. */
  pruner?: string;
  /** With a Hyperband pruner whose maxResource was raised: queue the best trials that finished below it to continue. */
  continueBestTrials?: boolean;
  seed?: number;
  direction?: Direction;
  failFast?: boolean;
  /** Seconds without a heartbeat after which another worker's running trial is taken for dead (default 60). */
  heartbeatTimeout?: number;
  /** Refuse to start without a target (`--trials`, a stored one) or `--timeout`, instead of the default target. */
  requireTarget?: boolean;
  /** Print one JSON document at the end instead of progress and the best trial. */
  json?: boolean;
  /** Print nothing (a caller that reports the outcome itself, as `demo --json`). */
  silent?: boolean;
  /** On a stop cause, before the running trials are failed and queued again: stop what they run (command trials). */
  beforeInterrupt?: (cause: StopCause) => Promise<void>;
}

export interface RunOutcome {
  readonly study: Study;
  /** Null when the run stopped before starting (the target was already reached). */
  readonly result: OptimizeResult | null;
}

function lines(json: boolean | undefined): (text: string) => void {
  return json ? () => {} : (text) => void process.stdout.write(`${text}\n`);
}

/** Runs the study to its target and prints the outcome; returns the (still open) study. */
export async function runStudyWith(module: ObjectiveModule, options: RunOptions, file = "the objective file"): Promise<RunOutcome> {
  const say = lines(options.json || options.silent);
  let sampler;
  if (options.sampler.toLowerCase() === "grid") {
    if (!module.grid) throw new ConfigError(`--sampler grid needs the grid: add  export const grid = { name: [values…] }  to ${file}`);
    sampler = new GridSampler(module.grid, options.seed === undefined ? {} : { seed: options.seed });
  } else {
    sampler = samplerByName(options.sampler, options.seed);
  }
  const directions = options.direction ? [options.direction] : module.directions;
  const runtime = {
    sampler,
    ...(options.pruner !== undefined && { pruner: prunerFromSpec(options.pruner) }),
    ...(options.heartbeatTimeout !== undefined && { heartbeat: heartbeatWithin(options.heartbeatTimeout) }),
  };
  // A worker told neither a target nor a timeout joins a study whose first worker set one; it creates none.
  const joinOnly = options.requireTarget && options.trials === undefined && options.timeout === undefined;
  const study = joinOnly
    ? await loadStudy({ name: options.study, storage: options.storage, ...runtime }).catch((error: unknown) => {
        if (!(error instanceof StudyNotFoundError)) throw error;
        throw new ConfigError(`study "${options.study}" does not exist yet: the first worker gives --trials N, the study's target, stored for the workers that join later`);
      })
    : await createStudy({
        name: options.study,
        storage: options.storage,
        loadIfExists: true,
        ...(directions && (directions.length === 1 ? { direction: directions[0]! } : { directions })),
        ...runtime,
      });
  say(`study "${study.name}" in ${shownStorage(options.storage)} · sampler ${sampler.name} · pruner ${study.pruner.name} · ${study.directions.join(", ")}`);
  // Before counting what is done: trials of workers that died are failed and queued again, target reached or not.
  await study.recoverStaleTrials({ force: true });
  const target = await studyTarget(study, options, say);
  if (options.continueBestTrials) {
    if (!study.pruner.continueBestTrials) {
      throw new ConfigError(
        "--continue-best-trials continues a Hyperband study under a larger maximum: give --pruner hyperband:maxResource=<new maximum>,…",
      );
    }
    const continued = await study.pruner.continueBestTrials(study);
    say(
      `hyperband: ${continued.length} trial(s) that finished below the new maximum queued to continue ` +
        `(${continued.map((t) => `#${t.number}`).join(", ") || "none"}); trial.continues tells the objective where to resume`,
    );
  }
  const already = study.finishedTrials;
  if (already > 0) say(`resuming: ${already} trial(s) already done${target !== undefined ? ` of ${target}` : ""}`);
  if (target !== undefined && study.countedTrials >= target && study.counts.waiting === 0) {
    const running = study.counts.running;
    say(
      running > 0
        ? `nothing to do here: the study counts ${target} trial(s), ${running} of them still running in other workers`
        : `nothing to do: the study already has ${already} trial(s); raise --trials to run more`,
    );
    finish(study, options, target, null);
    return { study, result: null };
  }

  const stopListening = onStop((cause) => void interrupted(study, cause, options.beforeInterrupt));
  const quiet = options.json === true || options.silent === true;
  const progress = new Progress(study, { alreadyDone: already, ...(target !== undefined && { target }), out: process.stdout, quiet });
  let failuresInARow = 0;
  let anyComplete = false;
  let autoSwitchesShown = autoSamplerHistory(study.systemAttrs).length;
  const watch = (s: Study, trial: FrozenTrial) => {
    progress.onTrial(trial);
    const switches = autoSamplerHistory(s.systemAttrs);
    for (const change of switches.slice(autoSwitchesShown)) {
      progress.note(`auto sampler: ${change.sampler} after ${change.afterFinishedTrials} finished trials (${change.reason})`);
    }
    autoSwitchesShown = switches.length;
    anyComplete ||= trial.state === "complete";
    failuresInARow = trial.state === "failed" ? failuresInARow + 1 : 0;
    if (!anyComplete && failuresInARow >= BROKEN_AFTER) {
      s.stop();
      throw new ConfigError(
        `the first ${BROKEN_AFTER} trials all failed; the objective looks broken. Last error: ${trial.failReason?.split("\n")[0] ?? "?"}`,
      );
    }
  };
  progress.start();
  let result: OptimizeResult;
  try {
    result = await study.optimize(module.objective, {
      ...(target !== undefined && { targetTrials: target }),
      ...(options.timeout !== undefined && { timeoutMs: options.timeout * 1000 }),
      concurrency: options.concurrency,
      // A search-space error repeats on every trial: stop at once instead of recording it again and again.
      catch: (error) => !options.failFast && !(error instanceof SearchSpaceError),
      callbacks: [watch],
    });
  } finally {
    progress.stop();
    stopListening();
  }
  if (result.stoppedBecause === "exhausted" && target !== undefined && study.countedTrials < target) {
    process.stderr.write(
      `scaletune: sampler ${sampler.name} ran out of points: the study has ${study.countedTrials} of its ${target} trials; ` +
        `the grid has no more to try\n`,
    );
  }
  finish(study, options, target, result);
  return { study, result };
}

/**
 * The target this run works to: `--trials`, stored with the study for the workers that join later; else the study's
 * stored target; else, unless `--timeout` bounds the run, the default — or, for a worker, a refusal: workers that
 * share a study must agree on its target, and a guess could end a cluster's sweep early.
 */
async function studyTarget(study: Study, options: RunOptions, say: (text: string) => void): Promise<number | undefined> {
  const stored = study.targetTrials;
  if (options.trials !== undefined) {
    if (stored !== undefined && stored !== options.trials) say(`the study's target changes from ${stored} to ${options.trials} trials`);
    await study.setTargetTrials(options.trials);
    return options.trials;
  }
  if (stored !== undefined) {
    say(`the study's target is ${stored} trials (stored by an earlier --trials; --trials N changes it)`);
    return stored;
  }
  if (options.timeout !== undefined) return undefined;
  if (options.requireTarget) {
    throw new ConfigError(`study "${study.name}" has no target yet: give --trials N (stored for the workers that join later) or --timeout S`);
  }
  say(`no --trials given: the study's target is ${DEFAULT_TARGET} trials (--trials N sets it; --timeout S alone runs until then)`);
  return DEFAULT_TARGET;
}

/** Prints the best trial(s) and where the study is, or the JSON document. */
function finish(study: Study, options: RunOptions, target: number | undefined, result: OptimizeResult | null): void {
  if (options.silent) return;
  const front = study.bestTrials;
  if (options.json) {
    const document = {
      study: study.name,
      storage: options.storage,
      directions: study.directions,
      target: target ?? null,
      startedHere: result?.started ?? 0,
      stoppedBecause: result?.stoppedBecause ?? "target-reached",
      counts: study.counts,
      best: study.directions.length === 1 ? (front[0] ? trialJson(front[0]) : null) : front.map(trialJson),
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  if (front.length === 0) process.stdout.write("no complete trial yet\n");
  for (const best of front) {
    const params = Object.entries(best.params).map(([k, v]) => `${k}=${formatValue(v)}`).join(" ");
    process.stdout.write(`best trial #${best.number}: ${best.values!.map(formatNumber).join(", ")} | ${params}\n`);
  }
  if (result !== null) process.stdout.write(`stored in ${shownStorage(options.storage)} (study "${study.name}")\n`);
}

/** A stop cause arrived: fail and queue again what runs, say how to resume, exit as the cause asks. */
async function interrupted(study: Study, cause: StopCause, before?: (cause: StopCause) => Promise<void>): Promise<void> {
  const resume = shellCommand("scaletune", process.argv.slice(2));
  try {
    process.stderr.write(`\n${cause}: stopping\n`);
    if (before) {
      study.stop();
      await before(cause);
    }
    const n = await study.interrupt(`interrupted (${cause})`);
    process.stderr.write(`interrupted: ${n} running trial(s) marked failed and queued again; resume with: ${resume}\n`);
    await study.close();
  } catch (error) {
    process.stderr.write(`\ninterrupted (${cause}), but marking running trials failed: ${(error as Error).message}\n`);
  }
  process.exit(exitCode(cause));
}

/**
 * Heartbeats for a stale-after of `seconds`: beating at most every 10 s (the default) and at least four times within
 * the window, so that one late beat never makes a live worker look dead.
 */
function heartbeatWithin(seconds: number): HeartbeatOptions {
  const staleAfterMs = seconds * 1000;
  return { staleAfterMs, intervalMs: Math.min(DEFAULT_HEARTBEAT.intervalMs, staleAfterMs / 4) };
}
