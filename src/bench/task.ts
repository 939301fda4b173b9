/**
 * @module One unit of benchmark work — a (problem, engine, sampler, seed) run — and how a worker process carries
 * it out, keeping per process one loaded copy of each problem and one Optuna bridge.
 */
import type { Problem } from "./problem.js";
import { loadProblem } from "./catalog.js";
import { OptunaBridge, runOptuna } from "./optuna-bridge.js";
import { runScaletune } from "./run.js";
import type { RunResult } from "./run-result.js";

export interface RunTask {
  readonly problem: string;
  readonly engine: "scaletune" | "optuna";
  readonly sampler: string;
  readonly seed: number;
  readonly trials: number;
}

const problems = new Map<string, Promise<Problem>>();
let bridge: Promise<OptunaBridge> | null = null;

export async function executeTask(task: RunTask): Promise<RunResult> {
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
