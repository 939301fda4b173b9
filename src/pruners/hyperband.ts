/**
 * @module HyperbandPruner: several successive-halving brackets with different aggressiveness (Li et al. 2018),
 * run asynchronously as in ASHA, with a maximum budget that can be raised on a running or finished study.
 *
 * With n = ⌊log_η(maxResource / minResource)⌋ + 1 brackets, bracket b starts pruning at minResource · η^b: bracket 0
 * is the most aggressive, the last one never prunes before maxResource. Each trial belongs to one bracket, drawn
 * from a hash of the study name and the trial number with weights ⌈n · η^s / (s + 1)⌉ (s = n − 1 − b, Hyperband's
 * budget per bracket). The bracket count is stored with each new trial, so every process — and a later pruner
 * with a larger maxResource — puts it in the same bracket. A trial competes only with trials of its own bracket,
 * and the sampler sees only those trials too: their values were measured at the same rungs, so a model fitted on
 * them is not confused by curves cut at other budgets.
 *
 * Raising maxResource (incremental Hyperband, after Brandt et al.'s iterative deepening): load the study with a
 * pruner whose maxResource is η^k times larger and call `continueBestTrials`. Old trials keep their brackets and
 * their rung values, so every rung below the old maximum is already filled; the trials that finished at the old
 * maximum and would be promoted there are queued as continuations (same parameters, their curves copied, resuming
 * from their last step), not rerun; new trials also fill the new, least aggressive bracket.
 */
import { ConfigError } from "../errors.js";
import { hashString } from "../math/random.js";
import type { ContinuableStudy, SamplingTrial, StudyView } from "../core/study-view.js";
import { HYPERBAND_BRACKETS_ATTR, HYPERBAND_BRACKET_ATTR, continuationOf, readAttr } from "../core/attributes.js";
import type { FrozenTrial, JsonValue, TrialState } from "../core/types.js";
import { paretoOrder } from "../math/pareto.js";
import { directionSigns, lastStep, objectiveCurves } from "../core/curve.js";
import type { Pruner } from "./pruner.js";
import { failsRungPromotion } from "./rungs.js";
import { checkMinResource, checkReductionFactor, firstCompleteLastStep } from "./successive-halving.js";

export interface HyperbandOptions {
  /** Resource (step) of bracket 0's first rung. Default 1. */
  minResource?: number;
  /** The step at which a trial is fully trained. "auto" (default): the last step of the first complete trial. */
  maxResource?: number | "auto";
  /** η. Default 3. */
  reductionFactor?: number;
  /**
   * Show the sampler only the trials of the new trial's bracket (default true). BOHB's sampler pools all brackets
   * by budget itself, so `bohb()` turns this off.
   */
  sampleWithinBracket?: boolean;
}


type TrialAttrs = Pick<FrozenTrial, "number" | "systemAttrs">;

/**
 * @example
 * const study = await createStudy({ pruner: new HyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 }) });
 */
export class HyperbandPruner implements Pruner {
  readonly name = "hyperband";
  readonly minResource: number;
  private readonly maxResource: number | "auto";
  readonly reductionFactor: number;
  readonly sampleWithinBracket: boolean;
  private readonly weights = new Map<number, { budgets: readonly number[]; total: number }>();
  private readonly views = new WeakMap<StudyView, Map<number, StudyView>>();
  /** Per study: each trial's bracket (fixed once known) and the last grouping of the trials by bracket. */
  private readonly groupings = new WeakMap<
    StudyView,
    { brackets: number; source: readonly FrozenTrial[] | null; byBracket: FrozenTrial[][]; bracketByNumber: number[] }
  >();

  constructor(options: HyperbandOptions = {}) {
    const minResource = checkMinResource(options.minResource ?? 1);
    if (minResource === "auto") throw new ConfigError(`HyperbandPruner's minResource must be a number of steps, not "auto"`);
    this.minResource = minResource;
    this.maxResource = checkMinResource(options.maxResource ?? "auto");
    this.reductionFactor = checkReductionFactor(options.reductionFactor ?? 3);
    this.sampleWithinBracket = options.sampleWithinBracket ?? true;
    if (this.maxResource !== "auto" && this.maxResource < minResource) {
      throw new ConfigError(`maxResource (${this.maxResource}) must be at least minResource (${minResource})`);
    }
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const brackets = this.bracketCount(study);
    if (brackets === null) return false;
    const bracket = this.bracketOfTrial(study.name, trial, brackets);
    const schedule = { minResource: this.minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: bracket };
    return failsRungPromotion(trial, this.bracketTrials(study, brackets)[bracket] ?? [], schedule, study.directions);
  }

  newTrialAttrs(study: StudyView): Readonly<Record<string, JsonValue>> {
    const brackets = this.bracketCount(study);
    return brackets === null ? {} : { [HYPERBAND_BRACKETS_ATTR]: brackets };
  }

  /** The study as the sampler should see it for this trial: only the trials of its bracket. */
  samplerView(study: StudyView, trial: Pick<SamplingTrial, "number" | "systemAttrs">): StudyView {
    const brackets = this.sampleWithinBracket ? this.bracketCount(study) : null;
    if (brackets === null) return study;
    const bracket = this.bracketOfTrial(study.name, trial, brackets);
    // One view object per study and bracket, so samplers that cache per view (TPE) keep their caches.
    let views = this.views.get(study);
    if (!views) this.views.set(study, (views = new Map()));
    let view = views.get(bracket);
    if (!view) {
      const trials = (options?: { states?: readonly TrialState[] }): readonly FrozenTrial[] => {
        const all = this.bracketTrials(study, this.bracketCount(study) ?? brackets)[bracket] ?? [];
        return options?.states ? all.filter((t) => options.states!.includes(t.state)) : all;
      };
      // Everything but `trials` goes to the study itself: a view inheriting from it (Object.create) would take the
      // study's state onto itself when a sampler writes through it, and the study would stop seeing new trials.
      view = {
        name: study.name,
        directions: study.directions,
        trials,
        get systemAttrs() {
          return study.systemAttrs;
        },
        setSystemAttrs: (attrs) => study.setSystemAttrs(attrs),
        claim: (key) => study.claim(key),
        warn: (message) => study.warn(message),
      };
      views.set(bracket, view);
    }
    return view;
  }

  /** Bracket count once maxResource is known (at once, or when the first trial completes under "auto"). */
  bracketCount(study: Pick<StudyView, "trials">): number | null {
    const maxResource = this.maxResource === "auto" ? firstCompleteLastStep(study) : this.maxResource;
    if (maxResource === null) return null;
    // The epsilon keeps an exact power (e.g. 27 / 1 with η = 3) from rounding down a bracket.
    return Math.floor(Math.log(Math.max(maxResource, this.minResource) / this.minResource) / Math.log(this.reductionFactor) + 1e-9) + 1;
  }

  /** The bracket a trial number draws among `brackets`. */
  bracketOf(studyName: string, trialNumber: number, brackets: number): number {
    const weights = this.bracketWeights(brackets);
    let draw = hashString(`${studyName}_${trialNumber}`) % weights.total;
    for (let b = 0; b < brackets; b++) {
      draw -= weights.budgets[b]!;
      if (draw < 0) return b;
    }
    return brackets - 1;
  }

  /**
   * Incremental Hyperband: queues, as continuations, the complete trials that stopped below this pruner's
   * maxResource (they finished under a smaller one) and that a rung there promotes — in each bracket and at each
   * such last step, the best ⌊n/η⌋ (at least one) of the n trials that finished there. Trials already continued are
   * skipped, so calling it twice queues nothing new. Returns the trials continued.
   */
  async continueBestTrials(study: ContinuableStudy): Promise<FrozenTrial[]> {
    if (this.maxResource === "auto") {
      throw new ConfigError(`continueBestTrials needs a numeric maxResource (the new maximum), not "auto"`);
    }
    await study.refresh();
    const brackets = this.bracketCount(study)!;
    const trials = study.trials();
    const continued = new Set(trials.map((t) => continuationOf(t.systemAttrs)?.trial).filter((n) => n !== undefined));
    const groups = new Map<string, { bracket: number; step: number; trials: FrozenTrial[] }>();
    for (const trial of trials) {
      const step = lastStep(trial);
      if (trial.state !== "complete" || step === null || step >= this.maxResource) continue;
      const bracket = this.bracketOfTrial(study.name, trial, brackets);
      const key = `${bracket}:${step}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { bracket, step, trials: [] }));
      group.trials.push(trial);
    }
    const promoted: FrozenTrial[] = [];
    const signs = directionSigns(study.directions);
    for (const { bracket, step, trials: group } of groups.values()) {
      // Their values at the step they stopped at (their final ones), ranked as a rung ranks them.
      const points = group.map((t) => objectiveCurves(t, signs.length).map((curve, i) => signs[i]! * (curve.get(step) ?? NaN)));
      const ranked = paretoOrder(points.map((p) => p.map((v) => (Number.isNaN(v) ? Infinity : v)))).map((i) => group[i]!);
      for (const trial of ranked.slice(0, Math.max(1, Math.floor(group.length / this.reductionFactor)))) {
        if (continued.has(trial.number)) continue;
        await study.enqueueContinuation(trial, { [HYPERBAND_BRACKET_ATTR]: bracket });
        promoted.push(trial);
      }
    }
    return promoted;
  }

  /** A trial's bracket: a continuation's parent's, else drawn with the bracket count stored with it (or today's). */
  private bracketOfTrial(studyName: string, trial: TrialAttrs, brackets: number): number {
    const explicit = readAttr(trial.systemAttrs, HYPERBAND_BRACKET_ATTR);
    if (typeof explicit === "number") return explicit;
    const stored = readAttr(trial.systemAttrs, HYPERBAND_BRACKETS_ATTR);
    return this.bracketOf(studyName, trial.number, typeof stored === "number" ? stored : brackets);
  }

  private bracketWeights(brackets: number): { budgets: readonly number[]; total: number } {
    let weights = this.weights.get(brackets);
    if (!weights) {
      const budgets = Array.from({ length: brackets }, (_, b) => {
        const s = brackets - 1 - b;
        return Math.ceil((brackets * this.reductionFactor ** s) / (s + 1));
      });
      weights = { budgets, total: budgets.reduce((sum, budget) => sum + budget, 0) };
      this.weights.set(brackets, weights);
    }
    return weights;
  }

  /** The study's trials by bracket, regrouped only when the trials array changes (when a trial does). */
  private bracketTrials(study: StudyView, brackets: number): readonly FrozenTrial[][] {
    const all = study.trials();
    let grouping = this.groupings.get(study);
    if (!grouping || grouping.brackets !== brackets) {
      this.groupings.set(study, (grouping = { brackets, source: null, byBracket: [], bracketByNumber: [] }));
    }
    if (grouping.source !== all) {
      const byBracket: FrozenTrial[][] = [];
      for (const trial of all) {
        const b = (grouping.bracketByNumber[trial.number] ??= this.bracketOfTrial(study.name, trial, brackets));
        (byBracket[b] ??= []).push(trial);
      }
      grouping.source = all;
      grouping.byBracket = byBracket;
    }
    return grouping.byBracket;
  }
}
