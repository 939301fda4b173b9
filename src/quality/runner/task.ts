/**
 * @module One unit of benchmark work — a (problem, engine, sampler, seed) run, or a curve or multi-fidelity YAHPO
 * run, which also names a pruner — and how a worker process carries it out, keeping per process one loaded copy of
 * each problem and one Optuna bridge.
 */
import { runCurves, type CurveRunResult, type CurveTask } from "../curves/run.js";
import { OptunaBridge, runOptuna } from "../optuna/bridge.js";
import { loadProblem } from "../problems/catalog.js";
import type { Problem } from "../problems/problem.js";
import type { RunResult } from "../problems/run-result.js";
import { loadYahpoMfProblem, type YahpoMfProblem } from "../problems/yahpo-mf.js";
import { runScaletune } from "../trials/run.js";
import { runYahpoMf, type YahpoMfRunResult, type YahpoMfTask } from "../yahpo-mf/run.js";

export interface RunTask {
  readonly problem: string;
  readonly engine: "scaletune" | "optuna";
  readonly sampler: string;
  readonly seed: number;
  readonly trials: number;
}

export type BenchTask = RunTask | CurveTask | YahpoMfTask;
export type ResultOf<T extends BenchTask> = T extends YahpoMfTask ? YahpoMfRunResult : T extends CurveTask ? CurveRunResult : RunResult;
export type BenchResult = RunResult | CurveRunResult | YahpoMfRunResult;

export function isYahpoMfTask(task: BenchTask): task is YahpoMfTask {
  return "kind" in task && task.kind === "yahpo-mf";
}

export function isCurveTask(task: BenchTask): task is CurveTask {
  return "epochBudget" in task;
}

/** The task in words, for error messages. */
export function describeTask(task: BenchTask): string {
  const who = "pruner" in task ? `${task.sampler} with pruner ${task.pruner}` : `${task.engine} ${task.sampler}`;
  return `${who} on ${task.problem}, seed ${task.seed}`;
}

const problems = new Map<string, Promise<Problem>>();
const mfProblems = new Map<string, Promise<YahpoMfProblem>>();
let bridge: Promise<OptunaBridge> | null = null;

export async function executeTask(task: BenchTask): Promise<BenchResult> {
  if (isYahpoMfTask(task)) {
    let problem = mfProblems.get(task.problem);
    if (!problem) mfProblems.set(task.problem, (problem = loadYahpoMfProblem(task.problem)));
    return runYahpoMf(await problem, task);
  }
  if (isCurveTask(task)) return runCurves(task);
  let problem = problems.get(task.problem);
  if (!problem) problems.set(task.problem, (problem = loadProblem(task.problem)));
  if (task.engine === "scaletune") return runScaletune(await problem, task.sampler, task.seed, task.trials);
  bridge ??= OptunaBridge.start().then((started) => started.bridge);
  return runOptuna(await bridge, await problem, task.sampler, task.seed, task.trials);
}

/** Stops this process's Optuna bridge, if it started one. */
export async function releaseTaskResources(): Promise<void> {
  if (bridge) await (await bridge.catch(() => null))?.close();
  bridge = null;
}
