/**
 * Reference checks against Epoch AI's points extracted from the Chinchilla paper (Besiroglu et al. 2024), in
 * `../shared/data/chinchilla/`. Skipped, with the reason printed, when that folder is absent.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SHARED_DIR } from "../quality/problems/data-paths.js";
import { allocationExponents } from "./allocation.js";
import { bootstrapLossLaw } from "./bootstrap.js";
import { fitLossLaw } from "./fit.js";
import { chinchillaLaw } from "./laws.js";
import { parseColumnSpec, readRuns } from "./runs.js";
import { checkExtrapolation } from "./validation.js";

const FILE = join(SHARED_DIR, "data", "chinchilla", "svg_extracted_data.csv");
const skip = existsSync(FILE) ? false : `no Chinchilla data at ${FILE}`;
if (skip) console.log(`# skipped the Chinchilla reference checks: ${skip}`);

describe("Chinchilla reference checks (Epoch AI's extracted data)", { skip }, () => {
  const runs = () => readRuns(readFileSync(FILE, "utf8"), chinchillaLaw, parseColumnSpec("N=Model Size,C=Training FLOP,loss=loss")).points;
  // Epoch drops the 5 highest-loss points.
  const options = { dropHighestLoss: 5 };

  it("refits Epoch's parameters and objective, summed or averaged", () => {
    const points = runs();
    assert.equal(points.length, 245);
    const summed = fitLossLaw(chinchillaLaw, points, { ...options, reduction: "sum" });
    const p = summed.parameters;
    assert.equal(summed.used.length, 240);
    assert.ok(Math.abs(p.alpha! - 0.347) <= 0.005, `alpha ${p.alpha}`);
    assert.ok(Math.abs(p.beta! - 0.367) <= 0.01, `beta ${p.beta}`);
    assert.ok(Math.abs(p.E! - 1.817) <= 0.01, `E ${p.E}`);
    assert.ok(Math.abs(allocationExponents(p).a - 0.514) <= 0.01, `a ${allocationExponents(p).a}`);
    // Epoch reports 1.01827e-3 for its grid fit of the summed Huber objective.
    assert.ok(summed.objective <= 1.0183e-3, `objective ${summed.objective}`);
    const averaged = fitLossLaw(chinchillaLaw, points, { ...options, reduction: "mean" });
    for (const name of ["alpha", "beta", "E", "A", "B"]) {
      assert.ok(Math.abs(averaged.parameters[name]! / p[name]! - 1) < 1e-5, `${name}: ${averaged.parameters[name]} vs ${p[name]}`);
    }
    assert.ok(Math.abs((averaged.objective * 240) / summed.objective - 1) < 1e-9);
  });

  it("bootstraps standard errors close to Epoch's (α 0.015, β 0.021)", () => {
    const points = runs();
    const fit = fitLossLaw(chinchillaLaw, points, options);
    const intervals = bootstrapLossLaw(chinchillaLaw, points, fit, { resamples: 200, seed: 1 });
    const { alpha, beta } = intervals.parameters;
    assert.ok(Math.abs(alpha!.sd - 0.015) < 0.004, `SD(alpha) ${alpha!.sd}`);
    assert.ok(Math.abs(beta!.sd - 0.021) < 0.005, `SD(beta) ${beta!.sd}`);
    assert.ok(alpha!.lower < fit.parameters.alpha! && fit.parameters.alpha! < alpha!.upper);
  });

  it("fitted on models below 2e9 parameters, predicts the larger ones within 1.5 % on average, 5 % at worst", () => {
    const check = checkExtrapolation(chinchillaLaw, runs(), { atLeast: 2e9 }, options);
    assert.ok(check.heldOut.length > 40, `${check.heldOut.length} held out`);
    assert.ok(check.heldOut.every((r) => r.inputs.N! >= 2e9) && check.fit.used.every((i) => !check.heldOut.some((r) => r.index === i)));
    assert.ok(check.meanAbsoluteError <= 0.015, `mean ${check.meanAbsoluteError}`);
    assert.ok(check.worstAbsoluteError <= 0.05, `worst ${check.worstAbsoluteError}`);
  });
});
