import {
  SpaceTransform,
  type Distribution,
  type FrozenTrial,
  type Sampler,
  type SamplingTrial,
  type StudyView,
} from "scaletune";
import { normal, uniformStream } from "./seeded.js";

export interface LocalSearchOptions {
  seed?: number;
  /** Complete trials drawn uniformly before the search starts from the best one (default 10). */
  nStartupTrials?: number;
  /** The chance that a value jumps to a uniform draw instead of stepping from the best trial's (default 0.2). */
  explore?: number;
  /** The standard deviation of a step, as a fraction of a parameter's range (default 0.1). */
  stepSize?: number;
}

/** Proposes each parameter near the best complete trial's value, a Gaussian step away in the unit box. */
export class LocalSearchSampler implements Sampler {
  readonly name: string = "local-search";
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly explore: number;
  readonly stepSize: number;
  /** The incumbent of each `study.trials()` array seen: the array stays the same until a trial changes. */
  private readonly bestOf = new WeakMap<readonly FrozenTrial[], FrozenTrial | null>();

  constructor(options: LocalSearchOptions = {}) {
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.explore = options.explore ?? 0.2;
    this.stepSize = options.stepSize ?? 0.1;
  }

  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    const random = uniformStream(this.seed, trial.number, name);
    const best = this.incumbent(study);
    const known = best !== null && sameRange(best.distributions[name], distribution);
    const centre = known ? best.internalParams[name] : undefined;
    return this.move(distribution, centre, random() < this.explore, random);
  }

  /** A Gaussian step from `centre` in the unit box, or a uniform draw when there is no centre or `jump` is set. */
  protected move(distribution: Distribution, centre: number | undefined, jump: boolean, random: () => number): number {
    // One-hot: a categorical parameter gets one column per choice, so a step assumes no order of the choices.
    const transform = new SpaceTransform({ p: distribution }, { categorical: "onehot" });
    const unit =
      centre === undefined || jump
        ? Array.from({ length: transform.dim }, random)
        : transform.toUnit({ p: centre }).map((u) => u + this.stepSize * normal(random));
    return transform.fromUnit(unit).p!; // internal values, snapped onto the distribution
  }

  /** The best complete trial, once `nStartupTrials` trials have completed; null before, and with several objectives. */
  protected incumbent(study: StudyView): FrozenTrial | null {
    const trials = study.trials();
    let best = this.bestOf.get(trials);
    if (best === undefined) {
      best = bestComplete(study, trials, this.nStartupTrials);
      this.bestOf.set(trials, best);
    }
    return best;
  }
}

function bestComplete(study: StudyView, trials: readonly FrozenTrial[], nStartupTrials: number): FrozenTrial | null {
  if (study.directions.length > 1) {
    const objectives = study.directions.length;
    study.warn(`local search: ${objectives} objectives, no single best trial to search around; sampling uniformly`);
    return null;
  }
  const sign = study.directions[0] === "maximize" ? -1 : 1;
  let best: FrozenTrial | null = null;
  let complete = 0;
  for (const trial of trials) {
    if (trial.state !== "complete") continue;
    complete++;
    if (best === null || sign * trial.value! < sign * best.value!) best = trial;
  }
  return complete < nStartupTrials ? null : best;
}

/** Whether a parameter had the same distribution in the best trial (distributions are plain JSON data). */
function sameRange(a: Distribution | undefined, b: Distribution): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
