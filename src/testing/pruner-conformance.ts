/**
 * @module The pruner conformance suite: properties every pruner must have whatever its rule, and `pruneDecision` for
 * checking a pruner's decisions against hand-computed ones.
 *
 * The suite runs one scenario: 30 trials, each reporting a loss at steps 0 to 11 (minimized). Every curve starts
 * between 0.6 and 2.6 and decays, each at its own rate, towards 0.2 + 0.8·quality, with qualities spread evenly
 * over [0, 1] and shuffled across trial numbers, so that curves cross; every third trial overfits, its loss rising
 * again by 0.05 a step after step 6. The factory must give a pruner that prunes some of these trials and lets
 * others complete, so that the properties are checked on real decisions: for a pruner with fixed bounds, pick
 * bounds that this scenario crosses.
 *
 * @example
 * import { describePrunerConformance } from "scaletune/testing";
 * describePrunerConformance("my pruner", () => new MyPruner({ nWarmupSteps: 2 }));
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, TrialPruned, describeError } from "../errors.js";
import type { Pruner } from "../pruners/pruner.js";
import { RandomSampler } from "../samplers/random.js";
import { MemoryStorage } from "../storage/memory.js";
import { createStudy, loadStudy, type CreateStudyOptions } from "../study/api.js";
import type { Study } from "../study/study.js";
import type { Direction, FrozenTrial } from "../core/types.js";

const TRIALS = 30;
const STEPS = 12;
/**
 * Every study here has this name (each in its own storage) so that runs compare: a pruner may hash the study name,
 * as Hyperband does to assign brackets.
 */
const STUDY_NAME = "pruner-conformance";

function newStudy(options: Pick<CreateStudyOptions, "direction" | "directions" | "pruner" | "storage">): Promise<Study> {
  return createStudy({ ...options, name: STUDY_NAME, sampler: new RandomSampler({ seed: 0 }), warn: () => {} });
}

/** Trial `i`'s loss at step `s` in the scenario. */
function scenarioLoss(i: number, s: number): number {
  const quality = ((i * 7) % TRIALS) / (TRIALS - 1);
  // Independent of quality: curves that start high decay slowly, so early ranks differ from final ones.
  const slowness = ((i * 11) % TRIALS) / (TRIALS - 1);
  const overfit = i % 3 === 2 ? 0.05 * Math.max(0, s - 6) : 0;
  return 0.2 + 0.8 * quality + (0.4 + 1.2 * slowness) * Math.exp(-s / (1 + 3 * slowness)) + overfit;
}

type Report = readonly [step: number, value: number];
/** What each trial of a scenario reports, in order. */
type Script = (trial: number) => readonly Report[];

const regular: Script = (i) => Array.from({ length: STEPS }, (_, s): Report => [s, scenarioLoss(i, s)]);

/** NaN at scattered steps, at every step of trial 3, and at the first step of trial 7. */
const withNaN: Script = (i) =>
  regular(i).map(([s, v]): Report => [s, i === 3 || (i + s) % 5 === 0 || (i === 7 && s === 0) ? NaN : v]);

/** Steps out of order and far apart, a different subset for each trial. */
const irregular: Script = (i) => {
  const steps = [0, 1, 3, 7, 8, 20, 21, 50, 5, 2, 1000].filter((s) => (s + i) % 3 !== 0);
  const turn = i % steps.length;
  return [...steps.slice(turn), ...steps.slice(0, turn)].map((s): Report => [s, scenarioLoss(i, Math.min(s, STEPS - 1))]);
};

interface ScenarioRun {
  readonly study: Study;
  readonly storage: MemoryStorage;
  /** Per trial number: `shouldPrune()` before the trial reported anything. */
  readonly beforeReports: boolean[];
  /** Per trial number: `shouldPrune()` after each report, up to the one that pruned it. */
  readonly decisions: boolean[][];
  /** The same questions put to a new pruner from the factory. */
  readonly fresh: boolean[][];
  /** The same questions put a second time to the study's pruner. */
  readonly repeated: boolean[][];
}

interface ScenarioOptions {
  direction?: Direction;
  /** −1 negates every value (the mirror image of the scenario). */
  sign?: 1 | -1;
  script?: Script;
}

/** Runs the scenario's trials one after another, pruning as the pruner says, and records every answer. */
async function runScenario(factory: () => Pruner, options: ScenarioOptions = {}): Promise<ScenarioRun> {
  const { direction = "minimize", sign = 1, script = regular } = options;
  const storage = new MemoryStorage();
  const study = await newStudy({ storage, direction, pruner: factory() });
  const run: ScenarioRun = { study, storage, beforeReports: [], decisions: [], fresh: [], repeated: [] };
  await study.optimize(
    (trial) => {
      const decisions: boolean[] = [];
      const fresh: boolean[] = [];
      const repeated: boolean[] = [];
      run.decisions[trial.number] = decisions;
      run.fresh[trial.number] = fresh;
      run.repeated[trial.number] = repeated;
      run.beforeReports[trial.number] = trial.shouldPrune();
      for (const [step, value] of script(trial.number)) {
        trial.report(sign * value, step);
        const prune = trial.shouldPrune();
        decisions.push(prune);
        fresh.push(factory().prune(study, trial.snapshot()));
        repeated.push(study.pruner.prune(study, trial.snapshot()));
        if (prune) throw new TrialPruned();
      }
      return sign * scenarioLoss(trial.number, STEPS - 1);
    },
    { nTrials: TRIALS },
  );
  return run;
}

/** A trial's curve as [step, value] pairs by step, so that curves compare whatever order they were reported in. */
function sortedCurve(curve: ReadonlyMap<number, number> | readonly Report[]): Report[] {
  return [...curve].sort((a, b) => a[0] - b[0]);
}

/** Every trial finished as its answers say (pruned at the first yes, else complete) with exactly the values it reported. */
function assertStoredAsRun(trials: readonly FrozenTrial[], run: ScenarioRun, script: Script): void {
  assert.equal(trials.length, TRIALS);
  for (const trial of trials) {
    const answers = run.decisions[trial.number]!;
    const pruned = answers.includes(true);
    assert.equal(trial.state, pruned ? "pruned" : "complete", `trial ${trial.number}: ${trial.failReason ?? ""}`);
    assert.deepEqual(sortedCurve(trial.intermediateValues), sortedCurve(script(trial.number).slice(0, answers.length)), `trial ${trial.number}`);
  }
}

export interface PrunerConformanceOptions {
  /**
   * Whether the pruner judges values by the study's direction, as every pruner that ranks trials does (default
   * true): maximizing the negated values must then give the same decisions as minimizing. A pruner with fixed
   * bounds (ThresholdPruner) sets false, and must instead decide the same for either direction.
   */
  readonly directionAware?: boolean;
}

export function describePrunerConformance(name: string, factory: () => Pruner, options: PrunerConformanceOptions = {}): void {
  const directionAware = options.directionAware ?? true;
  const mirrored: ScenarioOptions = { direction: "maximize", sign: directionAware ? -1 : 1 };

  describe(`pruner conformance: ${name}`, () => {
    it("runs a study end to end, pruning some trials and completing others; pruned trials keep their curves", async () => {
      const run = await runScenario(factory);
      // Read back from storage, not from the study's cache: the curves must have been written.
      const trials = (await loadStudy({ name: STUDY_NAME, storage: run.storage })).trials();
      assertStoredAsRun(trials, run, regular);
      const pruned = trials.filter((t) => t.state === "pruned").length;
      assert.ok(
        pruned > 0 && pruned < TRIALS,
        `the pruner pruned ${pruned} of the scenario's ${TRIALS} trials; configure it so that it prunes some and not all`,
      );
    });

    it("never prunes a trial that has reported nothing", async () => {
      for (const scenario of [{}, mirrored]) {
        const run = await runScenario(factory, scenario);
        assert.deepEqual(run.beforeReports, Array<boolean>(TRIALS).fill(false));
        const idle = await run.study.ask();
        assert.equal(factory().prune(run.study, idle.snapshot()), false);
      }
    });

    it("decides from the stored history alone: a new instance, or the same question again, gets the same answer", async () => {
      for (const script of [regular, withNaN, irregular]) {
        const run = await runScenario(factory, { script });
        assert.deepEqual(run.fresh, run.decisions);
        assert.deepEqual(run.repeated, run.decisions);
      }
    });

    const mirrorTitle = directionAware
      ? "treats maximize as the mirror image of minimize (negated values, same decisions)"
      : "decides the same whatever the study's direction";
    it(mirrorTitle, async () => {
      const minimize = await runScenario(factory);
      const maximize = await runScenario(factory, mirrored);
      assert.deepEqual(maximize.decisions, minimize.decisions);
    });

    it("takes NaN intermediate values without throwing", async () => {
      const run = await runScenario(factory, { script: withNaN });
      assertStoredAsRun(run.study.trials(), run, withNaN);
      const probe = await run.study.ask();
      for (let step = 0; step < 3; step++) {
        probe.report(NaN, step);
        assert.equal(typeof factory().prune(run.study, probe.snapshot()), "boolean");
      }
    });

    it("takes sparse, unordered steps without throwing", async () => {
      const run = await runScenario(factory, { script: irregular });
      assertStoredAsRun(run.study.trials(), run, irregular);
    });

    it("supports multi-objective studies (one value per objective and step), or refuses them with a ConfigError", async () => {
      const study = await newStudy({ directions: ["minimize", "maximize"], pruner: factory() });
      const refusals: unknown[] = [];
      await study.optimize(
        (trial) => {
          for (const [step, value] of regular(trial.number)) {
            trial.report([value, -value], step);
            let prune = false;
            try {
              prune = trial.shouldPrune();
            } catch (error) {
              refusals.push(error);
            }
            if (prune) throw new TrialPruned();
          }
          const loss = scenarioLoss(trial.number, STEPS - 1);
          return [loss, -loss];
        },
        { nTrials: TRIALS },
      );
      for (const error of refusals) {
        assert.ok(error instanceof ConfigError && error.message.length > 0, `expected a ConfigError, got ${describeError(error)}`);
      }
    });
  });
}

/**
 * A learning curve, value by step. A Map reports in its own order; a plain object reports its steps in ascending
 * order.
 */
export type Curve = ReadonlyMap<number, number> | Readonly<Record<number, number>>;

export interface PrunerHistory {
  /** Default "minimize". */
  readonly direction?: Direction;
  /** Curves of trials that completed, each with the value at its last step as objective value (0 if that is NaN). */
  readonly complete?: readonly Curve[];
  /** Curves of trials that were pruned (finished after the complete ones). */
  readonly pruned?: readonly Curve[];
  /** The curve of the running trial to decide about. */
  readonly trial: Curve;
}

/**
 * What `pruner` answers to `trial.shouldPrune()` for a running trial with curve `history.trial`, in a study whose
 * finished trials reported the given curves.
 *
 * @example
 * // At step 0 complete trials reported 1, 2 and 3 (median 2): a trial at 2.5 is worse, so it is pruned.
 * const pruned = await pruneDecision(new MedianPruner({ nStartupTrials: 3 }), {
 *   complete: [{ 0: 1 }, { 0: 2 }, { 0: 3 }],
 *   trial: { 0: 2.5 },
 * });
 */
export async function pruneDecision(pruner: Pruner, history: PrunerHistory): Promise<boolean> {
  const study = await newStudy({ direction: history.direction ?? "minimize", pruner });
  const finished = [
    ...(history.complete ?? []).map((curve) => ({ curve, complete: true })),
    ...(history.pruned ?? []).map((curve) => ({ curve, complete: false })),
  ];
  for (const { curve, complete } of finished) {
    const trial = await study.ask();
    const reports = curveReports(curve);
    for (const [step, value] of reports) trial.report(value, step);
    const last = sortedCurve(reports).at(-1)?.[1] ?? 0;
    await study.tell(trial, complete ? (Number.isNaN(last) ? 0 : last) : "pruned");
  }
  const trial = await study.ask();
  for (const [step, value] of curveReports(history.trial)) trial.report(value, step);
  return trial.shouldPrune();
}

function curveReports(curve: Curve): Report[] {
  return curve instanceof Map ? [...curve] : Object.entries(curve).map(([step, value]): Report => [Number(step), value]);
}
