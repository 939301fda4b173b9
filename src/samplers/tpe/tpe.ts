/**
 * @module Tree-structured Parzen Estimator (TPE): model the good and the bad trials separately, propose where
 * good is likely and bad is not.
 *
 * The finished trials are split into the γ(n) best ("below") and the rest ("above"); a Parzen estimator l(x) is
 * fitted to the first group and g(x) to the second, candidates are drawn from l, and the one with the largest
 * log l(x) − log g(x) is proposed (Bergstra et al., 2011). Univariate mode models each parameter on its own, from
 * the trials that have it; multivariate mode models the relative search space jointly with product kernels, and
 * group mode splits a conditional space into groups of parameters that always appear together and models each
 * group from the trials that contain it. Two departures from Optuna, both measured on Branin and Hartmann-6:
 * the good trials are weighted by how much better they are than the best of the rest, and l's kernels follow
 * the spread of the good trials (Scott's rule), so a good region is refined sooner.
 *
 * Pruned trials count, ranked after every complete trial by how far they got (more steps first, then their last
 * reported value); failed trials are ignored. With `constantLiar`, trials still running elsewhere join g as if
 * they were the worst, so parallel workers spread out; they do not change γ(n), which counts finished trials.
 * Several objectives are ranked by Pareto front, ties in a front broken by crowding distance (extremes first),
 * so that the "below" group is the best fronts and, within the last one, the most spread-out points.
 *
 * Everything the model uses is rebuilt from `study.trials()`; caches only grow as trials finish, so a resumed
 * study proposes exactly what an uninterrupted one would.
 */
import { ConfigError } from "../../errors.js";
import { Rng, hashString } from "../../math/random.js";
import { cardinality, sameDistribution, type Distribution, type SearchSpace } from "../../space/distributions.js";
import { internalToUnit, unitToInternal } from "../../space/transform.js";
import type { Direction, FrozenTrial } from "../../study/types.js";
import type { Sampler, SamplingTrial, StudyView } from "../sampler.js";
import { IntersectionSearchSpace } from "../search-space.js";
import { GroupDecomposedSearchSpace } from "./group-decomposition.js";
import { ParzenEstimator, type Coordinate, type ParzenOptions } from "./parzen-estimator.js";

export interface TPESamplerOptions {
  /** Seed of every random draw: the same seed and history give the same proposals. Default: a random seed. */
  seed?: number;
  /** Finished (complete or pruned) trials sampled uniformly at random before the model takes over. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per proposal; the best l(x)/g(x) wins. More candidates exploit harder. Default 24. */
  nEiCandidates?: number;
  /**
   * Model the parameters every finished trial shares jointly (product kernels) instead of one by one; the others
   * are still sampled one by one. Better when parameters interact. Default false.
   */
  multivariate?: boolean;
  /**
   * With `multivariate`: split a conditional (define-by-run) space into groups of parameters that always appear
   * together and model each group jointly from the trials containing it. Default false.
   */
  group?: boolean;
  /** Count running trials as the worst ones, so that parallel workers do not propose the same point. Default false. */
  constantLiar?: boolean;
  /** How many of n trials form the "below" (good) group. Default min(⌈0.1·n⌉, 25). */
  gamma?: (n: number) => number;
  /**
   * Weights of n observations in trial order (oldest first), used for both groups when given. Default: "above"
   * trials get 1 for the newest 25 and a linear ramp from 1/n up to 1 for older ones; "below" trials of a single
   * objective get weights proportional to how much better each is than the best "above" trial (so the very best
   * dominate l), else the same ramp.
   */
  weights?: (n: number) => ArrayLike<number>;
  /** Weight of the prior (a wide kernel at the centre, uniform over choices) next to an observation's 1. Default 1. */
  priorWeight?: number;
  /** Let the range ends count as neighbours when sizing the outermost kernels of univariate models. Default false. */
  considerEndpoints?: boolean;
}

/** Optuna's default split: the best 10% of the trials, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Full weight for the newest 25 observations, a linear ramp from 1/n to 1 over the older ones. */
export function defaultWeights(n: number): Float64Array {
  const out = new Float64Array(n).fill(1);
  const ramp = n - 25;
  if (ramp <= 0) return out;
  for (let i = 0; i < ramp; i++) out[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return out;
}

/** Distinguishes joint draws from the per-parameter streams (seed, trial, hash(name)). */
const RELATIVE_STREAM = 0x5e1a7;
const CONTINUOUS: Coordinate = { kind: "continuous" };
const TIED_IMPROVEMENT = 1e-12;
/**
 * l(x) follows the spread of the few good trials (Scott's rule), which refines a good region quickly; a lone
 * parameter's g(x) follows the gaps between its many trials (Bergstra's rule), which keeps the detail of where
 * bad trials already are. (Measured on Hartmann-6, 200 seeds: median regret 0.28 → 0.21 against Bergstra for both.)
 */
const BELOW_BANDWIDTH = "scott";
const LONE_ABOVE_BANDWIDTH = "neighbours";

export class TPESampler implements Sampler {
  readonly name = "tpe";
  readonly seed: number;
  private readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly multivariate: boolean;
  private readonly group: boolean;
  private readonly constantLiar: boolean;
  private readonly gamma: (n: number) => number;
  private readonly weights: ((n: number) => ArrayLike<number>) | undefined;
  private readonly priorWeight: number;
  private readonly considerEndpoints: boolean;
  private readonly histories = new WeakMap<StudyView, StudyHistory>();

  constructor(options: TPESamplerOptions = {}) {
    this.seed = options.seed ?? Rng.randomSeed();
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
    this.multivariate = options.multivariate ?? false;
    this.group = options.group ?? false;
    this.constantLiar = options.constantLiar ?? false;
    this.gamma = options.gamma ?? defaultGamma;
    this.weights = options.weights;
    this.priorWeight = options.priorWeight ?? 1;
    this.considerEndpoints = options.considerEndpoints ?? false;
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) {
      throw new ConfigError(`TPESampler: nStartupTrials must be a non-negative integer, got ${this.nStartupTrials}`);
    }
    if (!Number.isInteger(this.nEiCandidates) || this.nEiCandidates < 1) {
      throw new ConfigError(`TPESampler: nEiCandidates must be a positive integer, got ${this.nEiCandidates}`);
    }
    if (!(this.priorWeight > 0) || !Number.isFinite(this.priorWeight)) {
      throw new ConfigError(`TPESampler: priorWeight must be a positive number, got ${this.priorWeight}`);
    }
    if (this.group && !this.multivariate) {
      throw new ConfigError("TPESampler: group decomposition models groups jointly; set multivariate: true together with group: true");
    }
  }

  inferRelativeSearchSpace(study: StudyView, trial: SamplingTrial): SearchSpace {
    if (!this.multivariate) return {};
    const history = this.sync(study, trial);
    if (history.finishedCount < this.nStartupTrials) return {};
    if (!this.group) return history.intersection.compute(study);
    const union: SearchSpace = Object.assign({}, ...history.groups.compute(study));
    return Object.fromEntries(Object.keys(union).sort().map((name) => [name, union[name]!]));
  }

  async sampleRelative(study: StudyView, trial: SamplingTrial, space: SearchSpace): Promise<Record<string, number>> {
    const history = this.sync(study, trial);
    if (history.finishedCount < this.nStartupTrials) return {};
    const groups = this.group ? history.groups.compute(study).filter((g) => Object.keys(g).every((name) => name in space)) : [space];
    const out: Record<string, number> = {};
    for (const group of groups) Object.assign(out, this.sampleJoint(history, trial, group));
    return out;
  }

  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    const rng = Rng.stream(this.seed, trial.number, hashString(name));
    const history = this.sync(study, trial);
    const param = history.param(name, distribution);
    if (history.finishedCount < this.nStartupTrials || param === undefined || cardinality(distribution) === 1) {
      return unitToInternal(distribution, rng.random());
    }
    const liars = this.liarValues(history, [name], [distribution])[0]!;
    const split = this.split(history, [param], param.count, liars.length);
    const coordinate = coordinateOf(distribution);
    const belowValues = Float64Array.from(split.below, (number) => param.value(number));
    const below = new ParzenEstimator([coordinate], [belowValues], split.belowWeights, this.parzenOptions(BELOW_BANDWIDTH));
    const observations = param.complement(split.below, split.aboveWeights, liars, coordinate.kind !== "categorical");
    const above = new ParzenEstimator([coordinate], [observations.values], observations.weights, this.parzenOptions(LONE_ABOVE_BANDWIDTH));
    const candidates = below.sample(rng, this.nEiCandidates);
    const best = bestCandidate(below, above, candidates);
    return fromCoordinate(distribution, candidates[0]![best]!);
  }

  /** Indexes each finished trial as it finishes, so that the next proposal does not pay for it. */
  async afterTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    this.sync(study, trial);
  }

  /** The study's history, brought up to date (one pass over its trials; finished ones are indexed once). */
  private sync(study: StudyView, trial: Pick<SamplingTrial, "number">): StudyHistory {
    let history = this.histories.get(study);
    if (!history) this.histories.set(study, (history = new StudyHistory(study.directions)));
    history.sync(study.trials(), trial.number, this.constantLiar);
    return history;
  }

  /**
   * Picks the γ(n) best of the `members` finished trials that have all `params` ("below", ascending numbers), and
   * the weights of both groups (the "above" weights cover the other members in trial order, then the liars).
   */
  private split(history: StudyHistory, params: readonly ParamHistory[], members: number, liars: number) {
    // Liars only enlarge g: how many trials l models depends on the finished ones alone.
    const wanted = this.gamma(members);
    if (!Number.isFinite(wanted) || wanted < 0) throw new ConfigError(`TPESampler: gamma(${members}) returned ${wanted}; it must return a count in [0, n]`);
    const { best, boundary } = history.best(params, Math.min(members, Math.floor(wanted)));
    const below = [...best].sort((a, b) => a - b);
    const improvements = this.weights === undefined && boundary !== null ? history.improvementWeights(below, boundary) : null;
    return {
      below,
      belowWeights: improvements ?? this.weightsOf(below.length),
      // Running trials (liars) come last: they are the newest.
      aboveWeights: this.weightsOf(members - below.length + liars),
    };
  }

  private weightsOf(n: number): Float64Array {
    const raw = (this.weights ?? defaultWeights)(n);
    if (raw.length < n) throw new ConfigError(`TPESampler: weights(${n}) returned ${raw.length} values; it must return n`);
    const out = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = raw[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new ConfigError(`TPESampler: weights(${n}) returned ${w}; weights must be finite and >= 0`);
      out[i] = w;
      sum += w;
    }
    if (n > 0 && sum <= 0) throw new ConfigError(`TPESampler: weights(${n}) are all zero; at least one must be positive`);
    return out;
  }

  private parzenOptions(bandwidth: ParzenOptions["bandwidth"]): ParzenOptions {
    return { priorWeight: this.priorWeight, bandwidth, considerEndpoints: this.considerEndpoints };
  }

  /** Samples one group of parameters jointly; {} when no finished trial has them all (the fallback takes over). */
  private sampleJoint(history: StudyHistory, trial: SamplingTrial, space: SearchSpace): Record<string, number> {
    const names = Object.keys(space).sort();
    const distributions = names.map((name) => space[name]!);
    const params = names.map((name, i) => history.param(name, distributions[i]!));
    if (params.some((p) => p === undefined)) return {};
    const modelled = params as ParamHistory[];
    const members = Array.from(modelled[0]!.numbers).filter((number) => modelled.every((p) => p.has(number)));
    if (members.length === 0) return {};
    const liars = this.liarValues(history, names, distributions);
    const split = this.split(history, modelled, members.length, liars[0]!.length);
    const belowSet = new Set(split.below);
    const above = members.filter((number) => !belowSet.has(number));
    const coordinates = distributions.map(coordinateOf);
    const columns = (numbers: readonly number[], extra: readonly (readonly number[])[]) =>
      modelled.map((p, d) => Float64Array.from([...numbers.map((number) => p.value(number)), ...(extra[d] ?? [])]));
    const below = new ParzenEstimator(coordinates, columns(split.below, []), split.belowWeights, this.parzenOptions(BELOW_BANDWIDTH));
    const aboveBandwidth = names.length === 1 ? LONE_ABOVE_BANDWIDTH : "scott";
    const aboveEstimator = new ParzenEstimator(coordinates, columns(above, liars), split.aboveWeights, this.parzenOptions(aboveBandwidth));
    const rng = Rng.stream(this.seed, trial.number, RELATIVE_STREAM, hashString(names.join("\u0000")));
    const candidates = below.sample(rng, this.nEiCandidates);
    const best = bestCandidate(below, aboveEstimator, candidates);
    const out: Record<string, number> = {};
    names.forEach((name, d) => (out[name] = fromCoordinate(distributions[d]!, candidates[d]![best]!)));
    return out;
  }

  /** Coordinates (one column per parameter) of the running trials that have all these parameters; none without `constantLiar`. */
  private liarValues(history: StudyHistory, names: readonly string[], distributions: readonly Distribution[]): number[][] {
    const columns: number[][] = names.map(() => []);
    if (!this.constantLiar) return columns;
    for (const running of history.running) {
      const complete = names.every((name, d) => {
        const distribution = running.distributions[name];
        return distribution !== undefined && running.internalParams[name] !== undefined && sameDistribution(distribution, distributions[d]!);
      });
      if (!complete) continue;
      names.forEach((name, d) => columns[d]!.push(toCoordinate(distributions[d]!, running.internalParams[name]!)));
    }
    return columns;
  }
}

/** Index of the candidate with the largest log l − log g (the first one on ties). */
function bestCandidate(below: ParzenEstimator, above: ParzenEstimator, candidates: readonly Float64Array[]): number {
  const logL = below.logDensity(candidates);
  const logG = above.logDensity(candidates);
  let best = 0;
  for (let i = 1; i < logL.length; i++) if (logL[i]! - logG[i]! > logL[best]! - logG[best]!) best = i;
  return best;
}

function coordinateOf(d: Distribution): Coordinate {
  if (d.type === "categorical") return { kind: "categorical", choices: d.choices.length };
  if (d.step === null) return CONTINUOUS;
  const half = d.step / 2;
  return {
    kind: "grid",
    cellOf: (u) => {
      const value = unitToInternal(d, u);
      return [internalToUnit(d, value - half), internalToUnit(d, value + half)];
    },
  };
}

/** Model coordinate of an internal value: the unit coordinate, or the choice index. */
function toCoordinate(d: Distribution, internal: number): number {
  return d.type === "categorical" ? internal : internalToUnit(d, internal);
}

function fromCoordinate(d: Distribution, coordinate: number): number {
  return d.type === "categorical" ? coordinate : unitToInternal(d, coordinate);
}

/** One parameter (with one distribution) across the finished trials that have it, in growable typed arrays. */
class ParamHistory {
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

  constructor(readonly distribution: Distribution) {}

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
class StudyHistory {
  readonly intersection = new IntersectionSearchSpace();
  readonly groups = new GroupDecomposedSearchSpace();
  /** Running trials other than the one being sampled (only tracked for the constant liar). */
  running: FrozenTrial[] = [];
  finishedCount = 0;
  /** Single objective: loss (value, sign-adjusted to minimise) of each complete trial. */
  private readonly losses = new Map<number, number>();
  private readonly known = new Set<number>();
  private readonly params = new Map<string, ParamHistory[]>();
  private readonly signs: readonly number[];
  /** Single objective: rank keys kept sorted as trials arrive. */
  private readonly keys: RankKey[] = [];
  /** Several objectives: the finished trials, ranked again whenever one is added. */
  private readonly finished: FrozenTrial[] = [];
  private paretoRanking: number[] | null = null;

  constructor(directions: readonly Direction[]) {
    this.signs = directions.map((d) => (d === "maximize" ? -1 : 1));
  }

  sync(trials: readonly FrozenTrial[], current: number, trackRunning: boolean): void {
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

  private add(trial: FrozenTrial): void {
    this.known.add(trial.number);
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
      if (!param) list.push((param = new ParamHistory(distribution)));
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

/**
 * Indices of points (objectives to minimise) best first: by non-domination front, within a front by crowding
 * distance (largest first; the extremes of each objective are infinitely far), then by index.
 */
export function paretoOrder(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const dominates = (a: readonly number[], b: readonly number[]): boolean => {
    let strictly = false;
    for (let m = 0; m < a.length; m++) {
      if (a[m]! > b[m]!) return false;
      if (a[m]! < b[m]!) strictly = true;
    }
    return strictly;
  };
  // Deb's fast non-dominated sort.
  const dominatedCount = new Int32Array(n);
  const dominatedBy: number[][] = points.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!)) {
        dominatedBy[i]!.push(j);
        dominatedCount[j]!++;
      } else if (dominates(points[j]!, points[i]!)) {
        dominatedBy[j]!.push(i);
        dominatedCount[i]!++;
      }
    }
  }
  const order: number[] = [];
  let front = points.map((_, i) => i).filter((i) => dominatedCount[i] === 0);
  while (front.length > 0) {
    const crowding = crowdingDistances(front.map((i) => points[i]!));
    order.push(...front.map((index, k) => ({ index, distance: crowding[k]! })).sort((a, b) => b.distance - a.distance || a.index - b.index).map((e) => e.index));
    const next: number[] = [];
    for (const i of front) {
      for (const j of dominatedBy[i]!) if (--dominatedCount[j]! === 0) next.push(j);
    }
    front = next.sort((a, b) => a - b);
  }
  return order;
}

/** NSGA-II crowding distance of each point of one front. */
function crowdingDistances(front: readonly (readonly number[])[]): Float64Array {
  const distance = new Float64Array(front.length);
  if (front.length === 0) return distance;
  for (let m = 0; m < front[0]!.length; m++) {
    const order = front.map((_, i) => i).sort((a, b) => front[a]![m]! - front[b]![m]! || a - b);
    const low = front[order[0]!]![m]!;
    const high = front[order[order.length - 1]!]![m]!;
    distance[order[0]!] = Infinity;
    distance[order[order.length - 1]!] = Infinity;
    if (high === low) continue;
    for (let r = 1; r < order.length - 1; r++) {
      distance[order[r]!]! += (front[order[r + 1]!]![m]! - front[order[r - 1]!]![m]!) / (high - low);
    }
  }
  return distance;
}
