/**
 * @module CrossEntropySampler: the cross-entropy method, one distribution per parameter refitted to the elite.
 *
 * Trials form generations by number: the first `nStartupTrials` are generation 0, a Latin hypercube (each
 * parameter's range is cut into as many equal strata as the generation has trials, and each stratum is drawn
 * once), then come blocks of `populationSize`. Generation g samples from distributions fitted, generation after
 * generation, to the best `eliteFraction` of every finished generation before it: a normal truncated to the
 * unit box for numeric parameters (log scale for log ranges, one cell per grid value for integers) and choice
 * probabilities for categoricals. Each fit is blended with the previous distribution (`smoothing`), and floors on
 * spread and probabilities keep every value reachable.
 *
 * Everything is rebuilt from the study's finished trials (cached, refitted only when a generation's finished trials
 * change), and each draw comes from `Rng.stream(seed, trial.number, parameter)`, so resuming a study or adding
 * workers reproduces the same proposals. Define-by-run parameters are modelled wherever they occur.
 */
import { ConfigError } from "../errors.js";
import { Rng, hashString } from "../math/random.js";
import { cardinality, type Distribution } from "../space/distributions.js";
import { internalToUnit, unitToInternal } from "../space/transform.js";
import { FINISHED_STATES, type FrozenTrial } from "../core/types.js";
import { normalCdf, normalQuantile } from "../math/normal.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { Sampler } from "./sampler.js";

export interface CrossEntropySamplerOptions {
  /** Seed of every random draw: the same seed and trial history give the same proposals. Default: random. */
  seed?: number;
  /** Trials per generation after the first. Default 20. */
  populationSize?: number;
  /** Fraction of a generation's complete and pruned trials the distributions are refitted to. Default 0.2. */
  eliteFraction?: number;
  /** Weight of each new fit against the previous distribution, in (0, 1]; 1 forgets the past. Default 0.7. */
  smoothing?: number;
  /** Trials of the first, space-filling generation. Default: populationSize. */
  nStartupTrials?: number;
}

/** One parameter's sampling distribution: a normal in box units (truncated to [0, 1]), or choice probabilities. */
export type ParamModel =
  | { readonly kind: "numeric"; readonly mean: number; readonly std: number }
  | { readonly kind: "categorical"; readonly probabilities: readonly number[] };

/** Distributions by parameter key (name and range), as fitted for one generation. */
export type GenerationModel = ReadonlyMap<string, ParamModel>;

/** Smallest spread of a numeric parameter in box units: the search can still refine, but not freeze. */
const MIN_STD = 1e-3;
/** A grid parameter keeps a spread of at least this many cells, so neighbouring values stay in reach. */
const MIN_STD_CELLS = 0.25;
/** Share of every categorical distribution spread evenly over the choices, so no choice is ever ruled out. */
const CATEGORICAL_FLOOR = 0.05;
const STRATA_STREAM = hashString("cross-entropy:strata");
const TRIAL_MODELS_KEPT = 256;

/** Per study: fitted models by generation, and what each fit saw. */
class StudyState {
  /** models[g] is what generation g samples from; models[0] (the startup generation) is empty. */
  readonly models: GenerationModel[] = [new Map()];
  /** fitted[b]: how many finished trials block b had when models[b + 1] was fitted. */
  readonly fitted: number[] = [];
  readonly strata = new Map<string, readonly number[]>();
  /** The model each recent trial samples from, by trial number (oldest first). */
  readonly trialModels = new Map<number, GenerationModel>();

  constructor(readonly studyName: string) {}
}

export class CrossEntropySampler implements Sampler {
  readonly name = "cross-entropy";
  readonly seed: number;
  private readonly populationSize: number;
  private readonly eliteFraction: number;
  private readonly smoothing: number;
  private readonly nStartupTrials: number;
  private state: StudyState | null = null;

  constructor(options: CrossEntropySamplerOptions = {}) {
    this.seed = options.seed ?? Rng.randomSeed();
    this.populationSize = options.populationSize ?? 20;
    if (!Number.isInteger(this.populationSize) || this.populationSize < 2) {
      throw new ConfigError(`CrossEntropySampler: populationSize must be an integer ≥ 2, got ${this.populationSize}`);
    }
    this.eliteFraction = options.eliteFraction ?? 0.2;
    if (!(this.eliteFraction > 0 && this.eliteFraction <= 1)) {
      throw new ConfigError(`CrossEntropySampler: eliteFraction must be in (0, 1], got ${this.eliteFraction}`);
    }
    this.smoothing = options.smoothing ?? 0.7;
    if (!(this.smoothing > 0 && this.smoothing <= 1)) {
      throw new ConfigError(`CrossEntropySampler: smoothing must be in (0, 1], got ${this.smoothing}`);
    }
    this.nStartupTrials = options.nStartupTrials ?? this.populationSize;
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 1) {
      throw new ConfigError(`CrossEntropySampler: nStartupTrials must be a positive integer, got ${this.nStartupTrials}`);
    }
  }

  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    if (study.directions.length !== 1) {
      throw new ConfigError(
        `CrossEntropySampler optimises one objective, but study "${study.name}" has ${study.directions.length}; use a multi-objective sampler`,
      );
    }
    const rng = Rng.stream(this.seed, trial.number, hashString(name));
    if (trial.number < this.nStartupTrials) return unitToInternal(distribution, this.stratified(study, name, trial.number, rng));
    const model = this.modelFor(study, trial.number).get(paramKey(name, distribution));
    if (model === undefined) return unitToInternal(distribution, rng.random());
    if (model.kind === "categorical") return pick(model.probabilities, rng.random());
    return unitToInternal(distribution, truncatedNormal(model.mean, model.std, rng.random()));
  }

  /** The fitted distributions for generation `generation` (≥ 1) of a study, for inspection and tests. */
  distributionsFor(study: StudyView, generation: number): GenerationModel {
    return this.model(study, generation);
  }

  private stateFor(study: StudyView): StudyState {
    if (this.state === null || this.state.studyName !== study.name) this.state = new StudyState(study.name);
    return this.state;
  }

  /** A point in the parameter's stratum for this startup trial: each stratum is drawn by exactly one trial. */
  private stratified(study: StudyView, name: string, number: number, rng: Rng): number {
    const state = this.stateFor(study);
    let order = state.strata.get(name);
    if (order === undefined) {
      order = Rng.stream(this.seed, STRATA_STREAM, hashString(name)).permutation(this.nStartupTrials);
      state.strata.set(name, order);
    }
    return (order[number]! + rng.random()) / this.nStartupTrials;
  }

  private generationOf(number: number): number {
    return number < this.nStartupTrials ? 0 : 1 + Math.floor((number - this.nStartupTrials) / this.populationSize);
  }

  /**
   * The model a trial samples from, fixed at its first suggestion so that all its parameters come from one model
   * even when other trials finish while it suggests them one by one.
   */
  private modelFor(study: StudyView, number: number): GenerationModel {
    const { trialModels } = this.stateFor(study);
    let model = trialModels.get(number);
    if (model === undefined) {
      model = this.model(study, this.generationOf(number));
      trialModels.set(number, model);
      // Only trials still suggesting need theirs; concurrency is far below this bound.
      if (trialModels.size > TRIAL_MODELS_KEPT) trialModels.delete(trialModels.keys().next().value!);
    }
    return model;
  }

  /** Folds the elite of every block before `generation` into the model, refitting from the first block that changed. */
  private model(study: StudyView, generation: number): GenerationModel {
    const state = this.stateFor(study);
    const blocks: FrozenTrial[][] = Array.from({ length: generation }, () => []);
    for (const trial of study.trials({ states: FINISHED_STATES })) {
      const block = this.generationOf(trial.number);
      if (block < generation) blocks[block]!.push(trial);
    }
    let first = 0;
    while (first < generation && state.fitted[first] === blocks[first]!.length) first++;
    if (first < generation) {
      state.models.length = first + 1;
      state.fitted.length = first;
      for (let block = first; block < generation; block++) {
        state.models.push(this.refit(study, state.models[block]!, blocks[block]!));
        state.fitted.push(blocks[block]!.length);
      }
    }
    return state.models[generation]!;
  }

  /** The next model: each parameter's distribution blended towards its fit to this block's elite trials. */
  private refit(study: StudyView, model: GenerationModel, block: readonly FrozenTrial[]): GenerationModel {
    const sign = study.directions[0] === "maximize" ? -1 : 1;
    const usable = block.filter((t) => t.state !== "failed").length;
    const elite = block
      .filter((t) => t.state === "complete")
      .sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number)
      .slice(0, Math.max(1, Math.ceil(this.eliteFraction * usable)));
    const samples = new Map<string, { distribution: Distribution; values: number[] }>();
    for (const trial of elite) {
      for (const [name, distribution] of Object.entries(trial.distributions)) {
        const key = paramKey(name, distribution);
        let entry = samples.get(key);
        if (!entry) samples.set(key, (entry = { distribution, values: [] }));
        entry.values.push(trial.internalParams[name]!);
      }
    }
    const next = new Map(model);
    for (const [key, { distribution, values }] of samples) next.set(key, this.blend(model.get(key) ?? prior(distribution), distribution, values));
    return next;
  }

  /** Blends a parameter's distribution towards its maximum-likelihood fit to the elite values (internal values). */
  private blend(previous: ParamModel, distribution: Distribution, values: readonly number[]): ParamModel {
    const alpha = this.smoothing;
    if (distribution.type === "categorical" || previous.kind === "categorical") {
      const old = previous.kind === "categorical" ? previous.probabilities : [];
      const counts = old.map(() => 0);
      for (const v of values) counts[v] = counts[v]! + 1;
      const probabilities = old.map(
        (p, i) => (1 - CATEGORICAL_FLOOR) * (alpha * (counts[i]! / values.length) + (1 - alpha) * p) + CATEGORICAL_FLOOR / old.length,
      );
      return { kind: "categorical", probabilities };
    }
    const units = values.map((v) => internalToUnit(distribution, v));
    const mean = units.reduce((a, b) => a + b, 0) / units.length;
    const std = Math.sqrt(units.reduce((a, b) => a + (b - mean) ** 2, 0) / units.length);
    const cells = cardinality(distribution);
    const floor = Math.max(MIN_STD, Number.isFinite(cells) ? MIN_STD_CELLS / cells : 0);
    return {
      kind: "numeric",
      mean: alpha * mean + (1 - alpha) * previous.mean,
      std: Math.max(floor, alpha * std + (1 - alpha) * previous.std),
    };
  }
}

/** What a parameter starts from: uniform choices, or the mean and spread of a uniform draw from the box. */
function prior(distribution: Distribution): ParamModel {
  if (distribution.type === "categorical") {
    const k = distribution.choices.length;
    return { kind: "categorical", probabilities: new Array<number>(k).fill(1 / k) };
  }
  return { kind: "numeric", mean: 0.5, std: Math.sqrt(1 / 12) };
}

/** A parameter's identity: its name and its range (a parameter redefined with another range is another parameter). */
function paramKey(name: string, d: Distribution): string {
  const range = d.type === "categorical" ? JSON.stringify(d.choices) : `${d.type}:${d.low}:${d.high}:${d.log}:${d.step}`;
  return `${name}\u0000${range}`;
}

/** Inverse-CDF draw from N(mean, std²) truncated to [0, 1]; `mean` lies in [0, 1], so neither tail loses precision. */
function truncatedNormal(mean: number, std: number, u: number): number {
  const low = normalCdf((0 - mean) / std);
  const high = normalCdf((1 - mean) / std);
  const x = mean + std * normalQuantile(low + u * (high - low));
  return Math.min(1, Math.max(0, x));
}

function pick(probabilities: readonly number[], u: number): number {
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i]!;
    if (u < cumulative) return i;
  }
  return probabilities.length - 1;
}
