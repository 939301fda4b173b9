/**
 * @module One run of the multi-fidelity YAHPO benchmark: a (problem, sampler, pruner, seed) study on the shared
 * multi-fidelity loop, cut where the next report would pass the protocol's budget, and its incumbent — the best
 * value among ALL reports, every step of every trial (the paper's "incumbent over all evaluations") — as normalised
 * regret at fractions of the budget.
 *
 * With the pruner `none` a trial reports its last step only: nothing would act on the lower ones, and the paper's
 * full-fidelity methods (Random, SMAC) evaluated each configuration once, at full fidelity.
 */
import type { Direction } from "../../core/types.js";
import { NopPruner } from "../../pruners/pruner.js";
import { prunerFromSpec } from "../../pruners/registry.js";
import { samplerByName } from "../../samplers/registry.js";
import { createStudy } from "../../study/api.js";
import { runFidelityStudy, type FidelityTrialRecord } from "../curves/fidelity-run.js";
import type { YahpoMfProblem } from "../problems/yahpo-mf.js";

/** Where runs are compared: the fractions of the budget at which the paper's published values were read. */
export const BUDGET_FRACTIONS: readonly number[] = [0.25, 0.5, 0.75, 1];

export interface YahpoMfTask {
  readonly kind: "yahpo-mf";
  /** `yahpo-mf:<scenario>:<instance>`. */
  readonly problem: string;
  /** The method's label in the report, the same on every problem (its Hyperband spec may differ by problem). */
  readonly method: string;
  readonly sampler: string;
  /** A `prunerFromSpec` spec. */
  readonly pruner: string;
  readonly seed: number;
  /** Fidelity units: the protocol's budget, or less for a quick check. */
  readonly budget: number;
}

/** A task's result: the task (its problem, method, sampler, pruner, seed and budget) and what the run measured. */
export interface YahpoMfRunResult extends Omit<YahpoMfTask, "kind"> {
  /** Fidelity units spent (at most the budget). */
  readonly spent: number;
  /** Normalised regret of the incumbent at each of BUDGET_FRACTIONS; null when nothing had been evaluated by then. */
  readonly regretAt: readonly (number | null)[];
  /** Each improvement of the incumbent: fidelity units spent when it was reported, and its value. */
  readonly incumbent: readonly (readonly [spent: number, value: number])[];
  readonly trials: number;
  readonly pruned: number;
  /** Reports made: evaluations of the surrogate that counted. */
  readonly evaluations: number;
  readonly wallMs: number;
  readonly warnings: readonly string[];
}

/** The incumbent's improvements, in steps spent, over every report of every trial in order. */
export function incumbentTrace(records: readonly FidelityTrialRecord[], direction: Direction): [number, number][] {
  const trace: [number, number][] = [];
  for (const record of records) {
    for (const { spent, value } of record.reports) {
      const best = trace.at(-1)?.[1];
      if (best === undefined || (direction === "minimize" ? value < best : value > best)) trace.push([spent, value]);
    }
  }
  return trace;
}

/** The incumbent once `spent` was reached: the last improvement at or before it, or null. */
export function incumbentAt(trace: readonly (readonly [number, number])[], spent: number): number | null {
  let best: number | null = null;
  for (const [at, value] of trace) {
    if (at > spent) break;
    best = value;
  }
  return best;
}

export async function runYahpoMf(problem: YahpoMfProblem, task: YahpoMfTask): Promise<YahpoMfRunResult> {
  const warnings = new Set<string>();
  const pruner = prunerFromSpec(task.pruner);
  const { ladder } = problem;
  const study = await createStudy({
    // Pruners may hash the name (Hyperband draws each trial's bracket from it): fixed per run, so runs reproduce.
    name: `yahpo-mf-${problem.scenario}-${problem.instance}-${task.method}-${task.seed}`,
    direction: problem.direction,
    sampler: samplerByName(task.sampler, task.seed),
    pruner,
    warn: (m) => warnings.add(m),
  });
  const budget = task.budget * ladder.stepsPerUnit;
  const start = performance.now();
  let records: FidelityTrialRecord[];
  try {
    records = await runFidelityStudy({
      study,
      objective: problem.objective(pruner instanceof NopPruner ? [ladder.steps.at(-1)!] : ladder.steps),
      budget,
      stepCost: ladder.stepCost,
      overrun: "cut",
    });
  } finally {
    await study.close();
  }
  const trace = incumbentTrace(records, problem.direction);
  return {
    problem: task.problem,
    method: task.method,
    sampler: task.sampler,
    pruner: task.pruner,
    seed: task.seed,
    budget: task.budget,
    spent: (records.at(-1)?.spent ?? 0) / ladder.stepsPerUnit,
    regretAt: BUDGET_FRACTIONS.map((fraction) => {
      const best = incumbentAt(trace, fraction * budget);
      return best === null ? null : problem.normalizedRegret(best);
    }),
    incumbent: trace.map(([spent, value]) => [spent / ladder.stepsPerUnit, value] as const),
    trials: records.length,
    pruned: records.filter((r) => r.state === "pruned").length,
    evaluations: records.reduce((n, r) => n + r.reports.length, 0),
    wallMs: performance.now() - start,
    warnings: [...warnings],
  };
}
