import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { categoricalDistribution, floatDistribution, intDistribution } from "../../space/distributions.js";
import { internalToUnit } from "../../space/transform.js";
import { GPInputSpace } from "./input-space.js";

describe("GP input space", () => {
  const space = new GPInputSpace({
    z: floatDistribution("z", 1e-4, 1, { log: true }),
    c: categoricalDistribution("c", ["a", "b", "c"]),
    n: intDistribution("n", 1, 100),
    q: floatDistribution("q", 0, 1, { step: 0.25 }),
    fixed: intDistribution("fixed", 3, 3),
  });

  it("classifies columns (sorted by name) and finds those worth searching", () => {
    assert.deepEqual(space.names, ["c", "fixed", "n", "q", "z"]);
    assert.deepEqual(space.kinds, ["categorical", "discrete", "discrete", "discrete", "continuous"]);
    assert.deepEqual([...space.categorical], [1, 0, 0, 0, 0]);
    assert.deepEqual(space.continuousColumns, [4]);
    assert.deepEqual(space.gridColumns, [0, 2, 3]);
  });

  it("snaps grid columns to cell centres and round-trips internal values", () => {
    const point = Float64Array.from([0.9, 0.1, 0.013, 0.49, 0.123]);
    space.snap(point);
    const decoded = space.decode(point);
    assert.deepEqual(decoded, { c: 2, fixed: 3, n: 2, q: 0.5, z: decoded.z });
    assert.ok(Math.abs(point[2]! - internalToUnit(intDistribution("n", 1, 100), 2)) < 1e-15);
    assert.equal(point[4], 0.123, "continuous columns are left alone");
    const encoded = space.encode(decoded);
    assert.deepEqual([...encoded.subarray(0, 4)], [...point.subarray(0, 4)]);
    assert.ok(Math.abs(encoded[4]! - 0.123) < 1e-12);
  });

  it("offers every other choice of a categorical or small grid, and doubling steps on a large grid", () => {
    const cat = space.alternatives(0, (0.5 + 1) / 3);
    assert.deepEqual(cat, [0.5 / 3, 2.5 / 3]);
    assert.equal(space.alternatives(3, 0.5).length, 4);
    const n = intDistribution("n", 1, 100);
    const values = space.alternatives(2, internalToUnit(n, 50)).map((u) => Math.round(u * 100 + 0.5));
    assert.deepEqual(values.sort((a, b) => a - b), [1, 18, 34, 42, 46, 48, 49, 51, 52, 54, 58, 66, 82, 100]);
  });
});
