/**
 * @module Multi-fidelity YAHPO results: per problem and method, the mean normalized regret over seeds at 25, 50, 75
 * and 100 % of the budget (the paper's statistic) next to the paper's published values, and the methods' mean ranks
 * among the paper's optimizers — as JSON, and as markdown tables like the other benchmarks'.
 */
import type { Direction } from "../../core/types.js";
import { mean, median, standardError } from "../../math/statistics.js";
import { formatSignificant, markdownTable } from "../format.js";
import type { StepCost } from "../problems/problem.js";
import type { YahpoMfProblem } from "../problems/yahpo-mf.js";
import type { Method } from "./methods.js";
import { panelName, type PublishedRegrets } from "./published.js";
import { rankTable, type ByInstance, type RankTable } from "./ranks.js";
import { BUDGET_FRACTIONS, type YahpoMfRunResult } from "./run.js";

export interface YahpoMfSummary {
  readonly method: string;
  readonly sampler: string;
  readonly pruner: string;
  readonly counterpart: string | null;
  readonly seeds: number;
  /** Per budget fraction: the mean over seeds of the incumbent's normalized regret, null when no run had one. */
  readonly meanRegret: readonly (number | null)[];
  /** Per budget fraction: the standard error of that mean (sd / √n), null below two runs. */
  readonly standardError: readonly (number | null)[];
  /** Medians over seeds. */
  readonly trials: number;
  readonly prunedPercent: number;
  readonly wallMs: number;
}

export interface YahpoMfProblemReport {
  readonly name: string;
  readonly scenario: string;
  readonly instance: string;
  readonly description: string;
  readonly target: string;
  readonly direction: Direction;
  readonly dimension: number;
  /** Fidelity units per run: the protocol's budget × the report's budget fraction. */
  readonly budget: number;
  readonly fidelity: { readonly param: string; readonly steps: readonly number[]; readonly values: readonly number[]; readonly stepCost: StepCost };
  readonly range: { readonly min: number; readonly max: number };
  readonly summaries: readonly YahpoMfSummary[];
  /** The paper's mean normalized regret per optimizer at each budget fraction (its normalisation), or null. */
  readonly published: Readonly<Record<string, readonly number[]>> | null;
  readonly runs: readonly YahpoMfRunResult[];
}

export interface YahpoMfBenchReport {
  readonly version: 1;
  readonly kind: "yahpo-mf";
  readonly fractions: readonly number[];
  readonly seeds: readonly number[];
  /** The fraction of the protocol's budget the runs spent: 1, or less for a quick check. */
  readonly budgetFraction: number;
  readonly parallel: number;
  readonly wallSeconds: number;
  readonly published: { readonly state: PublishedRegrets["state"]; readonly path: string };
  /** Null when none of the problems has published values. */
  readonly ranks: Ranks | null;
  /**
   * The same per scenario, when there are several: the scenarios differ in how the protocol charges them (lcbench
   * one training run per trial, rbv2 a training per rung, as the paper did) and in how the normalisation treats them.
   */
  readonly ranksByScenario: Readonly<Record<string, Ranks>>;
  readonly problems: readonly YahpoMfProblemReport[];
}

export type Ranks = RankTable & { readonly counterparts: Readonly<Record<string, string | null>> };

export interface YahpoMfResults {
  readonly problems: readonly { readonly problem: YahpoMfProblem; readonly methods: readonly Method[]; readonly runs: readonly YahpoMfRunResult[] }[];
  readonly published: PublishedRegrets;
  readonly seeds: readonly number[];
  readonly budgetFraction: number;
  readonly parallel: number;
  readonly wallSeconds: number;
}

function summarize(method: Method, runs: readonly YahpoMfRunResult[]): YahpoMfSummary {
  const at = (f: number) => runs.map((r) => r.regretAt[f] ?? null).filter((v): v is number => v !== null);
  return {
    method: method.label,
    sampler: method.sampler,
    pruner: method.pruner,
    counterpart: method.counterpart,
    seeds: runs.length,
    meanRegret: BUDGET_FRACTIONS.map((_, f) => (at(f).length === 0 ? null : mean(at(f)))),
    standardError: BUDGET_FRACTIONS.map((_, f) => (at(f).length < 2 ? null : standardError(at(f)))),
    trials: median(runs.map((r) => r.trials)),
    prunedPercent: median(runs.map((r) => (100 * r.pruned) / r.trials)),
    wallMs: median(runs.map((r) => r.wallMs)),
  };
}

export function summarizeYahpoMf(results: YahpoMfResults): YahpoMfBenchReport {
  const { published } = results;
  const problems = results.problems.map(({ problem, methods, runs }): YahpoMfProblemReport => {
    const panel = published.state === "read" ? published.panels.get(panelName(problem.scenario, problem.instance)) : undefined;
    return {
      name: problem.name,
      scenario: problem.scenario,
      instance: problem.instance,
      description: problem.description,
      target: problem.target,
      direction: problem.direction,
      dimension: problem.dimension,
      budget: problem.budget * results.budgetFraction,
      fidelity: { param: problem.ladder.param, steps: problem.ladder.steps, values: problem.ladder.fidelities, stepCost: problem.ladder.stepCost },
      range: problem.range,
      summaries: methods.map((m) => summarize(m, runs.filter((r) => r.method === m.label))),
      published: panel === undefined ? null : Object.fromEntries(panel),
      runs,
    };
  });
  return {
    version: 1,
    kind: "yahpo-mf",
    fractions: BUDGET_FRACTIONS,
    seeds: results.seeds,
    budgetFraction: results.budgetFraction,
    parallel: results.parallel,
    wallSeconds: results.wallSeconds,
    published: { state: published.state, path: published.path },
    ranks: ranks(problems, published),
    ranksByScenario: byScenario(problems, published),
    problems,
  };
}

function byScenario(problems: readonly YahpoMfProblemReport[], published: PublishedRegrets): Record<string, Ranks> {
  const scenarios = [...new Set(problems.map((p) => p.scenario))];
  if (scenarios.length < 2) return {};
  return Object.fromEntries(
    scenarios.flatMap((scenario) => {
      const table = ranks(problems.filter((p) => p.scenario === scenario), published);
      return table === null ? [] : [[scenario, table]];
    }),
  );
}

function ranks(problems: readonly YahpoMfProblemReport[], published: PublishedRegrets): Ranks | null {
  const compared = problems.filter((p) => p.published !== null);
  if (published.state !== "read" || compared.length === 0) return null;
  const panel = (p: YahpoMfProblemReport) => panelName(p.scenario, p.instance);
  const theirs = new Map(published.optimizers.map((o) => [o, new Map(compared.map((p) => [panel(p), p.published![o]!])) as ByInstance]));
  const ours = new Map<string, Map<string, readonly (number | null)[]>>();
  const counterparts: Record<string, string | null> = {};
  for (const p of compared) {
    for (const s of p.summaries) {
      if (!ours.has(s.method)) ours.set(s.method, new Map());
      ours.get(s.method)!.set(panel(p), s.meanRegret);
      counterparts[s.method] ??= s.counterpart;
    }
  }
  return { ...rankTable(theirs, ours, BUDGET_FRACTIONS.length), counterparts };
}

const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;
const instances = (n: number) => `${n} instance${n === 1 ? "" : "s"}`;
const regretCell = (v: number | null) => (v === null ? "-" : formatSignificant(v));
const rankCell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "-" : v.toFixed(2));

/** The columns where the mean ranks are read: the first and the last fraction (25 % and 100 %). */
const ENDS = [0, BUDGET_FRACTIONS.length - 1];

function rankTableText(table: Ranks): string {
  const fractions = BUDGET_FRACTIONS.map((f) => `@${percent(f)}`);
  const ahead = (ourRank: number, theirs: Readonly<Record<string, readonly number[]>>, f: number) =>
    Object.keys(theirs).filter((o) => theirs[o]![f]! > ourRank).join(", ") || "none";
  const versus = (counterpart: string | null, theirs: Readonly<Record<string, readonly number[]>>, f: number) =>
    counterpart === null ? "-" : `${counterpart} ${rankCell(theirs[counterpart]?.[f])}`;
  const rows = [
    ...table.ours.map((o) => {
      const counterpart = table.counterparts[o.method] ?? null;
      return [
        o.method,
        ...o.meanRank.map(rankCell),
        ...ENDS.map((f) => versus(counterpart, o.publishedMeanRank, f)),
        ...ENDS.map((f) => ahead(o.meanRank[f]!, o.publishedMeanRank, f)),
      ];
    }),
    ...table.published.map((p) => [`published ${p.method}`, ...p.meanRank.map(rankCell), "", "", "", ""]),
  ];
  const [first, last] = ENDS.map((f) => percent(BUDGET_FRACTIONS[f]!));
  return markdownTable(["method", ...fractions, `counterpart @${first}`, `counterpart @${last}`, `ahead of @${first}`, `ahead of @${last}`], rows);
}

function rankSection(table: Ranks, byScenario: Readonly<Record<string, Ranks>>): string {
  const n = table.published.length;
  return [
    `## Mean rank among the paper's optimizers (${instances(table.instances.length)})`,
    "",
    `Each of our methods is placed among the paper's ${n} optimizers on each instance by mean normalized regret ` +
      `(ranks 1–${n + 1}, ties share places) and its ranks averaged over ${table.instances.join(", ")}; the published ` +
      `optimizers are ranked among themselves (1–${n}) the same way, from the published file. "counterpart" and ` +
      `"ahead of" read the ranking with our method inserted: the mean rank there of the paper's optimizer it stands for, and the ` +
      `published optimizers ranked behind it.`,
    "",
    rankTableText(table),
    ...Object.entries(byScenario).flatMap(([scenario, t]) => ["", `### ${scenario} only (${instances(t.instances.length)})`, "", rankTableText(t)]),
  ].join("\n");
}

/**
 * Our run of the paper's Random next to the paper's: the same algorithm at the same budget, so their gap is what the
 * normalisation (and any change of the surrogates since the paper) does to every method's numbers and ranks.
 */
function normalisationCheck(problems: readonly YahpoMfProblemReport[]): string | null {
  const rows = problems.flatMap((p) => {
    const ours = p.summaries.find((s) => s.counterpart === "Random");
    const theirs = p.published?.Random;
    if (!ours || !theirs) return [];
    return [[p.name, ...ENDS.flatMap((f) => [regretCell(ours.meanRegret[f]!), regretCell(theirs[f]!)])]];
  });
  if (rows.length === 0) return null;
  const [first, last] = ENDS.map((f) => percent(BUDGET_FRACTIONS[f]!));
  return [
    "## Normalisation check: our Random against the paper's",
    "",
    "`random + none` is the paper's Random — one full-fidelity evaluation per configuration, the same budget — so the two " +
      "differ only by noise, by the normalisation, and by any change of the surrogates since the paper (data v1.0.2). Where " +
      "ours reads lower, the difference favours every method of ours on that problem, in values and in ranks.",
    "",
    markdownTable(["problem", `ours @${first}`, `paper's @${first}`, `ours @${last}`, `paper's @${last}`], rows),
  ].join("\n");
}

function problemSection(p: YahpoMfProblemReport, report: YahpoMfBenchReport): string {
  const ourRanks = (method: string) => report.ranks?.ours.find((o) => o.method === method)?.ranks[panelName(p.scenario, p.instance)];
  const rows = p.summaries.map((s) => {
    const ranks = ourRanks(s.method);
    return [
      s.method,
      s.pruner,
      String(s.seeds),
      ...s.meanRegret.map(regretCell),
      ...ENDS.map((f) => rankCell(ranks?.[f])),
      s.trials.toFixed(0),
      s.prunedPercent.toFixed(0),
      (s.wallMs / 1000).toFixed(1),
    ];
  });
  const published = Object.entries(p.published ?? {}).map(([optimizer, values]) => [`published ${optimizer}`, "", "30", ...values.map(regretCell), "", "", "", "", ""]);
  const [first, last] = ENDS.map((f) => percent(BUDGET_FRACTIONS[f]!));
  return [
    `## ${p.name}`,
    "",
    `${p.description}. Cells: mean normalized regret of the incumbent over seeds at each fraction of the budget; "rank": among the ` +
      `paper's optimizers on this instance. Published rows: the paper's values, on the paper's normalisation` +
      (p.published === null ? " — none for this instance." : "."),
    "",
    markdownTable(
      ["method", "pruner", "seeds", ...BUDGET_FRACTIONS.map((f) => `@${percent(f)}`), `rank @${first}`, `rank @${last}`, "trials", "% pruned", "wall s"],
      [...rows, ...published],
    ),
  ].join("\n");
}

export function formatYahpoMfReport(report: YahpoMfBenchReport): string {
  const seeds = report.seeds.length === 1 ? `seed ${report.seeds[0]}` : `seeds ${report.seeds[0]}–${report.seeds.at(-1)}`;
  const runs = report.problems.reduce((n, p) => n + p.runs.length, 0);
  const head = [
    `# scaletune bench: multi-fidelity YAHPO Gym under the YAHPO Gym paper's protocol, ${seeds}`,
    "",
    `${runs} runs on ${report.parallel} worker process(es) in ${report.wallSeconds.toFixed(1)} s. A run spends ceil(20·F + √d·F·40) ` +
      "fidelity units (F the maximum fidelity, d the hyperparameters other than fidelities and instance); a report costs its fidelity — " +
      "lcbench: one training run per trial, so a trial stopped at epoch e cost e epochs; rbv2_xgboost: a training per trainsize rung, " +
      "each costing its trainsize. Incumbent: the best value among every report of every trial. Methods without a pruner evaluate " +
      "full fidelity only.",
    "",
    "**Regret is normalised with YAHPO's per-instance min and max over 0.5M random points, not with the paper's min and max over " +
      "all its methods' evaluations: our absolute values are not on the published values' scale. Compare ranks.**",
    ...(report.budgetFraction === 1
      ? []
      : ["", `**A quick check: runs spent ${percent(report.budgetFraction)} of the protocol's budget, so nothing here compares with the paper.**`]),
  ];
  const note =
    report.ranks !== null
      ? []
      : report.published.state === "absent"
        ? [`\nNo ranks: the paper's published results ${report.published.path} are absent (the shared folder must sit next to the project, as ../shared).`]
        : ["\nNo ranks: the paper published no values for these problems."];
  const check = normalisationCheck(report.problems);
  const sections = [
    ...(report.ranks === null ? [] : [rankSection(report.ranks, report.ranksByScenario)]),
    ...(check === null ? [] : [check]),
    ...report.problems.map((p) => problemSection(p, report)),
  ];
  return [...head, ...note, ...sections.map((s) => `\n${s}`)].join("\n") + "\n";
}
