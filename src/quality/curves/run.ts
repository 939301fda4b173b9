/**
 * @module One run of the curve (multi-fidelity) benchmark: a (problem, sampler, pruner, seed) study that keeps
 * starting trials until the epochs consumed — every reported step, pruned trials' included — reach the budget (the
 * shared loop of fidelity-run.ts), and records the best complete trial against the epochs spent, as the anchor's
 * `bench_pruning.py` does.
 */
import type { Pruner } from "../../pruners/pruner.js";
import { prunerFromSpec } from "../../pruners/registry.js";
import { samplerByName } from "../../samplers/registry.js";
import type { Sampler } from "../../samplers/sampler.js";
import { createStudy } from "../../study/api.js";
import { curveConfigOf, curveObjective, curveProblems, curveShape } from "../problems/curves.js";
import { anchorPrunerName, anchorSamplerName } from "./anchor-names.js";
import { runFidelityStudy, type FidelityTrialRecord } from "./fidelity-run.js";

export interface CurveTask {
  /** `curves:crossing` or `curves:benign`. */
  readonly problem: string;
  readonly sampler: string;
  /** A `prunerFromSpec` spec, e.g. `median:nWarmupSteps=5`. */
  readonly pruner: string;
  readonly seed: number;
  readonly epochBudget: number;
}

export interface CurveRunResult {
  readonly problem: string;
  /** `optuna`: a run of the anchor's measured Optuna results, read from its file. */
  readonly engine: "scaletune" | "optuna";
  readonly sampler: string;
  /** Our spec for scaletune runs; the anchor's name (nop, median_w5, …) for Optuna's. */
  readonly pruner: string;
  readonly seed: number;
  readonly epochBudget: number;
  /** The best complete trial's value once each mark's epochs had been spent; null when none had completed. */
  readonly bestAt: readonly { readonly epochs: number; readonly best: number | null }[];
  /** Epochs consumed; the last trial may end past the budget. */
  readonly totalEpochs: number;
  readonly trials: number;
  readonly pruned: number;
  readonly bestValue: number | null;
  /** The noise-free asymptote f(x) of the best complete trial: how good the configuration it found really is. */
  readonly bestAsymptote: number | null;
  readonly wallMs: number | null;
  /** Per trial, in order: cumulative epochs at its end and the best complete value by then (empty for the anchor). */
  readonly progress: readonly (readonly [epochs: number, best: number | null])[];
  readonly warnings: readonly string[];
}

const MARK_FRACTIONS = [0.1, 0.25, 0.5, 1];

/** Where runs are summarised: 10 %, 25 %, 50 % and all of the budget (270, 675, 1350, 2700 for the anchor's). */
export function epochMarks(budget: number): number[] {
  return [...new Set(MARK_FRACTIONS.map((f) => Math.max(1, Math.round(budget * f))))];
}

/** At each mark, the best complete value as of the last trial that had ended by then (the anchor's `best_at`). */
export function bestAtMarks(progress: CurveRunResult["progress"], marks: readonly number[]): CurveRunResult["bestAt"] {
  return marks.map((epochs) => {
    let best: number | null = null;
    for (const [spent, value] of progress) {
      if (spent > epochs) break;
      best = value;
    }
    return { epochs, best };
  });
}

/** Runs the task with the sampler and pruner it names, or with a test's own. */
export async function runCurves(task: CurveTask, own: { readonly sampler?: Sampler; readonly pruner?: Pruner } = {}): Promise<CurveRunResult> {
  const problem = curveProblems([task.problem])[0]!;
  const warnings = new Set<string>();
  // A fixed name, the anchor's for the same run where it has one: pruners may hash it (Optuna's Hyperband draws a
  // trial's bracket from crc32 of the name and the trial number), so runs are reproducible and comparable.
  const sampler = anchorSamplerName(task.sampler) ?? task.sampler;
  const pruner = anchorPrunerName(task.pruner) ?? task.pruner;
  const study = await createStudy({
    name: `prune-${problem.kind}-${sampler}-${pruner}-${task.seed}`,
    sampler: own.sampler ?? samplerByName(task.sampler, task.seed),
    pruner: own.pruner ?? prunerFromSpec(task.pruner),
    warn: (m) => warnings.add(m),
  });
  const start = performance.now();
  let records: FidelityTrialRecord[];
  try {
    // One report per epoch trained, whether the trial then completed or was pruned.
    records = await runFidelityStudy({
      study,
      objective: curveObjective(problem.kind, task.seed),
      budget: task.epochBudget,
      stepCost: "continued",
      overrun: "finish",
    });
  } finally {
    await study.close();
  }
  const progress: [number, number | null][] = [];
  let best: { value: number; asymptote: number } | null = null;
  for (const record of records) {
    if (record.state === "complete" && (best === null || record.value! < best.value)) {
      best = { value: record.value!, asymptote: curveShape(curveConfigOf(record.params), problem.kind).asymptote };
    }
    progress.push([record.spent, best?.value ?? null]);
  }
  return {
    problem: task.problem,
    engine: "scaletune",
    sampler: task.sampler,
    pruner: task.pruner,
    seed: task.seed,
    epochBudget: task.epochBudget,
    bestAt: bestAtMarks(progress, epochMarks(task.epochBudget)),
    totalEpochs: records.at(-1)?.spent ?? 0,
    trials: records.length,
    pruned: records.filter((r) => r.state === "pruned").length,
    bestValue: best?.value ?? null,
    bestAsymptote: best?.asymptote ?? null,
    wallMs: performance.now() - start,
    progress,
    warnings: [...warnings],
  };
}
