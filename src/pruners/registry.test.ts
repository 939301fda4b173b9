import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors.js";
import { PatientPruner } from "./patient.js";
import { MedianPruner, PercentilePruner } from "./percentile.js";
import { prunerFromSpec, prunerNames } from "./registry.js";
import { ThresholdPruner } from "./threshold.js";

const configError = (message: RegExp) => (e: unknown) => e instanceof ConfigError && message.test(e.message);

describe("pruner registry: prunerFromSpec", () => {
  it("names every pruner when the name is unknown", () => {
    for (const name of ["median", "percentile", "patient", "threshold", "none"]) assert.ok(prunerNames().includes(name), name);
    assert.throws(() => prunerFromSpec("medain"), configError(new RegExp(`unknown pruner "medain"; choose one of: ${prunerNames().join(", ")}`)));
  });

  it("lists the pruner's options when an option is unknown", () => {
    assert.throws(
      () => prunerFromSpec("median:warmup=3"),
      configError(/pruner "median" has no option "warmup"; its options are nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials/),
    );
    assert.throws(() => prunerFromSpec("threshold:upper=1,patience=2"), configError(/its options are lower, upper, nWarmupSteps, intervalSteps/));
  });

  it("refuses values that are not numbers, or are missing", () => {
    assert.throws(() => prunerFromSpec("median:nWarmupSteps=three"), configError(/"nWarmupSteps" must be a number, got "three"/));
    assert.throws(() => prunerFromSpec("threshold:upper="), configError(/"upper" needs a value/));
  });

  it("passes values on to the constructor, whose checks name the option", () => {
    assert.throws(() => prunerFromSpec("median:nWarmupSteps=-1"), configError(/nWarmupSteps must be a non-negative integer/));
    assert.throws(() => prunerFromSpec("percentile:nStartupTrials=2"), configError(/percentile must be a number from 0 to 100.*got undefined/));
    assert.throws(() => prunerFromSpec("patient:minDelta=0.1"), configError(/patience must be a non-negative integer.*got undefined/));
    assert.throws(() => prunerFromSpec("threshold"), configError(/needs lower, upper or both/));
  });

  it("builds a median or percentile pruner with the options given and defaults for the rest", () => {
    const median = prunerFromSpec("Median:nWarmupSteps=5,intervalSteps=2");
    assert.ok(median instanceof MedianPruner);
    assert.deepEqual([median.nStartupTrials, median.nWarmupSteps, median.intervalSteps, median.nMinTrials], [5, 5, 2, 1]);
    const percentile = prunerFromSpec("percentile:percentile=25,nMinTrials=3,nStartupTrials=0");
    assert.ok(percentile instanceof PercentilePruner && !(percentile instanceof MedianPruner));
    assert.deepEqual([percentile.percentile, percentile.nMinTrials, percentile.nStartupTrials], [25, 3, 0]);
  });

  it("builds a patient pruner around the pruner named by wrapped, or around none", () => {
    const wrapping = prunerFromSpec("patient:patience=3,wrapped=median");
    assert.ok(wrapping instanceof PatientPruner && wrapping.wrapped instanceof MedianPruner);
    assert.deepEqual([wrapping.patience, wrapping.minDelta], [3, 0]);
    const alone = prunerFromSpec("patient:patience=2,minDelta=0.5");
    assert.ok(alone instanceof PatientPruner);
    assert.deepEqual([alone.wrapped, alone.patience, alone.minDelta], [null, 2, 0.5]);
  });

  it("takes a bare, known name for the wrapped pruner", () => {
    assert.throws(() => prunerFromSpec("patient:patience=2,wrapped=median:nWarmupSteps=3"), configError(/takes a bare name \(wrapped=median\), not options/));
    assert.throws(() => prunerFromSpec("patient:patience=2,wrapped=bogus"), configError(/unknown pruner "bogus"; choose one of/));
  });

  it("builds a threshold pruner with one bound or both", () => {
    const upper = prunerFromSpec("threshold:upper=2");
    assert.ok(upper instanceof ThresholdPruner);
    assert.deepEqual([upper.lower, upper.upper], [-Infinity, 2]);
    const both = prunerFromSpec("threshold:lower=-1,upper=1,nWarmupSteps=3,intervalSteps=2");
    assert.ok(both instanceof ThresholdPruner);
    assert.deepEqual([both.lower, both.upper, both.nWarmupSteps, both.intervalSteps], [-1, 1, 3, 2]);
  });
});
