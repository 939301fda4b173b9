/**
 * @module LearningCurvePruner: stops a trial when even an optimistic extrapolation of its curve to the final step
 * cannot beat the best finished trial.
 *
 * After each report the trial's curve is fitted by the saturating models of `curve-models.ts` (exponential and
 * power-law decay to an asymptote, t = step + 1). The optimistic bound is the lowest final value any plausible
 * model allows, less `z` standard errors; the trial is pruned when that bound is still worse than the best
 * complete trial's value — in a multi-objective study, when some complete trial's final values dominate the
 * optimistic ends of all its objectives' curves. Unlike a median or successive-halving rule it never compares curves at the same step, so
 * a slow starter whose curve is still falling steeply is kept — which is what curves that cross need.
 *
 * Assumptions (documented in docs/pruners.md): the reported metric is what the study optimises, measured the same
 * way at every step; curves saturate (no late second descent); the final step is known (given, or the last step
 * of the first complete trial). Noise is taken as independent between steps.
 */
import { ConfigError } from "../errors.js";
import { normalQuantile } from "../math/normal.js";
import { dominates } from "../math/pareto.js";
import type { StudyView } from "../core/study-view.js";
import type { FrozenTrial } from "../core/types.js";
import { boundAtHorizon } from "./curve-models.js";
import { checkCount, directionSigns, lastStep, objectiveCurves } from "../core/curve.js";
import type { Pruner } from "./pruner.js";
import { checkMinResource, firstCompleteLastStep } from "./successive-halving.js";

export interface LearningCurveOptions {
  /** The step at which a trial finishes. "auto" (default): the last step of the first complete trial. */
  maxStep?: number | "auto";
  /** Complete trials needed before anything is pruned (their best value is the bar). Default 3. */
  nStartupTrials?: number;
  /** No decision before a trial has reported this many steps (at least 4: three parameters and a residual). Default 4. */
  nWarmupSteps?: number;
  /** How sure the pruner must be that the trial cannot win: prune when P(final better than best) < 1 − confidence. Default 0.95. */
  confidence?: number;
}

/**
 * @example
 * const study = await createStudy({ pruner: new LearningCurvePruner({ maxStep: 50 }) });
 */
export class LearningCurvePruner implements Pruner {
  readonly name = "learning-curve";
  private readonly maxStep: number | "auto";
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  private readonly z: number;

  constructor(options: LearningCurveOptions = {}) {
    const maxStep = options.maxStep ?? "auto";
    if (maxStep !== "auto") checkMinResource(maxStep);
    this.maxStep = maxStep;
    this.nStartupTrials = checkCount("nStartupTrials", options.nStartupTrials ?? 3, 1, "complete trials before any pruning");
    this.nWarmupSteps = options.nWarmupSteps ?? 4;
    if (!(Number.isInteger(this.nWarmupSteps) && this.nWarmupSteps >= 4)) {
      throw new ConfigError(`nWarmupSteps must be an integer of at least 4 (three curve parameters and one residual), got ${this.nWarmupSteps}`);
    }
    const confidence = options.confidence ?? 0.95;
    if (!(confidence > 0.5 && confidence < 1)) {
      throw new ConfigError(`confidence must be in (0.5, 1), e.g. 0.95; got ${confidence}`);
    }
    this.z = normalQuantile(confidence);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const last = lastStep(trial);
    if (last === null) return false;
    if (Number.isNaN(trial.intermediateValues.get(last))) return true;
    const horizon = this.maxStep === "auto" ? firstCompleteLastStep(study) : this.maxStep;
    if (horizon === null || last >= horizon || trial.intermediateValues.size < this.nWarmupSteps) return false;
    // Every objective is turned into one to minimise.
    const signs = directionSigns(study.directions);
    const { finals, mismatch } = this.completeFinals(study, signs);
    if (mismatch !== null) {
      study.warn(
        `learning-curve pruner: trial ${mismatch.number} returned ${mismatch.returned} but last reported ${mismatch.reported}, ` +
          "so its reports are not the objective's own values and curves cannot be compared with final values; it prunes " +
          "nothing in this study. Report the objective's value with report(value, step) and other metrics as " +
          "report(value, step, { name: value }), or choose another pruner",
      );
      return false;
    }
    if (finals.length < this.nStartupTrials) return false;
    const optimistic: number[] = [];
    for (const [i, curve] of objectiveCurves(trial, signs.length).entries()) {
      const steps: number[] = [];
      const values: number[] = [];
      for (const [step, value] of curve) {
        if (!Number.isFinite(value)) continue;
        steps.push(step + 1);
        values.push(signs[i]! * value);
      }
      const bound = boundAtHorizon(steps, values, horizon + 1, this.z);
      if (bound === null) return false;
      optimistic.push(bound.optimistic);
    }
    // One objective: worse than the best final value. Several: dominated by a complete trial's final values, so
    // that even the optimistic end of every curve would not reach the Pareto front.
    return finals.some((final) => (signs.length === 1 ? final[0]! < optimistic[0]! : dominates(final, optimistic)));
  }

  /**
   * The complete trials' final values, sign-adjusted so lower is better, and — when most complete trials (at least
   * two) have reports that cannot be the objective's own — the first of them: its final value is off its last report
   * by more than a quarter of its curve's range (a loss reported while accuracy is returned, say). Returning the
   * best epoch rather than the last stays within that. Kept while the study's trials array is the same one, which it is for every report of a
   * running trial.
   */
  private completeFinals(study: StudyView, signs: readonly number[]): CompleteFinals {
    const source = study.trials();
    if (this.finals?.source !== source) {
      const complete = source.filter((t) => t.state === "complete");
      const finals = complete.map((t) => t.values!.map((v, i) => signs[i]! * v));
      this.finals = { source, finals, mismatch: firstMismatch(complete, signs.length) };
    }
    return this.finals;
  }

  private finals: (CompleteFinals & { source: readonly FrozenTrial[] }) | null = null;
}

interface CompleteFinals {
  readonly finals: readonly (readonly number[])[];
  readonly mismatch: { readonly number: number; readonly returned: number; readonly reported: number } | null;
}

function firstMismatch(complete: readonly FrozenTrial[], objectives: number): CompleteFinals["mismatch"] {
  let first: CompleteFinals["mismatch"] = null;
  let mismatched = 0;
  let checked = 0;
  for (const trial of complete) {
    const off = offCurve(trial, objectives);
    if (off === undefined) continue;
    checked++;
    if (off === null) continue;
    mismatched++;
    first ??= off;
  }
  // One trial off its curve is an accident (a run that diverged after its last report); most of them, a mismatch.
  return mismatched >= 2 && 2 * mismatched >= checked ? first : null;
}

/** Where a complete trial's returned value is far from its last report: null when it is not, undefined without reports. */
function offCurve(trial: FrozenTrial, objectives: number): NonNullable<CompleteFinals["mismatch"]> | null | undefined {
  let any = false;
  for (const [i, curve] of objectiveCurves(trial, objectives).entries()) {
    const last = lastStep({ intermediateValues: curve });
    if (last === null) continue;
    const reported = curve.get(last)!;
    const returned = trial.values![i]!;
    let [low, high] = [Infinity, -Infinity];
    for (const value of curve.values()) if (Number.isFinite(value)) [low, high] = [Math.min(low, value), Math.max(high, value)];
    if (!Number.isFinite(reported) || !(high >= low)) continue;
    any = true;
    if (Math.abs(returned - reported) > Math.max(0.25 * (high - low), 1e-6 * Math.max(1, Math.abs(reported)))) {
      return { number: trial.number, returned, reported };
    }
  }
  return any ? null : undefined;
}
