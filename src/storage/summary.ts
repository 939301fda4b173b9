/**
 * @module A study's one-line summary (counts per state, best value) computed from its trial records.
 */
import { WORKER_ATTR } from "../core/attributes.js";
import { TRIAL_STATES, type TrialState } from "../core/types.js";
import type { RunningTrialInfo, StudyRecord, StudySummary, TrialQuery, TrialRecord } from "./storage.js";

export function emptyCounts(): Record<TrialState, number> {
  return Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
}

export function summarizeStudy(record: StudyRecord, trials: readonly TrialRecord[]): StudySummary {
  const counts = emptyCounts();
  let best: number | null = null;
  let lastActivityAt: number | null = null;
  const runningTrials: RunningTrialInfo[] = [];
  const sign = record.directions[0] === "maximize" ? -1 : 1;
  for (const trial of trials) {
    counts[trial.state]++;
    if (trial.state === "running") runningTrials.push(runningTrialInfo(trial));
    const at = trial.completedAt ?? trial.startedAt;
    if (at !== null && (lastActivityAt === null || at > lastActivityAt)) lastActivityAt = at;
    const value = trial.values?.[0];
    if (trial.state === "complete" && value !== undefined && (best === null || sign * value < sign * best)) best = value;
  }
  // A single best value is meaningless with several objectives (there is a Pareto front instead).
  const bestValues = record.directions.length === 1 && best !== null ? [best] : null;
  return { ...record, counts, bestValues, lastActivityAt, runningTrials };
}

export function runningTrialInfo(trial: TrialRecord): RunningTrialInfo {
  return { number: trial.number, heartbeatAt: trial.heartbeatAt, worker: trial.systemAttrs[WORKER_ATTR] ?? null };
}

/** The order `readTrials` returns trials in: by number, or by first objective value with valueless trials last. */
export function compareByQuery(query: TrialQuery): (a: TrialRecord, b: TrialRecord) => number {
  const sign = query.descending ? -1 : 1;
  if (query.orderBy !== "value") return (a, b) => sign * (a.number - b.number);
  return (a, b) => {
    const [x, y] = [a.values?.[0], b.values?.[0]];
    if (x === undefined || y === undefined) return x === y ? a.number - b.number : x === undefined ? 1 : -1;
    return x === y ? a.number - b.number : sign * (x - y);
  };
}
