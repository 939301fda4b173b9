/**
 * @module Multi-fidelity YAHPO Gym problems, `yahpo-mf:<scenario>:<instance>`, under the YAHPO Gym paper's protocol
 * (Pfisterer et al., AutoML-Conf 2022; slds-lmu/yahpo_exps `paper/experiments/run_mf.R`): the fidelity becomes the
 * steps a trial reports, every report costs its fidelity, and a run may spend ceil(20·F + √d·F·40) fidelity units
 * (F the maximum fidelity, d the hyperparameters other than fidelities and instance).
 *
 * - lcbench: step = epoch, 1…52. One training run produces every epoch, so a trial stopped at epoch e cost e epochs
 *   (`continued`).
 * - rbv2_xgboost: the continuous `trainsize` becomes the paper's geometric ladder F·3^−k down to the smallest rung at
 *   or above the range's minimum (1/27, 1/9, 1/3, 1 for [0.03, 1]), reported as steps 1, 3, 9, 27 — steps
 *   proportional to the data trained on, so that Hyperband's rungs and BOHB's budgets see the resource's scale.
 *   XGBoost is retrained at every size, so a report costs its own trainsize (`retrained`); `repl` stays 10.
 *
 * The search space, inputs, target and min/max statistics are the full-fidelity loader's (yahpo.ts). A trial's
 * steps are predicted in one call of the surrogate.
 */
import type { Direction } from "../../core/types.js";
import { ConfigError, TrialPruned } from "../../errors.js";
import { regretOf, type CurveTrial, type StepCost } from "./problem.js";
import { YAHPO_SO_INSTANCES, loadYahpoModel, suggestConfig, targetRange, yahpoScenarioDir } from "./yahpo.js";

export const YAHPO_MF_GROUP = "yahpo-mf";
/** The YAHPO-SO instances whose surrogates ship in shared/data, as multi-fidelity problems. */
export const YAHPO_MF_PROBLEMS: readonly string[] = YAHPO_SO_INSTANCES.map((i) => `${YAHPO_MF_GROUP}:${i}`);
/** Hyperband's reduction factor in the paper, which also spaces rbv2's trainsize ladder. */
const REDUCTION_FACTOR = 3;

/** Whether a `--problem` name asks for multi-fidelity YAHPO problems (the group or a `yahpo-mf:` name). */
export function isYahpoMfProblem(name: string): boolean {
  return name === YAHPO_MF_GROUP || name.startsWith(`${YAHPO_MF_GROUP}:`);
}

/** Expands the group into its problems and checks each name's form; distinct names, in order. */
export function yahpoMfProblemNames(names: readonly string[]): string[] {
  const expanded: string[] = [];
  for (const name of names.flatMap((n) => (n === YAHPO_MF_GROUP ? YAHPO_MF_PROBLEMS : [n]))) {
    parseName(name);
    if (!expanded.includes(name)) expanded.push(name);
  }
  return expanded;
}

function parseName(name: string): { scenarioArg: string; instance: string } {
  const rest = isYahpoMfProblem(name) ? name.slice(YAHPO_MF_GROUP.length + 1) : "";
  const split = rest.lastIndexOf(":");
  if (split <= 0 || split === rest.length - 1) {
    throw new ConfigError(`problem "${name}": write ${YAHPO_MF_GROUP}:<scenario>:<instance>, e.g. ${YAHPO_MF_PROBLEMS[0]}, or the group ${YAHPO_MF_GROUP}`);
  }
  return { scenarioArg: rest.slice(0, split), instance: rest.slice(split + 1) };
}

/** The paper's budget: ceil(20·F + √d·F·40) fidelity units. */
export function protocolBudget(maxFidelity: number, dimension: number): number {
  return Math.ceil(20 * maxFidelity + Math.sqrt(dimension) * maxFidelity * 40);
}

/** How many rungs F·η^−k (k = 0, 1, …) lie at or above the fidelity's minimum: the paper's successive-halving levels. */
export function rungCount(min: number, max: number): number {
  let count = 1;
  // The tolerance keeps an exact power (min = F/27) from being lost to rounding.
  while (max / REDUCTION_FACTOR ** count >= min * (1 - 1e-9)) count++;
  return count;
}

export interface FidelityLadder {
  /** The fidelity parameter: `epoch`, `trainsize`. */
  readonly param: string;
  /** The steps a trial reports, in order. */
  readonly steps: readonly number[];
  /** The fidelity each step stands for. */
  readonly fidelities: readonly number[];
  /** Steps per fidelity unit: budgets and costs are counted in steps, whole numbers, so that sums stay exact. */
  readonly stepsPerUnit: number;
  readonly stepCost: StepCost;
  /** The pruner spec whose Hyperband brackets are the paper's: rungs at F·3^−k, the smallest at or above the minimum. */
  readonly hyperband: string;
}

function hyperbandOn(steps: readonly number[], rungs: number): string {
  const maxStep = steps.at(-1)!;
  return `hyperband:minResource=${maxStep / REDUCTION_FACTOR ** (rungs - 1)},maxResource=${maxStep},reductionFactor=${REDUCTION_FACTOR}`;
}

/**
 * Every whole epoch from min to max, one step each, all from one training run. Hyperband's rungs sit at F·3^−k
 * (lcbench: 1.93, 5.78, 17.3, 52), which a trial reaches at the first whole epoch at or past each: 2, 6, 18, 52.
 */
export function epochLadder(param: string, min: number, max: number): FidelityLadder {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min)) {
    throw new ConfigError(`the epoch fidelity "${param}" must range over whole numbers from 1 up, got [${min}, ${max}]`);
  }
  const steps = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return { param, steps, fidelities: steps, stepsPerUnit: 1, stepCost: "continued", hyperband: hyperbandOn(steps, rungCount(min, max)) };
}

/**
 * The paper's ladder F·3^−k (yahpo_exps' `precompute_budgets`), k from the largest with F·3^−k ≥ min down to 0, as
 * steps 3^0, 3^1, … 3^K: rbv2's trainsize [0.03, 1] gives 1/27, 1/9, 1/3, 1 as steps 1, 3, 9, 27. Every step is a
 * training of its own; Hyperband's rungs are the steps themselves.
 */
export function geometricLadder(param: string, min: number, max: number): FidelityLadder {
  if (!(min > 0 && max >= min)) throw new ConfigError(`the fidelity "${param}" must have a positive range, got [${min}, ${max}]`);
  const rungs = rungCount(min, max);
  const steps = Array.from({ length: rungs }, (_, k) => REDUCTION_FACTOR ** k);
  const top = steps.at(-1)!;
  return {
    param,
    steps,
    fidelities: steps.map((s) => (max * s) / top),
    stepsPerUnit: top / max,
    stepCost: "retrained",
    hyperband: hyperbandOn(steps, rungs),
  };
}

/** Which input is the fidelity, and how it becomes steps, per supported scenario. */
const MF_SCENARIOS: Readonly<Record<string, { readonly param: string; readonly ladder: typeof epochLadder }>> = {
  lcbench: { param: "epoch", ladder: epochLadder },
  rbv2_xgboost: { param: "trainsize", ladder: geometricLadder },
};

export interface YahpoMfProblem {
  /** `yahpo-mf:<scenario>:<instance>`, as given. */
  readonly name: string;
  /** The scenario folder's name (lcbench, rbv2_xgboost) and the instance: the published panel is "<scenario> <instance>". */
  readonly scenario: string;
  readonly instance: string;
  readonly target: string;
  readonly direction: Direction;
  /** d: hyperparameters other than fidelities and instance. */
  readonly dimension: number;
  readonly ladder: FidelityLadder;
  /** The protocol's budget per run, in fidelity units (epochs; full-data trainings for trainsize). */
  readonly budget: number;
  /** The target's min and max over YAHPO's random points: the normalisation of regret. */
  readonly range: { readonly min: number; readonly max: number };
  readonly description: string;
  /** A value's gap to the best random point ÷ (max − min): below 0 when it beats all of them. */
  normalizedRegret(value: number): number;
  /**
   * The objective reporting `steps` (the ladder's, or a part of it) in order: the target at each, asking
   * `shouldPrune()` after each report; a complete trial's value is its last step's.
   */
  objective(steps: readonly number[]): (trial: CurveTrial) => Promise<number>;
}

export async function loadYahpoMfProblem(name: string): Promise<YahpoMfProblem> {
  const { scenarioArg, instance } = parseName(name);
  const dir = yahpoScenarioDir(scenarioArg, YAHPO_MF_GROUP);
  const model = await loadYahpoModel(dir, instance);
  const definition = MF_SCENARIOS[model.scenario];
  if (!definition || !Object.hasOwn(MF_SCENARIOS, model.scenario)) {
    throw new ConfigError(`problem "${name}": multi-fidelity runs support the scenarios ${Object.keys(MF_SCENARIOS).join(", ")}, not ${model.scenario}`);
  }
  const bounds = model.space.bounds.get(definition.param);
  if (!bounds) throw new ConfigError(`problem "${name}": the config space has no numeric fidelity "${definition.param}"`);
  const range = targetRange(dir, model.scenario, instance, model.target);
  if (range === null) {
    throw new ConfigError(
      `problem "${name}" reports normalised regret, which needs the min and max of ${model.target} on instance ${instance} in ` +
        `global_statistics/instance_target_statistics.csv next to the scenario folder; that file or its rows are missing`,
    );
  }
  const ladder = definition.ladder(definition.param, bounds.low, bounds.high);
  const dimension = model.space.params.length;
  const budget = protocolBudget(bounds.high, dimension);
  const fidelityOf = new Map(ladder.steps.map((step, i) => [step, ladder.fidelities[i]!]));
  const scale = { direction: model.direction, optimum: model.direction === "maximize" ? range.max : range.min, regretScale: range.max - range.min };
  const [first, last] = [ladder.fidelities[0]!, ladder.fidelities.at(-1)!];
  const fidelities =
    ladder.stepCost === "continued"
      ? `${definition.param} ${first}–${last} as steps, one training run per trial; budget ${budget} ${definition.param}s`
      : `${definition.param} ${ladder.fidelities.map((f) => Number(f.toPrecision(3))).join(", ")} as steps ${ladder.steps.join(", ")}, ` +
        `retrained at each; budget ${budget} × ${definition.param} ${last}`;
  return {
    name,
    scenario: model.scenario,
    instance,
    target: model.target,
    direction: model.direction,
    dimension,
    ladder,
    budget,
    range,
    description:
      `YAHPO Gym ${model.scenario} instance ${instance}: ${model.target} (${model.direction}), d = ${dimension}, ` +
      `${fidelities}; regret normalised with min ${range.min}, max ${range.max} over YAHPO's random points`,
    normalizedRegret: (value) => regretOf(scale, value),
    objective(steps) {
      for (const step of steps) if (!fidelityOf.has(step)) throw new ConfigError(`problem "${name}" has no step ${step}; its steps: ${ladder.steps.join(", ")}`);
      return async (trial) => {
        const config = suggestConfig(trial, model.space);
        const values = await model.evaluateMany(steps.map((step) => model.encode(config, { [definition.param]: fidelityOf.get(step)! })));
        for (const [i, step] of steps.entries()) {
          trial.report(values[i]!, step);
          if (trial.shouldPrune()) throw new TrialPruned(`pruned at step ${step}`);
        }
        return values.at(-1)!;
      };
    },
  };
}
