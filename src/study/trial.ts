/**
 * @module Trials as the objective sees them: `Trial` (inside a study) and `FixedTrial` (given values), sharing
 * one suggestion front end so the same objective runs in a study, in a unit test, and in production.
 */
import { FIXED_PARAMS_ATTR, OBJECTIVE_METRIC_PREFIX, SCALE_ATTR, continuationOf, objectiveMetric } from "../core/attributes.js";
import { ConfigError, SearchSpaceError, TrialNotRunningError, TrialStateError } from "../errors.js";
import type { Pruner } from "../pruners/pruner.js";
import type { StudyView } from "../core/study-view.js";
import type { Sampler } from "../samplers/sampler.js";
import {
  categoricalDistribution,
  containsInternal,
  describeDistribution,
  floatDistribution,
  intDistribution,
  sameDistribution,
  snapInternal,
  toExternal,
  toInternal,
  type CategoricalChoice,
  type Distribution,
  type RangeOptions,
  type SearchSpace,
} from "../space/distributions.js";
import type { Storage, TrialPatch, TrialRecord } from "../storage/storage.js";
import { freezeTrial } from "./frozen.js";
import type { FrozenTrial, JsonValue, ParamValue } from "../core/types.js";

function checkName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") throw new SearchSpaceError(`parameter names must be non-empty strings, got ${JSON.stringify(name)}`);
}

/** Validates a value for storage as JSON (user attributes); returns a detached copy. */
export function toJsonValue(key: string, value: unknown): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ConfigError(`attribute "${key}" is not JSON-serialisable: ${(error as Error).message}`);
  }
  if (text === undefined) throw new ConfigError(`attribute "${key}" is ${String(value)}, which cannot be stored; use null`);
  return JSON.parse(text) as JsonValue;
}

export abstract class BaseTrial {
  protected readonly internal: Record<string, number> = {};
  protected readonly spaces: Record<string, Distribution> = {};

  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.suggest(name, floatDistribution(name, low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.suggest(name, intDistribution(name, low, high, options)) as number;
  }

  /** The return type is the union of the choices: `suggestCategorical("opt", ["adam", "sgd"])` is "adam" | "sgd". */
  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /** External values of the parameters suggested so far. */
  get params(): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const [name, value] of Object.entries(this.internal)) out[name] = toExternal(this.spaces[name]!, value);
    return out;
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return this.spaces;
  }

  /**
   * Reports the objective's value at a step (an epoch, a number of examples …) for pruners — in a multi-objective
   * study one value per objective, as an array — and optionally further named metrics measured at the same step,
   * which are stored with the trial (pruned or not) but not pruned on. A step is reported once: a repeated step is
   * ignored with a warning.
   */
  abstract report(value: number | readonly number[], step: number, metrics?: Readonly<Record<string, number>>): void;
  abstract shouldPrune(): boolean;
  abstract setUserAttr(key: string, value: unknown): void;

  /**
   * Records the scale this trial trains at — model size N, tokens D, compute C, or any other positive size (width,
   * depth) — as its `scale` user attribute, which `scaletune scaling fit | hparams --study` read.
   */
  setScale(scale: Readonly<Record<string, number>>): void {
    for (const [name, value] of Object.entries(scale)) {
      if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
        throw new ConfigError(`setScale: ${name} must be a positive finite number, got ${String(value)}`);
      }
    }
    if (Object.keys(scale).length === 0) throw new ConfigError("setScale needs at least one size, e.g. { N: 1.2e8, D: 2.4e9 }");
    this.setUserAttr(SCALE_ATTR, { ...scale });
  }

  /** Chooses the internal value of a parameter suggested for the first time in this trial. */
  protected abstract resolve(name: string, distribution: Distribution): number;

  protected suggest(name: string, distribution: Distribution): ParamValue {
    checkName(name);
    const previous = this.spaces[name];
    if (previous) {
      if (!sameDistribution(previous, distribution)) {
        throw new SearchSpaceError(
          `parameter "${name}" was suggested twice in one trial with different ranges: first ${describeDistribution(previous)}, ` +
            `now ${describeDistribution(distribution)}; use one range per name (or another name)`,
        );
      }
      return toExternal(distribution, this.internal[name]!);
    }
    const value = this.resolve(name, distribution);
    this.spaces[name] = distribution;
    this.internal[name] = value;
    this.onSuggested();
    return toExternal(distribution, value);
  }

  protected onSuggested(): void {}
}

/** Internal value of a fixed (enqueued, grid, retried) parameter; a clear error when it lies outside the range. */
function fixedInternal(name: string, value: ParamValue, distribution: Distribution, origin: string): number {
  const internal = toInternal(distribution, value);
  if (internal === undefined) {
    throw new SearchSpaceError(
      `${origin} value ${JSON.stringify(value)} for parameter "${name}" is not in ${describeDistribution(distribution)}; ` +
        `fix the given value or the range`,
    );
  }
  return internal;
}

/** A sampler's proposal snapped onto the distribution (steps, integers); an error names the sampler when it lies outside. */
function checkedProposal(sampler: string, name: string, distribution: Distribution, proposed: number): number {
  const value = snapInternal(distribution, proposed);
  if (!containsInternal(distribution, value)) {
    throw new Error(`sampler ${sampler} proposed ${proposed} for "${name}", outside ${describeDistribution(distribution)}`);
  }
  return value;
}

/** Runs an objective with given parameter values, outside any study (tests, production with the best params). */
export class FixedTrial extends BaseTrial {
  readonly number: number;
  readonly userAttrs: Record<string, JsonValue> = {};
  readonly intermediateValues = new Map<number, number>();
  readonly intermediateMetrics = new Map<string, Map<number, number>>();

  constructor(
    private readonly given: Readonly<Record<string, ParamValue>>,
    number = 0,
  ) {
    super();
    this.number = number;
  }

  protected resolve(name: string, distribution: Distribution): number {
    if (!(name in this.given)) {
      throw new SearchSpaceError(`FixedTrial has no value for parameter "${name}"; add it to the parameters you pass`);
    }
    return fixedInternal(name, this.given[name]!, distribution, "FixedTrial");
  }

  report(value: number | readonly number[], step: number, metrics?: Readonly<Record<string, number>>): void {
    const [primary, all] = checkReport(value, step, metrics, null);
    if (this.intermediateValues.has(step)) return;
    this.intermediateValues.set(step, primary);
    for (const [name, metricValue] of Object.entries(all)) {
      let curve = this.intermediateMetrics.get(name);
      if (!curve) this.intermediateMetrics.set(name, (curve = new Map()));
      curve.set(step, metricValue);
    }
  }

  shouldPrune(): boolean {
    return false;
  }

  setUserAttr(key: string, value: unknown): void {
    this.userAttrs[key] = toJsonValue(key, value);
  }
}

/**
 * Checks a report and splits it into the first objective's value (the curve every pruner reads) and the named
 * metrics to store with it: the caller's, plus `objective:1`, `objective:2` … for the other objectives of a
 * multi-objective report. `objectives` is the study's count (null outside a study: any count).
 */
function checkReport(
  value: unknown,
  step: unknown,
  metrics: unknown,
  objectives: number | null,
): [primary: number, metrics: Record<string, number>] {
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  if (values.length === 0 || values.some((v) => typeof v !== "number")) {
    throw new ConfigError(`report() needs a number (or one number per objective), got ${JSON.stringify(value)}`);
  }
  if (objectives !== null && (Array.isArray(value) ? values.length !== objectives : objectives > 1)) {
    throw new ConfigError(
      `report() got ${values.length} value(s) but the study has ${objectives} objective(s); report one value per objective, as an array`,
    );
  }
  if (!Number.isInteger(step) || (step as number) < 0) {
    throw new ConfigError(`report() needs a non-negative integer step, got ${String(step)}`);
  }
  const all: Record<string, number> = {};
  for (let i = 1; i < values.length; i++) all[objectiveMetric(i)] = values[i] as number;
  if (metrics === undefined) return [values[0] as number, all];
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    throw new ConfigError(`report()'s metrics must be an object of named numbers, e.g. { accuracy: 0.93 }`);
  }
  for (const [name, metricValue] of Object.entries(metrics)) {
    if (name === "") throw new ConfigError(`report()'s metrics need non-empty names; the unnamed curve is the first argument`);
    if (name.startsWith(OBJECTIVE_METRIC_PREFIX)) {
      throw new ConfigError(`report()'s metric name "${name}" is reserved for the objectives of a multi-objective report; rename it`);
    }
    if (typeof metricValue !== "number") throw new ConfigError(`report()'s metric "${name}" must be a number, got ${typeof metricValue}`);
    all[name] = metricValue;
  }
  return [values[0] as number, all];
}

/** What a running trial needs from its study. */
export interface TrialHost {
  readonly view: StudyView;
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  warn(message: string): void;
}

/** A trial being evaluated in a study. Writes are buffered and flushed on the next turn of the event loop. */
export class Trial extends BaseTrial {
  readonly id: number;
  readonly number: number;
  private readonly startedAt: number;
  private readonly fixed: Readonly<Record<string, ParamValue>>;
  private relativeSpace: SearchSpace = {};
  private relativeValues: Record<string, number> = {};
  private userAttrValues: Record<string, JsonValue>;
  private systemAttrValues: Record<string, JsonValue>;
  private readonly intermediate = new Map<number, number>();
  private readonly metrics = new Map<string, Map<number, number>>();
  private pendingIntermediate: { metric: string; step: number; value: number }[] = [];
  private dirty = { params: false, userAttrs: false, systemAttrs: false };
  private flushScheduled = false;
  private writes: Promise<void> = Promise.resolve();
  private writeError: unknown = undefined;
  private finished = false;
  private readonly aborter = new AbortController();
  /** Set when a write found the trial ended by another process. */
  private endedBy: TrialNotRunningError | null = null;

  constructor(
    private readonly host: TrialHost,
    record: TrialRecord,
  ) {
    super();
    this.id = record.id;
    this.number = record.number;
    this.startedAt = record.startedAt ?? Date.now();
    this.userAttrValues = { ...record.userAttrs };
    this.systemAttrValues = { ...record.systemAttrs };
    const fixed = record.systemAttrs[FIXED_PARAMS_ATTR];
    this.fixed = fixed && typeof fixed === "object" && !Array.isArray(fixed) ? (fixed as Record<string, ParamValue>) : {};
  }

  /**
   * For a trial that continues another one (a multi-fidelity schedule raised the budget): the trial it continues and
   * the last step that trial reached, where training resumes (load its checkpoint). Null for a trial from scratch.
   */
  get continues(): { readonly trial: number; readonly lastStep: number | null } | null {
    return continuationOf(this.systemAttrValues);
  }

  /** Samples the sampler's joint step; called by the study right after the trial is created. */
  async sampleRelative(): Promise<void> {
    const { sampler } = this.host;
    const view = this.samplerView;
    if (!sampler.inferRelativeSearchSpace || !sampler.sampleRelative) return;
    const space = sampler.inferRelativeSearchSpace(view, this);
    if (Object.keys(space).length === 0) return;
    this.relativeSpace = space;
    const proposed = await sampler.sampleRelative(view, this, space);
    // Held to the same rules as an independent proposal: snapped onto the distribution, refused outside it.
    this.relativeValues = Object.fromEntries(
      Object.entries(space).flatMap(([name, distribution]) =>
        proposed[name] === undefined ? [] : [[name, checkedProposal(sampler.name, name, distribution, proposed[name]!)]],
      ),
    );
  }

  /**
   * Stores the joint proposal as the trial's parameters while it runs, so that other workers' samplers count it as a
   * pending point; the parameters the objective actually suggests replace it. False when there is no proposal.
   */
  async publishProposal(): Promise<boolean> {
    if (Object.keys(this.relativeValues).length === 0) return false;
    this.enqueueWrite({ params: { ...this.relativeValues, ...this.internal }, distributions: { ...this.relativeSpace, ...this.spaces } });
    // What the objective suggests replaces the proposal when the trial ends, even if it suggests nothing at all.
    this.dirty.params = true;
    await this.writes;
    if (this.writeError !== undefined) throw this.writeError;
    return true;
  }

  /** The sampler's joint proposal (internal values), before the objective suggests anything. */
  get proposal(): Readonly<Record<string, number>> {
    return this.relativeValues;
  }

  /**
   * Aborted when the trial is interrupted (Ctrl-C, SIGTERM, `optimize`'s signal): an objective that passes it on
   * (to fetch, a child process, its own training loop) stops early. The trial is then failed and queued again.
   */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** Interrupts the trial (see `signal`). */
  abort(reason: string): void {
    if (!this.aborter.signal.aborted) this.aborter.abort(new Error(reason));
  }

  get internalParams(): Readonly<Record<string, number>> {
    return this.internal;
  }

  /** What the sampler sees of the study for this trial: the pruner may narrow it (Hyperband: the trial's bracket). */
  private get samplerView(): StudyView {
    const { pruner, view } = this.host;
    return pruner.samplerView ? pruner.samplerView(view, this) : view;
  }

  get systemAttrs(): Readonly<Record<string, JsonValue>> {
    return this.systemAttrValues;
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.userAttrValues;
  }

  get intermediateValues(): ReadonlyMap<number, number> {
    return this.intermediate;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /**
   * Whether another process ended this trial while it ran here: its heartbeat lapsed (a paused worker, a cut
   * network), so the study failed it and queued its configuration again. Its writes are refused from then on.
   */
  get endedElsewhere(): boolean {
    return this.endedBy !== null;
  }

  protected resolve(name: string, distribution: Distribution): number {
    this.assertRunning("suggest a parameter");
    if (name in this.fixed) return fixedInternal(name, this.fixed[name]!, distribution, "enqueued");
    const relative = this.relativeSpace[name];
    const relativeValue = this.relativeValues[name];
    if (relative && relativeValue !== undefined && sameDistribution(relative, distribution)) return relativeValue;
    const { sampler } = this.host;
    const view = this.samplerView;
    return checkedProposal(sampler.name, name, distribution, sampler.sampleIndependent(view, this, name, distribution));
  }

  protected override onSuggested(): void {
    this.dirty.params = true;
    this.scheduleFlush();
  }

  report(value: number | readonly number[], step: number, metrics?: Readonly<Record<string, number>>): void {
    this.assertRunning("report");
    const [primary, all] = checkReport(value, step, metrics, this.host.view.directions.length);
    if (this.intermediate.has(step)) {
      this.host.warn(`trial ${this.number}: step ${step} was already reported; the new value ${String(value)} is ignored`);
      return;
    }
    this.intermediate.set(step, primary);
    this.pendingIntermediate.push({ metric: "", step, value: primary });
    for (const [name, metricValue] of Object.entries(all)) {
      let curve = this.metrics.get(name);
      if (!curve) this.metrics.set(name, (curve = new Map()));
      curve.set(step, metricValue);
      this.pendingIntermediate.push({ metric: name, step, value: metricValue });
    }
    this.scheduleFlush();
  }

  shouldPrune(): boolean {
    this.assertRunning("ask whether to prune");
    return this.host.pruner.prune(this.host.view, this.snapshot());
  }

  setUserAttr(key: string, value: unknown): void {
    this.assertRunning("set an attribute");
    this.userAttrValues = { ...this.userAttrValues, [key]: toJsonValue(key, value) };
    this.dirty.userAttrs = true;
    this.scheduleFlush();
  }

  /**
   * Stores a key of the stored vocabulary (core/attributes.ts) with the trial: for scaletune's own executors (the
   * command runner's exit code and standard error), not for objectives, whose attributes are user attributes.
   */
  setSystemAttr(key: string, value: unknown): void {
    this.assertRunning("set a system attribute");
    this.systemAttrValues = { ...this.systemAttrValues, [key]: toJsonValue(key, value) };
    this.dirty.systemAttrs = true;
    this.scheduleFlush();
  }

  /** The trial as it is now (running), for pruners and callbacks. */
  snapshot(finish?: TrialPatch["finish"]): FrozenTrial {
    return freezeTrial(
      {
        id: this.id,
        studyId: 0,
        number: this.number,
        state: finish?.state ?? "running",
        values: finish?.values ?? null,
        params: { ...this.internal },
        distributions: { ...this.spaces },
        userAttrs: this.userAttrValues,
        systemAttrs: this.systemAttrValues,
        startedAt: this.startedAt,
        completedAt: finish?.at ?? null,
        heartbeatAt: null,
        failReason: finish?.failReason ?? null,
      },
      new Map(this.intermediate),
      new Map([...this.metrics].map(([name, curve]) => [name, new Map(curve)])),
    );
  }

  /** Writes the final state with everything still buffered, and waits until it is stored. */
  async finish(finish: NonNullable<TrialPatch["finish"]>): Promise<FrozenTrial> {
    this.assertRunning("finish");
    this.finished = true;
    this.enqueueWrite({ ...this.takePatch(), finish });
    await this.writes;
    if (this.writeError !== undefined) throw this.writeError;
    return this.snapshot(finish);
  }

  private assertRunning(action: string): void {
    if (this.finished) throw new TrialStateError(`trial ${this.number} has finished; cannot ${action}`);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Deferred so that a burst of suggestions becomes one write, and a quick objective's writes ride with its result.
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.finished) this.enqueueWrite(this.takePatch());
    });
  }

  private takePatch(): TrialPatch {
    const patch: { -readonly [K in keyof TrialPatch]: TrialPatch[K] } = {};
    if (this.dirty.params) {
      patch.params = { ...this.internal };
      patch.distributions = { ...this.spaces };
    }
    if (this.dirty.userAttrs) patch.userAttrs = this.userAttrValues;
    if (this.dirty.systemAttrs) patch.systemAttrs = this.systemAttrValues;
    if (this.pendingIntermediate.length > 0) patch.intermediate = this.pendingIntermediate;
    this.dirty = { params: false, userAttrs: false, systemAttrs: false };
    this.pendingIntermediate = [];
    return patch;
  }

  private enqueueWrite(patch: TrialPatch): void {
    if (Object.keys(patch).length === 0) return;
    this.writes = this.writes
      .then(() => this.host.storage.updateTrial(this.id, patch))
      .catch((error: unknown) => {
        this.writeError ??= error;
        if (error instanceof TrialNotRunningError) {
          // Nothing this process computes for the trial can be stored any more: tell the objective to stop.
          this.endedBy ??= error;
          this.abort(`trial ${this.number} was ended by another worker (stored as ${error.state})`);
        }
      });
  }
}
