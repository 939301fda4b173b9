/**
 * @module BohbSampler: model-based proposals for Hyperband (BOHB, Falkner et al. 2018).
 *
 * Hyperband decides how long each trial runs; BOHB decides what it runs. The model (multivariate TPE by default) is
 * fitted on one budget: the largest step that at least `minObservations` trials have reached, each trial valued
 * by its curve there (its value at its first reported step at or past the budget), whether it was pruned later,
 * completed, or is still running past it. Small budgets are plentiful but noisy proxies; the largest budget with
 * enough points is the most faithful model the data allow, and it moves up as the study goes on. A fraction
 * `randomFraction` of the trials (1/3 by default, as in the paper) is sampled at random, which keeps BOHB's
 * guarantee of never doing much worse than Hyperband when the model misleads.
 *
 * Pair it with a `HyperbandPruner({ sampleWithinBracket: false })` (the `bohb()` helper returns both): the model
 * pools every bracket's observations at a budget, where plain Hyperband shows a sampler one bracket only.
 *
 * @example
 * const study = await createStudy({ ...bohb({ seed: 1, minResource: 1, maxResource: 81 }) });
 */
import { ConfigError } from "../errors.js";
import { Rng, hashString } from "../math/random.js";
import { firstStepAtOrPast, objectiveCurves } from "../core/curve.js";
import type { Distribution, SearchSpace } from "../space/distributions.js";
import type { FrozenTrial, TrialState } from "../core/types.js";
import { RandomSampler } from "./random.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { Sampler } from "./sampler.js";
import { TPESampler } from "./tpe/tpe.js";

export interface BohbSamplerOptions {
  seed?: number;
  /** Trials needed at a budget before the model is fitted there. Default 10. */
  minObservations?: number;
  /** Share of trials sampled uniformly at random whatever the model says. Default 1/3. */
  randomFraction?: number;
  /** The model. Default: multivariate TPE with grouping, seeded from `seed`. */
  model?: Sampler;
}

const RANDOM_DRAW_STREAM = hashString("bohb:random-fraction");

export class BohbSampler implements Sampler {
  readonly name = "bohb";
  readonly seed: number;
  readonly minObservations: number;
  readonly randomFraction: number;
  private readonly model: Sampler;
  private readonly random: RandomSampler;
  /** Per study, one view per budget: the model's caches (keyed by view) then only ever grow, as with a plain study. */
  private readonly views = new WeakMap<StudyView, Map<number, BudgetView>>();

  constructor(options: BohbSamplerOptions = {}) {
    this.seed = options.seed ?? Rng.randomSeed();
    this.minObservations = options.minObservations ?? 10;
    if (!(Number.isInteger(this.minObservations) && this.minObservations >= 2)) {
      throw new ConfigError(`minObservations must be an integer of at least 2, got ${this.minObservations}`);
    }
    this.randomFraction = options.randomFraction ?? 1 / 3;
    if (!(this.randomFraction >= 0 && this.randomFraction <= 1)) {
      throw new ConfigError(`randomFraction must be between 0 and 1, got ${this.randomFraction}`);
    }
    this.model = options.model ?? new TPESampler({ seed: this.seed, multivariate: true, group: true });
    this.random = new RandomSampler({ seed: this.seed });
  }

  inferRelativeSearchSpace(study: StudyView, trial: SamplingTrial): SearchSpace {
    if (this.isRandom(trial) || !this.model.inferRelativeSearchSpace) return {};
    return this.model.inferRelativeSearchSpace(this.budgetView(study).view, trial);
  }

  async sampleRelative(study: StudyView, trial: SamplingTrial, space: SearchSpace): Promise<Record<string, number>> {
    return this.model.sampleRelative!(this.budgetView(study).view, trial, space);
  }

  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    if (this.isRandom(trial)) return this.random.sampleIndependent(study, trial, name, distribution);
    return this.model.sampleIndependent(this.budgetView(study).view, trial, name, distribution);
  }

  async afterTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    await this.model.afterTrial?.(this.budgetView(study).view, trial);
  }

  /** The budget the model is fitted on now (null: too few trials anywhere, so the model sees the whole study). */
  modelBudget(study: StudyView): number | null {
    return this.budgetView(study).budget;
  }

  private isRandom(trial: Pick<SamplingTrial, "number">): boolean {
    return Rng.stream(this.seed, RANDOM_DRAW_STREAM, trial.number).random() < this.randomFraction;
  }

  private budgetView(study: StudyView): { view: StudyView; budget: number | null } {
    const budget = largestBudgetWith(study.trials(), this.minObservations);
    if (budget === null) return { view: study, budget };
    let byBudget = this.views.get(study);
    if (!byBudget) this.views.set(study, (byBudget = new Map()));
    let view = byBudget.get(budget);
    if (!view) byBudget.set(budget, (view = new BudgetView(study, budget)));
    return { view: view.view, budget };
  }
}

/** The study with every trial that reached `budget` shown complete with its value there; the others left out. */
class BudgetView {
  readonly view: StudyView;
  private derived: { source: readonly FrozenTrial[]; trials: readonly FrozenTrial[] } | null = null;

  constructor(
    private readonly study: StudyView,
    private readonly budget: number,
  ) {
    const list = (options?: { states?: readonly TrialState[] }): readonly FrozenTrial[] => {
      const trials = this.trials();
      return options?.states ? trials.filter((t) => options.states!.includes(t.state)) : trials;
    };
    this.view = Object.create(study, { trials: { value: list } }) as StudyView;
  }

  /** Rebuilt only when the study's trials array changes (as `StudyView.trials` promises to callers). */
  private trials(): readonly FrozenTrial[] {
    const source = this.study.trials();
    if (this.derived?.source !== source) {
      this.derived = { source, trials: valuedAt(source, this.budget, this.study.directions.length) };
    }
    return this.derived.trials;
  }
}

/** The largest step that at least `needed` complete or pruned trials have reported at or past. */
function largestBudgetWith(trials: readonly FrozenTrial[], needed: number): number | null {
  const lastSteps: number[] = [];
  for (const trial of trials) {
    if ((trial.state !== "complete" && trial.state !== "pruned") || trial.intermediateValues.size === 0) continue;
    let last = -Infinity;
    for (const step of trial.intermediateValues.keys()) last = Math.max(last, step);
    lastSteps.push(last);
  }
  if (lastSteps.length < needed) return null;
  // The needed-th largest last step: that many trials reached it.
  lastSteps.sort((a, b) => b - a);
  return lastSteps[needed - 1]!;
}

/** Each trial valued at its first reported step at or past `budget` (one value per objective). */
function valuedAt(source: readonly FrozenTrial[], budget: number, objectives: number): readonly FrozenTrial[] {
  const trials: FrozenTrial[] = [];
  for (const trial of source) {
    if (trial.state === "running") {
      // Running trials stay as they are, for a model that spreads parallel proposals (constant liar).
      trials.push(trial);
      continue;
    }
    if (trial.state === "failed" || trial.state === "waiting") continue;
    const step = firstStepAtOrPast(trial.intermediateValues, budget);
    if (step === null) continue;
    const values = objectiveCurves(trial, objectives).map((curve) => curve.get(step) ?? NaN);
    if (!values.every(Number.isFinite)) continue;
    trials.push(Object.freeze({ ...trial, state: "complete" as const, value: values[0]!, values }));
  }
  return Object.freeze(trials);
}
