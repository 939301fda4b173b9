import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { categoricalDistribution, floatDistribution, intDistribution } from "../../space/distributions.js";
import { unitToInternal } from "../../space/transform.js";
import { modelledPart, runSpace, spaceFromJson, spaceToJson } from "./space.js";

describe("CMA-ES run space", () => {
  const space = {
    lr: floatDistribution("lr", 1e-4, 1, { log: true }),
    n: intDistribution("n", 0, 4),
    width: intDistribution("width", 1, 8, { log: true }),
    q: floatDistribution("q", 0, 1, { step: 0.25 }),
  };

  it("models numeric parameters with more than one value, in name order", () => {
    const mixed = { ...space, opt: categoricalDistribution("opt", ["a", "b"]), fixed: intDistribution("fixed", 3, 3) };
    assert.deepEqual(runSpace(modelledPart(mixed)).names, ["lr", "n", "q", "width"]);
  });

  it("gives integer and stepped parameters a grid whose cells match the shared transform", () => {
    const { names, axes, distributions } = runSpace(space);
    assert.equal(axes[names.indexOf("lr")], null);
    const n = axes[names.indexOf("n")]!;
    // Five integers own equal fifths of the box.
    assert.equal(n.cells, 5);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(n.boundary(i) - (i + 1) / 5) < 1e-15);
    // A log-scaled integer's cells are log-spaced: the boundary between 1 and 2 sits at ln(1.5/0.5)/ln(8.5/0.5).
    const width = axes[names.indexOf("width")]!;
    assert.ok(Math.abs(width.boundary(0) - Math.log(3) / Math.log(17)) < 1e-15);
    for (const [i, axis] of axes.entries()) {
      if (axis === null) continue;
      const d = distributions[i]!;
      for (let u = 0.0005; u < 1; u += 0.001) {
        const cell: number = axis.cellOf(u);
        assert.equal(unitToInternal(d, u), d.low + cell * d.step!, `${names[i]} at ${u}`);
        // The cell's boundaries enclose the coordinate.
        if (cell > 0) assert.ok(axis.boundary(cell - 1) <= u + 1e-12);
        if (cell < axis.cells - 1) assert.ok(u <= axis.boundary(cell) + 1e-12);
      }
    }
  });

  it("keeps its fingerprint through the stored form, and changes it with any range", () => {
    const original = runSpace(space);
    const restored = spaceFromJson(JSON.parse(JSON.stringify(spaceToJson(original))));
    assert.equal(restored.fingerprint, original.fingerprint);
    assert.deepEqual(restored.names, original.names);
    assert.notEqual(runSpace({ ...space, n: intDistribution("n", 0, 5) }).fingerprint, original.fingerprint);
  });
});
