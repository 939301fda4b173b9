/** @module Tests for loading the bundled digits data and splitting it. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadDigits, splitDataset, type Dataset } from "./digits-data.js";

function classCounts(data: Dataset): number[] {
  const counts = new Array<number>(data.classes).fill(0);
  for (const label of data.y) counts[label]! += 1;
  return counts;
}

/** A data set whose single feature is the row's index, so split parts can be traced back to source rows. */
function indexedDataset(n: number, classes: number): Dataset {
  return {
    x: Float32Array.from({ length: n }, (_, i) => i),
    y: Int32Array.from({ length: n }, (_, i) => (i * 7) % classes),
    n,
    features: 1,
    classes,
  };
}

function tempFile(name: string, contents: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), "scaletune-digits-")), name);
  writeFileSync(path, contents);
  return path;
}

describe("loadDigits", () => {
  const data = loadDigits();

  it("loads 1,797 rows of 64 pixels scaled to [0, 1] with labels 0–9", () => {
    assert.equal(data.n, 1797);
    assert.equal(data.features, 64);
    assert.equal(data.classes, 10);
    assert.equal(data.x.length, 1797 * 64);
    assert.equal(data.y.length, 1797);
    assert.ok(data.x.every((v) => v >= 0 && v <= 1));
    assert.equal(Math.max(...data.x), 1, "the brightest pixel (16) maps to 1");
    // First row of scikit-learn's load_digits: a 0 whose third pixel is 5 of 16.
    assert.equal(data.y[0], 0);
    assert.equal(data.x[2], 5 / 16);
  });

  it("has every class with a plausible count", () => {
    for (const count of classCounts(data)) assert.ok(count >= 170 && count <= 190, `class count ${count}`);
  });

  it("names the path when the file is missing", () => {
    const missing = join(tmpdir(), "no-such-dir", "digits.csv.gz");
    assert.throws(() => loadDigits(missing), (error: Error) => error.message.includes(missing) && /not found/.test(error.message));
  });

  it("names the path when the file is not gzip", () => {
    const path = tempFile("plain.csv.gz", Buffer.from("0,1,2\n"));
    assert.throws(() => loadDigits(path), (error: Error) => error.message.includes(path));
  });

  it("reads integers in any notation and names the line of a malformed row", () => {
    const good = [...new Array<number>(64).fill(3), 7].join(",");
    const short = [...new Array<number>(63).fill(3), 7].join(",");
    const badPixel = [...new Array<number>(63).fill(3), 17, 7].join(",");
    const emptyLabel = [...new Array<number>(64).fill(3), ""].join(",");
    for (const bad of [short, badPixel, emptyLabel]) {
      const path = tempFile("bad.csv.gz", gzipSync(`${good}\n${bad}\n`));
      assert.throws(() => loadDigits(path), (error: Error) => error.message.includes(path) && error.message.includes("line 2"));
    }
    const numpyStyle = [...new Array<number>(64).fill(16), 7].map((v) => v.toExponential(18)).join(",");
    const loaded = loadDigits(tempFile("good.csv.gz", gzipSync(`${good}\n${numpyStyle}\n`)));
    assert.equal(loaded.n, 2);
    assert.deepEqual(Array.from(loaded.y), [7, 7]);
    assert.equal(loaded.x[64], 1);
  });
});

describe("splitDataset", () => {
  const digits = loadDigits();

  it("gives parts of the requested sizes with every class in each, in proportion", () => {
    const split = splitDataset(digits, { validation: 0.2, test: 0.15 }, 1);
    assert.equal(split.validation.n, Math.round(1797 * 0.2));
    assert.equal(split.test.n, Math.round(1797 * 0.15));
    assert.equal(split.train.n, 1797 - split.validation.n - split.test.n);
    const totals = classCounts(digits);
    for (const [part, fraction] of [
      [split.validation, 0.2],
      [split.test, 0.15],
      [split.train, 0.65],
    ] as const) {
      assert.equal(part.features, 64);
      assert.equal(part.x.length, part.n * 64);
      classCounts(part).forEach((count, label) => {
        assert.ok(count > 0, `class ${label} missing`);
        // Validation and test shares are each within 1 of exact; training takes the rest, so within 2.
        assert.ok(Math.abs(count - totals[label]! * fraction) < 2, `class ${label}: ${count} of ${totals[label]}`);
      });
    }
  });

  it("partitions the rows: disjoint parts that together hold every row once, labels kept", () => {
    const data = indexedDataset(500, 5);
    const split = splitDataset(data, { validation: 0.3, test: 0.1 }, 9);
    const rows = [split.train, split.validation, split.test].flatMap((part) =>
      Array.from(part.x, (row, k) => {
        assert.equal(part.y[k], data.y[row], "label travels with its row");
        return row;
      }),
    );
    assert.equal(rows.length, 500);
    assert.equal(new Set(rows).size, 500);
  });

  it("is deterministic for a seed and different for another", () => {
    const a = splitDataset(digits, { validation: 0.2, test: 0.2 }, 42);
    const b = splitDataset(digits, { validation: 0.2, test: 0.2 }, 42);
    const c = splitDataset(digits, { validation: 0.2, test: 0.2 }, 43);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.train.y, c.train.y);
    assert.notDeepEqual(a.validation.x, c.validation.x);
  });

  it("rejects fractions that leave no training data", () => {
    assert.throws(() => splitDataset(digits, { validation: 0.5, test: 0.5 }, 1), RangeError);
    assert.throws(() => splitDataset(digits, { validation: -0.1, test: 0.2 }, 1), RangeError);
  });
});
