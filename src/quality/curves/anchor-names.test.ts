import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anchorPrunerName, anchorSamplerName } from "./anchor-names.js";

describe("the pruning anchor's names", () => {
  it("pairs our pruner specs and samplers with the anchor's names, whatever the option order and number spelling", () => {
    assert.equal(anchorPrunerName("none"), "nop");
    assert.equal(anchorPrunerName("Median"), "median");
    assert.equal(anchorPrunerName("median:nWarmupSteps=5"), "median_w5");
    assert.equal(anchorPrunerName("median: nWarmupSteps = 5.0"), "median_w5");
    assert.equal(anchorPrunerName("hyperband:reductionFactor=3,maxResource=27,minResource=1"), "hyperband");
    assert.equal(anchorPrunerName("sha:minResource=1,reductionFactor=3"), "sha");
    assert.equal(anchorPrunerName("median:nWarmupSteps=4"), null);
    assert.equal(anchorPrunerName("hyperband"), null, "other options than the anchor's");
    assert.equal(anchorPrunerName("percentile:percentile=25"), null);
    assert.equal(anchorSamplerName("tpe"), "tpe");
    assert.equal(anchorSamplerName("tpe-multivariate"), "tpe_mv_group");
    assert.equal(anchorSamplerName("gp"), null);
  });
});
