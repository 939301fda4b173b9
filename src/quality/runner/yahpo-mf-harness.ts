/**
 * @module The multi-fidelity YAHPO benchmark behind `scaletune bench --problem yahpo-mf`: checks everything it was
 * asked for up front, runs every (problem, method, seed) at the protocol's budget on worker processes, and ranks
 * each method against the YAHPO Gym paper's published optimizers. A method is a sampler and a pruner spec: the
 * defaults (`yahpo-mf/methods.ts`), or every sampler × pruner given.
 */
import { ConfigError } from "../../errors.js";
import { prunerFromSpec } from "../../pruners/registry.js";
import { samplerByName } from "../../samplers/registry.js";
import { loadYahpoMfProblem, yahpoMfProblemNames, type YahpoMfProblem } from "../problems/yahpo-mf.js";
import { defaultMethods, type Method } from "../yahpo-mf/methods.js";
import { readPublishedRegrets } from "../yahpo-mf/published.js";
import { summarizeYahpoMf, type YahpoMfBenchReport } from "../yahpo-mf/report.js";
import type { YahpoMfRunResult, YahpoMfTask } from "../yahpo-mf/run.js";
import { runInWorkers } from "./pool.js";

export interface YahpoMfBenchOptions {
  /** `yahpo-mf:<scenario>:<instance>` names or the `yahpo-mf` group. */
  readonly problems: readonly string[];
  /** With `pruners`, replaces the default methods by sampler × pruner; a missing one is `tpe`, resp. `none`. */
  readonly samplers: readonly string[] | null;
  readonly pruners: readonly string[] | null;
  /** Runs use seeds 0 … seeds − 1. */
  readonly seeds: number;
  /** The fraction of each problem's protocol budget a run spends (1): less is a quick check, not the paper's protocol. */
  readonly budgetFraction?: number;
  readonly parallel: number;
  /** The paper's published results (default: the shared file). */
  readonly publishedPath?: string;
  onProgress?(done: number, total: number): void;
}

function given(values: readonly string[] | null, what: string, flag: string): string[] | null {
  if (values === null) return null;
  const kept = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ""))];
  if (kept.length === 0) throw new ConfigError(`no ${what} to run; pass ${flag}`);
  return kept;
}

/** Samplers × pruners, each checked by building it; null when neither list was given (the default methods). */
function givenMethods(samplers: string[] | null, pruners: string[] | null): Method[] | null {
  if (samplers === null && pruners === null) return null;
  for (const sampler of samplers ?? []) {
    if (sampler.toLowerCase() === "grid") throw new ConfigError("the grid sampler needs a grid of its own; bench runs samplers that need only a seed");
    samplerByName(sampler, 0);
  }
  for (const pruner of pruners ?? []) prunerFromSpec(pruner);
  return (samplers ?? ["tpe"]).flatMap((sampler) =>
    (pruners ?? ["none"]).map((pruner): Method => ({ label: `${sampler} + ${pruner}`, sampler, pruner, counterpart: null })),
  );
}

/** Model-based samplers' runs are the long ones. */
function heavy(task: YahpoMfTask): number {
  return /^(random|sobol)$/i.test(task.sampler) ? 0 : 1;
}

export async function runYahpoMfBench(options: YahpoMfBenchOptions): Promise<YahpoMfBenchReport> {
  const started = performance.now();
  const names = yahpoMfProblemNames(options.problems.map((p) => p.trim()).filter((p) => p !== ""));
  if (names.length === 0) throw new ConfigError("no multi-fidelity YAHPO problem to run; pass --problem yahpo-mf");
  const chosen = givenMethods(given(options.samplers, "sampler", "--samplers"), given(options.pruners, "pruner", "--pruners"));
  const problems: YahpoMfProblem[] = [];
  for (const name of names) problems.push(await loadYahpoMfProblem(name));
  const methods = new Map(problems.map((p) => [p.name, chosen ?? defaultMethods(p.ladder)]));
  const published = readPublishedRegrets(options.publishedPath);

  const budgetFraction = options.budgetFraction ?? 1;
  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const tasks: YahpoMfTask[] = [];
  for (const problem of problems) {
    for (const method of methods.get(problem.name)!) {
      for (const seed of seeds) {
        const budget = problem.budget * budgetFraction;
        tasks.push({ kind: "yahpo-mf", problem: problem.name, method: method.label, sampler: method.sampler, pruner: method.pruner, seed, budget });
      }
    }
  }
  // Heavy runs first, so that the last runs to finish are short ones and the workers end together.
  const order = tasks.map((task, index) => ({ task, index })).sort((a, b) => heavy(b.task) - heavy(a.task) || a.index - b.index);
  const byOrder = await runInWorkers(order.map((o) => o.task), options.parallel, options.onProgress);
  const results = new Array<YahpoMfRunResult>(tasks.length);
  order.forEach((o, i) => (results[o.index] = byOrder[i]!));

  return summarizeYahpoMf({
    problems: problems.map((problem) => ({ problem, methods: methods.get(problem.name)!, runs: results.filter((r) => r.problem === problem.name) })),
    published,
    seeds,
    budgetFraction,
    parallel: Math.min(options.parallel, tasks.length),
    wallSeconds: (performance.now() - started) / 1000,
  });
}
