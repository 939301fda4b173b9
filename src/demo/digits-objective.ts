/**
 * @module The demo's search space and objective: an MLP trained from scratch on the 8×8 digits.
 *
 * Six hyperparameters a practitioner actually tunes: learning rate (log), width (log), depth, batch size, weight
 * decay (log) and optimizer. The objective maximises validation accuracy and reports it every epoch, so pruners
 * can stop hopeless runs early.
 */
import { TrialPruned } from "../errors.js";
import type { BaseTrial } from "../study/trial.js";
import { loadDigits, splitDataset, type DigitsSplit } from "./digits-data.js";
import { trainMlp, type MlpConfig } from "./mlp-trainer.js";

export const DEMO_EPOCHS = 20;
/** Fixed, so every trial sees the same train/validation/test partition and the test set is never tuned on. */
export const DEMO_SPLIT_SEED = 20_240_101;

let cached: DigitsSplit | null = null;

export function demoSplit(): DigitsSplit {
  cached ??= splitDataset(loadDigits(), { validation: 0.2, test: 0.2 }, DEMO_SPLIT_SEED);
  return cached;
}

/** The hyperparameters a trial suggests, as a trainer configuration. */
export function suggestMlpConfig(trial: BaseTrial, seed = 0): MlpConfig {
  return {
    optimizer: trial.suggestCategorical("optimizer", ["sgd", "momentum", "adam", "adamw"]),
    learningRate: trial.suggestFloat("learning_rate", 1e-4, 1, { log: true }),
    hiddenWidth: trial.suggestInt("width", 16, 256, { log: true }),
    depth: trial.suggestInt("depth", 1, 3),
    batchSize: trial.suggestCategorical("batch_size", [16, 32, 64, 128]),
    weightDecay: trial.suggestFloat("weight_decay", 1e-6, 1e-2, { log: true }),
    epochs: DEMO_EPOCHS,
    seed,
  };
}

/**
 * Validation accuracy of the configuration the trial suggests. The curve is reported per epoch (with the training
 * loss as a second metric), and training stops where the study's pruner says so.
 */
export async function digitsObjective(trial: BaseTrial): Promise<number> {
  const split = demoSplit();
  const config = suggestMlpConfig(trial);
  let pruned = false;
  const result = await trainMlp(config, split, {
    onEpoch: (report) => {
      trial.report(report.validationAccuracy, report.epoch, { train_loss: report.trainLoss });
      pruned = trial.shouldPrune();
      return pruned ? "stop" : undefined;
    },
  });
  result.model.dispose();
  trial.setUserAttr("train_seconds", Number(result.seconds.toFixed(3)));
  if (result.diverged) trial.setUserAttr("diverged", true);
  if (pruned) throw new TrialPruned();
  return result.validationAccuracy;
}
