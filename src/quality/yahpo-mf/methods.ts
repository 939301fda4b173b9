/**
 * @module The methods the multi-fidelity YAHPO benchmark compares, each a sampler and a pruner spec. The default
 * methods stand for the YAHPO Gym paper's optimizers where scaletune has them — Random, optuna (TPE + median
 * pruning), HB, BOHB — plus TPE with the learning-curve pruner and with Hyperband; their Hyperband runs the paper's
 * ladder of each problem (η = 3, rungs at F·3^−k), so its spec differs by problem while the method's label does not.
 */
import type { FidelityLadder } from "../problems/yahpo-mf.js";

export interface Method {
  /** The same on every problem, e.g. `random + hyperband`. */
  readonly label: string;
  readonly sampler: string;
  readonly pruner: string;
  /** The paper's optimizer it stands for, if any. */
  readonly counterpart: string | null;
}

/** The default methods on a problem with this ladder. */
export function defaultMethods(ladder: FidelityLadder): Method[] {
  return [
    { label: "random + none", sampler: "random", pruner: "none", counterpart: "Random" },
    // The paper's "optuna": TPESampler with MedianPruner(n_startup_trials=5, n_warmup_steps=0).
    { label: "tpe + median", sampler: "tpe", pruner: "median", counterpart: "optuna" },
    { label: "random + hyperband", sampler: "random", pruner: ladder.hyperband, counterpart: "HB" },
    { label: "bohb + hyperband", sampler: "bohb", pruner: `${ladder.hyperband},sampleWithinBracket=false`, counterpart: "BOHB" },
    { label: "tpe + learning-curve", sampler: "tpe", pruner: "learning-curve", counterpart: null },
    { label: "tpe + hyperband", sampler: "tpe", pruner: ladder.hyperband, counterpart: null },
  ];
}
