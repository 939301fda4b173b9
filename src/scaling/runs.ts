/**
 * @module Runs from a CSV file: any column names, mapped to the quantities a law reads by a spec such as
 * "N=Model Size,C=Training FLOP,loss=loss".
 *
 * Quantities: N (parameters), D (tokens), C (training compute), x (the one variable of a power law), loss, and
 * for hyperparameter laws lr (learning rate), batch (batch size, in the unit of D) and wd (weight decay).
 * When a two-variable law gets C instead of D, D comes from the FLOP rule (C = 6ND unless another is chosen).
 * A power law reads x, or else the only one of N, D, C that is mapped. A quantity not mapped is looked for by the
 * column's name (`namedLike`); the readers say which columns they took so and which they left.
 */
import { parse } from "csv-parse/sync";
import { SIX_ND, type FlopRule } from "./allocation.js";
import { QUANTITIES, namedLike, type Quantity } from "./column-names.js";
import type { LossPoint } from "./fit.js";
import { SCALE_ATTR } from "../core/attributes.js";
import type { FrozenTrial } from "../core/types.js";
import type { HyperparameterRun } from "./hyperparameters.js";
import type { LossLaw } from "./laws.js";

export type ColumnMap = Partial<Record<Quantity, string>>;

/**
 * Parses "N=Model Size,C=Training FLOP,loss=loss": spaces inside names are kept, around them trimmed; a name with
 * a comma is quoted as in CSV: 'N=params,"loss=final, loss"'.
 */
export function parseColumnSpec(spec: string): ColumnMap {
  const map: ColumnMap = {};
  let parts: string[];
  try {
    parts = (parse(spec, { relax_quotes: true }) as string[][])[0] ?? [];
  } catch (error) {
    throw new RangeError(`column spec "${spec}" is not understood: ${(error as Error).message}`);
  }
  for (const part of parts) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim();
    const column = part.slice(eq + 1).trim();
    if (eq < 0 || column === "") throw new RangeError(`column spec "${part.trim()}" should read QUANTITY=COLUMN, e.g. N=Model Size`);
    if (!(QUANTITIES as readonly string[]).includes(key)) throw new RangeError(`unknown quantity "${key}" in the column spec; use ${QUANTITIES.join(", ")}`);
    const earlier = map[key as Quantity];
    if (earlier !== undefined) throw new RangeError(`${key} is mapped twice (${key}=${earlier}, ${key}=${column}); map each quantity to one column`);
    map[key as Quantity] = column;
  }
  return map;
}

/** How the columns were read: those taken by their names (not mapped), and those no quantity was read from. */
export interface ColumnsRead {
  readonly guessed: ColumnMap;
  readonly ignored: readonly string[];
}

export interface ParsedRuns {
  readonly points: LossPoint[];
  /** Which column each quantity came from, and how D or x was obtained. */
  readonly definitions: string[];
  readonly columns: ColumnsRead;
}

/** Rows of runs with named columns: a CSV file's, or a study's complete trials'. */
export interface RunsSource {
  readonly records: readonly Record<string, string>[];
  /** "the runs file", "study mlp". */
  readonly what: string;
  /** Where run i comes from: "row 7" (of the file), "trial 12". */
  describeRun(index: number): string;
  /** Columns whose quantity the source defines (a study's loss is its trials' value); `columns` given to a reader override them. */
  readonly columns?: ColumnMap;
}

/** A CSV file's rows (header first). A leading byte-order mark (Excel's UTF-8 export writes one) is dropped. */
export function csvSource(text: string): RunsSource {
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new RangeError("the runs file is empty");
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new RangeError(`the runs file is not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new RangeError("the runs file has a header but no runs");
  return { records, what: "the runs file", describeRun: (i) => `row ${i + 2}` };
}

/** The parsed rows of runs, with columns found by quantity and cells read as positive numbers. */
interface RunsTable {
  readonly records: readonly Record<string, string>[];
  /** The column holding quantity q: the mapped one (which must exist), else the one named like q, else undefined. */
  columnOf(q: Quantity): string | undefined;
  /** Which of the columns read (quantity and column) were guessed, and which columns were read for nothing. */
  columnsRead(read: readonly (readonly [Quantity, string])[]): ColumnsRead;
  /** The cell as a positive finite number; throws naming row and column otherwise. */
  number(record: Record<string, string>, column: string, row: number): number;
  /** The loss column (required). */
  readonly loss: string;
}

/**
 * One column read as two quantities would make them equal in every run: N = D leaves a two-variable law nothing to
 * tell apart, a scale read as a hyperparameter fits a law of itself. No law reads one measurement twice, so it is
 * a slip in the mapping.
 */
function checkOneQuantityPerColumn(columns: ColumnMap): void {
  const quantityOf = new Map<string, Quantity>();
  for (const [q, column] of Object.entries(columns) as [Quantity, string | undefined][]) {
    if (column === undefined) continue;
    const other = quantityOf.get(column);
    if (other !== undefined) throw new RangeError(`column "${column}" is mapped to both ${other} and ${q}; a column holds one quantity, fix --columns`);
    quantityOf.set(column, q);
  }
}

function openTable(source: RunsSource | string, columns: ColumnMap): RunsTable {
  const { records, what, describeRun, columns: defined = {} } = typeof source === "string" ? csvSource(source) : source;
  const given: ColumnMap = { ...defined, ...columns };
  checkOneQuantityPerColumn(given);
  const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
  // A column given for one quantity is not a candidate for another.
  const free = header.filter((h) => !Object.values(given).includes(h));
  const columnOf = (q: Quantity): string | undefined => {
    const named = given[q];
    if (named !== undefined) {
      if (!header.includes(named)) throw new RangeError(`no column "${named}" (given for ${q}) in ${what}; its columns are: ${header.join(", ")}`);
      return named;
    }
    const candidates = free.filter((h) => namedLike(q, h));
    if (candidates.length > 1) {
      throw new RangeError(`${candidates.length} columns could be ${q}: ${candidates.map((c) => `"${c}"`).join(", ")}; say which with --columns, e.g. --columns "${q}=${candidates.at(-1)}"`);
    }
    return candidates[0];
  };
  const columnsRead = (read: readonly (readonly [Quantity, string])[]): ColumnsRead => ({
    guessed: Object.fromEntries(read.filter(([q]) => given[q] === undefined)),
    ignored: header.filter((h) => !read.some(([, column]) => column === h)),
  });
  const loss = columnOf("loss");
  if (loss === undefined) throw new RangeError(`no loss column; name it with --columns loss=COLUMN (columns: ${header.join(", ")})`);
  const number = (record: Record<string, string>, column: string, row: number): number => {
    const cell = record[column];
    const value = Number(cell);
    if (cell === undefined || cell === "" || !Number.isFinite(value)) {
      throw new RangeError(`${describeRun(row)}, column "${column}": ${cell === undefined ? "missing" : `"${cell}" is not a number`}`);
    }
    if (!(value > 0)) throw new RangeError(`${describeRun(row)}, column "${column}": ${value} is not positive; sizes, compute, hyperparameters and losses must be > 0`);
    return value;
  };
  return { records, columnOf, columnsRead, number, loss };
}

/** Runs for `law` from CSV text or another source. Columns not given in `columns` are looked up by their names. */
export function readRuns(text: RunsSource | string, law: LossLaw, columns: ColumnMap = {}, flops: FlopRule = SIX_ND): ParsedRuns {
  const { records, columnOf, columnsRead, number, loss } = openTable(text, columns);
  const definitions = [`loss: column "${loss}"`];
  const read: [Quantity, string][] = [["loss", loss]];
  let inputsOf: (record: Record<string, string>, row: number) => Record<string, number>;
  if (law.variables.length === 1) {
    const candidates = (["x", "N", "D", "C"] as const).filter((q) => columnOf(q) !== undefined);
    const chosen = candidates.includes("x") ? "x" : candidates.length === 1 ? candidates[0]! : undefined;
    if (chosen === undefined) {
      throw new RangeError(
        candidates.length === 0
          ? `the ${law.name} law needs one scale column; name it with --columns x=COLUMN (or N=, D=, C=)`
          : `the ${law.name} law reads one scale variable but ${candidates.join(", ")} are mapped; say which with --columns x=COLUMN`,
      );
    }
    const column = columnOf(chosen)!;
    definitions.push(`x: column "${column}" (${chosen})`);
    read.push([chosen, column]);
    inputsOf = (record, row) => ({ x: number(record, column, row) });
  } else {
    const n = columnOf("N");
    const d = columnOf("D");
    const c = columnOf("C");
    if (n === undefined) throw new RangeError(`the ${law.name} law needs model size N; name its column with --columns N=COLUMN`);
    if (d === undefined && c === undefined) throw new RangeError(`the ${law.name} law needs data D or compute C; name a column with --columns D=COLUMN or C=COLUMN`);
    definitions.push(`N: column "${n}"`, d !== undefined ? `D: column "${d}"` : `D = tokens from compute column "${c}" by ${flops.name}`);
    read.push(["N", n], d !== undefined ? ["D", d] : ["C", c!]);
    inputsOf = (record, row) => {
      const N = number(record, n, row);
      return { N, D: d !== undefined ? number(record, d, row) : flops.tokens(N, number(record, c!, row)) };
    };
  }
  const points = records.map((record, row) => ({ inputs: inputsOf(record, row), loss: number(record, loss, row) }));
  return { points, definitions, columns: columnsRead(read) };
}

/** Tuning runs for hyperparameter laws: scale (N, D and/or C), lr / batch / wd where mapped or present, loss. */
export function readHyperparameterRuns(
  text: RunsSource | string,
  columns: ColumnMap = {},
): { runs: HyperparameterRun[]; definitions: string[]; columns: ColumnsRead } {
  const { records, columnOf, columnsRead, number, loss } = openTable(text, columns);
  const scale = (["N", "D", "C"] as const).flatMap((q) => (columnOf(q) === undefined ? [] : [[q, columnOf(q)!] as const]));
  if (scale.length === 0) throw new RangeError("no scale column; name N, D or C with --columns, e.g. N=params,D=tokens");
  const hyper = ([["lr", "learningRate"], ["batch", "batchSize"], ["wd", "weightDecay"]] as const).flatMap(([q, name]) =>
    columnOf(q) === undefined ? [] : [[name, columnOf(q)!, q] as const],
  );
  if (hyper.length === 0) throw new RangeError("no hyperparameter column; name them with --columns lr=COLUMN,batch=COLUMN,wd=COLUMN");
  const runs = records.map((record, row) => ({
    scale: Object.fromEntries(scale.map(([q, column]) => [q, number(record, column, row)])),
    hyperparameters: Object.fromEntries(hyper.map(([name, column]) => [name, number(record, column, row)])),
    loss: number(record, loss, row),
  }));
  return {
    runs,
    definitions: [`loss: column "${loss}"`, ...scale.map(([q, c]) => `${q}: column "${c}"`), ...hyper.map(([n, c]) => `${n}: column "${c}"`)],
    columns: columnsRead([["loss", loss], ...scale, ...hyper.map(([, c, q]) => [q, c] as const)]),
  };
}

/**
 * A study's complete trials as runs: a column per size given to `trial.setScale` (N, D, C, width, …), per numeric
 * parameter and per numeric user attribute, and `loss`, the trial's value. Only single-objective studies.
 */
export function studySource(name: string, directions: readonly string[], trials: readonly FrozenTrial[]): RunsSource {
  if (directions.length !== 1) throw new RangeError(`study "${name}" has ${directions.length} objectives; scaling laws need one loss per run`);
  const complete = trials.filter((t) => t.state === "complete");
  if (complete.length === 0) throw new RangeError(`study "${name}" has no complete trials yet`);
  const records = complete.map((trial) => {
    const record: Record<string, string> = {};
    const numeric = (entries: [string, unknown][]) => {
      for (const [key, value] of entries) if (typeof value === "number") record[key] = String(value);
    };
    numeric(Object.entries(trial.params));
    numeric(Object.entries(trial.userAttrs).filter(([key]) => key !== SCALE_ATTR));
    const scale = trial.userAttrs[SCALE_ATTR];
    if (scale !== null && typeof scale === "object" && !Array.isArray(scale)) numeric(Object.entries(scale));
    record.loss = String(trial.value);
    return record;
  });
  return { records, what: `study "${name}"`, describeRun: (i) => `trial ${complete[i]!.number}`, columns: { loss: "loss" } };
}
