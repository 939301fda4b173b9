/**
 * @module `importance(study)`: how much each parameter matters to a study's target, by fANOVA (the default) or
 * PED-ANOVA, from the study's complete trials.
 *
 * @example
 * import { importance } from "scaletune";
 * const report = importance(study, { method: "fanova", seed: 0 });
 * for (const p of report.params) console.log(p.name, p.importance.toFixed(3));
 */
import { ConfigError } from "../errors.js";
import { fanovaFractions } from "./fanova.js";
import { pedAnovaDivergences } from "./ped-anova.js";
import { trialTable, type ImportanceTarget, type TrialSource } from "./trial-table.js";

export const IMPORTANCE_METHODS = ["fanova", "ped-anova"] as const;
export type ImportanceMethod = (typeof IMPORTANCE_METHODS)[number];

export interface ImportanceOptions {
  /** "fanova" (default) or "ped-anova". */
  readonly method?: ImportanceMethod;
  /** Which objective (index), or a number per trial; required when the study has several objectives. */
  readonly target?: ImportanceTarget;
  /** fANOVA's forest seed (default 0): the same trials and seed give the same importances. */
  readonly seed?: number;
  /** fANOVA's number of trees (default 64). */
  readonly trees?: number;
  /** PED-ANOVA's share of best trials compared with all (default 0.1). */
  readonly topQuantile?: number;
}

export interface ParamImportance {
  readonly name: string;
  /** The parameter's share: the raw scores normalised to sum to 1 over the parameters (all 0 when every score is 0). */
  readonly importance: number;
  /**
   * fANOVA: the fraction of the target's variance its main effect explains (1 − their sum is left to interactions);
   * PED-ANOVA: the Pearson divergence of its values in the best trials from its values in all.
   */
  readonly raw: number;
}

export interface ImportanceReport {
  readonly method: ImportanceMethod;
  /** Complete trials with a finite target: the only ones that count. */
  readonly trials: number;
  /** Most important first (ties by name); parameters with a single possible value come last with 0. */
  readonly params: readonly ParamImportance[];
}

const DEFAULTS = { method: "fanova", seed: 0, trees: 64, topQuantile: 0.1 } as const;

/** How much each parameter of `study` matters to its target. Only complete trials count. */
export function importance(study: TrialSource, options: ImportanceOptions = {}): ImportanceReport {
  const { method, seed, trees, topQuantile } = { ...DEFAULTS, ...options };
  if (!IMPORTANCE_METHODS.includes(method)) throw new ConfigError(`unknown importance method "${method}": use ${IMPORTANCE_METHODS.join(" or ")}`);
  if (!Number.isInteger(trees) || trees < 1) throw new ConfigError(`trees must be a positive integer (got ${trees})`);
  if (!(topQuantile > 0 && topQuantile < 1)) throw new ConfigError(`topQuantile must be between 0 and 1 (got ${topQuantile})`);
  const table = trialTable(study, options.target);
  const trials = table.y.length;
  if (trials < 2) throw new ConfigError(`importance needs at least 2 complete trials (the study has ${trials}): run more trials first`);
  const raw =
    method === "fanova"
      ? fanovaFractions(table.x, table.y, table.columns, { trees, seed })
      : pedAnovaDivergences(table.x, table.y, table.columns, table.direction, topQuantile);
  const total = raw.reduce((s, r) => s + r, 0);
  const params: ParamImportance[] = table.names.map((name, j) => ({ name, importance: total > 0 ? raw[j]! / total : 0, raw: raw[j]! }));
  params.sort((a, b) => b.importance - a.importance || (a.name < b.name ? -1 : 1));
  return { method, trials, params: [...params, ...table.fixed.map((name) => ({ name, importance: 0, raw: 0 }))] };
}
