/**
 * @module What a benchmark problem is: a define-by-run objective, a direction, and the reference that turns the
 * best value found into a simple regret.
 *
 * Objectives see only the suggestion methods and the trial number (`BenchTrial`), so the same objective runs in a
 * scaletune study, through the Optuna bridge's replaying trial, and on a `FixedTrial` in tests; multi-fidelity
 * objectives also report per step (`CurveTrial`), each report costing what the problem's `StepCost` says.
 */
import type { Direction } from "../../core/types.js";
import type { CategoricalChoice, RangeOptions } from "../../space/distributions.js";
import type { RunResult } from "./run-result.js";

/** The part of a trial a benchmark objective may use. `Trial` and `FixedTrial` satisfy it. */
export interface BenchTrial {
  readonly number: number;
  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number;
  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number;
  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
}

export type BenchObjective = (trial: BenchTrial) => number | Promise<number>;

/**
 * What a multi-fidelity objective (learning curves, YAHPO with fidelities) needs of a trial: the suggestions,
 * reporting each step, and asking whether to stop.
 */
export interface CurveTrial extends BenchTrial {
  report(value: number, step: number): void;
  shouldPrune(): boolean;
}

/**
 * How a report is paid for. `continued`: one training run produces every step, so a report costs the steps since
 * the trial's previous report, and a trial stopped at step k cost k. `retrained`: every report is a training of its
 * own at that step's size, so it costs the step itself.
 */
export type StepCost = "continued" | "retrained";

export interface Problem {
  /** The name `--problem` accepts, e.g. `branin`, `tabular:hpolib_naval_propulsion`, `yahpo:lcbench:167168`. */
  readonly name: string;
  readonly direction: Direction;
  /** The best value the problem can take, for simple regret; null when unknown (the best value is reported). */
  readonly optimum: number | null;
  /** Regret is divided by this: 1 for plain regret, max − min for YAHPO's normalised regret. */
  readonly regretScale: number;
  /** One line: what the problem is and where it comes from. */
  readonly description: string;
  /**
   * The objective of one run. `seed` is the run's seed; only problems with a noisy objective use it (their noise
   * must depend on the seed and the trial number alone, never on call order, because the Optuna bridge replays).
   */
  objectiveFor(seed: number): BenchObjective;
  /** Runs published elsewhere on this very objective, shown as reference rows (first `trials` trials of each). */
  referenceRuns?(trials: number): RunResult[];
}

/** Simple regret of a best value (≥ 0 when the optimum is exact), or the best value itself without an optimum. */
export function regretOf(problem: Pick<Problem, "direction" | "optimum" | "regretScale">, best: number): number {
  if (problem.optimum === null) return best;
  const gap = problem.direction === "minimize" ? best - problem.optimum : problem.optimum - best;
  return gap / problem.regretScale;
}
