import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { prunerFromSpec } from "../../pruners/registry.js";
import { epochLadder, geometricLadder } from "../problems/yahpo-mf.js";
import { defaultMethods } from "./methods.js";

describe("multi-fidelity YAHPO methods", () => {
  it("stands for the paper's Random, optuna, HB and BOHB by default, Hyperband on each problem's ladder", () => {
    const lcbench = defaultMethods(epochLadder("epoch", 1, 52));
    assert.deepEqual(lcbench.map((m) => [m.label, m.counterpart]), [
      ["random + none", "Random"], ["tpe + median", "optuna"], ["random + hyperband", "HB"], ["bohb + hyperband", "BOHB"],
      ["tpe + learning-curve", null], ["tpe + hyperband", null],
    ]);
    assert.equal(lcbench[3]!.pruner, `hyperband:minResource=${52 / 27},maxResource=52,reductionFactor=3,sampleWithinBracket=false`);
    assert.equal(defaultMethods(geometricLadder("trainsize", 0.03, 1))[2]!.pruner, "hyperband:minResource=1,maxResource=27,reductionFactor=3");
    for (const method of lcbench) prunerFromSpec(method.pruner);
  });
});
