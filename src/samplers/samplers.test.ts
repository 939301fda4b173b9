import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeSamplerConformance } from "../testing/sampler-conformance.js";
import { GridSampler } from "./grid.js";
import { RandomSampler } from "./random.js";
import { samplerByName } from "./registry.js";
import { SobolSampler } from "./sobol.js";
import { createStudy } from "../study/api.js";

describeSamplerConformance("random", (seed) => new RandomSampler({ seed }));
describeSamplerConformance("sobol", (seed) => new SobolSampler({ seed }));

describe("sobol sampler", () => {
  it("spreads points more evenly than random sampling (fewer empty cells of a 2-d grid)", async () => {
    const emptyCells = async (sampler: RandomSampler | SobolSampler) => {
      const study = await createStudy({ sampler });
      await study.optimize((t) => t.suggestFloat("a", 0, 1) + t.suggestFloat("b", 0, 1), { nTrials: 64 });
      const cells = new Set(study.trials().map((t) => `${Math.floor((t.params.a as number) * 8)},${Math.floor((t.params.b as number) * 8)}`));
      return 64 - cells.size;
    };
    let sobol = 0;
    let random = 0;
    for (const seed of [1, 2, 3]) {
      sobol += await emptyCells(new SobolSampler({ seed }));
      random += await emptyCells(new RandomSampler({ seed }));
    }
    // 64 random points leave ~23 of 64 cells empty on average; a Sobol net leaves almost none.
    assert.ok(sobol < random / 3, `sobol ${sobol} vs random ${random} empty cells`);
  });
});

describe("grid sampler", () => {
  it("rejects empty grids and parameters outside the grid", async () => {
    assert.throws(() => new GridSampler({}), /grid is empty/);
    assert.throws(() => new GridSampler({ x: [] }), /"x" has no values/);
    const study = await createStudy({ sampler: new GridSampler({ x: [1, 2] }) });
    await assert.rejects(study.optimize((t) => t.suggestInt("x", 1, 2) + t.suggestFloat("y", 0, 1), { nTrials: 1 }), /"y" is not in the grid/);
  });

  it("enumerates a mixed-radix grid", () => {
    const grid = new GridSampler({ b: ["u", "v"], a: [1, 2, 3] });
    assert.equal(grid.size, 6);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => grid.point(i)).map((p) => `${p.a}${p.b}`), ["1u", "1v", "2u", "2v", "3u", "3v"]);
  });
});

describe("sampler registry", () => {
  it("finds samplers by name and lists the choices for an unknown one", () => {
    assert.equal(samplerByName("Sobol", 1).name, "sobol");
    assert.throws(() => samplerByName("bayes"), /unknown sampler "bayes"; choose one of: auto, tpe, tpe-multivariate, random, sobol, gp, cmaes, cross-entropy, bohb, grid/);
  });
});
