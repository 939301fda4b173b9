/**
 * @module Benchmark results: per problem and sampler, the median and quartiles over seeds of simple regret (or of
 * the best value when the optimum is unknown) at each budget, and the overhead; as JSON and as markdown tables
 * laid out like the Optuna anchors' RESULTS.md, with scaletune ÷ Optuna ratios.
 */
import type { Direction } from "../../core/types.js";
import { mean, median, quartiles } from "../../math/statistics.js";
import { formatRatio, formatSignificant, markdownTable } from "../format.js";
import { regretOf, type Problem } from "../problems/problem.js";
import type { Engine, RunResult } from "../problems/run-result.js";

export interface BudgetSummary {
  readonly budget: number;
  /** Runs with a complete trial by this budget (the statistics are over these). */
  readonly runs: number;
  readonly median: number | null;
  readonly q25: number | null;
  readonly q75: number | null;
  /** Mean of the best value itself (not the regret), as published comparisons quote it. */
  readonly meanBest: number | null;
}

export interface SamplerSummary {
  readonly engine: Engine;
  readonly sampler: string;
  readonly seeds: number;
  readonly budgets: readonly BudgetSummary[];
  /** Median over seeds of each run's median ask()+suggestions time (ms). */
  readonly askMs: number | null;
  readonly tellMs: number | null;
  readonly wallMs: number | null;
  readonly failedTrials: number;
}

export interface ProblemReport {
  readonly name: string;
  readonly description: string;
  readonly direction: Direction;
  readonly optimum: number | null;
  readonly regretScale: number;
  /** What the budget statistics measure. */
  readonly metric: "regret" | "normalised regret" | "best value";
  readonly summaries: readonly SamplerSummary[];
  readonly runs: readonly RunResult[];
}

export interface BenchReport {
  readonly version: 1;
  readonly trials: number;
  readonly seeds: readonly number[];
  readonly budgets: readonly number[];
  readonly parallel: number;
  /** Optuna's version when --vs-optuna ran it, else null. */
  readonly optuna: string | null;
  readonly wallSeconds: number;
  readonly problems: readonly ProblemReport[];
}

function nullableMedian(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : median(present);
}

function summarizeRuns(problem: Problem, runs: readonly RunResult[], budgets: readonly number[]): BudgetSummary[] {
  return budgets.map((budget) => {
    const bests = runs.map((r) => r.bestSoFar[budget - 1] ?? null).filter((v): v is number => v !== null);
    if (bests.length === 0) return { budget, runs: 0, median: null, q25: null, q75: null, meanBest: null };
    const q = quartiles(bests.map((b) => regretOf(problem, b)));
    return { budget, runs: bests.length, ...q, meanBest: mean(bests) };
  });
}

export function metricOf(problem: Pick<Problem, "optimum" | "regretScale">): ProblemReport["metric"] {
  if (problem.optimum === null) return "best value";
  return problem.regretScale === 1 ? "regret" : "normalised regret";
}

/** Groups a problem's runs by (engine, sampler), in order of first appearance, and summarises each group. */
export function summarizeProblem(problem: Problem, runs: readonly RunResult[], budgets: readonly number[]): ProblemReport {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = `${run.engine}\u0000${run.sampler}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(run);
  }
  const summaries = [...groups.values()].map((group): SamplerSummary => ({
    engine: group[0]!.engine,
    sampler: group[0]!.sampler,
    seeds: group.length,
    budgets: summarizeRuns(problem, group, budgets),
    askMs: nullableMedian(group.map((r) => r.askMs)),
    tellMs: nullableMedian(group.map((r) => r.tellMs)),
    wallMs: nullableMedian(group.map((r) => r.wallMs)),
    failedTrials: group.reduce((n, r) => n + r.failed, 0),
  }));
  return {
    name: problem.name,
    description: problem.description,
    direction: problem.direction,
    optimum: problem.optimum,
    regretScale: problem.regretScale,
    metric: metricOf(problem),
    summaries,
    runs,
  };
}

/** Optuna's counterpart of a scaletune sampler: the same name, Sobol ↔ QMC, else Optuna's default (TPE). */
export function optunaCounterpart(sampler: string, optunaSamplers: readonly string[]): string | null {
  const candidates = [sampler, sampler === "sobol" ? "qmc" : "", "tpe", optunaSamplers[0] ?? ""];
  return candidates.find((c) => c !== "" && optunaSamplers.includes(c)) ?? null;
}

const cell = (s: BudgetSummary) =>
  s.median === null ? "-" : `${formatSignificant(s.median)} [${formatSignificant(s.q25!)}, ${formatSignificant(s.q75!)}]`;
const ms = (value: number | null) => (value === null ? "-" : value < 10 ? value.toFixed(3) : value.toFixed(1));
const seconds = (value: number | null) => (value === null ? "-" : (value / 1000).toFixed(2));

function referenceLine(p: ProblemReport): string {
  const optimum = p.optimum === null ? "optimum unknown" : `optimum ${p.optimum}`;
  const what =
    p.metric === "best value"
      ? "best value found"
      : p.metric === "regret"
        ? `regret = ${p.direction === "minimize" ? "best − optimum" : "optimum − best"}`
        : `normalised regret = ${p.direction === "minimize" ? "(best − min)" : "(max − best)"} / (max − min)`;
  return `${p.description}. ${p.direction}, ${optimum}. Cells: ${what}, median [25th, 75th percentile] over seeds.`;
}

function problemSection(p: ProblemReport, budgets: readonly number[]): string {
  const label = p.metric === "best value" ? "best" : p.metric === "regret" ? "regret" : "nregret";
  const lines = [`## ${p.name}`, "", referenceLine(p), ""];
  lines.push(
    markdownTable(
      ["engine", "sampler", "seeds", ...budgets.map((b) => `${label}@${b}`), "ask ms (median)", "wall s / run (median)"],
      p.summaries.map((s) => [
        s.engine,
        s.sampler + (s.failedTrials > 0 ? ` (${s.failedTrials} failed trials)` : ""),
        String(s.seeds),
        ...s.budgets.map(cell),
        ms(s.askMs),
        seconds(s.wallMs),
      ]),
    ),
  );
  const ours = p.summaries.filter((s) => s.engine === "scaletune");
  const optuna = p.summaries.filter((s) => s.engine === "optuna");
  if (ours.length > 0 && optuna.length > 0 && p.metric !== "best value") {
    const names = optuna.map((s) => s.sampler);
    lines.push("", "scaletune ÷ Optuna: median regret at each budget, and median ask time (below 1 = scaletune better)", "");
    lines.push(
      markdownTable(
        ["sampler", "vs optuna", ...budgets.map((b) => `@${b}`), "ask time"],
        ours.map((s) => {
          const other = optuna.find((o) => o.sampler === optunaCounterpart(s.sampler, names))!;
          return [s.sampler, other.sampler, ...s.budgets.map((b, i) => formatRatio(b.median, other.budgets[i]!.median)), formatRatio(s.askMs, other.askMs)];
        }),
      ),
    );
  }
  if (p.summaries.some((s) => s.engine === "published")) {
    lines.push("", "Mean best value over seeds (as published comparisons quote it):", "");
    lines.push(
      markdownTable(
        ["engine", "sampler", ...budgets.map((b) => `mean best@${b}`)],
        p.summaries.map((s) => [s.engine, s.sampler, ...s.budgets.map((b) => (b.meanBest === null ? "-" : b.meanBest.toFixed(4)))]),
      ),
    );
  }
  return lines.join("\n");
}

export function formatReport(report: BenchReport): string {
  const seeds = report.seeds.length === 1 ? `seed ${report.seeds[0]}` : `seeds ${report.seeds[0]}–${report.seeds.at(-1)}`;
  const head = [
    `# scaletune bench: ${report.trials} trials, ${seeds}, budgets ${report.budgets.join(", ")}` +
      (report.optuna === null ? "" : `, vs Optuna ${report.optuna}`),
    "",
    `${report.problems.reduce((n, p) => n + p.runs.length, 0)} runs on ${report.parallel} worker process(es) in ${report.wallSeconds.toFixed(1)} s. ` +
      "ask ms = one ask() plus all of a trial's suggestions (Optuna: timed inside Python); wall s includes the objective.",
  ];
  return [...head, ...report.problems.map((p) => `\n${problemSection(p, report.budgets)}`)].join("\n") + "\n";
}
