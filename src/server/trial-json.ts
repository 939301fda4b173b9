/**
 * @module A trial as the API sends it: external parameter values, curves as `[step, value]` pairs (JSON has no
 * maps), times as ISO strings. `fields` picks top-level keys so that a listing reads and sends only what it shows.
 */
import type { FrozenTrial } from "../index.js";

const FIELDS = {
  number: (t: FrozenTrial) => t.number,
  state: (t: FrozenTrial) => t.state,
  values: (t: FrozenTrial) => t.values,
  params: (t: FrozenTrial) => t.params,
  distributions: (t: FrozenTrial) => t.distributions,
  intermediateValues: (t: FrozenTrial) => [...t.intermediateValues],
  intermediateMetrics: (t: FrozenTrial) => Object.fromEntries([...t.intermediateMetrics].map(([name, curve]) => [name, [...curve]])),
  userAttrs: (t: FrozenTrial) => t.userAttrs,
  systemAttrs: (t: FrozenTrial) => t.systemAttrs,
  worker: (t: FrozenTrial) => t.systemAttrs["worker"] ?? null,
  startedAt: (t: FrozenTrial) => t.startedAt?.toISOString() ?? null,
  completedAt: (t: FrozenTrial) => t.completedAt?.toISOString() ?? null,
  durationMs: (t: FrozenTrial) => t.durationMs,
  failReason: (t: FrozenTrial) => t.failReason,
} as const;

export type TrialField = keyof typeof FIELDS;
export const TRIAL_FIELDS = Object.keys(FIELDS) as readonly TrialField[];
/** What a listing sends unless asked otherwise: no curves or system attributes, the heavy parts. */
export const LISTING_FIELDS: readonly TrialField[] = ["number", "state", "values", "params", "userAttrs", "startedAt", "completedAt", "durationMs"];
/** Fields that need the trials' curves read. */
const CURVE_FIELDS: ReadonlySet<TrialField> = new Set(["intermediateValues", "intermediateMetrics"]);

export function needsCurves(fields: readonly TrialField[]): boolean {
  return fields.some((f) => CURVE_FIELDS.has(f));
}

export function trialJson(trial: FrozenTrial, fields: readonly TrialField[] = TRIAL_FIELDS): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, FIELDS[f](trial)]));
}
