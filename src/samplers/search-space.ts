/**
 * @module The search space a joint ("relative") sampler can model: what every finished trial had in common.
 *
 * Define-by-run objectives suggest different parameters in different trials. A joint model can only use the
 * parameters that every complete (or pruned) trial suggested with the same distribution; the rest go through the
 * sampler's per-parameter fallback. Incremental: each call only looks at trials finished since the last one.
 */
import { sameDistribution, type SearchSpace } from "../space/distributions.js";
import type { FrozenTrial, TrialState } from "../study/types.js";
import type { StudyView } from "./sampler.js";

const MODELLED_STATES: readonly TrialState[] = ["complete", "pruned"];

export class IntersectionSearchSpace {
  private space: SearchSpace | null = null;
  private seen = new Set<number>();

  /** Parameters present with one distribution in every complete and pruned trial, sorted by name. */
  compute(study: StudyView): SearchSpace {
    for (const trial of study.trials({ states: MODELLED_STATES })) {
      if (this.seen.has(trial.id)) continue;
      this.seen.add(trial.id);
      this.space = this.space === null ? { ...trial.distributions } : intersect(this.space, trial);
    }
    const out: SearchSpace = {};
    for (const name of Object.keys(this.space ?? {}).sort()) out[name] = this.space![name]!;
    return out;
  }
}

function intersect(space: SearchSpace, trial: FrozenTrial): SearchSpace {
  const out: SearchSpace = {};
  for (const [name, distribution] of Object.entries(space)) {
    const other = trial.distributions[name];
    if (other && sameDistribution(other, distribution)) out[name] = distribution;
  }
  return out;
}

