/**
 * @module The Gaussian process's view of a search space: one unit-box column per parameter, and which are continuous.
 *
 * Columns come from the shared `SpaceTransform` (index encoding, names sorted): log ranges in log space, stepped
 * and integer ranges widened by half a step so that each grid value owns an equal cell, categoricals as the centre
 * of their choice's slot. Continuous columns are optimised with gradients; discrete columns (steps, integers) and
 * categorical columns only ever hold the centre of a cell and are optimised by trying other cells. The kernel
 * compares categorical columns by equality only, so the slot order of the choices carries no meaning.
 */
import { cardinality, snapInternal, type Distribution, type SearchSpace } from "../../space/distributions.js";
import { SpaceTransform, internalToUnit, unitToInternal } from "../../space/transform.js";
import { INACTIVE } from "./kernel.js";

export type ColumnKind = "continuous" | "discrete" | "categorical";

/** Grids with at most this many values are searched exhaustively; larger ones at doubling distances. */
const EXHAUSTIVE_GRID = 16;

export class GPInputSpace {
  readonly names: readonly string[];
  readonly dim: number;
  readonly kinds: readonly ColumnKind[];
  /** 1 for categorical columns (compared by equality in the kernel), else 0. */
  readonly categorical: Uint8Array;
  readonly continuousColumns: readonly number[];
  /** Discrete and categorical columns that have more than one value. */
  readonly gridColumns: readonly number[];
  private readonly transform: SpaceTransform;
  private readonly distributions: readonly Distribution[];

  constructor(space: SearchSpace) {
    this.transform = new SpaceTransform(space, { categorical: "index" });
    this.names = this.transform.names;
    this.dim = this.transform.dim;
    this.distributions = this.names.map((name) => space[name]!);
    this.kinds = this.distributions.map((d) =>
      d.type === "categorical" ? "categorical" : cardinality(d) === Infinity ? "continuous" : "discrete",
    );
    this.categorical = Uint8Array.from(this.kinds, (kind) => (kind === "categorical" ? 1 : 0));
    this.continuousColumns = this.kinds.flatMap((kind, column) => (kind === "continuous" ? [column] : []));
    this.gridColumns = this.kinds.flatMap((kind, column) =>
      kind !== "continuous" && cardinality(this.distributions[column]!) > 1 ? [column] : [],
    );
  }

  /** Unit-box columns of a trial's internal values; a parameter the trial did not have is inactive (NaN). */
  encode(internal: Readonly<Record<string, number>>): Float64Array {
    return Float64Array.from(this.names, (name, column) => {
      const value = internal[name];
      return value === undefined ? INACTIVE : internalToUnit(this.distributions[column]!, value);
    });
  }

  decode(unit: ArrayLike<number>): Record<string, number> {
    return this.transform.fromUnit(unit);
  }

  /** Moves every discrete and categorical coordinate to the centre of the cell it falls in (in place). */
  snap(unit: Float64Array): void {
    for (let column = 0; column < this.dim; column++) {
      if (this.kinds[column] === "continuous") continue;
      const d = this.distributions[column]!;
      unit[column] = internalToUnit(d, unitToInternal(d, unit[column]!));
    }
  }

  /**
   * The other cells a local search should try for a grid column at unit coordinate `unit`: every other value
   * of a categorical or a small grid; for a large grid, the values 1, 2, 4, … steps away on either side and the ends.
   */
  alternatives(column: number, unit: number): number[] {
    const d = this.distributions[column]!;
    const current = unitToInternal(d, unit);
    if (d.type === "categorical") {
      return d.choices.flatMap((_, choice) => (choice === current ? [] : [internalToUnit(d, choice)]));
    }
    const step = d.step ?? 0;
    const count = cardinality(d);
    const index = Math.round((current - d.low) / step);
    const indices: number[] = [];
    if (count <= EXHAUSTIVE_GRID) {
      for (let k = 0; k < count; k++) if (k !== index) indices.push(k);
    } else {
      for (let offset = 1; offset < count; offset *= 2) {
        if (index - offset >= 0) indices.push(index - offset);
        if (index + offset < count) indices.push(index + offset);
      }
      for (const end of [0, count - 1]) if (end !== index && !indices.includes(end)) indices.push(end);
    }
    return indices.map((k) => internalToUnit(d, snapInternal(d, d.low + k * step)));
  }
}
