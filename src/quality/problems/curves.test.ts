import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TrialPruned } from "../../errors.js";
import { FixedTrial } from "../../study/trial.js";
import {
  CURVE_EPOCHS,
  curveNoise,
  curveObjective,
  curveProblems,
  curveShape,
  isCurveProblem,
  noiseFreeLoss,
  type CurveConfig,
  type CurveKind,
} from "./curves.js";
import { NumpyRandomState } from "./numpy-random.js";

/** Runs the objective on fixed values; returns the reported curve (step → loss). */
function curve(config: CurveConfig, kind: CurveKind, seed: number, trialNumber: number): Map<number, number> {
  const trial = new FixedTrial({ ...config }, trialNumber);
  curveObjective(kind, seed)(trial);
  return trial.intermediateValues;
}

/** Values can differ from Python's in the last bits only: libm's exp, pow and log round differently from V8's. */
function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-15, `${what}: ${actual} vs anchor ${expected}`);
}

// Printed by the anchor's own bench_pruning.curve_params (Python 3.11, numpy 2.4.6 legacy RandomState):
// [config, curve, seed, trial number, f, r, diverged, L(1), L(3), L(27)]
const ANCHOR: [CurveConfig, CurveKind, number, number, number, number, boolean, number, number, number][] = [
  [{ lr: 1e-2, wd: 1e-4, width: 256, dropout: 0.3 }, "crossing", 0, 0, 0.060000000000000005, 0.6223977935136229, false, 0.5697488939601949, 0.20821963967624843, 0.060137322858513226],
  [{ lr: 0.0031622776601683794, wd: 1e-4, width: 256, dropout: 0.3 }, "crossing", 0, 1, 0.05, 0.35, false, 0.7243267213237675, 0.3808563463988073, 0.04970608441045226],
  [{ lr: 3.7e-4, wd: 2.2e-3, width: 57, dropout: 0.12 }, "crossing", 3, 41, 0.17097555106805534, 0.23619085125884468, false, 0.8238100584711195, 0.5787384196184163, 0.17576062924644528],
  [{ lr: 3.7e-4, wd: 2.2e-3, width: 57, dropout: 0.12 }, "benign", 3, 41, 0.17097555106805534, 0.25, false, 0.8148324079591543, 0.5621745596274346, 0.1753220120961449],
  [{ lr: 0.5, wd: 1e-5, width: 1024, dropout: 0.6 }, "crossing", 9, 250, 0.31241876319878203, 1.659193357736925, true, 1.0045352865125274, 1.0025726806646906, 0.9991622169091362],
  [{ lr: 1e-5, wd: 1e-6, width: 1024, dropout: 0.6 }, "crossing", 2, 3, 0.429, 0.01, false, 0.9969359466124238, 0.9768652530131389, 0.8674761281888549],
  [{ lr: 0.19, wd: 1e-3, width: 16, dropout: 0 }, "crossing", 5, 2146, 0.3655585749161062, 3, false, 0.4039095642822776, 0.3673538887366994, 0.36249264748272186],
];

describe("learning-curve problems", () => {
  it("computes the anchor's asymptote, rate (clipped to [0.01, 3]), divergence and noisy curve", () => {
    for (const [config, kind, seed, number, f, r, diverged, l1, l3, l27] of ANCHOR) {
      const what = `${JSON.stringify(config)} ${kind}`;
      const shape = curveShape(config, kind);
      near(shape.asymptote, f, `${what} f`);
      near(shape.rate, r, `${what} r`);
      assert.equal(shape.diverged, diverged, what);
      const losses = curve(config, kind, seed, number);
      assert.deepEqual([...losses.keys()], Array.from({ length: CURVE_EPOCHS }, (_, i) => i + 1), "one report per epoch, steps 1…27");
      near(losses.get(1)!, l1, `${what} L(1)`);
      near(losses.get(3)!, l3, `${what} L(3)`);
      near(losses.get(27)!, l27, `${what} L(27)`);
    }
  });

  it("crosses: the higher learning rate is ahead at epoch 3 and behind at epoch 27", () => {
    const fast = curveShape({ lr: 1e-2, wd: 1e-4, width: 256, dropout: 0.3 }, "crossing");
    const best = curveShape({ lr: 0.0031622776601683794, wd: 1e-4, width: 256, dropout: 0.3 }, "crossing");
    // bench_pruning.curve_params, noise-free: f + (1 − f) exp(−r t) at t = 3 and 27.
    near(noiseFreeLoss(fast, 3), 0.2052834257239312, "lr 1e-2 at 3");
    near(noiseFreeLoss(best, 3), 0.38244086165559765, "lr 10^-2.5 at 3");
    near(noiseFreeLoss(fast, 27), 0.060000047306608885, "lr 1e-2 at 27");
    near(noiseFreeLoss(best, 27), 0.050074755087008205, "lr 10^-2.5 at 27");
    assert.ok(noiseFreeLoss(fast, 3) < noiseFreeLoss(best, 3) && noiseFreeLoss(fast, 27) > noiseFreeLoss(best, 27));
    // Benign curves share one rate, so the better asymptote is ahead at every epoch.
    const [fastBenign, bestBenign] = [fast, best].map((s) => ({ ...s, rate: 0.25 }));
    for (let t = 1; t <= CURVE_EPOCHS; t++) assert.ok(noiseFreeLoss(bestBenign!, t) < noiseFreeLoss(fastBenign!, t), `epoch ${t}`);
  });

  it("seeds the noise by (run seed, trial number) alone, modulo 2^31 like the anchor", () => {
    const config = { lr: 1e-3, wd: 1e-4, width: 128, dropout: 0.2 };
    assert.deepEqual(curve(config, "crossing", 4, 17), curve(config, "crossing", 4, 17));
    assert.notDeepEqual(curve(config, "crossing", 4, 17), curve(config, "crossing", 4, 18));
    assert.notDeepEqual(curve(config, "crossing", 4, 17), curve(config, "crossing", 5, 17));
    // (3000 · 1000003 + 0) mod 2^31 = 852525352
    assert.equal(curveNoise(3000, 0).normal(), new NumpyRandomState(852525352).normal());
  });

  it("asks the pruner after every report and stops with TrialPruned when told to", () => {
    class PruneAtFour extends FixedTrial {
      asked = 0;
      override shouldPrune(): boolean {
        this.asked++;
        return this.intermediateValues.size >= 4;
      }
    }
    const trial = new PruneAtFour({ lr: 1e-3, wd: 1e-4, width: 128, dropout: 0.2 }, 0);
    assert.throws(() => curveObjective("crossing", 0)(trial), (e: Error) => e instanceof TrialPruned && /epoch 4/.test(e.message));
    assert.equal(trial.asked, 4);
    assert.deepEqual([...trial.intermediateValues.keys()], [1, 2, 3, 4]);
    const complete = new FixedTrial({ lr: 1e-3, wd: 1e-4, width: 128, dropout: 0.2 }, 0);
    assert.equal(curveObjective("crossing", 0)(complete), complete.intermediateValues.get(CURVE_EPOCHS), "a complete trial's value is L(27)");
  });

  it("knows its names and the curves group", () => {
    assert.ok(isCurveProblem("curves") && isCurveProblem("curves:crossing") && isCurveProblem("curves:typo"));
    assert.ok(!isCurveProblem("branin") && !isCurveProblem("curvesx"));
    assert.deepEqual(curveProblems(["curves", "curves:crossing"]).map((p) => [p.name, p.kind]), [["curves:crossing", "crossing"], ["curves:benign", "benign"]]);
    assert.throws(() => curveProblems(["curves:wiggly"]), (e: Error) => e.name === "ConfigError" && /unknown curve problem "curves:wiggly"; choose from: curves:crossing, curves:benign/.test(e.message));
  });
});
