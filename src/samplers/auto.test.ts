import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createStudy } from "../study/api.js";
import type { Trial } from "../study/trial.js";
import { AUTO_HISTORY_ATTR } from "../core/attributes.js";
import { AutoSampler, type AutoDelegates } from "./auto.js";
import { describeSamplerConformance } from "../testing/sampler-conformance.js";
import { GPSampler } from "./gp/sampler.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";

/** Every delegate is a random sampler here: these tests are about which one is chosen, read from the trial tags. */
const randomDelegates: AutoDelegates = {
  sobol: (seed) => new RandomSampler({ seed }),
  tpe: (seed) => new RandomSampler({ seed }),
  gp: (seed) => new RandomSampler({ seed }),
  cmaes: (seed) => new RandomSampler({ seed }),
};

async function choices(objective: (t: Trial) => number | number[], trials: number, directions = 1) {
  const sampler = new AutoSampler({ delegates: randomDelegates, seed: 1, nStartupTrials: 5, gpMaxTrials: 12 });
  const study = await createStudy({ sampler, directions: Array(directions).fill("minimize") });
  await study.optimize(objective, { nTrials: trials });
  return { tags: study.trials().map((t) => t.systemAttrs["auto:sampler"]), history: study.systemAttrs[AUTO_HISTORY_ATTR] };
}

describeSamplerConformance("auto", (seed) => new AutoSampler({ seed }));

describe("auto sampler", () => {
  it("starts with a quasi-random design, models numeric spaces with GP, then hands long runs to CMA-ES", async () => {
    const { tags, history } = await choices((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 0, 9), 16);
    assert.deepEqual(tags, [...Array(5).fill("sobol"), ...Array(7).fill("gp"), ...Array(4).fill("cmaes")]);
    assert.deepEqual(
      (history as { sampler: string; afterFinishedTrials: number }[]).map((h) => [h.sampler, h.afterFinishedTrials]),
      [["sobol", 0], ["gp", 5], ["cmaes", 12]],
    );
  });

  it("uses TPE for multi-objective studies, and after GP for long runs with categoricals or conditional parameters", async () => {
    const categorical = await choices((t) => t.suggestFloat("x", 0, 1) + (t.suggestCategorical("c", ["a", "b"]) === "a" ? 1 : 0), 14);
    assert.deepEqual(categorical.tags.slice(5), [...Array(7).fill("gp"), "tpe", "tpe"]);
    const conditional = await choices((t) => (t.suggestInt("k", 0, 1) === 0 ? t.suggestFloat("a", 0, 1) : t.suggestFloat("b", 0, 1)), 14);
    assert.deepEqual(conditional.tags.slice(5), [...Array(7).fill("gp"), "tpe", "tpe"]);
    assert.match(JSON.stringify(conditional.history), /conditional search space, 12 trials or more/);
    const multi = await choices((t) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)], 8, 2);
    assert.deepEqual(multi.tags.slice(5), ["tpe", "tpe", "tpe"]);
    assert.match(JSON.stringify(multi.history), /multi-objective/);
  });

  it("proposes exactly what GPSampler with the same seed does while GP is its choice", async () => {
    const objective = (t: Trial) => (t.suggestFloat("x", -2, 2) - 0.5) ** 2 + (t.suggestCategorical("c", ["a", "b"]) === "a" ? 0 : 0.3);
    const params = async (sampler: Sampler) => {
      const study = await createStudy({ sampler });
      await study.optimize(objective, { nTrials: 16 });
      return study.trials().map((t) => t.params);
    };
    assert.deepEqual(await params(new AutoSampler({ seed: 9 })), await params(new GPSampler({ seed: 9 })));
  });

  it("warm-starts CMA-ES where the earlier trials found the best region, not at the centre of the box", async () => {
    const study = await createStudy({ sampler: new AutoSampler({ seed: 4, nStartupTrials: 5, gpMaxTrials: 15 }) });
    // Optimum at (9, 1), far from the box centre (5, 5) where a cold CMA-ES would start.
    await study.optimize((t) => (t.suggestFloat("x", 0, 10) - 9) ** 2 + (t.suggestFloat("y", 0, 10) - 1) ** 2, { nTrials: 25 });
    const handedOver = study.trials().filter((t) => t.systemAttrs["auto:sampler"] === "cmaes");
    assert.equal(handedOver.length, 10);
    const distance = handedOver.map((t) => Math.hypot((t.params.x as number) - 9, (t.params.y as number) - 1));
    assert.ok(Math.max(...distance) < 2, `CMA-ES proposals ${distance.map((d) => d.toFixed(2)).join(", ")} away from the optimum`);
  });
});
