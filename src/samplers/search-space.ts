/**
 * @module The search spaces a joint ("relative") sampler can model: what every finished trial had in common, or
 * everything any of them had.
 *
 * Define-by-run objectives suggest different parameters in different trials. Most joint models can only use the
 * parameters that every complete (or pruned) trial suggested with the same distribution (the intersection); the
 * rest go through the sampler's per-parameter fallback. A model that encodes absent parameters (the GP) can use
 * the union instead. Both are incremental: each call only looks at trials finished since the last one.
 */
import { sameDistribution, type SearchSpace } from "../space/distributions.js";
import type { FrozenTrial, TrialState } from "../core/types.js";
import type { StudyView } from "../core/study-view.js";

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


/** Parameters present in any complete or pruned trial, each always with one distribution; sorted by name. */
export class UnionSearchSpace {
  private readonly space: SearchSpace = {};
  /** Parameters seen with two different distributions: no joint model can treat them as one column. */
  private readonly conflicting = new Set<string>();
  private seen = new Set<number>();

  compute(study: StudyView): SearchSpace {
    for (const trial of study.trials({ states: MODELLED_STATES })) {
      if (this.seen.has(trial.id)) continue;
      this.seen.add(trial.id);
      for (const [name, distribution] of Object.entries(trial.distributions)) {
        if (this.conflicting.has(name)) continue;
        const known = this.space[name];
        if (!known) this.space[name] = distribution;
        else if (!sameDistribution(known, distribution)) {
          this.conflicting.add(name);
          delete this.space[name];
        }
      }
    }
    const out: SearchSpace = {};
    for (const name of Object.keys(this.space).sort()) out[name] = this.space[name]!;
    return out;
  }
}
