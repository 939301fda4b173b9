/**
 * @module Distributions: the typed contract between search spaces, samplers and storage.
 *
 * Every parameter has an *external* value (what the objective sees: a number, or one of the categorical choices)
 * and an *internal* value (always a number: the value itself for float/int, the choice index for categorical).
 * Samplers and storage work with internal values only, so they never need to know about choice types.
 */
import { SearchSpaceError } from "../errors.js";

export type CategoricalChoice = string | number | boolean | null;

export interface FloatDistribution {
  readonly type: "float";
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Grid spacing, or null for a continuous range. */
  readonly step: number | null;
}

export interface IntDistribution {
  readonly type: "int";
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

export interface CategoricalDistribution {
  readonly type: "categorical";
  readonly choices: readonly CategoricalChoice[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type SearchSpace = Record<string, Distribution>;

export interface RangeOptions {
  log?: boolean;
  step?: number;
}

/** Relative tolerance for "step divides the range": float steps such as 0.1 never divide exactly. */
const STEP_TOLERANCE = 1e-9;

function fail(name: string, problem: string, fix: string): never {
  throw new SearchSpaceError(`parameter "${name}": ${problem}; ${fix}`);
}

function checkRange(name: string, low: number, high: number, options: RangeOptions): void {
  if (typeof low !== "number" || !Number.isFinite(low) || typeof high !== "number" || !Number.isFinite(high)) {
    fail(name, `low and high must be finite numbers (got low=${String(low)}, high=${String(high)})`, "pass finite bounds");
  }
  if (low > high) fail(name, `low (${low}) is greater than high (${high})`, "swap them or fix the range");
  if (options.log) {
    if (low <= 0) fail(name, `log scale needs low > 0 (got low=${low})`, "use a positive lower bound or drop log");
    if (options.step !== undefined) fail(name, "log scale cannot be combined with step", "choose one of log or step");
  }
  if (options.step !== undefined) {
    const step = options.step;
    if (typeof step !== "number" || !Number.isFinite(step) || step <= 0) {
      fail(name, `step must be a positive number (got ${String(step)})`, "pass step > 0");
    }
    const intervals = (high - low) / step;
    if (Math.abs(intervals - Math.round(intervals)) > STEP_TOLERANCE * Math.max(1, intervals)) {
      fail(
        name,
        `step ${step} does not divide the range [${low}, ${high}] (${intervals.toPrecision(6)} steps)`,
        `make high - low a multiple of step, e.g. high = ${Number((low + Math.floor(intervals) * step).toPrecision(12))}`,
      );
    }
  }
}

export function floatDistribution(name: string, low: number, high: number, options: RangeOptions = {}): FloatDistribution {
  checkRange(name, low, high, options);
  return { type: "float", low, high, log: options.log ?? false, step: options.step ?? null };
}

export function intDistribution(name: string, low: number, high: number, options: RangeOptions = {}): IntDistribution {
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    fail(name, `integer parameters need integer bounds (got low=${low}, high=${high})`, "round the bounds or use suggestFloat");
  }
  if (options.step !== undefined && !Number.isInteger(options.step)) {
    fail(name, `integer parameters need an integer step (got ${options.step})`, "use an integer step");
  }
  // An integer range always has step 1 implicitly, so only a coarser step conflicts with log.
  const step = options.log && options.step === 1 ? undefined : options.step;
  checkRange(name, low, high, { log: options.log ?? false, ...(step !== undefined ? { step } : {}) });
  return { type: "int", low, high, log: options.log ?? false, step: options.step ?? 1 };
}

export function categoricalDistribution(name: string, choices: readonly CategoricalChoice[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) fail(name, "choices are empty", "pass at least one choice");
  const seen = new Set<string>();
  for (const choice of choices) {
    const kind = choice === null ? "null" : typeof choice;
    if (kind !== "string" && kind !== "number" && kind !== "boolean" && kind !== "null") {
      fail(name, `choice ${String(choice)} is a ${kind}`, "choices must be strings, numbers, booleans or null");
    }
    if (typeof choice === "number" && !Number.isFinite(choice)) fail(name, `choice ${choice} is not finite`, "use finite numbers");
    const key = JSON.stringify(choice);
    if (seen.has(key)) fail(name, `choice ${key} appears twice`, "remove the duplicate");
    seen.add(key);
  }
  return { type: "categorical", choices: [...choices] };
}

/** True when two distributions describe the same set of values (same type, bounds, scale, step, choices). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "categorical") {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => Object.is(c, bc[i]));
  }
  const br = b as FloatDistribution | IntDistribution;
  return a.low === br.low && a.high === br.high && a.log === br.log && a.step === br.step;
}

/** Human-readable description, used in error messages. */
export function describeDistribution(d: Distribution): string {
  if (d.type === "categorical") return `categorical ${JSON.stringify(d.choices)}`;
  const extras = [d.log ? "log" : "", d.step !== null && !(d.type === "int" && d.step === 1) ? `step=${d.step}` : ""];
  return `${d.type} [${d.low}, ${d.high}]${extras.filter(Boolean).map((e) => ` ${e}`).join("")}`;
}

/** Number of distinct values, or Infinity for continuous ranges. */
export function cardinality(d: Distribution): number {
  if (d.type === "categorical") return d.choices.length;
  if (d.step === null) return d.low === d.high ? 1 : Infinity;
  return Math.round((d.high - d.low) / d.step) + 1;
}

/** True when the internal value lies in the distribution (with a little float slack for stepped grids). */
export function containsInternal(d: Distribution, internal: number): boolean {
  if (typeof internal !== "number" || !Number.isFinite(internal)) return false;
  if (d.type === "categorical") return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  const slack = 1e-12 * Math.max(1, Math.abs(d.high), Math.abs(d.low));
  if (internal < d.low - slack || internal > d.high + slack) return false;
  if (d.type === "int" && !Number.isInteger(internal)) return false;
  if (d.step !== null) {
    const k = (internal - d.low) / d.step;
    return Math.abs(k - Math.round(k)) <= 1e-8 * Math.max(1, k);
  }
  return true;
}

export function toExternal(d: Distribution, internal: number): number | CategoricalChoice {
  if (d.type === "categorical") return d.choices[internal] as CategoricalChoice;
  return internal;
}

/** Internal value of an external one, or undefined when the value is not in the distribution. */
export function toInternal(d: Distribution, external: unknown): number | undefined {
  if (d.type === "categorical") {
    const index = d.choices.findIndex((c) => Object.is(c, external));
    return index >= 0 ? index : undefined;
  }
  if (typeof external !== "number" || !containsInternal(d, external)) return undefined;
  return external;
}

/** Snaps an internal value onto the distribution's support: clamps, rounds to step/int. Samplers call this last. */
export function snapInternal(d: Distribution, value: number): number {
  if (d.type === "categorical") return Math.min(d.choices.length - 1, Math.max(0, Math.round(value)));
  let v = Math.min(d.high, Math.max(d.low, value));
  if (d.step !== null) {
    const k = Math.round((v - d.low) / d.step);
    v = Math.min(d.high, d.low + k * d.step);
    // Keep float grids free of representation noise such as 0.30000000000000004.
    if (d.type === "float") v = Number(v.toPrecision(15));
  }
  return v;
}

/** Checks and normalises a distribution read from JSON (storage, files); throws a SearchSpaceError if malformed. */
export function parseDistribution(name: string, raw: unknown): Distribution {
  const r = raw as Record<string, unknown> | null;
  if (r === null || typeof r !== "object") fail(name, "stored distribution is not an object", "the storage may be corrupt");
  const options = (): RangeOptions => ({
    log: r.log === true,
    ...(typeof r.step === "number" ? { step: r.step } : {}),
  });
  switch (r.type) {
    case "float":
      return floatDistribution(name, r.low as number, r.high as number, options());
    case "int":
      return intDistribution(name, r.low as number, r.high as number, options());
    case "categorical":
      return categoricalDistribution(name, r.choices as CategoricalChoice[]);
    default:
      return fail(name, `unknown distribution type ${JSON.stringify(r.type)}`, "the storage may be corrupt or newer");
  }
}
