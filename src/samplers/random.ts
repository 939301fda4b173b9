/**
 * @module Independent uniform sampling over the unit box (log/step/int/categorical handled by the shared transform).
 */
import { Rng, hashString } from "../math/random.js";
import type { Distribution } from "../space/distributions.js";
import { unitToInternal } from "../space/transform.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { Sampler } from "./sampler.js";

export class RandomSampler implements Sampler {
  readonly name = "random";
  readonly seed: number;

  constructor(options: { seed?: number } = {}) {
    this.seed = options.seed ?? Rng.randomSeed();
  }

  /** Each value depends only on (seed, trial number, parameter name): reproducible whatever the concurrency. */
  sampleIndependent(_study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    return unitToInternal(distribution, Rng.stream(this.seed, trial.number, hashString(name)).random());
  }
}
