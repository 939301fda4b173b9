/**
 * @module `scaletune scaling coord-check`: the coordinate check on the demo network.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { loadCoordinateCheck, type OptimizerName } from "../../../demo/index.js";
import type { Parameterization } from "../../../scaling/index.js";
import { print, table } from "../../format.js";
import { positiveInt, positiveNumber } from "../../options.js";

interface CoordCheckCliOptions {
  param: Parameterization;
  optimizer: OptimizerName;
  lr: number;
  widths: number[];
  depth: number;
  steps: number;
  batchSize: number;
  seeds: number;
  json?: boolean;
}

function widthList(value: string): number[] {
  const widths = value.split(",").map((w) => Number(w.trim()));
  // A slope against log width needs two different widths; a repeated one adds nothing.
  if (new Set(widths).size !== widths.length || widths.length < 2 || !widths.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new InvalidArgumentError("expected two or more different whole widths, comma-separated (e.g. 128,256,512).");
  }
  return widths;
}

async function coordCheck(options: CoordCheckCliOptions): Promise<void> {
  // TensorFlow.js is loaded here, not when the command is registered: help and the other commands start without it.
  const { coordinateCheck, FLAT_SLOPE, loadDigits } = await loadCoordinateCheck();
  const data = loadDigits();
  const check = await coordinateCheck(data, {
    parameterization: options.param,
    optimizer: options.optimizer,
    learningRate: options.lr,
    widths: options.widths,
    depth: options.depth,
    steps: options.steps,
    batchSize: options.batchSize,
    seeds: options.seeds,
  });
  if (options.json) return print(JSON.stringify(check, null, 2));
  const layerNames = [...Array.from({ length: options.depth }, (_, i) => `layer ${i + 1}`), "logits"];
  print(`${options.param}, ${options.optimizer} at lr ${options.lr}: mean |activation| after ${options.steps} steps (${options.seeds} seeds, demo digits MLP)`);
  print(
    table(
      ["width", ...layerNames],
      options.widths.map((w, i) => [String(w), ...check.scales[i]![options.steps]!.map((v) => v.toFixed(4))]),
    ),
  );
  print(`slope of log size against log width: ${check.slopes.map((v, l) => `${layerNames[l]} ${v.toFixed(3)}`).join(", ")}`);
  print(check.flat ? `flat: every layer within ±${FLAT_SLOPE}` : `not flat: ${check.slopes.flatMap((v, l) => (Math.abs(v) > FLAT_SLOPE ? [`${layerNames[l]} ∝ width^${v.toFixed(2)}`] : [])).join(", ")}`);
}

export function registerCoordCheck(scaling: Command): void {
  scaling
    .command("coord-check")
    .description("train the demo MLP a few steps at several widths and check that activations keep their size")
    .addOption(new Option("--param <name>", "parameterisation").choices(["muP", "SP", "u-muP"]).default("muP"))
    .addOption(new Option("--optimizer <name>", "optimizer").choices(["sgd", "momentum", "adam", "adamw"]).default("adam"))
    .option("--lr <rate>", "learning rate at the base (first) width", positiveNumber, 0.01)
    .option("--widths <list>", "widths to compare; the first is the base", widthList, [128, 256, 512, 1024, 2048])
    .option("--depth <n>", "hidden layers", positiveInt, 2)
    .option("--steps <n>", "training steps before measuring", positiveInt, 5)
    .option("--batch-size <n>", "batch size", positiveInt, 64)
    .option("--seeds <n>", "seeds averaged per width", positiveInt, 5)
    .option("--json", "print as JSON")
    .action(coordCheck);
}
