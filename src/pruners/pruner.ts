/**
 * @module The pruner interface: one decision, "stop this trial now?", from the study and the trial's curve.
 */
import type { StudyView } from "../samplers/sampler.js";
import type { FrozenTrial } from "../study/types.js";

export interface Pruner {
  readonly name: string;
  prune(study: StudyView, trial: FrozenTrial): boolean;
}

/** Never prunes: the default until a pruner is chosen. */
export class NopPruner implements Pruner {
  readonly name = "none";
  prune(): boolean {
    return false;
  }
}
