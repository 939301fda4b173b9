/**
 * @module Scrambled Sobol quasi-random sampling: evenly spread points, reproducible from a seed.
 *
 * Point index = trial number (unique and dense across workers, so parallel workers never repeat a point) and
 * dimension = the parameter's position in the trial's suggestion order. That needs no search space up front, so
 * define-by-run objectives get a proper Sobol point from the first trial on.
 */
import { Rng, hashString } from "../math/random.js";
import { SOBOL_MAX_DIMENSION, ScrambledSobol } from "../math/sobol.js";
import type { Distribution } from "../space/distributions.js";
import { unitToInternal } from "../space/transform.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { Sampler } from "./sampler.js";

export class SobolSampler implements Sampler {
  readonly name = "sobol";
  readonly seed: number;
  private readonly sequence: ScrambledSobol;

  constructor(options: { seed?: number } = {}) {
    this.seed = options.seed ?? Rng.randomSeed();
    this.sequence = new ScrambledSobol(this.seed);
  }

  sampleIndependent(study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    const dimension = Object.keys(trial.internalParams).length;
    if (dimension >= SOBOL_MAX_DIMENSION) {
      study.warn(`sobol: more than ${SOBOL_MAX_DIMENSION} parameters; the rest are sampled uniformly at random`);
      return unitToInternal(distribution, Rng.stream(this.seed, trial.number, hashString(name)).random());
    }
    return unitToInternal(distribution, this.sequence.point(trial.number, dimension));
  }
}
