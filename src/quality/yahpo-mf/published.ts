/**
 * @module The YAHPO Gym paper's published multi-fidelity results, digitised from its figures
 * (`shared/data/published/yahpo_so_per_instance_mean_normalized_regret.json`): per problem panel ("lcbench 167168")
 * and optimizer (BOHB, DEHB, HB, Random, SMAC, SMAC-HB, optuna), the mean normalized regret over 30 replications at
 * 25, 50, 75 and 100 % of the budget.
 *
 * The paper normalised regret with the min and max of all its methods' evaluations on a problem, which a new run
 * cannot know: its values are compared with ours by rank, not by value.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../errors.js";
import { SHARED_DIR } from "../problems/data-paths.js";
import { BUDGET_FRACTIONS } from "./run.js";

export const YAHPO_PUBLISHED_FILE = join(SHARED_DIR, "data", "published", "yahpo_so_per_instance_mean_normalized_regret.json");

/** Per optimizer, its mean normalized regret at each of BUDGET_FRACTIONS. */
export type PanelValues = ReadonlyMap<string, readonly number[]>;

/** What was found at the path: absent is a state (the comparison is shown when the file is there), not an error. */
export type PublishedRegrets =
  | { readonly state: "absent"; readonly path: string }
  | {
      readonly state: "read";
      readonly path: string;
      readonly optimizers: readonly string[];
      /** By panel name, `<scenario> <instance>`. */
      readonly panels: ReadonlyMap<string, PanelValues>;
    };

/** The published panel of a problem: "lcbench 167168". */
export function panelName(scenario: string, instance: string): string {
  return `${scenario} ${instance}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One optimizer's values at the fractions, whatever the keys' spelling ("1" or "1.0"). */
function fractionValues(raw: unknown, where: string): number[] {
  if (!isObject(raw)) throw new ConfigError(`${where} must be an object of budget fraction → mean normalized regret`);
  return BUDGET_FRACTIONS.map((fraction) => {
    const key = Object.keys(raw).find((k) => Number(k) === fraction);
    const value = key === undefined ? undefined : raw[key];
    if (typeof value !== "number" || !Number.isFinite(value)) throw new ConfigError(`${where} has no number for budget fraction ${fraction}`);
    return value;
  });
}

export function readPublishedRegrets(path: string = YAHPO_PUBLISHED_FILE): PublishedRegrets {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "absent", path };
    throw new ConfigError(`cannot read the YAHPO paper's published results ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the YAHPO paper's published results ${path} are not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new ConfigError(`the YAHPO paper's published results ${path} must be a list of panels`);
  const panels = new Map<string, PanelValues>();
  let optimizers: string[] | null = null;
  raw.forEach((panel: unknown, index) => {
    const where = `${path}, panel ${index + 1}`;
    if (!isObject(panel) || typeof panel.panel !== "string" || !isObject(panel.values)) {
      throw new ConfigError(`${where} must have a "panel" name and "values" per optimizer`);
    }
    const values = new Map(Object.entries(panel.values).map(([optimizer, v]) => [optimizer, fractionValues(v, `${where} ("${panel.panel}"), ${optimizer}`)]));
    const names = [...values.keys()].sort();
    optimizers ??= names;
    // Ranks among the published optimizers mean the same set on every panel.
    if (names.join() !== optimizers.join()) {
      throw new ConfigError(`${where} ("${panel.panel}") has optimizers ${names.join(", ")}; the first panel has ${optimizers.join(", ")}`);
    }
    panels.set(panel.panel, values);
  });
  return { state: "read", path, optimizers: optimizers ?? [], panels };
}
