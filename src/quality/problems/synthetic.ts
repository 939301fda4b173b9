/**
 * @module The synthetic benchmark problems: the eight of the Optuna anchor benchmarks, defined exactly as in
 * `shared/anchors/optuna/common.py` (same boxes, parameter names, suggestion order, shift and optima), plus
 * `cnn_mixed`, a mixed integer/stepped/categorical space with a learning-rate–width interaction.
 */
import { ackley, branin, hartmann6, rastrigin, rosenbrock, SHIFT_UNIT } from "./functions.js";
import type { BenchObjective, BenchTrial, Problem } from "./problem.js";

/** `x0 … x{d-1}` over one box (the anchors name every box's parameters this way), optionally shifted by `shift`. */
function boxObjective(fn: (x: readonly number[]) => number, bounds: readonly (readonly [number, number])[], shift?: readonly number[]) {
  return (trial: BenchTrial): number => {
    const x = bounds.map(([lo, hi], i) => trial.suggestFloat(`x${i}`, lo, hi) - (shift?.[i] ?? 0));
    return fn(x);
  };
}

function cube(lo: number, hi: number, d: number): [number, number][] {
  return Array.from({ length: d }, () => [lo, hi]);
}

const NN_BATCH_SIZES = [16, 32, 64, 128, 256, 512] as const;

/**
 * The anchors' NN-like surrogate (README "nn_mixed"): a categorical optimizer that switches a conditional parameter,
 * an lr/momentum ridge, an lr–batch-size interaction, a dropout–depth interaction and a divergence cliff.
 * Optimum 0.05 at sgd, batch 64, lr/(1 − momentum) = 0.05, weight decay 5e-4, 3 layers, dropout 0.3.
 */
export function nnMixed(trial: BenchTrial): number {
  const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam"]);
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const momentum = optimizer === "sgd" ? trial.suggestFloat("momentum", 0, 0.99) : 0;
  const beta1 = optimizer === "adam" ? trial.suggestFloat("beta1", 0.5, 0.999) : 0;
  const weightDecay = trial.suggestFloat("weight_decay", 1e-6, 1e-1, { log: true });
  const batchSize = trial.suggestCategorical("batch_size", NN_BATCH_SIZES);
  const nLayers = trial.suggestInt("n_layers", 1, 5);
  const dropout = trial.suggestFloat("dropout", 0, 0.6);

  const sgd = optimizer === "sgd";
  const lrEffective = sgd ? lr / (1 - momentum) : lr;
  const lrOptimal = sgd ? (0.1 * batchSize) / 128 : 1e-3 * Math.sqrt(batchSize / 128);
  const base = sgd ? 0.05 : 0.065;
  const wdOptimal = sgd ? 5e-4 : 1e-4;
  const extra = sgd ? 0 : 0.02 * ((beta1 - 0.9) / 0.1) ** 2;
  const d = Math.log10(lrEffective / lrOptimal);
  if (d > 1) return 0.9;
  const error =
    base +
    extra +
    0.08 * d * d +
    0.02 * (Math.log10(weightDecay) - Math.log10(wdOptimal)) ** 2 +
    0.1 * (dropout - 0.1 * nLayers) ** 2 +
    0.01 * (nLayers - 3) ** 2 +
    0.005 * Math.log2(batchSize / 64) ** 2;
  return Math.min(error, 0.9);
}

const CNN_BASE_ERROR = { sgd: 0.075, adam: 0.06, rmsprop: 0.065 } as const;
/** Best learning rate of each optimizer at base width 64; it scales as 64 / width (μP-like). */
const CNN_LR_AT_WIDTH_64 = { sgd: 0.1, adam: 1e-3, rmsprop: 3e-4 } as const;
const CNN_ACTIVATION_PENALTY = { relu: 0.004, gelu: 0, silu: 0.001, tanh: 0.03 } as const;

/**
 * `cnn_mixed`: a synthetic convolutional-net "validation error" over a space the other problems lack — a log-scaled
 * integer width, a stepped integer kernel size, a stepped float label smoothing, a four-way unordered categorical
 * and a boolean that exists only for SGD — with the optimal learning rate shrinking as 1/width, the interaction
 * scaletune carries across scale. A divergence cliff one decade above the optimal learning rate.
 *
 * error = base(optimizer) [− 0.004 with Nesterov] + 0.06 d² + 0.015 (log2 width + blocks − 10)² + 0.004 (blocks − 4)²
 *         + 0.006 ((kernel − 3)/2)² + 0.25 (smoothing − 0.1)² + activation penalty, capped at 0.9,
 * with d = log10(lr / (lr₆₄(optimizer) · 64 / width)); 0.9 when d > 1.
 * Optimum 0.06: adam, lr 1e-3, width 64, 4 blocks, kernel 3, smoothing 0.1, gelu.
 */
export function cnnMixed(trial: BenchTrial): number {
  const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
  const nesterov = optimizer === "sgd" ? trial.suggestCategorical("nesterov", [false, true]) : false;
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const blocks = trial.suggestInt("n_blocks", 1, 6);
  const width = trial.suggestInt("base_width", 8, 512, { log: true });
  const kernel = trial.suggestInt("kernel_size", 1, 7, { step: 2 });
  const smoothing = trial.suggestFloat("label_smoothing", 0, 0.3, { step: 0.05 });
  const activation = trial.suggestCategorical("activation", ["relu", "gelu", "silu", "tanh"]);

  const d = Math.log10(lr / ((CNN_LR_AT_WIDTH_64[optimizer] * 64) / width));
  if (d > 1) return 0.9;
  const error =
    CNN_BASE_ERROR[optimizer] -
    (nesterov ? 0.004 : 0) +
    0.06 * d * d +
    0.015 * (Math.log2(width) + blocks - 10) ** 2 +
    0.004 * (blocks - 4) ** 2 +
    0.006 * ((kernel - 3) / 2) ** 2 +
    0.25 * (smoothing - 0.1) ** 2 +
    CNN_ACTIVATION_PENALTY[activation];
  return Math.min(error, 0.9);
}

interface SyntheticDefinition {
  readonly objective: BenchObjective;
  readonly optimum: number;
  readonly description: string;
}

const ACKLEY_HALF = 32.768;
const RASTRIGIN_HALF = 5.12;
const shifted = (half: number) => SHIFT_UNIT.map((u) => u * half);

/** Optima as the anchors state them (rounded for branin and hartmann6), so regrets are computed identically. */
const DEFINITIONS: Record<string, SyntheticDefinition> = {
  branin: { objective: boxObjective(branin, [[-5, 10], [0, 15]]), optimum: 0.397887, description: "Branin, x0 ∈ [-5,10], x1 ∈ [0,15]" },
  hartmann6: { objective: boxObjective(hartmann6, cube(0, 1, 6)), optimum: -3.32237, description: "Hartmann-6 on [0,1]^6" },
  rosenbrock10: { objective: boxObjective(rosenbrock, cube(-5, 10, 10)), optimum: 0, description: "Rosenbrock on [-5,10]^10, optimum at (1,…,1)" },
  ackley10: { objective: boxObjective(ackley, cube(-ACKLEY_HALF, ACKLEY_HALF, 10)), optimum: 0, description: "Ackley on [-32.768,32.768]^10, optimum at the box centre" },
  rastrigin10: { objective: boxObjective(rastrigin, cube(-RASTRIGIN_HALF, RASTRIGIN_HALF, 10)), optimum: 0, description: "Rastrigin on [-5.12,5.12]^10, optimum at the box centre" },
  ackley10_shifted: {
    objective: boxObjective(ackley, cube(-ACKLEY_HALF, ACKLEY_HALF, 10), shifted(ACKLEY_HALF)),
    optimum: 0,
    description: "Ackley on [-32.768,32.768]^10, optimum moved off-centre (anchors' SHIFT_UNIT × 32.768)",
  },
  rastrigin10_shifted: {
    objective: boxObjective(rastrigin, cube(-RASTRIGIN_HALF, RASTRIGIN_HALF, 10), shifted(RASTRIGIN_HALF)),
    optimum: 0,
    description: "Rastrigin on [-5.12,5.12]^10, optimum moved off-centre (anchors' SHIFT_UNIT × 5.12)",
  },
  nn_mixed: { objective: nnMixed, optimum: 0.05, description: "NN-like mixed/conditional surrogate of the Optuna anchors (7 params, optimizer-conditional)" },
  cnn_mixed: { objective: cnnMixed, optimum: 0.06, description: "CNN-like surrogate: log-int width, stepped int/float, 4-way categorical, SGD-only boolean, lr ∝ 1/width" },
};

export const SYNTHETIC_PROBLEMS: readonly string[] = Object.keys(DEFINITIONS);

export function syntheticProblem(name: string): Problem | undefined {
  if (!Object.hasOwn(DEFINITIONS, name)) return undefined;
  const definition = DEFINITIONS[name]!;
  return {
    name,
    direction: "minimize",
    optimum: definition.optimum,
    regretScale: 1,
    description: definition.description,
    objectiveFor: () => definition.objective,
  };
}
