import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../math/random.js";
import { categoricalDistribution, floatDistribution, intDistribution } from "./distributions.js";
import { internalToUnit, SpaceTransform, unitToInternal } from "./transform.js";

describe("unit-box transform", () => {
  it("maps log ranges in log space", () => {
    const d = floatDistribution("lr", 1e-4, 1, { log: true });
    assert.ok(Math.abs(internalToUnit(d, 1e-2) - 0.5) < 1e-12);
    assert.ok(Math.abs(unitToInternal(d, 0.25) - 1e-3) < 1e-15);
  });

  it("gives every value of a stepped or integer range an equal share of the box", () => {
    const rng = new Rng(1);
    for (const d of [intDistribution("n", 1, 4), floatDistribution("x", 0, 1, { step: 0.25 }), intDistribution("w", 16, 19, { log: true })]) {
      const counts = new Map<number, number>();
      for (let i = 0; i < 40_000; i++) {
        const v = unitToInternal(d, rng.random());
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const expected = d.type === "int" && !d.log ? 10_000 : 40_000 / counts.size;
      if (!d.log) for (const c of counts.values()) assert.ok(Math.abs(c - expected) < 600, `${[...counts]}`);
      else assert.equal(counts.size, 4);
    }
  });

  it("round-trips points through one-hot and index encodings", () => {
    const space = {
      lr: floatDistribution("lr", 1e-5, 1, { log: true }),
      layers: intDistribution("layers", 1, 5),
      opt: categoricalDistribution("opt", ["sgd", "adam", "lion"]),
    };
    const point = { lr: 3e-4, layers: 4, opt: 2 };
    const onehot = new SpaceTransform(space, { categorical: "onehot" });
    assert.equal(onehot.dim, 5);
    const u = onehot.toUnit(point);
    assert.deepEqual([...u.slice(2)], [0, 0, 1]);
    const back = onehot.fromUnit(u);
    assert.equal(back.layers, 4);
    assert.equal(back.opt, 2);
    assert.ok(Math.abs(back.lr! - 3e-4) < 1e-15);
    const index = new SpaceTransform(space);
    assert.equal(index.dim, 3);
    assert.deepEqual(index.fromUnit(index.toUnit(point)).opt, 2);
  });

  it("clamps out-of-box coordinates onto the range", () => {
    const d = floatDistribution("x", -1, 1);
    assert.equal(unitToInternal(d, 1.7), 1);
    assert.equal(unitToInternal(d, -3), -1);
    assert.equal(unitToInternal(floatDistribution("x", 2, 2), 0.3), 2);
  });
});
