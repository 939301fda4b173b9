/**
 * @module The numeric search space of one CMA-ES run: its axes in the unit box, fingerprint and stored form.
 *
 * A run is bound to one space. Its definition is stored once in the study's system attributes under its
 * fingerprint, and every trial of the run carries the fingerprint, so a resumed study (or another worker) can
 * rebuild the run exactly even after the space has changed.
 */
import { cardinality, parseDistribution, type Distribution, type SearchSpace } from "../../space/distributions.js";
import { unitToInternal } from "../../space/transform.js";
import { hashString } from "../../math/random.js";
import type { JsonValue } from "../../core/types.js";
import type { DiscreteAxis } from "./cma-es.js";

type NumericDistribution = Exclude<Distribution, { type: "categorical" }>;

export interface RunSpace {
  /** Parameter names, sorted: axis i is names[i]. */
  readonly names: readonly string[];
  readonly distributions: readonly NumericDistribution[];
  /** Per axis: the grid of an integer or stepped parameter, or null for a continuous one. */
  readonly axes: readonly (DiscreteAxis | null)[];
  readonly fingerprint: string;
}

/** The parameters CMA-ES can model: numeric ones with more than one value. */
export function modelledPart(space: SearchSpace): SearchSpace {
  const out: SearchSpace = {};
  for (const [name, d] of Object.entries(space)) if (d.type !== "categorical" && cardinality(d) > 1) out[name] = d;
  return out;
}

export function runSpace(space: SearchSpace): RunSpace {
  const names = Object.keys(space).sort();
  const distributions = names.map((name) => {
    const d = space[name]!;
    if (d.type === "categorical") throw new Error(`CMA-ES cannot model categorical parameter "${name}"`);
    return d;
  });
  const canonical = names.map((name, i) => {
    const d = distributions[i]!;
    return [name, d.type, d.low, d.high, d.log, d.step];
  });
  return {
    names,
    distributions,
    axes: distributions.map(discreteAxis),
    fingerprint: hashString(JSON.stringify(canonical)).toString(16).padStart(8, "0"),
  };
}

export function spaceToJson(space: RunSpace): JsonValue {
  const out: Record<string, JsonValue> = {};
  space.names.forEach((name, i) => {
    const { type, low, high, log, step } = space.distributions[i]!;
    out[name] = { type, low, high, log, step };
  });
  return out;
}

export function spaceFromJson(json: JsonValue): RunSpace {
  const raw = json as Record<string, unknown>;
  const space: SearchSpace = {};
  for (const [name, d] of Object.entries(raw)) space[name] = parseDistribution(name, d);
  return runSpace(space);
}

/**
 * The grid of an integer or stepped parameter in box coordinates. The shared transform gives every grid value a
 * cell (equal cells on a linear scale, log-spaced ones for a log-scaled integer); boundaries sit halfway between
 * neighbouring values in the transformed scale.
 */
function discreteAxis(d: NumericDistribution): DiscreteAxis | null {
  if (d.step === null) return null;
  const step = d.step;
  const cells = cardinality(d);
  const lower = d.low - step / 2;
  const upper = d.high + step / 2;
  const toBox = d.log ? (x: number) => Math.log(x / lower) / Math.log(upper / lower) : (x: number) => (x - lower) / (upper - lower);
  return {
    cells,
    cellOf: (coordinate) => Math.round((unitToInternal(d, coordinate) - d.low) / step),
    boundary: (cell) => toBox(d.low + (cell + 0.5) * step),
  };
}
