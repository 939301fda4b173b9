import type { SamplingTrial, SearchSpace, StudyView } from "scaletune";
import { LocalSearchSampler } from "./local-search-sampler.js";
import { uniformStream } from "./seeded.js";

/**
 * Steps from the best trial in all of its parameters at once, and decides once per trial whether one of them jumps:
 * one at a time, each parameter would jump on its own chance, and with many parameters few trials would keep the
 * best trial's values in all but one. Parameters the best trial did not have fall back to `sampleIndependent`.
 */
export class JointLocalSearchSampler extends LocalSearchSampler {
  override readonly name: string = "joint-local-search";

  /** The best trial's parameters, with their distributions: the space of this trial's joint step (empty at startup). */
  inferRelativeSearchSpace(study: StudyView, _trial: SamplingTrial): SearchSpace {
    return { ...this.incumbent(study)?.distributions };
  }

  async sampleRelative(study: StudyView, trial: SamplingTrial, space: SearchSpace): Promise<Record<string, number>> {
    const best = this.incumbent(study);
    if (best === null) return {};
    const random = uniformStream(this.seed, trial.number, "joint");
    const names = Object.keys(space).sort();
    const jumping = random() < this.explore ? names[Math.floor(random() * names.length)] : undefined;
    const values: Record<string, number> = {};
    for (const name of names) {
      values[name] = this.move(space[name]!, best.internalParams[name], name === jumping, random);
    }
    return values;
  }
}
