/**
 * @module Where each CMA-ES trial belongs (run, generation, slot), read back from the study's trials.
 *
 * `reserve` tags every trial it proposes with its run ("restart"), generation and index in the population, plus
 * the fingerprint of the run's search space. Replaying these tags in order rebuilds the optimiser exactly, in a new
 * process as in the one that proposed them: the tags, not the order in which trials happened to finish, decide
 * which trials form a generation.
 */
import {
  CMAES_GENERATION_ATTR as GENERATION_ATTR,
  CMAES_INDEX_ATTR as INDEX_ATTR,
  CMAES_RESTART_ATTR as RESTART_ATTR,
  CMAES_SPACE_ATTR as SPACE_ATTR,
} from "../../core/attributes.js";
import type { FrozenTrial, JsonValue } from "../../core/types.js";

export interface Slot {
  readonly restart: number;
  readonly generation: number;
  readonly index: number;
  /** Fingerprint of the run's search space. */
  readonly space: string;
}

export function slotAttrs(slot: Slot): Record<string, JsonValue> {
  return { [RESTART_ATTR]: slot.restart, [GENERATION_ATTR]: slot.generation, [INDEX_ATTR]: slot.index, [SPACE_ATTR]: slot.space };
}

export function readSlot(attrs: Readonly<Record<string, JsonValue>>): Slot | null {
  const restart = attrs[RESTART_ATTR];
  const generation = attrs[GENERATION_ATTR];
  const index = attrs[INDEX_ATTR];
  const space = attrs[SPACE_ATTR];
  if (typeof restart !== "number" || typeof generation !== "number" || typeof index !== "number" || typeof space !== "string") {
    return null;
  }
  return { restart, generation, index, space };
}

/** The run a restart number stands for: its space is the one of the lowest-numbered trial tagged with it. */
export interface RunRecord {
  readonly restart: number;
  readonly space: string;
}

/** Tagged trials by run and generation, kept up to date trial by trial (tags never change after creation). */
export class SlotIndex {
  /** The latest version of every trial seen, by number. */
  private readonly versions: FrozenTrial[] = [];
  /** restart → space fingerprint → number of its first trial. Two workers may open one restart number with
   *  different spaces at once; the earlier trial's space wins. */
  private readonly runs = new Map<number, Map<string, number>>();
  /** Trial numbers of one generation of one run, in slot order. */
  private readonly generations = new Map<string, number[]>();

  /** The version of trial `number` seen last. */
  latest(number: number): FrozenTrial | undefined {
    return this.versions[number];
  }

  /** Records a new trial, or a newer version (new state, values) of one seen before. */
  record(trial: FrozenTrial): void {
    const known = this.versions[trial.number] !== undefined;
    this.versions[trial.number] = trial;
    const slot = known ? null : readSlot(trial.systemAttrs);
    if (slot === null) return;
    let spaces = this.runs.get(slot.restart);
    if (!spaces) this.runs.set(slot.restart, (spaces = new Map()));
    spaces.set(slot.space, Math.min(spaces.get(slot.space) ?? Infinity, trial.number));
    const key = generationKey(slot.restart, slot.space, slot.generation);
    const numbers = this.generations.get(key) ?? [];
    this.generations.set(key, numbers);
    let at = numbers.length;
    while (at > 0 && this.slotOf(numbers[at - 1]!) > slot.index) at--;
    numbers.splice(at, 0, trial.number);
  }

  /** The runs in restart order. */
  runRecords(): RunRecord[] {
    const records: RunRecord[] = [];
    for (const [restart, spaces] of this.runs) {
      let first: [string, number] | null = null;
      for (const entry of spaces) if (first === null || entry[1] < first[1]) first = entry;
      records.push({ restart, space: first![0] });
    }
    return records.sort((a, b) => a.restart - b.restart);
  }

  /** Trials of one generation of a run, in slot order. */
  generation(run: RunRecord, generation: number): FrozenTrial[] {
    return (this.generations.get(generationKey(run.restart, run.space, generation)) ?? []).map((number) => this.versions[number]!);
  }

  /** The slot after the highest one taken in a generation. */
  nextIndex(run: RunRecord, generation: number): number {
    const numbers = this.generations.get(generationKey(run.restart, run.space, generation));
    return numbers === undefined || numbers.length === 0 ? 0 : this.slotOf(numbers[numbers.length - 1]!) + 1;
  }

  private slotOf(number: number): number {
    return this.versions[number]!.systemAttrs[INDEX_ATTR] as number;
  }
}

/**
 * The trials that update a generation, or null while it is not complete: walking the slots in order, failed trials
 * are skipped (their slot is taken over by a later one), complete and pruned trials are collected, and a trial still
 * running stops the walk. So the set is decided by the tags alone and never changes once chosen; slots beyond the
 * first `popsize` usable ones (extra proposals from parallel workers) are evaluated but not used.
 */
export function completeGeneration(trials: readonly FrozenTrial[], popsize: number): FrozenTrial[] | null {
  const chosen: FrozenTrial[] = [];
  for (const trial of trials) {
    if (chosen.length === popsize) break;
    if (trial.state === "failed") continue;
    if (trial.state !== "complete" && trial.state !== "pruned") return null;
    chosen.push(trial);
  }
  return chosen.length === popsize ? chosen : null;
}

function generationKey(restart: number, space: string, generation: number): string {
  return `${restart}:${space}:${generation}`;
}
