import {
  ConfigError,
  SpaceTransform,
  type Distribution,
  type Sampler,
  type SamplingTrial,
  type StudyView,
  type TrialReservation,
} from "scaletune";
import { uniformStream } from "./seeded.js";

/** Keys this sampler stores, all starting with its name: the trial's slot, and the study's first design. */
const SLOT_ATTR = "lhs:slot";
const DESIGN_ATTR = "lhs:design";

/**
 * A Latin hypercube of `size` trials, shared by every worker of a study: each parameter's range is cut into `size`
 * strata, and each stratum is used by exactly one trial. A trial takes a slot of the design, claimed atomically with
 * the trial's creation, so no two workers take the same slot; once every slot is taken, the study stops.
 */
export class LatinHypercubeSampler implements Sampler {
  readonly name = "lhs";
  readonly seed: number;
  readonly size: number;
  /** Names the design: workers with the same seed and size share one design, others claim slots of their own. */
  private readonly design: string;
  /** Slots this process offered: one whose claim another worker won is not offered again. */
  private readonly offered = new Set<number>();
  /** Each parameter's strata in slot order: a permutation of 0 … size − 1. */
  private readonly strata = new Map<string, number[]>();

  constructor(options: { seed: number; size: number }) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new ConfigError(`LatinHypercubeSampler: size must be a positive integer, got ${options.size}`);
    }
    this.seed = options.seed;
    this.size = options.size;
    this.design = `${this.seed}-${this.size}`;
  }

  async reserve(study: StudyView): Promise<TrialReservation | null> {
    await this.recordDesign(study);
    const taken = new Set(this.offered);
    for (const trial of study.trials()) {
      const slot = this.slotOf(trial);
      if (slot !== null) taken.add(slot);
    }
    for (let slot = 0; slot < this.size; slot++) {
      if (taken.has(slot)) continue;
      this.offered.add(slot);
      return { systemAttrs: { [SLOT_ATTR]: { design: this.design, slot } }, claim: `lhs:${this.design}:${slot}` };
    }
    return null; // every slot is taken: the study has nothing left to run
  }

  sampleIndependent(_study: StudyView, trial: SamplingTrial, name: string, distribution: Distribution): number {
    const transform = new SpaceTransform({ [name]: distribution });
    const slot = this.slotOf(trial);
    // Enqueued and retried trials have no slot (the study starts them without `reserve`): uniform values.
    if (slot === null) return transform.fromUnit([uniformStream(this.seed, "trial", trial.number, name)()])[name]!;
    const stratum = this.strataOf(name)[slot]!;
    const unit = (stratum + uniformStream(this.seed, "slot", slot, name)()) / this.size;
    return transform.fromUnit([unit])[name]!;
  }

  private slotOf(trial: Pick<SamplingTrial, "systemAttrs">): number | null {
    const mark = trial.systemAttrs[SLOT_ATTR];
    if (typeof mark !== "object" || mark === null || Array.isArray(mark)) return null;
    return mark.design === this.design && typeof mark.slot === "number" ? mark.slot : null;
  }

  private strataOf(name: string): number[] {
    let strata = this.strata.get(name);
    if (strata === undefined) {
      const random = uniformStream(this.seed, "strata", name);
      strata = Array.from({ length: this.size }, (_, i) => i);
      for (let i = strata.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [strata[i], strata[j]] = [strata[j]!, strata[i]!];
      }
      this.strata.set(name, strata);
    }
    return strata;
  }

  /** Stores the study's first design, and warns a worker whose design differs (another seed or size). */
  private async recordDesign(study: StudyView): Promise<void> {
    const recorded = study.systemAttrs[DESIGN_ATTR];
    if (recorded === undefined) {
      await study.setSystemAttrs({ [DESIGN_ATTR]: this.design });
    } else if (recorded !== this.design) {
      study.warn(`Latin hypercube: this study's design is ${String(recorded)}, this worker's ${this.design} (seed-size)`);
    }
  }
}
