/**
 * @module Asynchronous successive halving (ASHA, Li et al. 2020): the promotion test at each rung, shared by the
 * successive-halving and Hyperband pruners.
 *
 * Rung k sits at resource `minResource · η^(rate + k)` (η = reduction factor, rate = minimum early-stopping rate).
 * A trial reaching a rung is promoted when its value is among the best ⌊n/η⌋ of the n trials that reached that rung
 * so far (itself included; the best one when n < η), otherwise pruned. Nothing waits for a rung to fill, so
 * parallel workers never idle.
 *
 * Nothing is stored: a trial's value at a rung is its value at its first reported step at or past the rung, read
 * from the curves every trial keeps. A rung is decided once, at that first report; a study reloaded in another
 * process therefore reaches the same decisions.
 */
import type { Direction, FrozenTrial } from "../study/types.js";
import { isWorse, lastStep } from "./curve.js";

export interface RungSchedule {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
}

/** The resource (step) of rung k. */
export function rungResource(schedule: RungSchedule, rung: number): number {
  return schedule.minResource * schedule.reductionFactor ** (schedule.minEarlyStoppingRate + rung);
}

/** The first reported step at or past `resource`, or null when the curve has not got there. */
export function firstStepAtOrPast(curve: ReadonlyMap<number, number>, resource: number): number | null {
  const resourceStep = Math.ceil(resource);
  if (curve.has(resourceStep)) return resourceStep;
  let first: number | null = null;
  for (const step of curve.keys()) if (step >= resource && (first === null || step < first)) first = step;
  return first;
}

/**
 * Whether `trial` must stop now: for every rung first passed at its latest report, the promotion test against the
 * values `competitors` (the other trials sharing its rungs) had at that rung.
 */
export function failsRungPromotion(
  trial: FrozenTrial,
  competitors: readonly FrozenTrial[],
  schedule: RungSchedule,
  direction: Direction,
): boolean {
  const last = lastStep(trial);
  if (last === null) return false;
  const value = trial.intermediateValues.get(last)!;
  for (let rung = 0; ; rung++) {
    const resource = rungResource(schedule, rung);
    if (last < resource) return false;
    // Rungs passed at an earlier report were decided then.
    if (firstStepAtOrPast(trial.intermediateValues, resource) !== last) continue;
    if (Number.isNaN(value)) return true;
    if (!isPromotable(value, rungValues(trial.number, competitors, resource), schedule.reductionFactor, direction)) return true;
  }
}

function rungValues(self: number, competitors: readonly FrozenTrial[], resource: number): number[] {
  const values: number[] = [];
  for (const other of competitors) {
    if (other.number === self || other.state === "failed" || other.state === "waiting") continue;
    const step = firstStepAtOrPast(other.intermediateValues, resource);
    if (step !== null) values.push(other.intermediateValues.get(step)!);
  }
  return values;
}

/** In the best ⌊(n+1)/η⌋ (at least the best one) of the others' values plus its own. */
function isPromotable(value: number, others: readonly number[], reductionFactor: number, direction: Direction): boolean {
  const slots = Math.max(1, Math.floor((others.length + 1) / reductionFactor));
  let better = 0;
  for (const other of others) if (isWorse(value, other, direction) && ++better >= slots) return false;
  return true;
}
