/**
 * @module The default sampler: picks, per study and as the study grows, the sampler that suits its search space.
 *
 * The rule (measured on the benchmark suite, see docs/benchmarks.md):
 * - the first trials are a scrambled Sobol design (evenly spread, and what every model needs first);
 * - multi-objective studies go to multivariate TPE with grouping, which ranks them by Pareto front;
 * - single-objective studies go to Gaussian-process BO, the most sample-efficient model for small budgets, fixed
 *   and conditional spaces alike (categoricals are compared by equality in its kernel, parameters a trial did not
 *   have are inactive in its row). Up to `gpMaxTrials`, AutoSampler proposes exactly what `GPSampler` with the
 *   same seed would, since GP's own startup is the same Sobol design;
 * - long runs leave GP once its cubic cost stops paying off: fixed numeric spaces for CMA-ES, warm-started around
 *   the best trials, spaces with categoricals or conditional parameters for TPE.
 * The choice is a function of the finished trials only, so every worker of a study and every resumed run makes the
 * same one. Each trial carries the name of the sampler that proposed it, and the study records every switch.
 */
import { AUTO_CHOICE_ATTR as CHOICE_ATTR, AUTO_HISTORY_ATTR, readAttr } from "../core/attributes.js";
import { Rng } from "../math/random.js";
import type { Distribution, SearchSpace } from "../space/distributions.js";
import { internalToUnit } from "../space/transform.js";
import type { Direction, FrozenTrial, JsonValue } from "../core/types.js";
import { CmaEsSampler } from "./cmaes/sampler.js";
import { GPSampler } from "./gp/sampler.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { Sampler, TrialReservation } from "./sampler.js";
import { SobolSampler } from "./sobol.js";
import { TPESampler } from "./tpe/tpe.js";


export type AutoChoice = "sobol" | "tpe" | "gp" | "cmaes";

export interface AutoSamplerOptions {
  seed?: number;
  /** The samplers delegated to (tests replace them); default: the library's own. */
  delegates?: AutoDelegates;
  /** Finished trials of quasi-random design before any model is used. */
  nStartupTrials?: number;
  /** In numeric spaces, finished trials after which GP hands over to CMA-ES. */
  gpMaxTrials?: number;
}

/** Builds the samplers AutoSampler delegates to; all share the AutoSampler's seed. */
export interface AutoDelegates {
  sobol(seed: number): Sampler;
  tpe(seed: number): Sampler;
  gp(seed: number): Sampler;
  /** CMA-ES warm-started from the complete trials so far. */
  cmaes(seed: number, warmStart: readonly FrozenTrial[], direction: Direction): Sampler;
}

/** Complete trials whose box-unit spread sets CMA-ES's initial step size, as a fraction of the history. */
const WARM_START_ELITE_FRACTION = 0.1;

/**
 * CMA-ES starting where the earlier trials found the best region: the mean at the best trial, the step size at
 * the spread of the best tenth (within [0.02, 1/6] of each range, CMA-ES's own default being the upper end).
 */
export function warmStartedCmaEs(seed: number, trials: readonly FrozenTrial[], direction: Direction): Sampler {
  const sign = direction === "maximize" ? -1 : 1;
  const ranked = [...trials].sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number);
  const elite = ranked.slice(0, Math.max(2, Math.ceil(ranked.length * WARM_START_ELITE_FRACTION)));
  const best = ranked[0];
  if (!best) return new CmaEsSampler({ seed });
  const x0: Record<string, number> = {};
  let spread = 0;
  let columns = 0;
  for (const [name, distribution] of Object.entries(best.distributions)) {
    if (distribution.type === "categorical") continue;
    x0[name] = best.internalParams[name]!;
    const units = elite.map((t) => internalToUnit(distribution, t.internalParams[name] ?? x0[name]!));
    const mean = units.reduce((a, b) => a + b, 0) / units.length;
    spread += Math.sqrt(units.reduce((a, u) => a + (u - mean) ** 2, 0) / units.length);
    columns++;
  }
  const sigma0 = Math.min(1 / 6, Math.max(0.02, columns ? spread / columns : 1 / 6));
  return new CmaEsSampler({ seed, x0, sigma0 });
}

export const DEFAULT_AUTO_DELEGATES: AutoDelegates = {
  sobol: (seed) => new SobolSampler({ seed }),
  tpe: (seed) => new TPESampler({ seed, multivariate: true, group: true, constantLiar: true }),
  gp: (seed) => new GPSampler({ seed }),
  cmaes: warmStartedCmaEs,
};

interface Decision {
  readonly choice: AutoChoice;
  readonly reason: string;
}

export class AutoSampler implements Sampler {
  readonly name = "auto";
  readonly seed: number;
  private readonly nStartupTrials: number;
  private readonly gpMaxTrials: number;
  private readonly instances = new Map<AutoChoice, Sampler>();
  private readonly shape = new SpaceShape();

  private readonly delegates: AutoDelegates;

  constructor(options: AutoSamplerOptions = {}) {
    this.delegates = options.delegates ?? DEFAULT_AUTO_DELEGATES;
    this.seed = options.seed ?? Rng.randomSeed();
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.gpMaxTrials = options.gpMaxTrials ?? 200;
  }

  /** Decides from the finished trials; the reason is what the study records. */
  decide(study: StudyView): Decision {
    const finished = study.trials({ states: ["complete", "pruned"] });
    if (finished.length < this.nStartupTrials) return { choice: "sobol", reason: "initial quasi-random design" };
    if (study.directions.length > 1) return { choice: "tpe", reason: "multi-objective study" };
    const shape = this.shape.update(finished);
    const kind = shape.conditional ? "conditional" : "fixed";
    if (finished.length < this.gpMaxTrials) return { choice: "gp", reason: `${kind} search space, fewer than ${this.gpMaxTrials} trials` };
    // CMA-ES models neither categoricals nor conditional parameters; TPE does, at a cost that stays low.
    if (shape.conditional) return { choice: "tpe", reason: `conditional search space, ${this.gpMaxTrials} trials or more` };
    if (shape.categorical) return { choice: "tpe", reason: `categorical parameters, ${this.gpMaxTrials} trials or more` };
    return { choice: "cmaes", reason: `numeric space, ${this.gpMaxTrials} trials or more` };
  }

  async reserve(study: StudyView): Promise<TrialReservation | null> {
    const decision = this.decide(study);
    await this.record(study, decision);
    const delegate = this.instance(decision.choice, study);
    const reservation = delegate.reserve ? await delegate.reserve(study) : {};
    if (reservation === null) return null;
    return { ...reservation, systemAttrs: { ...reservation.systemAttrs, [CHOICE_ATTR]: decision.choice } };
  }

  inferRelativeSearchSpace(study: StudyView, trial: SamplingTrial): SearchSpace {
    const delegate = this.delegateOf(study, trial);
    return delegate.inferRelativeSearchSpace?.(study, trial) ?? {};
  }

  async sampleRelative(study: StudyView, trial: SamplingTrial, space: SearchSpace): Promise<Record<string, number>> {
    const delegate = this.delegateOf(study, trial);
    return delegate.sampleRelative ? delegate.sampleRelative(study, trial, space) : {};
  }

  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    return this.delegateOf(study, trial).sampleIndependent(study, trial, name, distribution);
  }

  async afterTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    await this.delegateOf(study, trial).afterTrial?.(study, trial);
  }

  /** The sampler that proposed (or proposes) this trial: its tag, or for enqueued trials a fresh decision. */
  private delegateOf(study: StudyView, trial: SamplingTrial): Sampler {
    const tagged = trial.systemAttrs[CHOICE_ATTR];
    const choice = isChoice(tagged) ? tagged : this.decide(study).choice;
    return this.instance(choice, study);
  }

  private instance(choice: AutoChoice, study: StudyView): Sampler {
    let sampler = this.instances.get(choice);
    if (!sampler) {
      sampler =
        choice === "cmaes"
          ? this.delegates.cmaes(this.seed, study.trials({ states: ["complete"] }).slice(0, this.gpMaxTrials), study.directions[0]!)
          : this.delegates[choice](this.seed);
      this.instances.set(choice, sampler);
    }
    return sampler;
  }

  /** Appends the decision to the study's record when it differs from the last one. */
  private async record(study: StudyView, decision: Decision): Promise<void> {
    const history = autoSamplerHistory(study.systemAttrs);
    if (history.at(-1)?.sampler === decision.choice) return;
    const finished = study.trials({ states: ["complete", "pruned"] }).length;
    const entry: AutoSwitch = { sampler: decision.choice, reason: decision.reason, afterFinishedTrials: finished };
    await study.setSystemAttrs({ [AUTO_HISTORY_ATTR]: [...history, entry] as unknown as JsonValue[] });
  }
}

/** One choice of the AutoSampler, as recorded in the study. */
export interface AutoSwitch {
  readonly sampler: AutoChoice;
  readonly reason: string;
  readonly afterFinishedTrials: number;
}

/** The AutoSampler's choices recorded in a study's system attributes, oldest first (empty for other samplers). */
export function autoSamplerHistory(systemAttrs: Readonly<Record<string, JsonValue>>): readonly AutoSwitch[] {
  const history = readAttr(systemAttrs, AUTO_HISTORY_ATTR);
  return Array.isArray(history) ? (history as unknown as AutoSwitch[]) : [];
}

function isChoice(value: JsonValue | undefined): value is AutoChoice {
  return value === "sobol" || value === "tpe" || value === "gp" || value === "cmaes";
}

/** Whether the finished trials' parameters vary between trials, and whether any is categorical; incremental. */
class SpaceShape {
  conditional = false;
  categorical = false;
  private signature: string | null = null;
  private readonly seen = new Set<number>();

  update(finished: readonly FrozenTrial[]): this {
    for (const trial of finished) {
      if (this.seen.has(trial.id)) continue;
      this.seen.add(trial.id);
      const signature = Object.keys(trial.distributions).sort().join("\u0000");
      this.signature ??= signature;
      this.conditional ||= signature !== this.signature;
      this.categorical ||= Object.values(trial.distributions).some((d) => d.type === "categorical");
    }
    return this;
  }
}
