/**
 * @module The end-to-end transfer experiment on the demo network: tune the learning rate at widths 32–256 under SP
 * and under μP, fit how the optimum moves with width, and check the prediction at width 512, which was not tuned.
 *
 * Adam, 2 hidden layers, batch 64, 10 epochs on the digits training split; the objective is the last epoch's
 * training cross-entropy (what μTransfer is about: optimisation, not the generalisation of a 1,400-image training
 * set), averaged over 3 seeds; learning rates 2^−12 … 2^−2 in half-powers of two. μP's factors are
 * relative to width 32. The law is fitted with scaletune/scaling's hyperparameter laws (near-optimal band within
 * 2 % of each width's best loss — this small network's loss is noisier than an LLM's — N = hidden width).
 */
import { loadDigitsDemo, mlpParameterization, type MlpConfig } from "../src/demo/index.js";
import { fitHyperparameterLaws, type HyperparameterRun } from "../src/scaling/index.js";
import { printRows, type BenchRow, type Size } from "./common.js";

/** `quick` keeps three tuned widths (the fewest a law in N can be fitted to), a coarse grid, one seed and epoch. */
const SIZES = {
  full: { tuned: [32, 64, 128, 256], target: 512, octavesPerLr: 0.5, grid: "half-powers of two", seeds: [0, 1, 2], epochs: 10 },
  quick: { tuned: [32, 64, 128], target: 256, octavesPerLr: 2, grid: "powers of four", seeds: [0], epochs: 1 },
} satisfies Record<Size, unknown>;
type Setup = (typeof SIZES)[Size];
const LOWEST_LR_LOG2 = -12;
const HIGHEST_LR_LOG2 = -2;
const TOLERANCE = 0.02;

function learningRates(setup: Setup): number[] {
  const n = (HIGHEST_LR_LOG2 - LOWEST_LR_LOG2) / setup.octavesPerLr + 1;
  return Array.from({ length: n }, (_, i) => 2 ** (LOWEST_LR_LOG2 + i * setup.octavesPerLr));
}

async function trainingLoss(setup: Setup, parameterization: "SP" | "muP", width: number, learningRate: number): Promise<number> {
  const { demoSplit, trainMlp } = await loadDigitsDemo();
  const split = demoSplit();
  let total = 0;
  for (const seed of setup.seeds) {
    const config: MlpConfig = {
      hiddenWidth: width, depth: 2, learningRate, batchSize: 64, weightDecay: 0, optimizer: "adam", epochs: setup.epochs, seed,
    };
    const result = await trainMlp({ ...config, parameterization: mlpParameterization(parameterization, config, setup.tuned[0]!, split.train) }, split);
    result.model.dispose();
    total += result.trainLoss;
  }
  return total / setup.seeds.length;
}

/** Training loss at every learning rate of the grid. */
async function sweep(setup: Setup, parameterization: "SP" | "muP", width: number): Promise<number[]> {
  const losses: number[] = [];
  for (const lr of learningRates(setup)) losses.push(await trainingLoss(setup, parameterization, width, lr));
  return losses;
}

function best(setup: Setup, losses: readonly number[]): { learningRate: number; loss: number } {
  const i = losses.indexOf(Math.min(...losses));
  return { learningRate: learningRates(setup)[i]!, loss: losses[i]! };
}

/** Loss at `lr` by linear interpolation in log learning rate along the measured grid. */
function lossAt(setup: Setup, losses: readonly number[], lr: number): number {
  const position = (Math.log2(lr) - LOWEST_LR_LOG2) / setup.octavesPerLr;
  const i = Math.max(0, Math.min(losses.length - 2, Math.floor(position)));
  const t = Math.max(0, Math.min(1, position - i));
  return losses[i]! * (1 - t) + losses[i + 1]! * t;
}

export async function mupTransfer(size: Size): Promise<BenchRow[]> {
  const setup = SIZES[size];
  const { tuned, target: targetWidth } = setup;
  const lrs = learningRates(setup);
  const started = performance.now();
  const rows: BenchRow[] = [];
  for (const parameterization of ["SP", "muP"] as const) {
    const runs: HyperparameterRun[] = [];
    const bestByWidth: string[] = [];
    for (const width of tuned) {
      const losses = await sweep(setup, parameterization, width);
      losses.forEach((loss, i) => runs.push({ scale: { N: width }, hyperparameters: { learningRate: lrs[i]! }, loss }));
      const b = best(setup, losses);
      bestByWidth.push(`${width}: ${b.learningRate.toExponential(2)}`);
    }
    const laws = fitHyperparameterLaws(runs, { N: targetWidth }, { tolerance: TOLERANCE, resamples: 200, seed: 0 });
    const eta = laws.laws.learningRate!;
    const target = await sweep(setup, parameterization, targetWidth);
    const truth = best(setup, target);
    const predictedLoss = lossAt(setup, target, eta.atTarget.estimate);
    const baseOptimum = best(setup, runs.slice(0, lrs.length).map((r) => r.loss)).learningRate;
    rows.push({
      parameterization,
      "best lr by tuned width": bestByWidth.join(", "),
      "law (N = width)": `lr* ∝ width^${eta.law.exponents.N!.toFixed(2)} [${eta.exponents.N!.lower.toFixed(2)}, ${eta.exponents.N!.upper.toFixed(2)}]`,
      [`predicted lr* at ${targetWidth}`]: `${eta.atTarget.estimate.toExponential(2)} [${eta.atTarget.lower.toExponential(2)}, ${eta.atTarget.upper.toExponential(2)}]`,
      [`measured best lr at ${targetWidth}`]: truth.learningRate.toExponential(2),
      "loss at predicted lr / best loss": `${predictedLoss.toFixed(4)} / ${truth.loss.toFixed(4)}`,
      [`loss at width ${tuned[0]}'s best lr, used unchanged`]: lossAt(setup, target, baseOptimum).toFixed(4),
    });
  }
  printRows(`Learning-rate transfer on the demo MLP: tuned at widths ${tuned.join(", ")}, predicted at ${targetWidth}`, rows);
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s; Adam, depth 2, ${plural(setup.epochs, "epoch")}, last epoch's training ` +
    `cross-entropy over ${plural(setup.seeds.length, "seed")}, learning rates 2^${LOWEST_LR_LOG2}…2^${HIGHEST_LR_LOG2} in ${setup.grid}, ` +
    `near-optimal band ${TOLERANCE * 100} %, intervals: 95 % bootstrap over widths.`);
  return rows;
}
