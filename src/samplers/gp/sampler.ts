/**
 * @module Gaussian-process Bayesian optimisation: the most sample-efficient sampler for small numeric budgets.
 *
 * Each proposal fits a GP (Matérn-5/2 with one lengthscale per parameter, see `kernel.ts`) to the observed
 * trials in the relative search space (complete ones, and pruned ones at their last reported value: a pessimistic
 * reading of where they were heading, which a pruner that compares curves with final values also assumes;
 * without them the model would not learn from pruning and would propose the pruned point again) (values turned into minimisation, power-transformed and standardised by
 * `output-transform.ts`) and proposes the maximiser of log expected improvement (`acquisition.ts`). Running
 * trials of other workers enter as fantasy observations (their posterior mean, but no better than the average
 * observation), so parallel proposals spread out. Conditional spaces are modelled whole: the GP sees the union of
 * the parameters, a parameter a trial did not have being inactive in its row, and the acquisition scores each
 * candidate with the parameters its branch would really have (`activity.ts`). The first `nStartupTrials` trials
 * are a scrambled Sobol design (as in `SobolSampler` with the same seed); parameters seen with two different
 * distributions are sampled uniformly at random. Categorical parameters are compared by equality in the kernel
 * (same choice or not), so the order of the choices means nothing. Multi-objective studies are not modelled:
 * their trials are sampled at random, with one warning.
 *
 * The GP's prior mean is the worst observation, not the average one. With the average, expected improvement in
 * ten or more dimensions comes mostly from the corners of the box, which are far from every observation (the
 * "boundary over-exploration" of Siivola et al., "Correcting boundary over-exploration deficiencies in Bayesian
 * optimization with virtual derivative sign observations", 2018), and parameters the fit finds unimportant are
 * pushed to their bounds. With the worst, the unexplored is expected to be bad and the search improves on the good
 * regions it knows. Measured (10 seeds, random start, before the stall rule below; median regret at 100 trials):
 * Rosenbrock-10 2460 → 333, Hartmann-6 0.06 → 3e-6, Ackley-10 4.6 → 3.1, Rastrigin-10 102 → 91; Branin unchanged.
 * The price is exploration: in a conditional space the branch that converges first (nn_mixed's "adam") can keep every later proposal while
 * a better branch stays unexplored. So once the best trial is `STALL_TRIALS` complete trials old — the search has
 * stopped finding improvements where it looks — the prior mean goes back to the average, which makes the
 * unexplored attractive again, until a trial improves on the best (nn_mixed, median regret at 200 trials:
 * 0.0045 → 1.4e-6).
 *
 * A search stalled twice as long (`FLAT_STALL_TRIALS`) also explores the parameters the fit finds no effect of: they
 * are drawn at random rather than taken from the acquisition's maximiser (`exploreFlatColumns`). An effect too small
 * to show next to the others' early on — cnn_mixed's label smoothing, 0.0025 in error — is otherwise never learnt,
 * the parameter being held at the first good trial's value; while the search still improves, the randomness would
 * only cost it precision.
 *
 * The kernel is the ARD product kernel or the first-order additive one (`kernel.ts`), whichever has the lower
 * Bayesian information criterion on the data; the choice is remade at every fit up to `COLD_START_LIMIT` trials
 * and then kept. Measured (10 seeds, median regret at 100 / 200 trials, against the ARD kernel alone):
 * Rastrigin-10 92 / 85 → 82 / 77, its shifted variant 86 / 83 → 83 / 72, Rosenbrock-10 861 / 246 → 837 / 209;
 * Ackley-10 4.3 / 3.3 either way, the others unchanged.
 *
 * Hyperparameter fits warm-start from the previous fit, which is what keeps them cheap as data grow. To stay
 * reproducible on resume and across workers, the previous fit is not process memory: each fit is stored on the
 * trial being created (system attribute `gp:kernel`), and the next fit starts from the one stored on the
 * highest-numbered observed trial. A proposal is thus a function of the seed, the trial number, the observed
 * trials (values, parameters and stored fits) and the running trials' parameters.
 */
import { GP_KERNEL_ATTR as FIT_ATTR } from "../../core/attributes.js";
import { ConfigError } from "../../errors.js";
import { Rng, hashString } from "../../math/random.js";
import { sameDistribution, type Distribution, type SearchSpace } from "../../space/distributions.js";
import { unitToInternal } from "../../space/transform.js";
import type { FrozenTrial } from "../../core/types.js";
import { UnionSearchSpace } from "../search-space.js";
import type { SamplingTrial, StudyView } from "../../core/study-view.js";
import type { Sampler, TrialReservation } from "../sampler.js";
import { SobolSampler } from "../sobol.js";
import { LogExpectedImprovement, maximizeAcquisition } from "./acquisition.js";
import { ActivityRules } from "./activity.js";
import { fitKernel, informationCriterion, paramsFromTheta, type FittedKernel, type KernelStructure, type TrainingData } from "./hyperparameters.js";
import { GPInputSpace } from "./input-space.js";
import { columnReach } from "./kernel.js";
import { gaussianizeOutputs } from "./output-transform.js";
import { GaussianProcess } from "./posterior.js";

export interface GPSamplerOptions {
  /** Seed of every random choice (default: a random seed). */
  seed?: number;
  /** Complete trials of quasi-random (Sobol) design before the GP takes over (default 10). */
  nStartupTrials?: number;
  /**
   * The objective returns the same value for the same parameters (default false). Fixes the noise at a tiny
   * value instead of fitting it, so the GP interpolates the observations.
   */
  deterministicObjective?: boolean;
}

const FLAT_STREAM = hashString("gp/flat-columns");
/**
 * A parameter along which the fitted latent function changes by less than this share of its variance from one end
 * of the range to the other (`columnReach`; a lengthscale of about 5 ranges in the ARD kernel) is explored at random.
 */
const FLAT_REACH = 0.03;

/** Trial system attribute holding the hyperparameters fitted when the trial was proposed. */
const ACQUISITION_STREAM = hashString("gp/acquisition");
/** How many of the best observations the acquisition search perturbs. */
const ANCHORS = 5;
/** When the best complete trial is this many complete trials old, the prior mean goes back to the average. */
const STALL_TRIALS = 10;
/** Observations since the best one after which the flat parameters are explored: a stall twice the prior mean's. */
const FLAT_STALL_TRIALS = 2 * STALL_TRIALS;
/**
 * Above this many observations a fit starts from the previous fit alone, not also from the default point, and takes
 * at most `WARM_FIT_ITERATIONS` L-BFGS iterations: an evaluation costs a Cholesky factorisation and an inverse
 * (≈ 30 ms at 300 observations), the previous fit is close, and what one proposal leaves the next continues.
 */
const COLD_START_LIMIT = 100;
const WARM_FIT_ITERATIONS = 5;

interface Model {
  readonly key: string;
  readonly fingerprint: string;
  readonly input: GPInputSpace;
  readonly gp: GaussianProcess;
  readonly activity: ActivityRules;
  readonly structure: KernelStructure;
  readonly theta: Float64Array;
  /** Lowest and average observation, in the model's units. */
  readonly best: number;
  readonly average: number;
  /** The best few observed points, best first (inactive parameters at mid-range): where the acquisition search looks closely. */
  readonly anchors: readonly Float64Array[];
  /** Observations made since the best one. */
  readonly bestAge: number;
}

export class GPSampler implements Sampler {
  readonly name = "gp";
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly deterministicObjective: boolean;
  private readonly searchSpace = new UnionSearchSpace();
  private readonly startup: SobolSampler;
  /** The last model built: reused while the complete trials are unchanged (identical to a rebuild). */
  private cached: Model | null = null;

  constructor(options: GPSamplerOptions = {}) {
    const startup = options.nStartupTrials ?? 10;
    if (!Number.isInteger(startup) || startup < 0) {
      throw new ConfigError(`GPSampler: nStartupTrials must be a non-negative integer (got ${startup})`);
    }
    this.seed = options.seed ?? Rng.randomSeed();
    this.nStartupTrials = startup;
    this.deterministicObjective = options.deterministicObjective ?? false;
    this.startup = new SobolSampler({ seed: this.seed });
  }

  /** Fits the model before the trial exists, so that the fit can be stored with it for the next fit to start from. */
  async reserve(study: StudyView): Promise<TrialReservation> {
    if (study.directions.length !== 1) return {};
    const model = this.model(study, this.searchSpace.compute(study));
    if (!model) return {};
    return { systemAttrs: { [FIT_ATTR]: { space: model.fingerprint, structure: model.structure, theta: [...model.theta] } } };
  }

  inferRelativeSearchSpace(study: StudyView, _trial: SamplingTrial): SearchSpace {
    if (study.directions.length !== 1) {
      study.warn("gp: multi-objective studies are not supported by GPSampler; their trials are sampled at random");
      return {};
    }
    return this.searchSpace.compute(study);
  }

  async sampleRelative(study: StudyView, trial: SamplingTrial, space: SearchSpace): Promise<Record<string, number>> {
    const model = this.model(study, space);
    if (!model) return {};
    const pending = pendingPoints(study, trial, space, model.input);
    // A pending point counts as no better than the average observation: believing the posterior mean alone lets a
    // second worker propose a point a hair away from the first near the optimum.
    const gp = model.gp.withFantasies(pending.points, pending.count, model.average);
    const acquisition = new LogExpectedImprovement(gp, model.best, model.activity);
    const { point } = maximizeAcquisition(acquisition, model.input, {
      seed: Rng.stream(this.seed, trial.number, ACQUISITION_STREAM).nextUint32(),
      anchors: model.anchors,
    });
    if (model.bestAge >= FLAT_STALL_TRIALS) exploreFlatColumns(point, model, Rng.stream(this.seed, trial.number, FLAT_STREAM));
    return model.input.decode(point);
  }

  /** Startup trials: a Sobol point per trial number; later (unmodelled parameters): a draw from (seed, trial number, name). */
  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    if (observedTrials(study).length < this.nStartupTrials) {
      return this.startup.sampleIndependent(study, trial, name, distribution);
    }
    return unitToInternal(distribution, Rng.stream(this.seed, trial.number, hashString(name)).random());
  }

  /** The GP of the observed trials in `space`, or null while there are too few of them (or no space). */
  private model(study: StudyView, space: SearchSpace): Model | null {
    const names = Object.keys(space);
    if (names.length === 0) return null;
    const observed = observedTrials(study).filter(({ trial }) => inSpace(trial, space));
    if (observed.length < Math.max(1, this.nStartupTrials)) return null;
    const fingerprint = hashString(JSON.stringify(names.sort().map((name) => [name, space[name]]))).toString(16);
    const key = `${fingerprint}:${observed.map(({ trial }) => trial.id).join(",")}`;
    if (this.cached?.key === key) return this.cached;

    const input = new GPInputSpace(space);
    const data = trainingData(observed, input, study.directions[0] === "maximize" ? -1 : 1);
    const fit = this.fit(data, storedFit(observed.map(({ trial }) => trial), fingerprint));
    const ranked = Array.from({ length: data.n }, (_, i) => i).sort((a, b) => data.y[a]! - data.y[b]! || a - b);
    this.cached = {
      key,
      fingerprint,
      input,
      gp: new GaussianProcess(data, fit.params),
      activity: ActivityRules.learn(data.x, data.n, input),
      structure: fit.structure,
      theta: fit.theta,
      best: data.y[ranked[0]!]!,
      bestAge: data.bestAge,
      average: data.y.reduce((sum, v) => sum + v, 0) / data.n,
      // An anchor's inactive parameters need a value for the search to start from; the acquisition masks them again.
      anchors: ranked.slice(0, ANCHORS).map((i) => data.x.slice(i * data.dim, (i + 1) * data.dim).map((u) => (Number.isNaN(u) ? 0.5 : u))),
    };
    return this.cached;
  }

  /**
   * The MAP kernel. Up to `COLD_START_LIMIT` observations both forms are fitted, each from the default and from
   * the stored fit of its form, and the lower information criterion wins; above, the stored fit's form is refitted
   * from it alone (a choice made on a hundred points stands, and one fit of a few iterations stays cheap).
   */
  private fit(data: TrainingData, stored: StoredFit | null): FittedKernel {
    const options = { deterministic: this.deterministicObjective };
    if (data.n > COLD_START_LIMIT) {
      const structure = stored?.structure ?? "ard";
      return fitKernel(data, { ...options, structure, warmStart: stored?.theta, onlyWarmStart: true, warmStartIterations: WARM_FIT_ITERATIONS });
    }
    const structures: KernelStructure[] = data.dim > 1 ? ["ard", "additive"] : ["ard"];
    const fits = structures.map((structure) =>
      fitKernel(data, { ...options, structure, warmStart: stored?.structure === structure ? stored.theta : null }),
    );
    return fits.reduce((best, fit) => (informationCriterion(fit, data.n) < informationCriterion(best, data.n) ? fit : best));
  }
}

/**
 * Draws the parameters the fit finds no effect of uniformly (snapped to their grid), in place. The acquisition is
 * flat along them, so its maximiser's value for them is arbitrary — in practice the incumbent's — and an effect too
 * small to show next to the others' would never be seen: the search would not vary the parameter again.
 */
function exploreFlatColumns(point: Float64Array, model: Model, rng: Rng): void {
  const reach = columnReach(paramsFromTheta(model.theta, model.input.dim, model.structure));
  for (let column = 0; column < model.input.dim; column++) {
    const u = rng.random();
    if (reach[column]! < FLAT_REACH) point[column] = u;
  }
  model.input.snap(point);
}

/** Whether each parameter of `space` the trial has, it has with the space's distribution (absent ones are inactive). */
function inSpace(trial: FrozenTrial, space: SearchSpace): boolean {
  for (const [name, distribution] of Object.entries(space)) {
    const own = trial.distributions[name];
    if (own && !sameDistribution(own, distribution)) return false;
  }
  return true;
}

interface Observation {
  readonly trial: FrozenTrial;
  readonly value: number;
}

/** Complete trials with their value, and pruned ones with their last finite reported value, in trial order. */
function observedTrials(study: StudyView): Observation[] {
  const observed: Observation[] = [];
  for (const trial of study.trials({ states: ["complete", "pruned"] })) {
    const value = trial.state === "complete" ? trial.value : lastFiniteValue(trial);
    if (value !== null) observed.push({ trial, value });
  }
  return observed;
}

function lastFiniteValue(trial: FrozenTrial): number | null {
  let last: number | null = null;
  let lastStep = -Infinity;
  for (const [step, value] of trial.intermediateValues) {
    if (step > lastStep && Number.isFinite(value)) [last, lastStep] = [value, step];
  }
  return last;
}

/** Unit-box inputs and Gaussianised outputs less the prior mean, in trial order (`sign` -1 turns maximisation into minimisation). */
function trainingData(observed: readonly Observation[], input: GPInputSpace, sign: number): TrainingData & { bestAge: number } {
  const n = observed.length;
  const x = new Float64Array(n * input.dim);
  observed.forEach(({ trial }, i) => x.set(input.encode(trial.internalParams), i * input.dim));
  const y = gaussianizeOutputs(observed.map(({ value }) => sign * value));
  // The prior mean (see the module comment): the worst observation, or the average (0) once the search stalls.
  let bestIndex = 0;
  for (let i = 1; i < n; i++) if (y[i]! < y[bestIndex]!) bestIndex = i;
  const bestAge = n - 1 - bestIndex;
  const stalled = bestAge >= STALL_TRIALS;
  const priorMean = stalled ? 0 : Math.max(...y);
  for (let i = 0; i < n; i++) y[i]! -= priorMean;
  return { x, y, n, dim: input.dim, categorical: input.categorical, bestAge };
}

interface StoredFit {
  readonly structure: KernelStructure;
  readonly theta: Float64Array;
}

/** The fit stored on the highest-numbered observed trial fitted in this space, if any (fits stored before the additive kernel existed are ARD). */
function storedFit(observed: readonly FrozenTrial[], fingerprint: string): StoredFit | null {
  for (let i = observed.length - 1; i >= 0; i--) {
    const stored = observed[i]!.systemAttrs[FIT_ATTR] as { space?: unknown; structure?: unknown; theta?: unknown } | undefined;
    if (stored?.space !== fingerprint || !Array.isArray(stored.theta)) continue;
    const structure = stored.structure === "additive" ? "additive" : "ard";
    if (stored.theta.every((v) => typeof v === "number" && Number.isFinite(v))) return { structure, theta: Float64Array.from(stored.theta as number[]) };
  }
  return null;
}

/** Unit-box points of other workers' running trials (their parameters so far), by trial number. */
function pendingPoints(study: StudyView, trial: SamplingTrial, space: SearchSpace, input: GPInputSpace): { points: Float64Array; count: number } {
  // A trial that has not suggested anything yet says nothing about where it will be.
  const running = study
    .trials({ states: ["running"] })
    .filter((t) => t.id !== trial.id && inSpace(t, space) && Object.keys(t.internalParams).some((name) => name in space));
  const points = new Float64Array(running.length * input.dim);
  running.forEach((t, i) => points.set(input.encode(t.internalParams), i * input.dim));
  return { points, count: running.length };
}
