import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mean, median, quantile, quartiles, sortedQuantile, spearman, standardError } from "./statistics.js";

// Known answers from numpy 1.24: numpy.percentile (linear, its default) and numpy.std(ddof=1) / sqrt(n).
describe("statistics", () => {
  it("interpolates quantiles linearly between order statistics, as numpy.percentile does", () => {
    // numpy.percentile([3.5, -1, 2, 8, 0.25], [10, 33, 90]) = [-0.5, 0.81, 6.2]
    assert.equal(quantile([3.5, -1, 2, 8, 0.25], 0.1), -0.5);
    assert.equal(quantile([3.5, -1, 2, 8, 0.25], 0.33), 0.81);
    assert.equal(quantile([3.5, -1, 2, 8, 0.25], 0.9), 6.2);
    assert.equal(quantile([0, 10], 0.9), 9);
    assert.equal(quantile([3, 1, 2], 0), 1);
    assert.equal(quantile([3, 1, 2], 1), 3);
    assert.equal(sortedQuantile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(median([10, 0, 2, 8, 4]), 4);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => quantile([], 0.5), /empty/);
    assert.throws(() => median([]), /empty/);
  });

  it("gives Spearman's rank correlation, ties sharing a rank (scipy.stats.spearmanr's answers)", () => {
    assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) = 0.8207826816681233.
    assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-12);
  });

  it("gives the quartiles of one sorted copy", () => {
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25]
    assert.deepEqual(quartiles([4, 1, 3, 2]), { q25: 1.75, median: 2.5, q75: 3.25 });
    assert.deepEqual(quartiles([5, 1, 9]), { q25: 3, median: 5, q75: 7 });
    assert.deepEqual(quartiles([7]), { q25: 7, median: 7, q75: 7 });
    assert.throws(() => quartiles([]), /empty/);
  });

  it("gives the mean and the standard error of the mean with the sample standard deviation", () => {
    assert.equal(mean([1, 2, 6]), 3);
    assert.throws(() => mean([]), /empty/);
    assert.equal(standardError([1, 2, 3, 4]), 0.6454972243679028);
    assert.equal(standardError([2, 4, 4, 4, 5, 5, 7, 9]), 0.7559289460184544);
    assert.throws(() => standardError([1]), /fewer than two/);
  });
});
