/**
 * @module YAHPO Gym surrogate benchmarks (Pfisterer et al., AutoML-Conf 2022; data slds-lmu/yahpo_data v1.0.2):
 * a scenario's ONNX model predicts the metrics of a configuration, evaluated here with onnxruntime-node.
 *
 * Search space: the scenario's `config_space.json` (ConfigSpace JSON) without the instance and fidelity parameters,
 * suggested define-by-run in file order with every conditional parameter after its parent (EQ / IN conditions).
 * Inputs (shared/data/README.md): `x_cont` float32 in the scenario's continuous column order (inactive → 0),
 * `x_cat` int32 codes from `encoding.json` (inactive → 0 = "#na#"), raw values (the graph applies its transforms);
 * fidelities at their maximum (lcbench epoch 52; rbv2 trainsize 1, repl 10), unless the caller sets them (the
 * multi-fidelity problems of yahpo-mf.ts). Target: the YAHPO-SO suite's
 * (`benchmark_suites/v1.0/single.json`), else the scenario's usual one. Regret is normalised with the instance's
 * min and max over 0.5M random points (`global_statistics/instance_target_statistics.csv`), so it can dip below 0
 * when an optimiser beats every random point.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Direction } from "../../core/types.js";
import { ConfigError } from "../../errors.js";
import { sharedDataPath } from "./data-paths.js";
import type { BenchTrial, Problem } from "./problem.js";

type OnnxRuntime = typeof import("onnxruntime-node");
type Session = import("onnxruntime-node").InferenceSession;

/** Column orders and fidelities of the scenarios whose surrogates ship in shared/data (from yahpo_gym's definitions). */
interface Scenario {
  readonly continuous: readonly string[];
  readonly categorical: readonly string[];
  readonly outputs: readonly string[];
  readonly instanceParam: string;
  readonly fidelity: Readonly<Record<string, number>>;
  readonly defaultTarget: string;
  readonly maximize: readonly string[];
}

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  lcbench: {
    continuous: ["epoch", "batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout"],
    categorical: ["OpenML_task_id"],
    outputs: ["time", "val_accuracy", "val_cross_entropy", "val_balanced_accuracy", "test_cross_entropy", "test_balanced_accuracy"],
    instanceParam: "OpenML_task_id",
    fidelity: { epoch: 52 },
    defaultTarget: "val_accuracy",
    maximize: ["val_accuracy", "val_balanced_accuracy", "test_balanced_accuracy"],
  },
  rbv2_xgboost: {
    continuous: [
      "nrounds", "eta", "gamma", "lambda", "alpha", "subsample", "max_depth", "min_child_weight",
      "colsample_bytree", "colsample_bylevel", "rate_drop", "skip_drop", "trainsize", "repl",
    ],
    categorical: ["task_id", "booster", "num.impute.selected.cpo"],
    outputs: ["acc", "bac", "auc", "brier", "f1", "logloss", "timetrain", "timepredict", "memory"],
    instanceParam: "task_id",
    fidelity: { trainsize: 1, repl: 10 },
    defaultTarget: "acc",
    maximize: ["acc", "bac", "auc", "f1"],
  },
};

/** The YAHPO-SO instances whose surrogates ship in shared/data (the suite's other scenarios are not there). */
export const YAHPO_SO_INSTANCES: readonly string[] = [
  "lcbench:167168", "lcbench:189873", "lcbench:189906",
  "rbv2_xgboost:12", "rbv2_xgboost:1501", "rbv2_xgboost:16", "rbv2_xgboost:40499",
];

export interface YahpoParam {
  readonly name: string;
  readonly type: "float" | "int" | "categorical";
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly choices: readonly string[];
  /** Active only when this parent parameter takes one of `values`. */
  readonly condition: { readonly parent: string; readonly values: readonly string[] } | null;
}

export interface ConfigSpace {
  /** Suggestion order: file order, each conditional parameter after its parent. */
  readonly params: readonly YahpoParam[];
  /** Choices of every categorical, including the instance parameter. */
  readonly choices: ReadonlyMap<string, readonly string[]>;
  /** Bounds of every numeric parameter, including the fidelities. */
  readonly bounds: ReadonlyMap<string, { readonly low: number; readonly high: number }>;
}

function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new ConfigError(`${what}: ${path} is missing`);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${what}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

/** Parses ConfigSpace JSON, dropping `excluded` (instance and fidelity) parameters. */
export function parseConfigSpace(raw: unknown, excluded: readonly string[], where: string): ConfigSpace {
  const bad = (problem: string): never => {
    throw new ConfigError(`malformed ConfigSpace file ${where}: ${problem}`);
  };
  const r = raw as { hyperparameters?: unknown; conditions?: unknown } | null;
  if (!r || !Array.isArray(r.hyperparameters)) return bad("no hyperparameters list");
  const conditions = new Map<string, { parent: string; values: string[] }>();
  for (const c of (r.conditions ?? []) as Record<string, unknown>[]) {
    if (c.type === "EQ") conditions.set(String(c.child), { parent: String(c.parent), values: [String(c.value)] });
    else if (c.type === "IN" && Array.isArray(c.values)) conditions.set(String(c.child), { parent: String(c.parent), values: c.values.map(String) });
    else bad(`condition ${JSON.stringify(c.type)} on "${String(c.child)}" is not supported (only EQ and IN)`);
  }
  const choices = new Map<string, string[]>();
  const bounds = new Map<string, { low: number; high: number }>();
  const params: YahpoParam[] = [];
  for (const h of r.hyperparameters as Record<string, unknown>[]) {
    const name = String(h.name);
    if (h.type === "categorical") {
      if (!Array.isArray(h.choices) || h.choices.length === 0) bad(`categorical "${name}" has no choices`);
      choices.set(name, (h.choices as unknown[]).map(String));
    } else if (h.type === "uniform_float" || h.type === "uniform_int") {
      if (typeof h.lower !== "number" || typeof h.upper !== "number") bad(`"${name}" has no numeric lower/upper`);
      bounds.set(name, { low: h.lower as number, high: h.upper as number });
    }
    if (excluded.includes(name)) continue;
    const condition = conditions.get(name) ?? null;
    if (h.type === "categorical") {
      params.push({ name, type: "categorical", low: 0, high: 0, log: false, choices: choices.get(name)!, condition });
    } else if (h.type === "uniform_float" || h.type === "uniform_int") {
      params.push({ name, type: h.type === "uniform_float" ? "float" : "int", low: h.lower as number, high: h.upper as number, log: h.log === true, choices: [], condition });
    } else {
      bad(`hyperparameter "${name}" has type ${JSON.stringify(h.type)}; supported: uniform_float, uniform_int, categorical`);
    }
  }
  for (const [child, { parent }] of conditions) {
    if (!params.some((p) => p.name === child) || !params.some((p) => p.name === parent)) bad(`condition "${child}" ← "${parent}" names an unknown parameter`);
  }
  // Depth of each parameter in the condition tree, so that parents are suggested before their children.
  const depth = (p: YahpoParam, seen = 0): number => {
    if (!p.condition) return 0;
    if (seen > params.length) bad(`conditions on "${p.name}" form a cycle`);
    return 1 + depth(params.find((q) => q.name === p.condition!.parent)!, seen + 1);
  };
  const ordered = params.map((p, i) => ({ p, i, d: depth(p) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.p);
  return { params: ordered, choices, bounds };
}

/** Suggests the active parameters of a configuration, define-by-run; returns their values by name. */
export function suggestConfig(trial: BenchTrial, space: ConfigSpace): Map<string, number | string> {
  const values = new Map<string, number | string>();
  for (const p of space.params) {
    if (p.condition) {
      const parent = values.get(p.condition.parent);
      if (parent === undefined || !p.condition.values.includes(String(parent))) continue;
    }
    const value =
      p.type === "categorical"
        ? trial.suggestCategorical(p.name, p.choices)
        : p.type === "float"
          ? trial.suggestFloat(p.name, p.low, p.high, { log: p.log })
          : trial.suggestInt(p.name, p.low, p.high, { log: p.log });
    values.set(p.name, value);
  }
  return values;
}

export interface YahpoInputs {
  readonly continuous: Float32Array;
  readonly categorical: Int32Array;
}

export interface YahpoModel {
  readonly scenario: string;
  readonly instance: string;
  readonly target: string;
  readonly direction: Direction;
  readonly space: ConfigSpace;
  /**
   * The model's input vectors for a configuration: the instance filled in, the fidelities at their maximum unless
   * `fidelity` sets some of them.
   */
  encode(config: ReadonlyMap<string, number | string>, fidelity?: Readonly<Record<string, number>>): YahpoInputs;
  /** The target's predicted value for the inputs. */
  evaluate(inputs: YahpoInputs): Promise<number>;
  /** The target's predicted values for several inputs, in one call of the model. */
  evaluateMany(inputs: readonly YahpoInputs[]): Promise<number[]>;
}

async function importOnnxRuntime(): Promise<OnnxRuntime> {
  try {
    return await import("onnxruntime-node");
  } catch (error) {
    throw new ConfigError(
      `YAHPO problems evaluate ONNX surrogates with onnxruntime-node, which cannot be loaded (${(error as Error).message.split("\n")[0]}); ` +
        `install it with  npm install onnxruntime-node`,
    );
  }
}

function suiteTarget(dir: string, scenario: string, instance: string): string | undefined {
  const suite = join(dirname(dir), "benchmark_suites", "v1.0", "single.json");
  if (!existsSync(suite)) return undefined;
  const entries = readJsonFile(suite, "YAHPO suite") as { scenario?: string; instance?: string; target?: string[] }[];
  return entries.find((e) => e.scenario === scenario && e.instance === instance)?.target?.[0];
}

/** min and max of the target over random points, or null when the statistics file or its row is absent. */
export function targetRange(dir: string, scenario: string, instance: string, target: string): { min: number; max: number } | null {
  const path = join(dirname(dir), "global_statistics", "instance_target_statistics.csv");
  if (!existsSync(path)) return null;
  const found: Record<string, number> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [metric, statistic, value, rowScenario, rowInstance] = line.trim().split(",");
    if (metric === target && rowScenario === scenario && rowInstance === instance && statistic) found[statistic] = Number(value);
  }
  return found.min !== undefined && found.max !== undefined ? { min: found.min, max: found.max } : null;
}

/** The scenario folder: a directory path as given, else the scenario's folder in shared/data/yahpo. */
export function yahpoScenarioDir(scenarioArg: string, prefix = "yahpo"): string {
  if (existsSync(scenarioArg) && statSync(scenarioArg).isDirectory()) return scenarioArg;
  return sharedDataPath(`problem "${prefix}:${scenarioArg}:…"`, "yahpo", scenarioArg);
}

/** Loads a scenario's files and checks the instance; the ONNX session is created at the first evaluation. */
export async function loadYahpoModel(dir: string, instance: string): Promise<YahpoModel> {
  const scenario = basename(dir.replace(/[/\\]+$/, ""));
  const definition = SCENARIOS[scenario];
  if (!definition || !Object.hasOwn(SCENARIOS, scenario)) {
    throw new ConfigError(`YAHPO scenario "${scenario}" is not supported; supported: ${Object.keys(SCENARIOS).join(", ")} (their input column orders are built in)`);
  }
  const configPath = join(dir, "config_space.json");
  const space = parseConfigSpace(readJsonFile(configPath, `YAHPO ${scenario}`), [definition.instanceParam, ...Object.keys(definition.fidelity)], configPath);
  const encoding = readJsonFile(join(dir, "encoding.json"), `YAHPO ${scenario}`) as Record<string, Record<string, number>>;
  const modelPath = join(dir, "model.onnx");
  if (!existsSync(modelPath)) throw new ConfigError(`YAHPO ${scenario}: ${modelPath} is missing`);
  const instances = space.choices.get(definition.instanceParam) ?? [];
  const instanceCode = encoding[definition.instanceParam]?.[instance];
  if (!instances.includes(instance) || instanceCode === undefined) {
    throw new ConfigError(`YAHPO ${scenario} has no instance "${instance}"; its instances: ${instances.join(", ")}`);
  }
  for (const name of [...definition.continuous, ...definition.categorical]) {
    if (name !== definition.instanceParam && !(name in definition.fidelity) && !space.params.some((p) => p.name === name)) {
      throw new ConfigError(`malformed ConfigSpace file ${configPath}: the surrogate's input "${name}" is not a hyperparameter`);
    }
  }
  const target = suiteTarget(dir, scenario, instance) ?? definition.defaultTarget;
  const targetColumn = definition.outputs.indexOf(target);
  if (targetColumn < 0) throw new ConfigError(`YAHPO ${scenario}: unknown target "${target}"; outputs: ${definition.outputs.join(", ")}`);
  const ort = await importOnnxRuntime();
  let session: Promise<Session> | null = null;
  const evaluateMany = async (inputs: readonly YahpoInputs[]): Promise<number[]> => {
    // One session per problem, single-threaded: the harness already runs one process per core.
    session ??= ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const s = await session;
    const [nCont, nCat] = [definition.continuous.length, definition.categorical.length];
    const continuous = new Float32Array(inputs.length * nCont);
    const categorical = new Int32Array(inputs.length * nCat);
    inputs.forEach((row, i) => {
      continuous.set(row.continuous, i * nCont);
      categorical.set(row.categorical, i * nCat);
    });
    const result = await s.run({
      x_cont: new ort.Tensor("float32", continuous, [inputs.length, nCont]),
      x_cat: new ort.Tensor("int32", categorical, [inputs.length, nCat]),
    });
    const output = result[s.outputNames[0]!]!.data as Float32Array;
    const width = output.length / inputs.length;
    return inputs.map((_, i) => output[i * width + targetColumn]!);
  };

  return {
    scenario,
    instance,
    target,
    direction: definition.maximize.includes(target) ? "maximize" : "minimize",
    space,
    encode(config, fidelity = {}) {
      const continuous = Float32Array.from(definition.continuous, (name) => {
        const value = fidelity[name] ?? definition.fidelity[name] ?? config.get(name) ?? 0;
        return typeof value === "number" ? value : Number.NaN;
      });
      const categorical = Int32Array.from(definition.categorical, (name) => {
        if (name === definition.instanceParam) return instanceCode;
        const value = config.get(name);
        if (value === undefined) return 0;
        const code = encoding[name]?.[String(value)];
        if (code === undefined) throw new ConfigError(`YAHPO ${scenario}: encoding.json has no code for ${name} = ${String(value)}`);
        return code;
      });
      return { continuous, categorical };
    },
    evaluate: async (inputs) => (await evaluateMany([inputs]))[0]!,
    evaluateMany,
  };
}

export async function yahpoProblem(scenarioArg: string, instance: string): Promise<Problem> {
  const dir = yahpoScenarioDir(scenarioArg);
  const model = await loadYahpoModel(dir, instance);
  const range = targetRange(dir, model.scenario, instance, model.target);
  const maximize = model.direction === "maximize";
  const objective = async (trial: BenchTrial): Promise<number> => model.evaluate(model.encode(suggestConfig(trial, model.space)));
  return {
    name: `yahpo:${scenarioArg}:${instance}`,
    direction: model.direction,
    optimum: range === null ? null : maximize ? range.max : range.min,
    regretScale: range === null ? 1 : range.max - range.min,
    description:
      `YAHPO Gym ${model.scenario} instance ${instance}: ${model.target} (${model.direction}) at full fidelity, ` +
      `${model.space.params.length} hyperparameters; ` +
      (range === null ? "no global statistics, best value reported" : `normalised regret with min ${range.min}, max ${range.max} over random points`),
    objectiveFor: () => objective,
  };
}
