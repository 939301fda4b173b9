/**
 * @module What an objective may do with its trial: suggest, report, ask whether to prune, store attributes. The
 * contract between the study's `Trial` and the executors (`execution/`), which run objectives without depending on
 * the study.
 */
import type { CategoricalChoice, RangeOptions } from "../space/distributions.js";

/** The surface of a running trial an executor uses; `study/trial.ts`'s `Trial` implements it. */
export interface ObjectiveTrial {
  readonly number: number;
  /** Aborted when the trial is interrupted: the executor stops what it runs, and the study queues the trial again. */
  readonly signal: AbortSignal;
  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number;
  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number;
  suggestCategorical(name: string, choices: readonly CategoricalChoice[]): CategoricalChoice;
  report(value: number | readonly number[], step: number, metrics?: Readonly<Record<string, number>>): void;
  shouldPrune(): boolean;
  setUserAttr(key: string, value: unknown): void;
  /** A key of the stored vocabulary (`core/attributes.ts`). */
  setSystemAttr(key: string, value: unknown): void;
}
