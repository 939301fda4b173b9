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
import { paretoOrder } from "../math/pareto.js";
import type { Direction, FrozenTrial } from "../core/types.js";
import { directionSigns, firstStepAtOrPast, isWorse, lastStep, objectiveCurves } from "../core/curve.js";

export interface RungSchedule {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
}

/** The resource (step) of rung k. */
export function rungResource(schedule: RungSchedule, rung: number): number {
  return schedule.minResource * schedule.reductionFactor ** (schedule.minEarlyStoppingRate + rung);
}

/**
 * Whether `trial` must stop now: for every rung first passed at its latest report, the promotion test against the
 * values `competitors` (the other trials sharing its rungs) had at that rung. With several objectives, a rung
 * ranks the reported vectors by Pareto front and crowding distance (NSGA-II's order, as MO-ASHA does) and promotes
 * the first ⌊n/η⌋ (at least one); with one, it is Optuna's rule on the value.
 */
export function failsRungPromotion(
  trial: FrozenTrial,
  competitors: readonly FrozenTrial[],
  schedule: RungSchedule,
  directions: readonly Direction[],
): boolean {
  const last = lastStep(trial);
  if (last === null) return false;
  const signs = directionSigns(directions);
  const own = vectorAt(trial, last, signs);
  // Without every objective's value at its latest step there is nothing to rank it by.
  if (own === null) return false;
  for (let rung = 0; ; rung++) {
    const resource = rungResource(schedule, rung);
    if (last < resource) return false;
    // Rungs passed at an earlier report were decided then.
    if (firstStepAtOrPast(trial.intermediateValues, resource) !== last) continue;
    if (own.some(Number.isNaN)) return true;
    const others = rungVectors(trial.number, competitors, resource, signs);
    const promotable =
      signs.length === 1
        ? isPromotable(own[0]!, others.map((v) => v[0]!), schedule.reductionFactor)
        : isParetoPromotable(own, others, schedule.reductionFactor);
    if (!promotable) return true;
  }
}

/** The trial's sign-adjusted objective values at a reported step, or null when an objective is missing there. */
function vectorAt(trial: FrozenTrial, step: number, signs: readonly number[]): number[] | null {
  const curves = objectiveCurves(trial, signs.length);
  const vector: number[] = [];
  for (const [i, curve] of curves.entries()) {
    const value = curve.get(step);
    if (value === undefined) return null;
    vector.push(signs[i]! * value);
  }
  return vector;
}

function rungVectors(self: number, competitors: readonly FrozenTrial[], resource: number, signs: readonly number[]): number[][] {
  const vectors: number[][] = [];
  for (const other of competitors) {
    if (other.number === self || other.state === "failed" || other.state === "waiting") continue;
    const step = firstStepAtOrPast(other.intermediateValues, resource);
    const vector = step === null ? null : vectorAt(other, step, signs);
    if (vector !== null) vectors.push(vector);
  }
  return vectors;
}

/** In the best ⌊(n+1)/η⌋ (at least the best one) of the others' values plus its own; lower is better, NaN worst. */
function isPromotable(value: number, others: readonly number[], reductionFactor: number): boolean {
  const slots = Math.max(1, Math.floor((others.length + 1) / reductionFactor));
  let better = 0;
  for (const other of others) if (isWorse(value, other, "minimize") && ++better >= slots) return false;
  return true;
}

/**
 * Among the first ⌊n/η⌋ (at least one) of the Pareto order of its own vector and the others' (NaN ones left out).
 * Its own comes first, so that it wins ties (equal crowding), as a tied value is promoted with one objective.
 */
function isParetoPromotable(own: readonly number[], others: readonly number[][], reductionFactor: number): boolean {
  const points = [own, ...others.filter((v) => !v.some(Number.isNaN))];
  const slots = Math.max(1, Math.floor(points.length / reductionFactor));
  return paretoOrder(points).indexOf(0) < slots;
}
