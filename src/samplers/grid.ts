/**
 * @module Exhaustive grid search: every point exactly once, even with many workers on one study.
 *
 * Points are visited in a seeded pseudo-random order (so a grid cut short still covers the space evenly), and each
 * point is claimed through the storage atomically with its trial's creation, so two workers can never evaluate the
 * same point. When every point is claimed the sampler reports exhaustion and `optimize` stops.
 */
import { GRID_POINT_ATTR, gridClaim, readAttr } from "../core/attributes.js";
import { SearchSpaceError } from "../errors.js";
import { Rng, hashString } from "../math/random.js";
import type { Distribution } from "../space/distributions.js";
import type { ParamValue } from "../core/types.js";
import type { SamplingTrial, StudyView } from "../core/study-view.js";
import type { Sampler, TrialReservation } from "./sampler.js";


function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class GridSampler implements Sampler {
  readonly name = "grid";
  readonly size: number;
  private readonly names: readonly string[];
  private readonly values: readonly (readonly ParamValue[])[];
  /** Identifies this grid, so that claims of a different grid in the same study do not collide. */
  private readonly fingerprint: string;
  private readonly stride: number;
  private readonly offset: number;
  private cursor = 0;
  /** The cursor position last proposed. */
  private proposedAt = -1;

  constructor(grid: Readonly<Record<string, readonly ParamValue[]>>, options: { seed?: number } = {}) {
    this.names = Object.keys(grid).sort();
    if (this.names.length === 0) throw new SearchSpaceError("the grid is empty; give at least one parameter with values");
    this.values = this.names.map((name) => {
      const values = grid[name];
      if (!Array.isArray(values) || values.length === 0) {
        throw new SearchSpaceError(`grid parameter "${name}" has no values; give a non-empty array`);
      }
      return [...values];
    });
    this.size = this.values.reduce((n, v) => n * v.length, 1);
    if (!Number.isSafeInteger(this.size)) throw new SearchSpaceError(`the grid has ${this.size} points, too many to enumerate`);
    this.fingerprint = hashString(JSON.stringify(this.names.map((n, i) => [n, this.values[i]]))).toString(16);
    // Visit order k ↦ (stride·k + offset) mod size: a permutation whenever stride and size are coprime.
    const rng = new Rng(options.seed ?? Rng.randomSeed());
    let stride = 1 + rng.int(Math.max(1, this.size - 1));
    while (gcd(stride, this.size) !== 1) stride = 1 + rng.int(Math.max(1, this.size - 1));
    this.stride = stride;
    this.offset = rng.int(this.size);
  }

  /** The parameter values of grid point `index` (mixed-radix over the sorted parameter names). */
  point(index: number): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    let rest = index;
    for (let i = this.names.length - 1; i >= 0; i--) {
      const values = this.values[i]!;
      out[this.names[i]!] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    return out;
  }

  /**
   * The first point in visiting order that no known trial holds, claimed with its trial (see `TrialReservation`).
   * Asked again while the point proposed last is still not taken, its claim went to another worker (or its trial is
   * being created by a concurrent ask here): the cursor moves past it.
   */
  async reserve(study: StudyView): Promise<TrialReservation | null> {
    const taken = new Set<number>();
    for (const trial of study.trials()) {
      const mark = readAttr(trial.systemAttrs, GRID_POINT_ATTR) as { grid?: string; index?: number } | undefined;
      if (mark?.grid === this.fingerprint && typeof mark.index === "number") taken.add(mark.index);
    }
    if (this.proposedAt === this.cursor) this.cursor++;
    for (; this.cursor < this.size; this.cursor++) {
      const index = this.indexAt(this.cursor);
      if (taken.has(index)) continue;
      this.proposedAt = this.cursor;
      return {
        fixedParams: this.point(index),
        systemAttrs: { [GRID_POINT_ATTR]: { grid: this.fingerprint, index } },
        claim: gridClaim(this.fingerprint, index),
      };
    }
    return null;
  }

  private indexAt(position: number): number {
    return Number((BigInt(this.stride) * BigInt(position) + BigInt(this.offset)) % BigInt(this.size));
  }

  sampleIndependent(_study: StudyView, _trial: SamplingTrial, name: string, _distribution: Distribution): number {
    throw new SearchSpaceError(`parameter "${name}" is not in the grid; add it to the GridSampler's grid (or suggest only grid parameters)`);
  }
}
