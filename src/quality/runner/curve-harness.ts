/**
 * @module The curve (multi-fidelity) benchmark behind `scaletune bench --problem curves:…`: checks everything it
 * was asked for up front, runs every (problem, sampler, pruner, seed) on worker processes, and summarises them
 * next to Optuna's anchored runs of the same problem, sampler, pruner and seeds.
 */
import { ConfigError } from "../../errors.js";
import { prunerFromSpec } from "../../pruners/registry.js";
import { samplerByName } from "../../samplers/registry.js";
import { anchorPrunerName, anchorSamplerName } from "../curves/anchor-names.js";
import { readPruningAnchor } from "../curves/anchor.js";
import { summarizeCurves, type CurveBenchReport } from "../curves/report.js";
import { epochMarks, type CurveRunResult, type CurveTask } from "../curves/run.js";
import { CURVE_EPOCHS, curveProblems } from "../problems/curves.js";
import { runInWorkers } from "./pool.js";

export interface CurveBenchOptions {
  /** Curve problem names or the `curves` group. */
  readonly problems: readonly string[];
  readonly samplers: readonly string[];
  /** `prunerFromSpec` specs. */
  readonly pruners: readonly string[];
  /** Runs use seeds 0 … seeds − 1. */
  readonly seeds: number;
  readonly epochBudget: number;
  readonly parallel: number;
  /** Optuna's measured runs (default: the shared anchor file). */
  readonly anchorPath?: string;
  onProgress?(done: number, total: number): void;
}

function distinct(values: readonly string[], what: string, flag: string): string[] {
  const kept = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ""))];
  if (kept.length === 0) throw new ConfigError(`no ${what} to run; pass ${flag}`);
  return kept;
}

function checkBudget(budget: number): void {
  if (!Number.isInteger(budget) || budget < CURVE_EPOCHS) {
    throw new ConfigError(`--epoch-budget ${budget} must be a whole number of epochs of at least ${CURVE_EPOCHS} (one full-length trial)`);
  }
}

/** Whether an anchored Optuna run is the counterpart of one of ours: same problem, sampler, pruner, budget, seed. */
function matchesOurs(run: CurveRunResult, task: CurveTask): boolean {
  return (
    run.problem === task.problem &&
    run.sampler === anchorSamplerName(task.sampler) &&
    run.pruner === anchorPrunerName(task.pruner) &&
    run.epochBudget === task.epochBudget &&
    run.seed === task.seed
  );
}

/** Model-based samplers' runs are the long ones. */
function heavy(task: CurveTask): number {
  return /^(random|sobol)$/i.test(task.sampler) ? 0 : 1;
}

export async function runCurveBench(options: CurveBenchOptions): Promise<CurveBenchReport> {
  const started = performance.now();
  const problems = curveProblems(distinct(options.problems, "curve problem", "--problem curves:crossing (or curves:benign)"));
  const samplers = distinct(options.samplers, "sampler", "--samplers");
  for (const name of samplers) {
    if (name.toLowerCase() === "grid") throw new ConfigError("the grid sampler needs a grid of its own; bench runs samplers that need only a seed");
    samplerByName(name, 0);
  }
  const pruners = distinct(options.pruners, "pruner", "--pruners");
  for (const spec of pruners) prunerFromSpec(spec);
  checkBudget(options.epochBudget);
  const anchor = readPruningAnchor(options.anchorPath);

  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const tasks: CurveTask[] = [];
  for (const problem of problems) {
    for (const sampler of samplers) {
      for (const pruner of pruners) {
        for (const seed of seeds) tasks.push({ problem: problem.name, sampler, pruner, seed, epochBudget: options.epochBudget });
      }
    }
  }
  // Heavy runs first, so that the last runs to finish are short ones and the workers end together.
  const order = tasks.map((task, index) => ({ task, index })).sort((a, b) => heavy(b.task) - heavy(a.task) || a.index - b.index);
  const byOrder = await runInWorkers(order.map((o) => o.task), options.parallel, options.onProgress);
  const results = new Array<CurveRunResult>(tasks.length);
  order.forEach((o, i) => (results[o.index] = byOrder[i]!));

  const marks = epochMarks(options.epochBudget);
  return {
    version: 1,
    kind: "curves",
    epochBudget: options.epochBudget,
    marks,
    seeds,
    parallel: Math.min(options.parallel, tasks.length),
    wallSeconds: (performance.now() - started) / 1000,
    anchor: anchor.status,
    problems: problems.map((problem) => {
      const ours = results.filter((r) => r.problem === problem.name);
      const theirs = anchor.runs.filter((run) => run.problem === problem.name && tasks.some((task) => matchesOurs(run, task)));
      const runs = [...ours, ...theirs];
      return { name: problem.name, description: problem.description, summaries: summarizeCurves(runs, marks), runs };
    }),
  };
}
