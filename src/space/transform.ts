/**
 * @module The one mapping between any mixed search space and the unit box [0,1]^d, shared by every sampler.
 *
 * Log ranges are mapped in log space; stepped and integer ranges are widened by half a step on each side so that
 * every grid value owns an equal share of the box (a uniform draw in the box is uniform over the grid);
 * categoricals become either one column (the choice's slot) or one column per choice (one-hot, for models
 * that must not assume an order).
 */
import { snapInternal, type Distribution, type SearchSpace } from "./distributions.js";

export type CategoricalEncoding = "index" | "onehot";

interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
}

/** The interval in (possibly log) coordinates that a numeric distribution's unit column spans. */
function numericInterval(d: Exclude<Distribution, { type: "categorical" }>): Interval {
  const half = d.step === null ? 0 : d.step / 2;
  if (d.log) return { lo: Math.log(d.low - half), hi: Math.log(d.high + half), log: true };
  return { lo: d.low - half, hi: d.high + half, log: false };
}

/** Unit coordinate of one parameter's internal value (categorical: the centre of its slot). */
export function internalToUnit(d: Distribution, internal: number): number {
  if (d.type === "categorical") return (internal + 0.5) / d.choices.length;
  const { lo, hi, log } = numericInterval(d);
  if (hi === lo) return 0.5;
  const x = log ? Math.log(internal) : internal;
  return Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
}

/** Internal value for a unit coordinate, snapped onto the distribution's support. */
export function unitToInternal(d: Distribution, unit: number): number {
  const u = Math.min(1, Math.max(0, unit));
  if (d.type === "categorical") return Math.min(d.choices.length - 1, Math.floor(u * d.choices.length));
  const { lo, hi, log } = numericInterval(d);
  const x = lo + (hi - lo) * u;
  return snapInternal(d, log ? Math.exp(x) : x);
}

interface Column {
  readonly name: string;
  readonly distribution: Distribution;
  readonly offset: number;
  readonly width: number;
}

export class SpaceTransform {
  readonly names: readonly string[];
  /** Number of unit-box columns. */
  readonly dim: number;
  private readonly columns: readonly Column[];
  readonly encoding: CategoricalEncoding;

  constructor(space: SearchSpace, options: { categorical?: CategoricalEncoding } = {}) {
    this.encoding = options.categorical ?? "index";
    const names = Object.keys(space).sort();
    const columns: Column[] = [];
    let offset = 0;
    for (const name of names) {
      const distribution = space[name]!;
      const width = distribution.type === "categorical" && this.encoding === "onehot" ? distribution.choices.length : 1;
      columns.push({ name, distribution, offset, width });
      offset += width;
    }
    this.names = names;
    this.columns = columns;
    this.dim = offset;
  }

  /** Unit-box vector for a set of internal parameter values (every name of the space must be present). */
  toUnit(internal: Readonly<Record<string, number>>): Float64Array {
    const out = new Float64Array(this.dim);
    for (const { name, distribution, offset, width } of this.columns) {
      const value = internal[name];
      if (value === undefined) throw new Error(`SpaceTransform.toUnit: parameter "${name}" is missing`);
      if (width > 1) out[offset + value] = 1;
      else out[offset] = internalToUnit(distribution, value);
    }
    return out;
  }

  /** Internal parameter values for a unit-box vector (one-hot columns decode by argmax). */
  fromUnit(unit: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { name, distribution, offset, width } of this.columns) {
      if (width > 1) {
        let best = 0;
        for (let k = 1; k < width; k++) if (unit[offset + k]! > unit[offset + best]!) best = k;
        out[name] = best;
      } else {
        out[name] = unitToInternal(distribution, unit[offset]!);
      }
    }
    return out;
  }
}
