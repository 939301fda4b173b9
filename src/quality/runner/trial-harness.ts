/**
 * @module The benchmark harness behind `scaletune bench`: checks everything it was asked for up front, runs every
 * (problem, sampler, seed) — scaletune's samplers and, with `optunaSamplers`, Optuna's through the bridge — on
 * worker processes, and summarises the results.
 */
import { ConfigError } from "../../errors.js";
import { samplerByName } from "../../samplers/registry.js";
import { OPTUNA_SAMPLERS } from "../optuna/bridge-script.js";
import { OptunaBridge } from "../optuna/bridge.js";
import { expandProblems, loadProblem } from "../problems/catalog.js";
import type { Problem } from "../problems/problem.js";
import type { RunResult } from "../problems/run-result.js";
import { summarizeProblem, type BenchReport } from "../trials/report.js";
import { runInWorkers } from "./pool.js";
import type { RunTask } from "./task.js";

export interface BenchOptions {
  /** `--problem` values: names, groups, comma-separated lists. */
  readonly problems: readonly string[];
  /** scaletune sampler names (the registry's). */
  readonly samplers: readonly string[];
  readonly trials: number;
  /** Runs use seeds 0 … seeds − 1. */
  readonly seeds: number;
  /** Trial counts at which to summarise; default ¼, ½ and all of `trials`. */
  readonly budgets?: readonly number[];
  readonly parallel: number;
  /** Optuna samplers to run through the bridge, or null for none. */
  readonly optunaSamplers: readonly string[] | null;
  onProgress?(done: number, total: number): void;
}

export function defaultBudgets(trials: number): number[] {
  return [...new Set([Math.max(1, Math.round(trials / 4)), Math.max(1, Math.round(trials / 2)), trials])];
}

function checkBudgets(budgets: readonly number[], trials: number): number[] {
  for (const b of budgets) {
    if (!Number.isInteger(b) || b < 1 || b > trials) throw new ConfigError(`budget ${b} must be a whole number of trials between 1 and --trials (${trials})`);
  }
  return [...new Set(budgets)].sort((a, b) => a - b);
}

/** Starts Optuna once to fail early (with install instructions) and to check the sampler names against it. */
async function checkOptuna(samplers: readonly string[]): Promise<string> {
  for (const name of samplers) {
    if (!OPTUNA_SAMPLERS.includes(name)) throw new ConfigError(`unknown Optuna sampler "${name}"; choose from: ${OPTUNA_SAMPLERS.join(", ")}`);
  }
  const { bridge, version } = await OptunaBridge.start();
  try {
    // A start request per sampler checks that this Optuna has it (gp needs Optuna 3.6 or later).
    for (const name of samplers) await bridge.request({ op: "start", sampler: name, seed: 0, direction: "minimize" });
  } finally {
    await bridge.close();
  }
  return version;
}

/** Heavier runs first, so that the last runs to finish are short ones and the workers end together. */
function weight(task: RunTask): number {
  return /^(random|sobol|qmc)$/.test(task.sampler) ? 0 : 1;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const names = expandProblems(options.problems);
  const problems: Problem[] = [];
  for (const name of names) problems.push(await loadProblem(name));
  if (options.samplers.length === 0 && !options.optunaSamplers?.length) throw new ConfigError("no sampler to run; pass --samplers (and/or --vs-optuna)");
  for (const name of options.samplers) {
    if (name.toLowerCase() === "grid") throw new ConfigError("the grid sampler needs a grid of its own; bench runs samplers that need only a seed");
    samplerByName(name, 0);
  }
  const budgets = checkBudgets(options.budgets ?? defaultBudgets(options.trials), options.trials);
  const optuna = options.optunaSamplers ? await checkOptuna(options.optunaSamplers) : null;

  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const tasks: RunTask[] = [];
  for (const problem of problems) {
    const plan = [
      ...options.samplers.map((sampler) => ({ engine: "scaletune" as const, sampler })),
      ...(options.optunaSamplers ?? []).map((sampler) => ({ engine: "optuna" as const, sampler })),
    ];
    for (const { engine, sampler } of plan) for (const seed of seeds) tasks.push({ problem: problem.name, engine, sampler, seed, trials: options.trials });
  }
  const order = tasks.map((task, index) => ({ task, index })).sort((a, b) => weight(b.task) - weight(a.task) || a.index - b.index);
  const byOrder = await runInWorkers(order.map((o) => o.task), options.parallel, options.onProgress);
  const results = new Array<RunResult>(tasks.length);
  order.forEach((o, i) => (results[o.index] = byOrder[i]!));

  return {
    version: 1,
    trials: options.trials,
    seeds,
    budgets,
    parallel: Math.min(options.parallel, tasks.length),
    optuna,
    wallSeconds: (performance.now() - started) / 1000,
    problems: problems.map((problem) => {
      const runs = [...results.filter((r) => r.problem === problem.name), ...(problem.referenceRuns?.(options.trials) ?? [])];
      return summarizeProblem(problem, runs, budgets);
    }),
  };
}
