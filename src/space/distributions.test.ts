import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SearchSpaceError } from "../errors.js";
import {
  cardinality,
  categoricalDistribution,
  containsInternal,
  floatDistribution,
  intDistribution,
  parseDistribution,
  sameDistribution,
  snapInternal,
  toExternal,
  toInternal,
} from "./distributions.js";

describe("distributions", () => {
  it("rejects invalid ranges with a message naming the parameter and the fix", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => floatDistribution("lr", 1, 0.1), /parameter "lr": low \(1\) is greater than high \(0.1\); swap them/],
      [() => floatDistribution("lr", 0, 1, { log: true }), /log scale needs low > 0 \(got low=0\)/],
      [() => floatDistribution("lr", -1, 1, { log: true }), /log scale needs low > 0/],
      [() => floatDistribution("x", 0, 1, { step: 0.3 }), /step 0.3 does not divide the range \[0, 1\].*high = 0.9/],
      [() => floatDistribution("x", 0, 1, { step: 0 }), /step must be a positive number/],
      [() => floatDistribution("x", 0.1, 1.1, { log: true, step: 0.1 }), /cannot be combined/],
      [() => floatDistribution("x", NaN, 1), /finite numbers/],
      [() => intDistribution("n", 0.5, 4), /integer bounds/],
      [() => intDistribution("n", 0, 10, { step: 3 }), /step 3 does not divide/],
      [() => intDistribution("n", 1, 8, { step: 2, log: true }), /cannot be combined/],
      [() => categoricalDistribution("c", []), /parameter "c": choices are empty/],
      [() => categoricalDistribution("c", ["a", "a"]), /appears twice/],
      [() => categoricalDistribution("c", [{} as never]), /must be strings, numbers, booleans or null/],
    ];
    for (const [make, message] of cases) assert.throws(make, (e: Error) => e instanceof SearchSpaceError && message.test(e.message), String(message));
  });

  it("accepts float steps that divide the range up to rounding, and log integer ranges", () => {
    assert.equal(cardinality(floatDistribution("x", 0, 1, { step: 0.1 })), 11);
    assert.equal(cardinality(intDistribution("n", 1, 1024, { log: true })), 1024);
    assert.equal(cardinality(floatDistribution("x", 0, 1)), Infinity);
    assert.equal(cardinality(floatDistribution("x", 2, 2)), 1);
  });

  it("converts between internal and external values", () => {
    const c = categoricalDistribution("c", ["adam", 3, true, null]);
    assert.deepEqual([0, 1, 2, 3].map((i) => toExternal(c, i)), ["adam", 3, true, null]);
    assert.equal(toInternal(c, null), 3);
    assert.equal(toInternal(c, "sgd"), undefined);
    const f = floatDistribution("x", 0, 1, { step: 0.25 });
    assert.equal(toInternal(f, 0.5), 0.5);
    assert.equal(toInternal(f, 0.6), undefined);
    assert.equal(containsInternal(intDistribution("n", 0, 10, { step: 2 }), 3), false);
  });

  it("snaps values onto the support without float noise", () => {
    const f = floatDistribution("x", 0, 1, { step: 0.1 });
    assert.equal(snapInternal(f, 0.3100000001), 0.3);
    assert.equal(snapInternal(f, 7), 1);
    assert.equal(snapInternal(intDistribution("n", 1, 9, { step: 2 }), 4.2), 5);
    assert.equal(snapInternal(categoricalDistribution("c", ["a", "b"]), 5), 1);
  });

  it("compares distributions and round-trips them through JSON", () => {
    const d = intDistribution("n", 1, 64, { log: true });
    assert.ok(sameDistribution(d, parseDistribution("n", JSON.parse(JSON.stringify(d)))));
    assert.ok(!sameDistribution(d, intDistribution("n", 1, 64)));
    assert.ok(!sameDistribution(categoricalDistribution("c", [1, 2]), categoricalDistribution("c", [2, 1])));
    assert.throws(() => parseDistribution("x", { type: "beta" }), /unknown distribution type "beta"/);
  });
});
