import type { FrozenTrial, StudyView, TrialState } from "scaletune";

/**
 * The study with `trials()` showing only the trials `keep` accepts, for a pruner's `samplerView`. Everything else is
 * passed on to the study itself, so that writes (`setSystemAttrs`, `claim`) reach the study as they are.
 */
export function narrowedView(study: StudyView, keep: (trial: FrozenTrial) => boolean): StudyView {
  // One narrowed array per array of the study's: samplers that cache by `trials()` array keep their caches.
  const narrowed = new WeakMap<readonly FrozenTrial[], readonly FrozenTrial[]>();
  return {
    name: study.name,
    directions: study.directions,
    get systemAttrs() {
      return study.systemAttrs;
    },
    trials(options?: { states?: readonly TrialState[] }): readonly FrozenTrial[] {
      const all = study.trials();
      let kept = narrowed.get(all);
      if (kept === undefined) narrowed.set(all, (kept = Object.freeze(all.filter(keep))));
      const states = options?.states;
      return states === undefined ? kept : kept.filter((trial) => states.includes(trial.state));
    },
    setSystemAttrs: (attrs) => study.setSystemAttrs(attrs),
    claim: (key) => study.claim(key),
    warn: (message) => study.warn(message),
  };
}
