/**
 * @module The run loop of the multi-fidelity benchmarks (learning curves, YAHPO Gym with fidelities): a study keeps
 * starting trials while its budget lasts, every report a trial makes costs what the problem's accounting says, and
 * every report is recorded with the budget spent once it was made.
 */
import type { ParamValue } from "../../core/types.js";
import { TrialPruned } from "../../errors.js";
import type { CategoricalChoice, RangeOptions } from "../../space/distributions.js";
import type { Study } from "../../study/study.js";
import type { Trial } from "../../study/trial.js";
import type { CurveTrial, StepCost } from "../problems/problem.js";

/** What a report at `step` costs under `rule` (`StepCost`), given the trial's previous report. */
export function reportCost(rule: StepCost, step: number, previousStep: number | null): number {
  return rule === "retrained" ? step : step - (previousStep ?? 0);
}

export interface FidelityReport {
  readonly step: number;
  readonly value: number;
  /** Budget spent once this report was made, its own cost included. */
  readonly spent: number;
}

export interface FidelityTrialRecord {
  readonly number: number;
  /** `cut`: its next report would have passed the budget, so the run ended inside it. */
  readonly state: "complete" | "pruned" | "failed" | "cut";
  /** A complete trial's value. */
  readonly value: number | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly reports: readonly FidelityReport[];
  /** Budget spent when it ended. */
  readonly spent: number;
}

export interface FidelityRunOptions {
  readonly study: Study;
  readonly objective: (trial: CurveTrial) => number | Promise<number>;
  /** In the units `stepCost` counts: steps. */
  readonly budget: number;
  readonly stepCost: StepCost;
  /**
   * The trial that reaches the budget: `finish` lets it run to its end and stops after it (the Optuna anchors' rule);
   * `cut` does not make the report that would pass the budget and stops there (YAHPO's: evaluations past the budget
   * do not count).
   */
  readonly overrun: "finish" | "cut";
}

/** Thrown from `report()` in `cut` mode: the run is over. */
class BudgetSpent extends Error {}

/** Passes a study trial through to the objective, charging each report to the run's budget. */
class MeteredTrial implements CurveTrial {
  readonly reports: FidelityReport[] = [];

  constructor(
    private readonly trial: Trial,
    private readonly options: FidelityRunOptions,
    private readonly meter: { spent: number },
  ) {}

  get number(): number {
    return this.trial.number;
  }

  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.trial.suggestFloat(name, low, high, options);
  }

  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.trial.suggestInt(name, low, high, options);
  }

  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.trial.suggestCategorical(name, choices);
  }

  report(value: number, step: number): void {
    const cost = reportCost(this.options.stepCost, step, this.reports.at(-1)?.step ?? null);
    if (this.options.overrun === "cut" && this.meter.spent + cost > this.options.budget) throw new BudgetSpent();
    this.trial.report(value, step);
    this.meter.spent += cost;
    this.reports.push({ step, value, spent: this.meter.spent });
  }

  shouldPrune(): boolean {
    return this.trial.shouldPrune();
  }
}

/** Runs trials until the budget is spent; the study stays open (the caller closes it). */
export async function runFidelityStudy(options: FidelityRunOptions): Promise<FidelityTrialRecord[]> {
  const records: FidelityTrialRecord[] = [];
  const meter = { spent: 0 };
  while (meter.spent < options.budget) {
    const trial = await options.study.ask();
    const metered = new MeteredTrial(trial, options, meter);
    let outcome: number | "pruned" | "cut";
    try {
      outcome = await options.objective(metered);
    } catch (error) {
      if (error instanceof TrialPruned) outcome = "pruned";
      else if (error instanceof BudgetSpent) outcome = "cut";
      else throw error;
    }
    // A cut trial was stopped early like a pruned one; nothing asks the study anything after it.
    const frozen = await options.study.tell(trial, outcome === "cut" ? "pruned" : outcome);
    records.push({
      number: frozen.number,
      state: outcome === "cut" ? "cut" : (frozen.state as "complete" | "pruned" | "failed"),
      value: frozen.state === "complete" ? frozen.value : null,
      params: frozen.params,
      reports: metered.reports,
      spent: meter.spent,
    });
    if (outcome === "cut") break;
  }
  return records;
}
