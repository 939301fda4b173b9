/**
 * @module The demo's face, for the CLI and the perf benchmarks: the digits study and the coordinate check, each
 * loaded with TensorFlow.js only when asked for (`withTensorFlow` says what to install when it is missing).
 * Importing this module loads neither.
 */
import { withTensorFlow } from "./tensorflow.js";

export { mlpParameterization } from "./mlp-parameterization.js";
export type { MlpConfig, OptimizerName } from "./mlp-trainer.js";

/** The digits study: its objective, data split and trainer. */
export async function loadDigitsDemo() {
  const [objective, trainer] = await withTensorFlow("the demo", () => Promise.all([import("./digits-objective.js"), import("./mlp-trainer.js")]));
  return { ...objective, ...trainer };
}

/** The coordinate check of `scaletune scaling coord-check`, and the digits it trains on. */
export async function loadCoordinateCheck() {
  const [check, data] = await withTensorFlow("scaling coord-check", () => Promise.all([import("./coord-check.js"), import("./digits-data.js")]));
  return { ...check, ...data };
}
