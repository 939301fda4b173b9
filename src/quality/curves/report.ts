/**
 * @module Curve-benchmark results: per problem, sampler and pruner, the median and quartiles over seeds of the best
 * complete value at each epoch mark, trials run, share pruned, the best trial's true asymptote and wall time — as
 * JSON, and as markdown laid out like the anchor's RESULTS.md section (d), with Optuna's anchored rows and
 * scaletune ÷ Optuna ratios.
 */
import { median, quartiles, type Quartiles } from "../../math/statistics.js";
import { formatFixed, formatRatio, markdownTable } from "../format.js";
import { ANCHOR_PRUNER_SPECS, anchorPrunerName, anchorSamplerName } from "./anchor-names.js";
import type { AnchorStatus } from "./anchor.js";
import type { CurveRunResult } from "./run.js";

export interface MarkSummary {
  readonly epochs: number;
  /** Runs with a complete trial by this mark (the statistics are over these). */
  readonly runs: number;
  readonly best: Quartiles | null;
}

export interface CurveSummary {
  readonly engine: CurveRunResult["engine"];
  readonly sampler: string;
  readonly pruner: string;
  readonly seeds: number;
  readonly marks: readonly MarkSummary[];
  /** Medians over seeds. */
  readonly trials: number;
  readonly prunedPercent: number;
  readonly bestAsymptote: Quartiles | null;
  readonly wallMs: number | null;
}

export interface CurveProblemReport {
  readonly name: string;
  readonly description: string;
  readonly summaries: readonly CurveSummary[];
  /** scaletune's runs, then the anchor's runs matched to them. */
  readonly runs: readonly CurveRunResult[];
}

export interface CurveBenchReport {
  readonly version: 1;
  readonly kind: "curves";
  readonly epochBudget: number;
  readonly marks: readonly number[];
  readonly seeds: readonly number[];
  readonly parallel: number;
  readonly wallSeconds: number;
  readonly anchor: AnchorStatus;
  readonly problems: readonly CurveProblemReport[];
}

const present = (values: readonly (number | null)[]) => values.filter((v): v is number => v !== null);

/** Groups runs by (engine, sampler, pruner), in order of first appearance, and summarises each group. */
export function summarizeCurves(runs: readonly CurveRunResult[], marks: readonly number[]): CurveSummary[] {
  const groups = new Map<string, CurveRunResult[]>();
  for (const run of runs) {
    const key = `${run.engine}\u0000${run.sampler}\u0000${run.pruner}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(run);
  }
  return [...groups.values()].map((group): CurveSummary => {
    const asymptotes = present(group.map((r) => r.bestAsymptote));
    const walls = present(group.map((r) => r.wallMs));
    return {
      engine: group[0]!.engine,
      sampler: group[0]!.sampler,
      pruner: group[0]!.pruner,
      seeds: group.length,
      marks: marks.map((epochs) => {
        const bests = present(group.map((r) => r.bestAt.find((b) => b.epochs === epochs)?.best ?? null));
        return { epochs, runs: bests.length, best: bests.length === 0 ? null : quartiles(bests) };
      }),
      trials: median(group.map((r) => r.trials)),
      prunedPercent: median(group.map((r) => (100 * r.pruned) / r.trials)),
      bestAsymptote: asymptotes.length === 0 ? null : quartiles(asymptotes),
      wallMs: walls.length === 0 ? null : median(walls),
    };
  });
}

const quartileCell = (q: Quartiles | null) =>
  q === null ? "-" : `${formatFixed(q.median, 4)} [${formatFixed(q.q25, 4)}, ${formatFixed(q.q75, 4)}]`;

function markCell(mark: MarkSummary, seeds: number): string {
  const cell = quartileCell(mark.best);
  return mark.best !== null && mark.runs < seeds ? `${cell} (${mark.runs} of ${seeds} runs)` : cell;
}

/**
 * A summary's cells from seeds to wall time, formatted as the anchor's `summarize.py` formats them (`{:.4f}`
 * quartiles, `{:.0f}` trial counts and shares, `{:.1f}` seconds).
 */
export function summaryCells(s: CurveSummary): string[] {
  return [
    String(s.seeds),
    ...s.marks.map((m) => markCell(m, s.seeds)),
    formatFixed(s.trials, 0),
    formatFixed(s.prunedPercent, 0),
    quartileCell(s.bestAsymptote),
    s.wallMs === null ? "-" : formatFixed(s.wallMs / 1000, 1),
  ];
}

/** Optuna's anchored summary for one of ours, if the anchor ran that sampler and pruner. */
function counterpart(ours: CurveSummary, summaries: readonly CurveSummary[]): CurveSummary | undefined {
  const sampler = anchorSamplerName(ours.sampler);
  const pruner = anchorPrunerName(ours.pruner);
  return summaries.find((s) => s.engine === "optuna" && s.sampler === sampler && s.pruner === pruner);
}

function anchorNote(anchor: AnchorStatus, unmatched: readonly CurveSummary[], epochBudget: number): string | null {
  if (anchor.state === "absent") {
    return `No Optuna rows: the anchor file ${anchor.path} is absent (the workplace's shared folder must sit next to the project, as ../shared).`;
  }
  if (unmatched.length === 0) return null;
  const pairs = unmatched.map((s) => `${s.sampler} + ${s.pruner}`).join(", ");
  const pruners = anchor.pruners.map((name) => {
    const spec = ANCHOR_PRUNER_SPECS.find((s) => anchorPrunerName(s) === name);
    return spec === undefined ? name : `${name} (${spec})`;
  });
  const budget = anchor.budgets.includes(epochBudget) ? "" : `, with an epoch budget of ${anchor.budgets.join(", ")}, not ${epochBudget}`;
  return `No anchored Optuna row for ${pairs}: the anchor ran samplers ${anchor.samplers.join(", ")} with pruners ${pruners.join(", ")}${budget}.`;
}

function problemSection(p: CurveProblemReport, report: CurveBenchReport): string {
  const lines = [`## ${p.name}`, "", `${p.description}. Cells: best complete trial's final loss once that many epochs had been spent, median [25th, 75th percentile] over seeds.`, ""];
  const pairs = p.summaries.filter((s) => s.engine === "scaletune").map((s) => ({ s, other: counterpart(s, p.summaries) }));
  // Each of our rows is followed by its Optuna counterpart, as the anchor's table lists sampler × pruner.
  lines.push(
    markdownTable(
      ["engine", "sampler", "pruner", "seeds", ...report.marks.map((m) => `best @${m} ep`), "trials run", "% pruned", "true f(x) of best", "wall s"],
      pairs
        .flatMap(({ s, other }) => (other ? [s, other] : [s]))
        .map((s) => [s.engine === "optuna" ? "optuna (anchor)" : s.engine, s.sampler, s.pruner, ...summaryCells(s)]),
    ),
  );
  const matched = pairs.flatMap(({ s, other }) => (other ? [{ s, other }] : []));
  if (matched.length > 0) {
    lines.push("", "scaletune ÷ Optuna: median best at each mark (below 1 = scaletune better)", "");
    lines.push(
      markdownTable(
        ["sampler", "pruner", "vs optuna", ...report.marks.map((m) => `@${m} ep`)],
        matched.map(({ s, other }) => [
          s.sampler,
          s.pruner,
          `${other.sampler} + ${other.pruner}`,
          ...s.marks.map((m, i) => formatRatio(m.best?.median ?? null, other.marks[i]!.best?.median ?? null)),
        ]),
      ),
    );
  }
  const unmatched = pairs.filter(({ other }) => !other).map(({ s }) => s);
  const note = anchorNote(report.anchor, unmatched, report.epochBudget);
  if (note) lines.push("", note);
  return lines.join("\n");
}

export function formatCurveReport(report: CurveBenchReport): string {
  const seeds = report.seeds.length === 1 ? `seed ${report.seeds[0]}` : `seeds ${report.seeds[0]}–${report.seeds.at(-1)}`;
  const runs = report.problems.reduce((n, p) => n + p.runs.filter((r) => r.engine === "scaletune").length, 0);
  const head = [
    `# scaletune bench: learning curves, epoch budget ${report.epochBudget}, ${seeds}, marks ${report.marks.join(", ")} epochs`,
    "",
    `${runs} runs on ${report.parallel} worker process(es) in ${report.wallSeconds.toFixed(1)} s. A run starts trials until its ` +
      "trials' reported epochs (pruned trials' included) reach the budget. Optuna rows: the anchor's measured runs " +
      "(Optuna 3.1, bench_pruning.py) with the same seeds, not re-run.",
  ];
  return [...head, ...report.problems.map((p) => `\n${problemSection(p, report)}`)].join("\n") + "\n";
}
