/**
 * @module What TPE knows about a study's finished trials, indexed once as each trial finishes.
 *
 * `StudyHistory` keeps the finished (complete and pruned) trials ranked best first — one objective by value, pruned
 * trials after every complete one by how far they got; several objectives by Pareto front — and, per parameter
 * and distribution, a `ParamHistory` of model coordinates in growable typed arrays, so that a proposal needs no pass
 * over the whole history; for the constant liar it also lists the trials running elsewhere. The index only grows
 * as trials finish, so it equals a rebuild from `study.trials()` and a resumed study proposes exactly what an
 * uninterrupted one would.
 */
import { cardinality, sameDistribution, type Distribution } from "../../space/distributions.js";
import { internalToUnit } from "../../space/transform.js";
import type { Direction, FrozenTrial } from "../../core/types.js";
import { IntersectionSearchSpace } from "../search-space.js";
import { GroupDecomposedSearchSpace } from "./group-decomposition.js";
import { paretoOrder } from "../../math/pareto.js";

/** Improvement credited to a "below" trial tied with the boundary trial (see `improvementWeights`). */
const TIED_IMPROVEMENT = 1e-12;

/** Model coordinate of an internal value: the unit coordinate, or the choice index. */
export function toCoordinate(d: Distribution, internal: number): number {
  return d.type === "categorical" ? internal : internalToUnit(d, internal);
}

/** Identifies a configuration by its model coordinates (all on grids or choices, so equal values are equal floats). */
export function configurationKey(coordinates: readonly number[]): string {
  return coordinates.join(",");
}

/** One parameter (with one distribution) across the finished trials that have it, in growable typed arrays. */
export class ParamHistory {
  count = 0;
  /** Trial numbers, ascending. */
  private numberList = new Int32Array(16);
  /** Trial numbers and model coordinates ordered by coordinate (then number), for the neighbour bandwidth rule. */
  private sortedNumbers = new Int32Array(16);
  private sortedValues = new Float64Array(16);
  /** Model coordinate by trial number; NaN where the trial does not have this parameter. */
  private byNumber = new Float64Array(16).fill(NaN);
  /** Scratch for `complement`, by trial number. */
  private position = new Int32Array(0);

  constructor(
    readonly name: string,
    readonly distribution: Distribution,
  ) {}

  get numbers(): Int32Array {
    return this.numberList.subarray(0, this.count);
  }

  has(number: number): boolean {
    return number < this.byNumber.length && !Number.isNaN(this.byNumber[number]!);
  }

  value(number: number): number {
    return this.byNumber[number]!;
  }

  add(number: number, value: number): void {
    if (this.count === this.numberList.length) {
      this.numberList = grown(this.numberList, 2 * this.count);
      this.sortedNumbers = grown(this.sortedNumbers, 2 * this.count);
      this.sortedValues = grown(this.sortedValues, 2 * this.count);
    }
    if (number >= this.byNumber.length) {
      const byNumber = new Float64Array(Math.max(2 * this.byNumber.length, number + 1)).fill(NaN);
      byNumber.set(this.byNumber);
      this.byNumber = byNumber;
    }
    this.byNumber[number] = value;
    insertAt(this.numberList, this.count, upperBound(this.count, (i) => this.numberList[i]! < number), number);
    const at = upperBound(this.count, (i) => this.sortedValues[i]! < value || (this.sortedValues[i] === value && this.sortedNumbers[i]! < number));
    insertAt(this.sortedNumbers, this.count, at, number);
    insertAt(this.sortedValues, this.count, at, value);
    this.count++;
  }

  /**
   * The observations of this parameter's trials other than `excluded`, each with the weight of its position in
   * trial order (`weights` covers them, then the `liars`), followed by — or, when `sorted`, merged in value order
   * with — the liars.
   */
  complement(excluded: readonly number[], weights: Float64Array, liars: readonly number[], sorted: boolean) {
    // position[number]: rank in trial order among the kept trials; −1 marks the excluded ones during this call.
    if (this.position.length < this.byNumber.length) this.position = new Int32Array(this.byNumber.length);
    const position = this.position;
    for (const number of excluded) position[number] = -1;
    const kept = weights.length - liars.length;
    const values = new Float64Array(weights.length);
    const out = new Float64Array(weights.length);
    let i = 0;
    for (let r = 0; r < this.count; r++) {
      const number = this.numberList[r]!;
      if (position[number] !== -1) position[number] = i++;
    }
    if (sorted) {
      const liarOrder = liars.map((_, l) => l).sort((a, b) => liars[a]! - liars[b]! || a - b);
      let l = 0;
      i = 0;
      for (let r = 0; r <= this.count; r++) {
        const value = r < this.count ? this.sortedValues[r]! : Infinity;
        for (; l < liarOrder.length && liars[liarOrder[l]!]! <= value; l++) {
          values[i] = liars[liarOrder[l]!]!;
          out[i++] = weights[kept + liarOrder[l]!]!;
        }
        if (r === this.count || position[this.sortedNumbers[r]!] === -1) continue;
        values[i] = value;
        out[i++] = weights[position[this.sortedNumbers[r]!]!]!;
      }
    } else {
      for (let r = 0; r < this.count; r++) {
        const number = this.numberList[r]!;
        if (position[number] === -1) continue;
        values[position[number]!] = this.byNumber[number]!;
        out[position[number]!] = weights[position[number]!]!;
      }
      for (let l = 0; l < liars.length; l++) {
        values[kept + l] = liars[l]!;
        out[kept + l] = weights[kept + l]!;
      }
    }
    for (const number of excluded) position[number] = 0;
    return { values, weights: out };
  }
}

/** Whether two trials go on with the same further parameters, over the same distributions. */
function sameBranch(a: FrozenTrial, aRest: readonly string[], b: FrozenTrial, bRest: readonly string[]): boolean {
  return aRest.length === bRest.length && aRest.every((name, i) => name === bRest[i] && sameDistribution(a.distributions[name]!, b.distributions[name]!));
}

function grown<T extends Int32Array | Float64Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/** Inserts `value` at `index` into the first `count` elements of `array` (which has room for one more). */
function insertAt(array: Int32Array | Float64Array, count: number, index: number, value: number): void {
  array.copyWithin(index + 1, index, count);
  array[index] = value;
}

/** First index in [0, length) where `before(index)` is false (it holds for a prefix of the indices). */
function upperBound(length: number, before: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sort key of a finished trial for one objective: complete by value, then pruned by steps reached and last value. */
interface RankKey {
  readonly number: number;
  /** 0 complete, 1 pruned after reporting, 2 pruned without reports. */
  readonly tier: number;
  readonly primary: number;
  readonly secondary: number;
}

function compareKeys(a: RankKey, b: RankKey): number {
  // Infinite values compare as NaN, which `||` skips: equal infinities fall through to the next key.
  return a.tier - b.tier || a.primary - b.primary || a.secondary - b.secondary || a.number - b.number;
}

function lastReport(trial: FrozenTrial): [step: number, value: number] | null {
  let step = -1;
  for (const s of trial.intermediateValues.keys()) if (s > step) step = s;
  if (step < 0) return null;
  const value = trial.intermediateValues.get(step)!;
  return [step, Number.isNaN(value) ? Infinity : value];
}

function rankKey(trial: FrozenTrial, sign: number): RankKey {
  if (trial.state === "complete") return { number: trial.number, tier: 0, primary: sign * trial.values![0]!, secondary: 0 };
  const last = lastReport(trial);
  if (last === null) return { number: trial.number, tier: 2, primary: 0, secondary: 0 };
  return { number: trial.number, tier: 1, primary: -last[0], secondary: sign * last[1] };
}

/** What the sampler knows about one study: finished trials ranked best-first, per-parameter observations. */
export class StudyHistory {
  readonly intersection = new IntersectionSearchSpace();
  readonly groups = new GroupDecomposedSearchSpace();
  /** Running trials other than the one being sampled (only tracked for the constant liar). */
  running: FrozenTrial[] = [];
  finishedCount = 0;
  /** Single objective: loss (value, sign-adjusted to minimise) of each complete trial. */
  private readonly losses = new Map<number, number>();
  private readonly known = new Set<number>();
  private readonly finishedTrials = new Map<number, FrozenTrial>();
  private readonly params = new Map<string, ParamHistory[]>();
  private readonly signs: readonly number[];
  /** Single objective: rank keys kept sorted as trials arrive. */
  private readonly keys: RankKey[] = [];
  /** Several objectives: the finished trials, ranked again whenever one is added. */
  private readonly finished: FrozenTrial[] = [];
  private paretoRanking: number[] | null = null;
  private synced: { trials: readonly FrozenTrial[] | null; current: number } = { trials: null, current: -1 };

  constructor(directions: readonly Direction[]) {
    this.signs = directions.map((d) => (d === "maximize" ? -1 : 1));
  }

  sync(trials: readonly FrozenTrial[], current: number, trackRunning: boolean): void {
    // The study hands out the same array until a trial changes (see StudyView.trials): nothing new to index.
    if (trials === this.synced.trials && current === this.synced.current) return;
    this.synced = { trials, current };
    if (trackRunning) this.running = [];
    for (const trial of trials) {
      if (trial.state === "complete" || trial.state === "pruned") {
        if (!this.known.has(trial.number)) this.add(trial);
      } else if (trackRunning && trial.state === "running" && trial.number !== current) {
        this.running.push(trial);
      }
    }
  }

  param(name: string, distribution: Distribution): ParamHistory | undefined {
    return this.params.get(name)?.find((p) => sameDistribution(p.distribution, distribution));
  }

  /** The `count` best finished trials that have every parameter in `params`, and the next best one (or null). */
  best(params: readonly ParamHistory[], count: number): { best: Set<number>; boundary: number | null } {
    const best = new Set<number>();
    for (const number of this.ranking()) {
      if (!params.every((p) => p.has(number))) continue;
      if (best.size === count) return { best, boundary: number };
      best.add(number);
    }
    return { best, boundary: null };
  }

  /**
   * Weights (mean 1) of the `below` trials proportional to their improvement over the `boundary` trial, the best
   * of the rest; null unless all of them are complete trials of a single-objective study.
   */
  improvementWeights(below: readonly number[], boundary: number): Float64Array | null {
    const threshold = this.losses.get(boundary);
    if (threshold === undefined || below.length === 0) return null;
    const out = new Float64Array(below.length);
    let sum = 0;
    for (let i = 0; i < below.length; i++) {
      const loss = this.losses.get(below[i]!);
      if (loss === undefined) return null;
      // A trial tied with the boundary keeps a tiny weight rather than none, so the weights never all vanish.
      out[i] = Math.max(threshold - loss, TIED_IMPROVEMENT);
      sum += out[i]!;
    }
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! * out.length) / sum;
    return out;
  }

  /**
   * Keys (`configurationKey`) of the finished trials whose parameters are exactly `params`, and of the running
   * ones that have all of them.
   */
  configurations(params: readonly ParamHistory[]): Set<string> {
    const keys = new Set<string>();
    for (const number of params[0]?.numbers ?? []) {
      if (Object.keys(this.finishedTrials.get(number)!.distributions).length === params.length && params.every((p) => p.has(number))) {
        keys.add(configurationKey(params.map((p) => p.value(number))));
      }
    }
    for (const trial of this.running) {
      const values = params.map((p) => trial.internalParams[p.name]);
      if (values.every((v, d) => v !== undefined && sameDistribution(trial.distributions[params[d]!.name]!, params[d]!.distribution))) {
        keys.add(configurationKey(values.map((v, d) => toCoordinate(params[d]!.distribution, v!))));
      }
    }
    return keys;
  }

  /**
   * Keys of the values of `param` that cannot give a new trial after `current`'s parameters: every configuration
   * that can follow has been evaluated. It assumes, as define-by-run objectives do, that the values suggested so
   * far decide which parameters come next: the finished trials that share current's values and this value must
   * all have the same further parameters (finite ones), and be as many distinct configurations as those allow.
   * With no further parameters one such trial is enough.
   */
  exhaustedValues(param: ParamHistory, current: Pick<FrozenTrial, "internalParams" | "distributions">): Set<string> {
    const names = Object.keys(current.distributions);
    const prefix = names.map((name) => this.param(name, current.distributions[name]!));
    const exhausted = new Set<string>();
    if (prefix.some((p) => p === undefined)) return exhausted;
    const coordinates = names.map((name) => toCoordinate(current.distributions[name]!, current.internalParams[name]!));
    const branches = new Map<number, { first: FrozenTrial; rest: readonly string[]; size: number; seen: Set<string> }>();
    for (const number of param.numbers) {
      if (!prefix.every((p, i) => p!.has(number) && p!.value(number) === coordinates[i])) continue;
      const trial = this.finishedTrials.get(number)!;
      const rest = Object.keys(trial.distributions).filter((name) => name !== param.name && !(name in current.distributions)).sort();
      const value = param.value(number);
      let branch = branches.get(value);
      if (!branch) {
        const size = rest.reduce((product, name) => product * cardinality(trial.distributions[name]!), 1);
        branches.set(value, (branch = { first: trial, rest, size, seen: new Set() }));
      } else if (!sameBranch(branch.first, branch.rest, trial, rest)) branch.size = Infinity;
      branch.seen.add(configurationKey(rest.map((name) => trial.internalParams[name]!)));
    }
    for (const [value, branch] of branches) if (branch.seen.size >= branch.size) exhausted.add(configurationKey([value]));
    return exhausted;
  }

  private add(trial: FrozenTrial): void {
    this.known.add(trial.number);
    this.finishedTrials.set(trial.number, trial);
    this.finishedCount++;
    if (this.signs.length === 1) {
      const key = rankKey(trial, this.signs[0]!);
      if (key.tier === 0) this.losses.set(trial.number, key.primary);
      this.keys.splice(upperBound(this.keys.length, (i) => compareKeys(this.keys[i]!, key) < 0), 0, key);
    } else {
      this.finished.push(trial);
      this.paretoRanking = null;
    }
    for (const [name, distribution] of Object.entries(trial.distributions)) {
      let list = this.params.get(name);
      if (!list) this.params.set(name, (list = []));
      let param = list.find((p) => sameDistribution(p.distribution, distribution));
      if (!param) list.push((param = new ParamHistory(name, distribution)));
      param.add(trial.number, toCoordinate(distribution, trial.internalParams[name]!));
    }
  }

  /** Finished trial numbers, best first. */
  private *ranking(): Iterable<number> {
    if (this.signs.length === 1) {
      for (const key of this.keys) yield key.number;
      return;
    }
    this.paretoRanking ??= this.rankByPareto();
    yield* this.paretoRanking;
  }

  private rankByPareto(): number[] {
    const complete = this.finished.filter((t) => t.state === "complete").sort((a, b) => a.number - b.number);
    const points = complete.map((t) => t.values!.map((v, k) => this.signs[k]! * v));
    const pruned = this.finished
      .filter((t) => t.state === "pruned")
      .map((t) => rankKey(t, 1))
      .sort((a, b) => a.tier - b.tier || a.primary - b.primary || a.number - b.number);
    return [...paretoOrder(points).map((i) => complete[i]!.number), ...pruned.map((k) => k.number)];
  }
}
