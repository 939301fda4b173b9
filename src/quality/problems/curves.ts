/**
 * @module `curves:crossing` and `curves:benign`: the synthetic learning curves of the Optuna anchors'
 * pruning benchmark (`shared/anchors/optuna/bench_pruning.py`), defined exactly as there.
 *
 * Four parameters, suggested in this order: lr log [1e-5, 1], wd log [1e-6, 1e-1], width int log [16, 1024],
 * dropout [0, 0.6]. With u = log10 lr + 2.5, over epochs t = 1…27:
 *
 *   f(x) = 0.05 + 0.04 u² + 0.02 (log10 wd + 4)² + 0.1 (dropout − 0.3)² + 0.01 log2(width / 256)²   (asymptote)
 *   r(x) = clip(0.5 · 10^(u/2) · (1 − dropout) · (256 / width)^0.3, 0.01, 3)        (`benign`: r = 0.25)
 *   L(t) = f + (1 − f) e^(−r t) + ε_t, ε_t ~ N(0, 0.003²);  L(t) = 1 + ε_t when log10 lr > −0.7 (diverged)
 *
 * A higher lr converges faster but, past lr* = 10^−2.5, to a worse asymptote: the curves cross, so early epochs
 * rank configurations wrongly, as in real training. With one common rate (`benign`) they never cross. ε comes from
 * numpy's `RandomState((seed · 1000003 + trial number) mod 2^31).normal(0, 0.003)`, one draw per epoch, as in the
 * anchor.
 */
import type { ParamValue } from "../../core/types.js";
import { ConfigError, TrialPruned } from "../../errors.js";
import { NumpyRandomState } from "./numpy-random.js";
import type { BenchTrial, CurveTrial } from "./problem.js";

export type CurveKind = "crossing" | "benign";

/** Epochs of a full-length trial. */
export const CURVE_EPOCHS = 27;
/** A run's epochs unless told otherwise: the anchor's budget, a hundred full-length trials. */
export const DEFAULT_EPOCH_BUDGET = 100 * CURVE_EPOCHS;
const NOISE_SD = 0.003;

export interface CurveConfig {
  readonly lr: number;
  readonly wd: number;
  readonly width: number;
  readonly dropout: number;
}

export interface CurveShape {
  /** f(x), the loss the curve tends to: the quality of the configuration. */
  readonly asymptote: number;
  readonly rate: number;
  readonly diverged: boolean;
}

export interface CurveProblem {
  /** `curves:crossing` or `curves:benign`. */
  readonly name: string;
  readonly kind: CurveKind;
  readonly description: string;
}

const DESCRIPTIONS: Readonly<Record<CurveKind, string>> = {
  crossing: "Synthetic learning curves over 27 epochs (4 params); a higher lr converges faster to a worse loss, so curves cross",
  benign: "Synthetic learning curves over 27 epochs (4 params), one common rate: curves never cross (apart from noise)",
};

export const CURVE_GROUP = "curves";
export const CURVE_PROBLEMS: readonly string[] = Object.keys(DESCRIPTIONS).map((kind) => `${CURVE_GROUP}:${kind}`);

/** Whether a `--problem` name asks for curve problems (the group or a `curves:` name, known or not). */
export function isCurveProblem(name: string): boolean {
  return name === CURVE_GROUP || name.startsWith(`${CURVE_GROUP}:`);
}

/** Expands curve problem names and the `curves` group into distinct problems, in order. */
export function curveProblems(names: readonly string[]): CurveProblem[] {
  const problems: CurveProblem[] = [];
  for (const name of names.flatMap((n) => (n === CURVE_GROUP ? CURVE_PROBLEMS : [n]))) {
    const kind = name.slice(CURVE_GROUP.length + 1);
    if (!Object.hasOwn(DESCRIPTIONS, kind)) throw new ConfigError(`unknown curve problem "${name}"; choose from: ${CURVE_PROBLEMS.join(", ")}`);
    if (!problems.some((p) => p.name === name)) problems.push({ name, kind: kind as CurveKind, description: DESCRIPTIONS[kind as CurveKind] });
  }
  return problems;
}

/** The anchor's `curve_params`, operation for operation, so that values agree to the last bit the libm allows. */
export function curveShape(config: CurveConfig, kind: CurveKind): CurveShape {
  const { lr, wd, width, dropout } = config;
  const u = Math.log10(lr) + 2.5;
  const asymptote =
    0.05 + 0.04 * u * u + 0.02 * (Math.log10(wd) + 4) ** 2 + 0.1 * (dropout - 0.3) ** 2 + 0.01 * Math.log2(width / 256) ** 2;
  const rate = Math.min(Math.max(0.5 * 10 ** (0.5 * u) * (1 - dropout) * (256 / width) ** 0.3, 0.01), 3);
  return { asymptote, rate: kind === "benign" ? 0.25 : rate, diverged: Math.log10(lr) > -0.7 };
}

/** L(t) without the noise. */
export function noiseFreeLoss(shape: CurveShape, epoch: number): number {
  return shape.diverged ? 1 : shape.asymptote + (1 - shape.asymptote) * Math.exp(-shape.rate * epoch);
}

export function suggestCurveConfig(trial: BenchTrial): CurveConfig {
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const wd = trial.suggestFloat("wd", 1e-6, 1e-1, { log: true });
  const width = trial.suggestInt("width", 16, 1024, { log: true });
  const dropout = trial.suggestFloat("dropout", 0, 0.6);
  return { lr, wd, width, dropout };
}

/** The configuration of a finished trial, from its parameters. */
export function curveConfigOf(params: Readonly<Record<string, ParamValue>>): CurveConfig {
  return { lr: Number(params.lr), wd: Number(params.wd), width: Number(params.width), dropout: Number(params.dropout) };
}

/** The noise of one trial: seeded by the run's seed and the trial number alone, so runs are reproducible. */
export function curveNoise(seed: number, trialNumber: number): NumpyRandomState {
  return new NumpyRandomState((seed * 1_000_003 + trialNumber) % 2 ** 31);
}

/**
 * The objective of one run: trains for up to 27 epochs, reporting L(t) at step t and asking the pruner after each
 * report; throws `TrialPruned` when told to stop. A complete trial's value is L(27).
 */
export function curveObjective(kind: CurveKind, seed: number): (trial: CurveTrial) => number {
  return (trial) => {
    const shape = curveShape(suggestCurveConfig(trial), kind);
    const noise = curveNoise(seed, trial.number);
    let loss = Number.NaN;
    for (let epoch = 1; epoch <= CURVE_EPOCHS; epoch++) {
      loss = noiseFreeLoss(shape, epoch) + noise.normal(0, NOISE_SD);
      trial.report(loss, epoch);
      if (trial.shouldPrune()) throw new TrialPruned(`pruned at epoch ${epoch}`);
    }
    return loss;
  };
}
