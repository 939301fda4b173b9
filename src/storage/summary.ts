/**
 * @module A study's one-line summary (counts per state, best value) computed from its trial records.
 */
import { TRIAL_STATES, type TrialState } from "../study/types.js";
import type { StudyRecord, StudySummary, TrialRecord } from "./storage.js";

export function emptyCounts(): Record<TrialState, number> {
  return Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
}

export function summarizeStudy(record: StudyRecord, trials: readonly TrialRecord[]): StudySummary {
  const counts = emptyCounts();
  let best: number | null = null;
  let lastActivityAt: number | null = null;
  const sign = record.directions[0] === "maximize" ? -1 : 1;
  for (const trial of trials) {
    counts[trial.state]++;
    const at = trial.completedAt ?? trial.startedAt;
    if (at !== null && (lastActivityAt === null || at > lastActivityAt)) lastActivityAt = at;
    const value = trial.values?.[0];
    if (trial.state === "complete" && value !== undefined && (best === null || sign * value < sign * best)) best = value;
  }
  // A single best value is meaningless with several objectives (there is a Pareto front instead).
  const bestValues = record.directions.length === 1 && best !== null ? [best] : null;
  return { ...record, counts, bestValues, lastActivityAt };
}
