/** @module Loads the bundled UCI 8×8 handwritten digits and splits them into stratified train/validation/test parts. */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Rng } from "../math/random.js";

/** A classification data set in row-major typed arrays, ready to hand to tfjs without copying row by row. */
export interface Dataset {
  /** n × features values, row-major. */
  x: Float32Array;
  /** n class labels in [0, classes). */
  y: Int32Array;
  n: number;
  features: number;
  classes: number;
}

export interface DigitsSplit {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

/** Resolved against this module so it works from `src/demo/` under tsx and from `dist/demo/` after the build. */
const DEFAULT_DIGITS_FILE = new URL("../../data/digits/digits.csv.gz", import.meta.url);

const PIXELS = 64;
const MAX_PIXEL = 16;
const DIGIT_CLASSES = 10;

/**
 * Reads the gzipped digits CSV (64 pixel values 0–16, then the label 0–9; no header) with pixels scaled to [0, 1].
 * Throws an error naming the file when it is missing, not gzip, or has a malformed row.
 */
export function loadDigits(path: string | URL = DEFAULT_DIGITS_FILE): Dataset {
  const shownPath = path instanceof URL ? fileURLToPath(path) : path;
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString("utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    throw new Error(`cannot read digits data from ${shownPath}: ${reason}`, { cause: error });
  }

  const rows = text
    .split("\n")
    .map((line, index) => ({ line, lineNumber: index + 1 }))
    .filter(({ line }) => line.trim() !== "");
  if (rows.length === 0) throw new Error(`digits data file ${shownPath} has no rows`);
  const x = new Float32Array(rows.length * PIXELS);
  const y = new Int32Array(rows.length);
  rows.forEach(({ line, lineNumber }, row) => {
    const fields = line.split(",");
    const where = `digits data file ${shownPath}, line ${lineNumber}`;
    if (fields.length !== PIXELS + 1) throw new Error(`${where}: expected ${PIXELS + 1} values, found ${fields.length}`);
    for (let j = 0; j < PIXELS; j++) {
      const pixel = parseSmallInteger(fields[j]!, MAX_PIXEL);
      if (pixel === undefined) throw new Error(`${where}: pixel ${j} is "${fields[j]}", expected an integer 0–${MAX_PIXEL}`);
      x[row * PIXELS + j] = pixel / MAX_PIXEL;
    }
    const label = parseSmallInteger(fields[PIXELS]!, DIGIT_CLASSES - 1);
    if (label === undefined) throw new Error(`${where}: label is "${fields[PIXELS]}", expected an integer 0–${DIGIT_CLASSES - 1}`);
    y[row] = label;
  });
  return { x, y, n: rows.length, features: PIXELS, classes: DIGIT_CLASSES };
}

/**
 * The integer in [0, max] that `field` holds, in any number notation ("5", "5.0", "5.000e+00" as numpy writes);
 * undefined otherwise, including for an empty field, which `Number` would read as 0.
 */
function parseSmallInteger(field: string, max: number): number | undefined {
  const value = field.trim() === "" ? Number.NaN : Number(field);
  return Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
}

/**
 * Splits into train/validation/test so that every class keeps (as nearly as integers allow) its share in each part.
 * Part sizes are round(n · fraction) for validation and test, the rest is training; rows in each part are in a
 * seeded random order, so a prefix of a part is itself a random sample. Same data and seed, same split.
 */
export function splitDataset(data: Dataset, fractions: { validation: number; test: number }, seed: number): DigitsSplit {
  const { validation, test } = fractions;
  if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
    throw new RangeError(`split fractions must be ≥ 0 and sum to less than 1, got validation=${validation}, test=${test}`);
  }
  const rng = new Rng(seed);
  const byClass = rowsByClass(data);
  const classSizes = byClass.map((rows) => rows.length);
  const validationQuota = apportion(Math.round(data.n * validation), classSizes);
  const testQuota = apportion(Math.round(data.n * test), classSizes);

  const parts: { train: number[]; validation: number[]; test: number[] } = { train: [], validation: [], test: [] };
  byClass.forEach((rows, label) => {
    const shuffled = shuffle(rows, rng);
    const nValidation = validationQuota[label]!;
    const nTest = testQuota[label]!;
    parts.validation.push(...shuffled.slice(0, nValidation));
    parts.test.push(...shuffled.slice(nValidation, nValidation + nTest));
    parts.train.push(...shuffled.slice(nValidation + nTest));
  });
  return {
    train: selectRows(data, shuffle(parts.train, rng)),
    validation: selectRows(data, shuffle(parts.validation, rng)),
    test: selectRows(data, shuffle(parts.test, rng)),
  };
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  return rng.permutation(items.length).map((i) => items[i]!);
}

function rowsByClass(data: Dataset): number[][] {
  const byClass: number[][] = Array.from({ length: data.classes }, () => []);
  data.y.forEach((label, row) => byClass[label]!.push(row));
  return byClass;
}

/** Largest-remainder apportionment: integer shares of `total` proportional to `sizes` that sum exactly to `total`. */
function apportion(total: number, sizes: readonly number[]): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((size) => (total * size) / sum);
  const shares = exact.map(Math.floor);
  let remaining = total - shares.reduce((a, b) => a + b, 0);
  // Equal remainders go to the lower class index, so the split never depends on sort details.
  const byRemainder = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (remaining === 0) break;
    shares[i]! += 1;
    remaining--;
  }
  return shares;
}

function selectRows(data: Dataset, rows: readonly number[]): Dataset {
  const { features } = data;
  const x = new Float32Array(rows.length * features);
  const y = new Int32Array(rows.length);
  rows.forEach((row, k) => {
    x.set(data.x.subarray(row * features, (row + 1) * features), k * features);
    y[k] = data.y[row]!;
  });
  return { x, y, n: rows.length, features, classes: data.classes };
}
