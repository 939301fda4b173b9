/**
 * @module Plain data types shared by studies, trials, samplers, pruners and storages.
 */
import type { CategoricalChoice, Distribution } from "../space/distributions.js";

export type Direction = "minimize" | "maximize";

/** waiting: enqueued, not started; running: being evaluated; the other three are final. */
export type TrialState = "waiting" | "running" | "complete" | "pruned" | "failed";
export const FINISHED_STATES: readonly TrialState[] = ["complete", "pruned", "failed"];
export const TRIAL_STATES: readonly TrialState[] = ["waiting", "running", "complete", "pruned", "failed"];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ParamValue = number | CategoricalChoice;

/** An immutable snapshot of a trial, as samplers, pruners, callbacks and users see it. */
export interface FrozenTrial {
  /** Storage-wide identifier. */
  readonly id: number;
  /** Position in its study: 0, 1, 2, … unique and without gaps. */
  readonly number: number;
  readonly state: TrialState;
  /** Objective values of a complete trial (one per direction), else null. */
  readonly values: readonly number[] | null;
  /** The first objective value, for single-objective studies. */
  readonly value: number | null;
  /** External values, as the objective received them. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Internal values (categorical → choice index), as samplers use them. */
  readonly internalParams: Readonly<Record<string, number>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** Values reported with `trial.report(value, step)`, by step: the curve pruners read. */
  readonly intermediateValues: ReadonlyMap<number, number>;
  /** Further named metrics reported with `trial.report(value, step, { name: value })`, by name, then by step. */
  readonly intermediateMetrics: ReadonlyMap<string, ReadonlyMap<number, number>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  readonly durationMs: number | null;
  /** Why a failed trial failed (error message and stack, or the invalid value it returned). */
  readonly failReason: string | null;
}

/** Returned to `tell` or from an objective: a value, one value per objective, or a final state. */
export type TrialOutcome = number | readonly number[] | "pruned" | "failed";

/** Why a study started no trial: its sampler has nothing left, or the study has reached its target. */
export type NoTrial = "exhausted" | "target-reached";
