/**
 * @module Whether the YAHPO surrogates can run here: the shared data and onnxruntime-node (a dev dependency) are
 * both needed. Tests skip with the returned reason, so a missing piece is named rather than failing.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SHARED_DIR } from "./data-paths.js";

/** Where the YAHPO scenarios are expected: `<shared>/data/yahpo`. */
export const YAHPO_DIR = join(SHARED_DIR, "data", "yahpo");

/** Why the lcbench and rbv2_xgboost surrogates cannot be evaluated here, or false when they can. */
export async function yahpoUnavailable(): Promise<string | false> {
  if (!existsSync(join(YAHPO_DIR, "lcbench", "model.onnx")) || !existsSync(join(YAHPO_DIR, "rbv2_xgboost", "model.onnx"))) {
    return `no YAHPO data in ${YAHPO_DIR}`;
  }
  try {
    await import("onnxruntime-node");
    return false;
  } catch {
    return "onnxruntime-node is not installed (npm install onnxruntime-node)";
  }
}
