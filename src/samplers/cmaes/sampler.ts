/**
 * @module CmaEsSampler: CMA-ES over the numeric parameters every trial shares, with IPOP restarts and margin.
 *
 * The optimiser works in the unit box of the shared transform (log ranges in log space, integer and stepped ranges
 * as equal cells). Its state is never stored: every proposed trial is tagged with its run, generation and slot, and
 * the state is rebuilt by replaying the tagged generations from the study's trials (cached in memory and extended
 * as generations complete). The candidate of slot k in generation g of run r is drawn from
 * `Rng.stream(seed, r, g, k)` — with mirrored sampling, an odd slot takes the mirror image of slot k − 1's draw
 * instead — so a resumed study, a new process or another worker reaches the very same state and proposals.
 * Categorical and conditional parameters are sampled independently at random.
 *
 * Failed trials give their slot to a later proposal of the same generation; pruned trials count as worse than every
 * complete one (tied among themselves). A generation updates the optimiser once `popsize` of its slots, taken in
 * order, are complete or pruned; extra proposals made while a parallel generation finishes are evaluated but unused.
 *
 * @example
 * const study = await createStudy({ sampler: new CmaEsSampler({ seed: 1 }) });
 */
import { cmaesClaim, cmaesSpaceAttr } from "../../core/attributes.js";
import { ConfigError } from "../../errors.js";
import { Rng, hashString } from "../../math/random.js";
import { cardinality, sameDistribution, type Distribution, type SearchSpace } from "../../space/distributions.js";
import { internalToUnit, unitToInternal } from "../../space/transform.js";
import { FINISHED_STATES as FINISHED, type FrozenTrial } from "../../core/types.js";
import type { SamplingTrial, StudyView } from "../../core/study-view.js";
import type { Sampler, TrialReservation } from "../sampler.js";
import { IntersectionSearchSpace } from "../search-space.js";
import { CmaEs, defaultPopsize, type Candidate, type SearchDistribution } from "./cma-es.js";
import { SlotIndex, completeGeneration, readSlot, slotAttrs, type Slot } from "./history.js";
import { modelledPart, runSpace, spaceFromJson, spaceToJson, type RunSpace } from "./space.js";

export interface CmaEsSamplerOptions {
  /** Seed of every random draw: the same seed and trial history give the same proposals. Default: random. */
  seed?: number;
  /** Initial mean as parameter values; parameters not listed start at the centre of their range. */
  x0?: Readonly<Record<string, number>>;
  /** Initial step size in box units (every parameter's range, log-scaled if log, spans [0, 1]). Default 1/6. */
  sigma0?: number;
  /** Population size λ of the first run. Default 4 + ⌊3 ln n⌋ for n modelled parameters. */
  popsize?: number;
  /**
   * Complete trials sampled at random before CMA-ES takes over. Default 1. CMA-ES needs a finished trial to learn
   * the search space from, so the first trial is always random whatever this says.
   */
  nStartupTrials?: number;
  /**
   * "ipop" (default): when a run stagnates (Hansen's termination criteria, see `StopReason`), start a new run from
   * a random point with the population multiplied by `incPopsize`. null: keep sampling from the stagnated run.
   */
  restartStrategy?: "ipop" | null;
  /** Population growth factor of each IPOP restart. Default 2. */
  incPopsize?: number;
  /** CMA-ES with margin on integer and stepped parameters, so the search cannot freeze on one grid value. Default true. */
  withMargin?: boolean;
  /**
   * Mirrored sampling (Brockhoff et al. 2010): the odd slots of a generation evaluate the mirror image, through the
   * mean, of the slot before them (a fresh draw where the mirror leaves the box). Default true; docs/samplers.md
   * has the measurements.
   */
  mirroredSampling?: boolean;
}

/** A run's optimiser state, in box coordinates: the search distribution is N(mean, sigma² · covariance). */
export interface CmaEsState {
  readonly restart: number;
  /** Generations told so far in this run. */
  readonly generation: number;
  readonly mean: Float64Array;
  readonly sigma: number;
  /** Row-major n×n, axes in parameter-name order. */
  readonly covariance: Float64Array;
}

const RESTART_MEAN_STREAM = hashString("cmaes:restart-mean");
const DEFAULT_SIGMA0 = 1 / 6;

/** Where a run starts: a pure function of the seed, its restart number, its space and the run before it. */
interface RunPlan {
  readonly restart: number;
  readonly space: RunSpace;
  readonly popsize: number;
  /** An IPOP restart of the previous run (random start), rather than the first run on its space (start at x0). */
  readonly ipop: boolean;
}

interface Run extends RunPlan {
  readonly optimizer: CmaEs;
}

/** A candidate chosen by `reserve`, handed to the trial by `inferRelativeSearchSpace` and `sampleRelative`. */
interface Proposal {
  readonly space: SearchSpace;
  readonly values: Record<string, number>;
}

/** What the sampler keeps per study: all of it can be rebuilt from the study's trials. */
class StudyState {
  readonly intersection = new IntersectionSearchSpace();
  readonly index = new SlotIndex();
  readonly spaces = new Map<string, RunSpace>();
  /** The latest run (replayed so far) and the one that follows it, by restart number. */
  readonly runs = new Map<number, Run>();
  readonly proposals = new Map<string, Proposal>();
  completeTrials = 0;
  /** Names of every parameter seen in a finished trial, for the notice about independent sampling. */
  readonly parameterNames = new Set<string>();

  constructor(readonly studyName: string) {}

  /** Catches up with the study's trials; only new trials and new versions of changed ones cost anything. */
  observe(study: StudyView): void {
    for (const trial of study.trials()) {
      const previous = this.index.latest(trial.number);
      if (previous === trial) continue;
      this.index.record(trial);
      if (trial.state === "complete" && previous?.state !== "complete") this.completeTrials++;
      if (FINISHED.includes(trial.state) && !(previous && FINISHED.includes(previous.state))) {
        for (const [name, d] of Object.entries(trial.distributions)) if (cardinality(d) > 1) this.parameterNames.add(name);
      }
    }
  }
}

export class CmaEsSampler implements Sampler {
  readonly name = "cmaes";
  readonly seed: number;
  private readonly x0: Readonly<Record<string, number>>;
  private readonly sigma0: number;
  private readonly popsize: number | undefined;
  private readonly nStartupTrials: number;
  private readonly restartStrategy: "ipop" | null;
  private readonly incPopsize: number;
  private readonly withMargin: boolean;
  private readonly mirroredSampling: boolean;
  private state: StudyState | null = null;

  constructor(options: CmaEsSamplerOptions = {}) {
    this.seed = options.seed ?? Rng.randomSeed();
    this.x0 = { ...options.x0 };
    for (const [name, value] of Object.entries(this.x0)) {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new ConfigError(`CmaEsSampler: x0.${name} must be a finite number (categoricals are not modelled), got ${String(value)}`);
      }
    }
    this.sigma0 = options.sigma0 ?? DEFAULT_SIGMA0;
    if (!(this.sigma0 > 0) || !Number.isFinite(this.sigma0)) {
      throw new ConfigError(`CmaEsSampler: sigma0 must be a positive number in box units (default 1/6), got ${this.sigma0}`);
    }
    this.popsize = options.popsize;
    if (this.popsize !== undefined && (!Number.isInteger(this.popsize) || this.popsize < 2)) {
      throw new ConfigError(`CmaEsSampler: popsize must be an integer ≥ 2, got ${this.popsize}`);
    }
    this.nStartupTrials = options.nStartupTrials ?? 1;
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) {
      throw new ConfigError(`CmaEsSampler: nStartupTrials must be a non-negative integer, got ${this.nStartupTrials}`);
    }
    this.restartStrategy = options.restartStrategy === undefined ? "ipop" : options.restartStrategy;
    if (this.restartStrategy !== "ipop" && this.restartStrategy !== null) {
      throw new ConfigError(`CmaEsSampler: restartStrategy must be "ipop" or null, got ${JSON.stringify(this.restartStrategy)}`);
    }
    this.incPopsize = options.incPopsize ?? 2;
    if (!Number.isInteger(this.incPopsize) || this.incPopsize < 1) {
      throw new ConfigError(`CmaEsSampler: incPopsize must be an integer ≥ 1, got ${this.incPopsize}`);
    }
    this.withMargin = options.withMargin ?? true;
    this.mirroredSampling = options.mirroredSampling ?? true;
  }

  /** Chooses the trial's slot and its candidate; untagged trials (startup, nothing to model) are sampled at random. */
  async reserve(study: StudyView): Promise<TrialReservation> {
    if (study.directions.length !== 1) {
      throw new ConfigError(
        `CmaEsSampler optimises one objective, but study "${study.name}" has ${study.directions.length}; use a multi-objective sampler`,
      );
    }
    const state = this.stateFor(study);
    state.observe(study);
    if (state.completeTrials < this.nStartupTrials) return {};
    const modelled = modelledPart(state.intersection.compute(study));
    if (Object.keys(modelled).length === 0) {
      this.noticeIndependent(study, state, []);
      return {};
    }
    const space = runSpace(modelled);
    let run = this.replay(study, state);
    if (run === null || run.space.fingerprint !== space.fingerprint) {
      run = this.nextRun(state, run, space);
    } else if (run.optimizer.stopReason !== null && this.restartStrategy === "ipop") {
      run = this.nextRun(state, run, run.space);
    }
    // Captured before any await: a concurrent ask may move the run on to its next generation meanwhile.
    const { restart } = run;
    const generation = run.optimizer.generation;
    const distribution = run.optimizer.distribution;

    const key = cmaesSpaceAttr(run.space.fingerprint);
    if (!(key in study.systemAttrs)) await study.setSystemAttrs({ [key]: spaceToJson(run.space) });
    const record = { restart, space: run.space.fingerprint };
    let slot: Slot = { ...record, generation, index: state.index.nextIndex(record, generation) };
    while (!(await study.claim(cmaesClaim(slot.space, restart, generation, slot.index)))) slot = { ...slot, index: slot.index + 1 };

    const { point } = this.candidate(distribution, slot);
    const values: Record<string, number> = {};
    const relative: SearchSpace = {};
    run.space.names.forEach((name, i) => {
      values[name] = unitToInternal(run.space.distributions[i]!, point[i]!);
      relative[name] = run.space.distributions[i]!;
    });
    state.proposals.set(slotKey(slot), { space: relative, values });
    return { systemAttrs: slotAttrs(slot) };
  }

  inferRelativeSearchSpace(study: StudyView, trial: SamplingTrial): SearchSpace {
    const slot = readSlot(trial.systemAttrs);
    const proposal = slot && this.stateFor(study).proposals.get(slotKey(slot));
    if (!proposal) return {};
    // `reserve` has just caught up with the finished trials, whose parameter names the notice lists.
    this.noticeIndependent(study, this.stateFor(study), Object.keys(proposal.space));
    return proposal.space;
  }

  async sampleRelative(study: StudyView, trial: SamplingTrial, _space: SearchSpace): Promise<Record<string, number>> {
    const slot = readSlot(trial.systemAttrs);
    const state = this.stateFor(study);
    const proposal = slot && state.proposals.get(slotKey(slot));
    if (!proposal) return {};
    state.proposals.delete(slotKey(slot));
    return proposal.values;
  }

  /** Parameters outside the run's space: uniform, from a stream of (seed, trial number, name). */
  sampleIndependent(_study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    return unitToInternal(distribution, Rng.stream(this.seed, trial.number, hashString(name)).random());
  }

  /** The state of the study's current run, replayed from its trials (null before the first run): for inspection and tests. */
  currentState(study: StudyView): CmaEsState | null {
    const state = this.stateFor(study);
    state.observe(study);
    const run = this.replay(study, state);
    if (run === null) return null;
    const { optimizer } = run;
    return { restart: run.restart, generation: optimizer.generation, mean: optimizer.mean, sigma: optimizer.sigma, covariance: optimizer.covariance };
  }

  private stateFor(study: StudyView): StudyState {
    if (this.state === null || this.state.studyName !== study.name) this.state = new StudyState(study.name);
    return this.state;
  }

  /** The latest run recorded in the trials, with every complete generation told. */
  private replay(study: StudyView, state: StudyState): Run | null {
    let plan: RunPlan | null = null;
    for (const record of state.index.runRecords()) plan = this.plan(plan, record.restart, this.spaceOf(study, state, record.space));
    if (plan === null) return null;
    for (const restart of state.runs.keys()) if (restart < plan.restart) state.runs.delete(restart);
    const run = this.runFor(state, plan);
    this.advance(study, run, state.index);
    return run;
  }

  /** The run after `previous`: an IPOP restart when the space is unchanged, else a fresh run on the new space. */
  private nextRun(state: StudyState, previous: Run | null, space: RunSpace): Run {
    state.spaces.set(space.fingerprint, space);
    return this.runFor(state, this.plan(previous, previous === null ? 0 : previous.restart + 1, space));
  }

  /** A run follows from the previous one: same space means an IPOP restart (larger population, random start). */
  private plan(previous: RunPlan | null, restart: number, space: RunSpace): RunPlan {
    const ipop = previous !== null && previous.space.fingerprint === space.fingerprint;
    const popsize = ipop ? previous.popsize * this.incPopsize : (this.popsize ?? defaultPopsize(space.names.length));
    return { restart, space, popsize, ipop };
  }

  /** The cached run of a plan, or a new one (its optimiser is then replayed from the first generation). */
  private runFor(state: StudyState, plan: RunPlan): Run {
    const known = state.runs.get(plan.restart);
    if (known !== undefined && known.space.fingerprint === plan.space.fingerprint && known.popsize === plan.popsize && known.ipop === plan.ipop) {
      return known;
    }
    const optimizer = new CmaEs({
      mean: plan.ipop ? this.randomMean(plan.restart, plan.space) : this.initialMean(plan.space),
      sigma: this.sigma0,
      popsize: plan.popsize,
      discrete: this.withMargin ? plan.space.axes : plan.space.axes.map(() => null),
      withMargin: this.withMargin,
    });
    const run: Run = { ...plan, optimizer };
    state.runs.set(plan.restart, run);
    return run;
  }

  private initialMean(space: RunSpace): Float64Array {
    return Float64Array.from(space.names, (name, i) => {
      const value = this.x0[name];
      return value === undefined ? 0.5 : internalToUnit(space.distributions[i]!, value);
    });
  }

  private randomMean(restart: number, space: RunSpace): Float64Array {
    const rng = Rng.stream(this.seed, restart, RESTART_MEAN_STREAM);
    return Float64Array.from(space.names, () => rng.random());
  }

  private spaceOf(study: StudyView, state: StudyState, fingerprint: string): RunSpace {
    let space = state.spaces.get(fingerprint);
    if (space === undefined) {
      const stored = study.systemAttrs[cmaesSpaceAttr(fingerprint)];
      if (stored === undefined) {
        throw new ConfigError(
          `CmaEsSampler: study "${study.name}" has trials of search space ${fingerprint} but no record of that space; the storage may be incomplete`,
        );
      }
      space = spaceFromJson(stored);
      state.spaces.set(fingerprint, space);
    }
    return space;
  }

  /** Tells the run every generation whose slots are complete, in order. */
  private advance(study: StudyView, run: Run, index: SlotIndex): void {
    const sign = study.directions[0] === "maximize" ? -1 : 1;
    for (;;) {
      const { optimizer } = run;
      const generation = optimizer.generation;
      const chosen = completeGeneration(index.generation({ restart: run.restart, space: run.space.fingerprint }, generation), run.popsize);
      if (chosen === null) return;
      const distribution = optimizer.distribution;
      const raws = chosen.map((trial) => this.rawSample(run, distribution, trial));
      const values = chosen.map((trial) => (trial.state === "complete" ? sign * trial.values![0]! : Infinity));
      optimizer.tell(raws, values);
    }
  }

  /**
   * The Gaussian sample behind a trial, regenerated from its stream. Where the trial was evaluated elsewhere (its
   * values were fixed by hand, or it was proposed under other options), the evaluated value is told instead.
   */
  private rawSample(run: Run, distribution: SearchDistribution, trial: FrozenTrial): Float64Array {
    const slot = readSlot(trial.systemAttrs)!;
    const { raw, point } = this.candidate(distribution, slot);
    run.space.names.forEach((name, i) => {
      const d = run.space.distributions[i]!;
      const evaluated = trial.internalParams[name];
      const evaluatedIn = trial.distributions[name];
      if (evaluated === undefined || evaluatedIn === undefined || !sameDistribution(evaluatedIn, d)) return;
      if (unitToInternal(d, point[i]!) !== evaluated) raw[i] = internalToUnit(d, evaluated);
    });
    return raw;
  }

  /**
   * The candidate of a slot, a function of the seed and the slot alone: its own draw, or with mirrored sampling on
   * an odd slot the mirror of the previous slot's draw.
   */
  private candidate(distribution: SearchDistribution, slot: Slot): Candidate {
    const draw = (index: number) => distribution.sample(Rng.stream(this.seed, slot.restart, slot.generation, index));
    if (this.mirroredSampling && slot.index % 2 === 1) {
      const mirrored = distribution.mirror(draw(slot.index - 1));
      if (mirrored !== null) return mirrored;
    }
    return draw(slot.index);
  }

  /** One notice (repeated identically, so shown once) naming the parameters CMA-ES leaves to random sampling. */
  private noticeIndependent(study: StudyView, state: StudyState, modelled: readonly string[]): void {
    const outside = [...state.parameterNames].filter((name) => !modelled.includes(name)).sort();
    if (outside.length === 0) return;
    const list = outside.map((name) => `"${name}"`).join(", ");
    study.warn(
      `CmaEsSampler models the numeric parameters that every finished trial shares; ${list} ` +
        `${outside.length === 1 ? "is" : "are"} sampled independently at random. ` +
        `For categorical or conditional parameters consider TPESampler.`,
    );
  }
}

function slotKey(slot: Slot): string {
  return `${slot.space}:${slot.restart}:${slot.generation}:${slot.index}`;
}
