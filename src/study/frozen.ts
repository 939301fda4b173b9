/**
 * @module Storage records → immutable `FrozenTrial` snapshots.
 */
import { toExternal } from "../space/distributions.js";
import type { TrialRecord } from "../storage/storage.js";
import type { FrozenTrial, ParamValue } from "../core/types.js";

export function externalParams(record: Pick<TrialRecord, "params" | "distributions">): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, internal] of Object.entries(record.params)) {
    const distribution = record.distributions[name];
    out[name] = distribution ? toExternal(distribution, internal) : internal;
  }
  return out;
}

/** Named metrics of a trial that reported none (shared, never mutated). */
export const NO_METRICS: ReadonlyMap<string, ReadonlyMap<number, number>> = new Map();

export function freezeTrial(
  record: TrialRecord,
  intermediateValues: ReadonlyMap<number, number>,
  intermediateMetrics: ReadonlyMap<string, ReadonlyMap<number, number>> = NO_METRICS,
): FrozenTrial {
  const values = record.values;
  return Object.freeze({
    id: record.id,
    number: record.number,
    state: record.state,
    values,
    value: values?.[0] ?? null,
    params: Object.freeze(externalParams(record)),
    internalParams: record.params,
    distributions: record.distributions,
    intermediateValues,
    intermediateMetrics,
    userAttrs: record.userAttrs,
    systemAttrs: record.systemAttrs,
    startedAt: record.startedAt === null ? null : new Date(record.startedAt),
    completedAt: record.completedAt === null ? null : new Date(record.completedAt),
    durationMs: record.startedAt !== null && record.completedAt !== null ? record.completedAt - record.startedAt : null,
    failReason: record.failReason,
  });
}
