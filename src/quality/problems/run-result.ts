/**
 * @module The record of one benchmark run (one problem, one sampler, one seed), whoever produced it: scaletune,
 * Optuna through the bridge, or a published reference.
 */
import type { Direction } from "../../core/types.js";

export type Engine = "scaletune" | "optuna" | "published";

export interface RunResult {
  readonly problem: string;
  readonly engine: Engine;
  readonly sampler: string;
  readonly seed: number;
  /** Best value among the complete trials up to each trial (by number); null until one completed. */
  readonly bestSoFar: readonly (number | null)[];
  /** Median per trial of the time to propose it: ask() plus all its suggestions (ms). */
  readonly askMs: number | null;
  /** Median time of tell() (ms). */
  readonly tellMs: number | null;
  /** Median time inside the objective, suggestions excluded (ms). */
  readonly objectiveMs: number | null;
  /** Wall time of the whole run (ms). */
  readonly wallMs: number | null;
  /** Trials whose objective threw or returned no finite number. */
  readonly failed: number;
  /** Distinct warnings the study emitted. */
  readonly warnings: readonly string[];
}

/** Running best of trial values in number order (null entries are failed trials). */
export function bestSoFar(values: readonly (number | null)[], direction: Direction): (number | null)[] {
  let best: number | null = null;
  return values.map((v) => {
    if (v !== null && (best === null || (direction === "minimize" ? v < best : v > best))) best = v;
    return best;
  });
}
