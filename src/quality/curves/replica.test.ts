/**
 * End to end against Optuna's measured runs: with Optuna 3.1's RandomSampler replicated (numpy's MT19937 and
 * `uniform`, on the range `_SearchSpaceTransform` gives it), our curve run reproduces the anchor's random/nop runs —
 * so the objective, the noise seeding, the epoch accounting and the summary at the marks are the anchor's.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import type { Sampler } from "../../samplers/sampler.js";
import type { Distribution } from "../../space/distributions.js";
import { NumpyRandomState } from "../problems/numpy-random.js";
import { PRUNING_ANCHOR_FILE, readPruningAnchor } from "./anchor.js";
import { runCurves } from "./run.js";

/** The largest double below x (numpy.nextafter(x, x − 1)), which Optuna caps continuous values at. */
function below(x: number): number {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0]! -= 1n;
  return new Float64Array(bits.buffer)[0]!;
}

/**
 * Optuna 3.1's RandomSampler for the ranges the curves use: one numpy `uniform` per parameter on [log low, log high]
 * (log floats), [low, high] (floats), [log(low − ½), log(high + ½)] (log ints), then back: exp, capped below high;
 * ints rounded and clipped.
 */
class OptunaRandomReplica implements Sampler {
  readonly name = "optuna-random-replica";
  private readonly rng: NumpyRandomState;

  constructor(seed: number) {
    this.rng = new NumpyRandomState(seed);
  }

  sampleIndependent(_study: unknown, _trial: unknown, name: string, d: Distribution): number {
    if (d.type === "categorical" || (d.type === "int" && !d.log) || (d.type === "float" && d.step !== null)) {
      throw new Error(`the replica covers log ints and continuous floats only, not "${name}"`);
    }
    const half = d.type === "int" ? 0.5 * d.step : 0;
    const [low, high] = d.log ? [Math.log(d.low - half), Math.log(d.high + half)] : [d.low, d.high];
    const x = low + (high - low) * this.rng.nextDouble();
    if (d.type === "int") return Math.min(Math.max(Math.round(Math.exp(x)), d.low), d.high);
    return Math.min(d.log ? Math.exp(x) : x, below(d.high));
  }
}

const skip = existsSync(PRUNING_ANCHOR_FILE) ? false : `the shared anchors are absent (${PRUNING_ANCHOR_FILE}); ../shared must sit next to the project`;

describe("curve runs against Optuna's anchor", () => {
  it("reproduce every random/nop run of the anchor, both curves, to the last bits libm allows", { skip }, async () => {
    const anchored = readPruningAnchor().runs.filter((r) => r.sampler === "random" && r.pruner === "nop");
    assert.equal(anchored.length, 20);
    for (const theirs of anchored) {
      const ours = await runCurves(
        { problem: theirs.problem, sampler: "random", pruner: "none", seed: theirs.seed, epochBudget: theirs.epochBudget },
        { sampler: new OptunaRandomReplica(theirs.seed) },
      );
      const what = `${theirs.problem} seed ${theirs.seed}`;
      assert.deepEqual([ours.trials, ours.pruned, ours.totalEpochs], [theirs.trials, theirs.pruned, theirs.totalEpochs], what);
      assert.deepEqual(ours.bestAt.map((b) => b.epochs), theirs.bestAt.map((b) => b.epochs), what);
      ours.bestAt.forEach((b, i) => assert.ok(Math.abs(b.best! - theirs.bestAt[i]!.best!) <= 1e-15, `${what} @${b.epochs}: ${b.best} vs ${theirs.bestAt[i]!.best}`));
      assert.ok(Math.abs(ours.bestAsymptote! - theirs.bestAsymptote!) <= 1e-15, `${what} f(x) of best: ${ours.bestAsymptote} vs ${theirs.bestAsymptote}`);
    }
  });
});
