/**
 * @module Reading a trial's learning curve (its intermediate values by step), as every pruner does, and checking the
 * step and trial counts that schedule when a pruner reads it.
 */
import { ConfigError } from "../errors.js";
import { objectiveMetric } from "./attributes.js";
import type { Direction, FrozenTrial } from "./types.js";

/** The largest step the trial has reported, or null before its first report. */
export function lastStep(trial: Pick<FrozenTrial, "intermediateValues">): number | null {
  let last: number | null = null;
  for (const step of trial.intermediateValues.keys()) if (last === null || step > last) last = step;
  return last;
}

/** The first reported step at or past `resource`, or null when the curve has not got there. */
export function firstStepAtOrPast(curve: ReadonlyMap<number, number>, resource: number): number | null {
  const resourceStep = Math.ceil(resource);
  if (curve.has(resourceStep)) return resourceStep;
  let first: number | null = null;
  for (const step of curve.keys()) if (step >= resource && (first === null || step < first)) first = step;
  return first;
}

/** The best value over every reported step (NaN if any reported value is NaN and none is better, as NaN never is). */
export function bestSoFar(trial: Pick<FrozenTrial, "intermediateValues">, direction: Direction): number {
  return bestOf(trial.intermediateValues.values(), direction);
}

/** The best of some values for the direction, skipping NaN; NaN when there is no number among them. */
export function bestOf(values: Iterable<number>, direction: Direction): number {
  let best = NaN;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    if (Number.isNaN(best) || (direction === "minimize" ? value < best : value > best)) best = value;
  }
  return best;
}

/**
 * The trial's last step when a pruner that waits `nWarmupSteps` and decides once every `intervalSteps` should
 * decide there, else null. Intervals are counted from the end of the warm-up, and the decision falls on the first
 * step the trial reports inside an interval: a trial that skips an interval's opening step is still judged in it.
 */
export function decisionStep(
  trial: Pick<FrozenTrial, "intermediateValues">,
  nWarmupSteps: number,
  intervalSteps: number,
): number | null {
  const step = lastStep(trial);
  if (step === null || step < nWarmupSteps) return null;
  const intervalStart = nWarmupSteps + Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps;
  let previous = -1;
  for (const reported of trial.intermediateValues.keys()) if (reported < step && reported > previous) previous = reported;
  return previous < intervalStart ? step : null;
}

/** A pruner's count option (of steps or trials), checked to be an integer of at least `min`. */
export function checkCount(option: string, value: number, min: 0 | 1, meaning: string): number {
  if (Number.isInteger(value) && value >= min) return value;
  const kind = min === 0 ? "a non-negative integer" : "a positive integer";
  throw new ConfigError(`${option} must be ${kind} (${meaning}), got ${String(value)}`);
}

/** Whether `a` is strictly worse than `b` for the direction (NaN is worse than any number). */
export function isWorse(a: number, b: number, direction: Direction): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b);
  if (Number.isNaN(b)) return false;
  return direction === "minimize" ? a > b : a < b;
}

/** The study's only direction; pruners that rank single values refuse multi-objective studies with this message. */
export function singleDirection(directions: readonly Direction[], pruner: string): Direction {
  if (directions.length !== 1) {
    throw new ConfigError(
      `${pruner} ranks one value per step and this study has ${directions.length} objectives; ` +
        "use a pruner that supports multi-objective studies (see docs/pruners.md)",
    );
  }
  return directions[0]!;
}

/** One curve per objective: the trial's curve for the first, the stored `objective:i` metrics for the others. */
export function objectiveCurves(
  trial: Pick<FrozenTrial, "intermediateValues" | "intermediateMetrics">,
  objectives: number,
): ReadonlyMap<number, number>[] {
  const curves = [trial.intermediateValues];
  for (let i = 1; i < objectives; i++) curves.push(trial.intermediateMetrics.get(objectiveMetric(i)) ?? new Map());
  return curves;
}

/** +1 for minimize, −1 for maximize: multiplying by it turns every objective into one to minimise. */
export function directionSigns(directions: readonly Direction[]): number[] {
  return directions.map((d) => (d === "minimize" ? 1 : -1));
}
