/**
 * @module The numbers importance is computed from: one row per complete trial, one column per parameter (a unit
 * coordinate, log ranges in log space, or a choice index; NaN where the trial did not set it), and the target.
 */
import type { Direction, FrozenTrial } from "../core/types.js";
import { ConfigError } from "../errors.js";
import type { ForestColumn } from "../math/regression-forest.js";
import type { Distribution } from "../space/distributions.js";
import { internalToUnit } from "../space/transform.js";

/** What importance reads of a study: a `Study`, or anything with its trials and directions. */
export interface TrialSource {
  readonly directions: readonly Direction[];
  trials(): readonly FrozenTrial[];
}

/** What importance explains: an objective's index, or a number computed from each trial. */
export type ImportanceTarget = number | ((trial: FrozenTrial) => number);

export interface TrialTable {
  /** Parameters that vary, sorted by name. */
  readonly names: readonly string[];
  readonly columns: readonly ForestColumn[];
  /** Row-major, `names.length` wide. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Parameters that every trial gives the same value (one choice, or low = high): importance 0. */
  readonly fixed: readonly string[];
  /** The target's direction: which end of it is best. */
  readonly direction: Direction;
}

/** Complete trials with a finite target, as a table. Throws a ConfigError for a target the study cannot have. */
export function trialTable(source: TrialSource, target: ImportanceTarget | undefined): TrialTable {
  const { read, direction } = targetReader(source.directions, target);
  const rows: { trial: FrozenTrial; y: number }[] = [];
  for (const trial of source.trials()) {
    if (trial.state !== "complete") continue;
    const y = read(trial);
    if (Number.isFinite(y)) rows.push({ trial, y });
  }
  // The last distribution a parameter was suggested with is the one the table uses: values from trials that used
  // another (a study whose range was changed) are clamped into it.
  const distributions = new Map<string, Distribution>();
  for (const { trial } of rows) for (const [name, d] of Object.entries(trial.distributions)) distributions.set(name, d);
  const all = [...distributions.keys()].sort();
  const fixed = all.filter((name) => isFixed(distributions.get(name)!));
  const names = all.filter((name) => !fixed.includes(name));
  const x = new Float64Array(rows.length * names.length);
  rows.forEach(({ trial }, i) => {
    names.forEach((name, j) => (x[i * names.length + j] = coordinate(distributions.get(name)!, trial, name)));
  });
  return {
    names,
    columns: names.map((name) => {
      const d = distributions.get(name)!;
      return d.type === "categorical" ? { kind: "categorical", choices: d.choices.length } : { kind: "numeric" };
    }),
    x,
    y: Float64Array.from(rows, (r) => r.y),
    fixed,
    direction,
  };
}

function targetReader(directions: readonly Direction[], target: ImportanceTarget | undefined) {
  if (typeof target === "function") return { read: target, direction: directions[0] ?? "minimize" };
  if (target === undefined && directions.length > 1) {
    throw new ConfigError(
      `the study has ${directions.length} objectives: pass target, an objective's index (0 to ${directions.length - 1}) or a function of the trial`,
    );
  }
  const index = target ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= directions.length) {
    throw new ConfigError(`target ${index} is not an objective of the study: use an index from 0 to ${directions.length - 1}`);
  }
  return { read: (trial: FrozenTrial) => trial.values?.[index] ?? NaN, direction: directions[index]! };
}

function isFixed(d: Distribution): boolean {
  return d.type === "categorical" ? d.choices.length < 2 : d.low === d.high;
}

/** The trial's value of a parameter in the table's coordinates: unit coordinate, or choice index; NaN when unset. */
function coordinate(d: Distribution, trial: FrozenTrial, name: string): number {
  if (!(name in trial.params)) return NaN;
  const value = trial.params[name]!;
  if (d.type === "categorical") {
    const index = d.choices.findIndex((c) => Object.is(c, value));
    return index < 0 ? NaN : index;
  }
  return internalToUnit(d, value as number);
}
