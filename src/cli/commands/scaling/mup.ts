/**
 * @module `scaletune scaling mup`: the per-layer parameterisation table between a base and a target model.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { ConfigError } from "../../../errors.js";
import {
  mlpShape,
  parameterizationTable,
  type ModelShape,
  type Optimizer,
  type Parameterization,
} from "../../../scaling/index.js";
import { formatNumber, print, table } from "../../format.js";
import { readText, scalePoint, userErrors } from "./shared.js";

interface MupCliOptions {
  base: string;
  target: string;
  param: Parameterization;
  optimizer: Optimizer;
  alpha?: number;
  json?: boolean;
}

const LAYER_ROLES = ["input", "embedding", "hidden", "output", "bias", "norm"];
const MLP_FIELDS = ["inputs", "width", "layers", "outputs", "blocks"];

/** The fields of "mlp:inputs=64,width=256,…", each a known name with a positive number. */
function mlpFields(spec: string, which: string): Record<string, number> {
  let fields: Record<string, number>;
  try {
    fields = scalePoint(spec.slice(4));
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new ConfigError(`--${which} ${spec}: ${error.message}`);
    throw error;
  }
  const unknown = Object.keys(fields).filter((name) => !MLP_FIELDS.includes(name));
  if (unknown.length > 0) throw new ConfigError(`--${which} ${spec}: unknown field ${unknown.join(", ")}; an MLP takes inputs, width, layers, outputs and blocks`);
  return fields;
}

/** A model shape: "mlp:inputs=64,width=256,layers=3,outputs=10[,blocks=4]" or a JSON file of { layers, depth }. */
function modelShape(spec: string, which: string): ModelShape {
  if (spec.startsWith("mlp:")) {
    const { inputs, width, layers, outputs, blocks } = mlpFields(spec, which);
    if (inputs === undefined || width === undefined || layers === undefined || outputs === undefined) {
      throw new ConfigError(`--${which} ${spec}: an MLP needs inputs, width, layers and outputs, e.g. mlp:inputs=64,width=256,layers=3,outputs=10`);
    }
    return { ...userErrors(() => mlpShape(inputs, width, layers, outputs)), depth: blocks ?? 1 };
  }
  let shape: unknown;
  try {
    shape = JSON.parse(readText(spec, `--${which} shape file`));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`--${which} ${spec} is not JSON; give { "depth": L, "layers": [{ "name", "role", "fanIn", "fanOut" }] } or mlp:…`);
  }
  const layers = (shape as { layers?: unknown }).layers;
  if (!Array.isArray(layers) || layers.some((l) => typeof l?.name !== "string" || !LAYER_ROLES.includes(l?.role) || typeof l?.fanIn !== "number" || typeof l?.fanOut !== "number")) {
    throw new ConfigError(`--${which} ${spec}: every layer needs a name, a role (${LAYER_ROLES.join(", ")}), fanIn and fanOut`);
  }
  return shape as ModelShape;
}

function mupTable(options: MupCliOptions): void {
  const rules = userErrors(() =>
    parameterizationTable(modelShape(options.base, "base"), modelShape(options.target, "target"), {
      parameterization: options.param,
      optimizer: options.optimizer,
      depthExponent: options.alpha,
    }),
  );
  if (options.json) return print(JSON.stringify(rules, null, 2));
  print(`${rules.parameterization} with ${rules.optimizer}: width ×${formatNumber(rules.widthMultiplier)}, depth ×${formatNumber(rules.depthMultiplier)}` +
    (rules.depthExponent === null ? "" : `, α = ${rules.depthExponent}`));
  print("factors multiply what was tuned at the base model\n");
  print(
    table(
      ["layer", "role", "init std ×", "LR ×", "weight decay ×", "Adam ε ×", "forward ×", "residual ×"],
      rules.layers.map((r) => [r.name, r.role, ...[r.initStd, r.learningRate, r.weightDecay, r.adamEpsilon, r.forwardMultiplier, r.residualMultiplier].map(formatNumber)]),
    ),
  );
  for (const note of rules.notes) print(`- ${note}`);
  print(`source: ${rules.source}`);
}

export function registerMup(scaling: Command): void {
  scaling
    .command("mup")
    .description("per-layer init, learning-rate, weight-decay, Adam ε and output multipliers that carry base hyperparameters to a wider or deeper model")
    .requiredOption("--base <shape>", "the tuned model: mlp:inputs=64,width=256,layers=3,outputs=10[,blocks=L] or a JSON shape file")
    .requiredOption("--target <shape>", "the model to train, in the same form")
    .addOption(new Option("--param <name>", "parameterisation").choices(["muP", "SP", "u-muP", "completep"]).default("muP"))
    .addOption(new Option("--optimizer <name>", "optimizer").choices(["sgd", "adam", "adamw"]).default("adamw"))
    .option("--alpha <a>", "CompleteP's depth exponent (default 1)", (v) => Number(v))
    .option("--json", "print the table as JSON (for a training script to apply)")
    .action(mupTable);
}
