/**
 * @module Group decomposition of a define-by-run search space: parameters that always appear together.
 *
 * A conditional objective (momentum only when the optimizer is SGD) has no single joint space, and the
 * intersection of all trials' parameters loses the conditional ones. Instead, two parameters belong to one group
 * when every finished trial has either both or neither; each group can then be modelled jointly from the trials
 * that contain it. Every new trial splits groups by "in this trial / not in it", so the groups are the same
 * whatever order trials finish in. A parameter seen with two different distributions cannot be modelled jointly
 * and leaves the groups for good (the per-parameter fallback handles it).
 */
import { sameDistribution, type Distribution, type SearchSpace } from "../../space/distributions.js";
import type { TrialState } from "../../core/types.js";
import type { StudyView } from "../../core/study-view.js";

const MODELLED_STATES: readonly TrialState[] = ["complete", "pruned"];

export class GroupDecomposedSearchSpace {
  private groups: Set<string>[] = [];
  private readonly distributions = new Map<string, Distribution>();
  private readonly conflicting = new Set<string>();
  private readonly seen = new Set<number>();

  /** The groups of the complete and pruned trials so far: names sorted within a group, groups by first name. */
  compute(study: StudyView): SearchSpace[] {
    for (const trial of study.trials({ states: MODELLED_STATES })) {
      if (this.seen.has(trial.id)) continue;
      this.seen.add(trial.id);
      this.add(trial.distributions);
    }
    return this.groups
      .map((group) => [...group].sort())
      .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
      .map((names) => Object.fromEntries(names.map((name) => [name, this.distributions.get(name)!])));
  }

  private add(trialSpace: Readonly<Record<string, Distribution>>): void {
    const present = new Set<string>();
    for (const [name, distribution] of Object.entries(trialSpace)) {
      if (this.conflicting.has(name)) continue;
      const known = this.distributions.get(name);
      if (known && !sameDistribution(known, distribution)) {
        this.conflicting.add(name);
        for (const group of this.groups) group.delete(name);
        this.groups = this.groups.filter((group) => group.size > 0);
        continue;
      }
      if (!known) this.distributions.set(name, distribution);
      present.add(name);
    }
    const next: Set<string>[] = [];
    for (const group of this.groups) {
      const inside = new Set<string>();
      const outside = new Set<string>();
      for (const name of group) (present.has(name) ? inside : outside).add(name);
      for (const name of inside) present.delete(name);
      if (inside.size > 0) next.push(inside);
      if (outside.size > 0) next.push(outside);
    }
    if (present.size > 0) next.push(present);
    this.groups = next;
  }
}
