/**
 * @module A study: its trials (a cache refreshed incrementally from storage), ask/tell, enqueue, best values.
 */
import {
  CONTINUES_ATTR,
  FIXED_PARAMS_ATTR,
  PRUNER_ATTR,
  RETRY_OF_ATTR,
  SAMPLER_ATTR,
  TARGET_TRIALS_ATTR,
  continuationOf,
  objectiveMetric,
} from "../core/attributes.js";
import { ConfigError, TrialNotRunningError, TrialStateError, describeError } from "../errors.js";
import { optimize, type LoopOptions, type Objective, type OptimizeResult } from "./optimize.js";
import type { Pruner } from "../pruners/pruner.js";
import type { StudyView } from "../core/study-view.js";
import type { Sampler, TrialReservation } from "../samplers/sampler.js";
import type { IntermediateValue, NewTrial, Storage, StudyRecord, StudyWatch, TrialPatch, TrialRecord } from "../storage/storage.js";
import { dominates } from "../math/pareto.js";
import { NO_METRICS, freezeTrial } from "./frozen.js";
import { DEFAULT_HEARTBEAT, WorkerRecovery, recordOf, type HeartbeatOptions } from "./recovery.js";
import { Trial, toJsonValue, type TrialHost } from "./trial.js";
import type { Direction, FrozenTrial, JsonValue, NoTrial, ParamValue, TrialOutcome, TrialState } from "../core/types.js";

/** Called after every finished trial of an `optimize` call, in order of completion. */
export type TrialCallback = (study: Study, trial: FrozenTrial) => void | Promise<void>;

export type OptimizeOptions = LoopOptions<Study>;

export interface StudyOptions {
  sampler: Sampler;
  pruner: Pruner;
  heartbeat?: HeartbeatOptions;
  /** Where warnings go (default: stderr). */
  warn?: (message: string) => void;
}


/**
 * How long a study goes by its storage's change feed alone before it reads anyway: a bound on how stale it can be
 * should an announcement ever go missing without the feed knowing (a pooler in transaction mode drops LISTEN's).
 */
const FEED_TRUST_MS = 1_000;

/** How often a trial's relative proposal is drawn again when another worker's running trial proposed the same. */
const MAX_REDRAWS = 2;

/** Shared by every trial that reported nothing (never mutated: curves are copied on change). */
const NO_VALUES: ReadonlyMap<number, number> = new Map();

/** A trial's latest record and curves; its snapshot is made once, when someone asks for it. */
interface KnownTrial {
  readonly record: TrialRecord;
  readonly curve: ReadonlyMap<number, number>;
  readonly metrics: ReadonlyMap<string, ReadonlyMap<number, number>>;
  frozen: FrozenTrial | null;
}

/** Loading a 50,000-trial study need not build 50,000 snapshots that a random sampler never reads. */
function freeze(known: KnownTrial): FrozenTrial {
  return (known.frozen ??= freezeTrial(known.record, known.curve, known.metrics));
}

/** Why a returned objective value cannot be used, or null when it can. */
function invalidValues(values: readonly unknown[], directions: number): string | null {
  if (values.length !== directions) {
    return `objective returned ${values.length} value(s) but the study has ${directions} objective(s)`;
  }
  for (const v of values) {
    if (typeof v !== "number") return `objective returned ${describeValue(v)}, not a number`;
    if (!Number.isFinite(v)) return `objective returned ${v}`;
  }
  return null;
}

export class Study implements StudyView, TrialHost {
  readonly id: number;
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  private readonly recovery: WorkerRecovery;
  private readonly warnSink: (message: string) => void;

  private cursor = 0;
  /** What this process knows of each trial, by number; frozen snapshots are made when first asked for. */
  private readonly known: KnownTrial[] = [];
  /** `trials()` without a filter, built once per change: samplers read it several times per ask. */
  private allTrials: readonly FrozenTrial[] | null = null;
  private best: FrozenTrial | null = null;
  /** The Pareto front of the complete trials (several objectives), kept as trials complete: O(front) per trial. */
  private front: FrozenTrial[] = [];
  private readonly stateCounts: Record<TrialState, number> = { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 };
  /** Numbers of the waiting and running trials. */
  private readonly unfinished = new Map<TrialState, Set<number>>([
    ["waiting", new Set()],
    ["running", new Set()],
  ]);
  private readonly attrs: { user: Record<string, JsonValue>; system: Record<string, JsonValue> } = { user: {}, system: {} };
  private refreshing: Promise<void> | null = null;
  /** The storage's feed of this study's changes (null: it has none), opened at the first refresh. */
  private watch: StudyWatch | null | undefined;
  private lastReadAt = 0;
  /** Trials that supersede a failed one (`retry_of`): the failed one no longer counts toward a target. */
  private retries = 0;
  /** Trials this process is evaluating, for heartbeats and interruption. */
  readonly running = new Map<number, Trial>();
  private unusedReservation: TrialReservation | null = null;
  private stopRequested = false;
  private readonly warned = new Set<string>();

  constructor(
    readonly storage: Storage,
    record: StudyRecord,
    options: StudyOptions,
  ) {
    this.id = record.id;
    this.name = record.name;
    this.directions = record.directions;
    this.sampler = options.sampler;
    this.pruner = options.pruner;
    this.recovery = new WorkerRecovery(this, { ...DEFAULT_HEARTBEAT, ...options.heartbeat }, (id) => this.running.has(id));
    this.warnSink = options.warn ?? ((message) => process.stderr.write(`scaletune: ${message}\n`));
  }

  get view(): StudyView {
    return this;
  }

  get heartbeat(): Readonly<Required<HeartbeatOptions>> {
    return this.recovery.options;
  }

  /** Warns once per distinct message. */
  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warnSink(message);
  }

  // ---- reading ---------------------------------------------------------------------------------------------

  /** Pulls what changed in storage since the last refresh (other workers' trials, attributes). */
  async refresh(): Promise<void> {
    // Concurrent callers share one read: changes must be applied in order.
    this.refreshing ??= this.applyChanges().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async applyChanges(): Promise<void> {
    if (this.watch === undefined) this.watch = this.storage.watch?.(this.id) ?? null;
    // Nothing past the cursor was committed, as far as a live feed knows: the read would return nothing.
    const known = this.watch?.knownSeq() ?? null;
    const now = performance.now();
    if (known !== null && known <= this.cursor && now - this.lastReadAt < FEED_TRUST_MS) return;
    this.lastReadAt = now;
    const changes = await this.storage.readChanges(this.id, this.cursor);
    const newIntermediate = new Map<number, IntermediateValue[]>();
    for (const row of changes.intermediate) {
      let list = newIntermediate.get(row.trialId);
      if (!list) newIntermediate.set(row.trialId, (list = []));
      list.push(row);
    }
    for (const record of changes.trials) this.apply(record, newIntermediate.get(record.id));
    for (const attr of changes.attrs) this.attrs[attr.kind][attr.key] = attr.value;
    this.cursor = changes.cursor;
  }

  private apply(record: TrialRecord, added: readonly IntermediateValue[] | undefined): void {
    const previous = this.known[record.number];
    let curve = previous?.curve ?? NO_VALUES;
    let metrics = previous?.metrics ?? NO_METRICS;
    if (added && added.length > 0) {
      const mergedCurve = new Map(curve);
      const mergedMetrics = new Map(metrics);
      // Each named curve touched here is copied once (frozen trials share the maps they did not change).
      const copied = new Map<string, Map<number, number>>();
      for (const { metric, step, value } of added) {
        if (metric === "") {
          if (!mergedCurve.has(step)) mergedCurve.set(step, value);
          continue;
        }
        let named = copied.get(metric);
        if (!named) {
          copied.set(metric, (named = new Map(mergedMetrics.get(metric))));
          mergedMetrics.set(metric, named);
        }
        if (!named.has(step)) named.set(step, value);
      }
      curve = mergedCurve;
      metrics = mergedMetrics;
    }
    const known: KnownTrial = { record, curve, metrics, frozen: null };
    if (previous === undefined && record.systemAttrs[RETRY_OF_ATTR] !== undefined) this.retries++;
    if (previous) {
      this.stateCounts[previous.record.state]--;
      this.unfinished.get(previous.record.state)?.delete(record.number);
    }
    this.stateCounts[record.state]++;
    this.unfinished.get(record.state)?.add(record.number);
    this.known[record.number] = known;
    this.allTrials = null;
    if (record.state !== "complete" || previous?.record.state === "complete") return;
    if (this.directions.length === 1) {
      if (this.best === null || this.isBetter(record.values![0]!, this.best.value!)) this.best = freeze(known);
    } else {
      this.addToFront(known);
    }
  }

  private addToFront(known: KnownTrial): void {
    const point = this.minimised(known.record.values!);
    if (this.front.some((other) => dominates(this.minimised(other.values!), point))) return;
    this.front = this.front.filter((other) => !dominates(point, this.minimised(other.values!)));
    this.front.push(freeze(known));
  }

  /** Objective values turned so that lower is better. */
  private minimised(values: readonly number[]): number[] {
    return values.map((v, k) => (this.directions[k] === "maximize" ? -v : v));
  }

  private isBetter(candidate: number, incumbent: number): boolean {
    return this.directions[0] === "maximize" ? candidate > incumbent : candidate < incumbent;
  }

  trials(options: { states?: readonly TrialState[] } = {}): readonly FrozenTrial[] {
    const { states } = options;
    // Running and waiting trials are few and asked for at every ask: found without touching the rest.
    if (states && states.every((state) => this.unfinished.has(state))) {
      const numbers = states.flatMap((state) => [...this.unfinished.get(state)!]).sort((a, b) => a - b);
      return numbers.map((n) => freeze(this.known[n]!));
    }
    const all = (this.allTrials ??= Object.freeze(this.known.filter((k) => k !== undefined).map(freeze)));
    return states ? all.filter((t) => states.includes(t.state)) : all;
  }

  trial(number: number): FrozenTrial | undefined {
    const known = this.known[number];
    return known && freeze(known);
  }

  /**
   * Trials that count toward a target: every trial this process knows of, waiting, running or finished, except
   * failed ones whose parameters were queued again (their retry counts instead). O(1).
   */
  get countedTrials(): number {
    return this.known.length - this.retries;
  }

  get bestTrial(): FrozenTrial {
    if (this.directions.length > 1) {
      throw new ConfigError(`study "${this.name}" has ${this.directions.length} objectives; use bestTrials (the Pareto front)`);
    }
    if (!this.best) throw new ConfigError(`study "${this.name}" has no complete trial yet`);
    return this.best;
  }

  get bestValue(): number {
    return this.bestTrial.value!;
  }

  get bestParams(): Readonly<Record<string, ParamValue>> {
    return this.bestTrial.params;
  }

  /** Complete trials that no other complete trial dominates (for one objective: the best trial), by number. */
  get bestTrials(): FrozenTrial[] {
    if (this.directions.length === 1) return this.best ? [this.best] : [];
    return [...this.front].sort((a, b) => a.number - b.number);
  }

  /** How many trials this process knows of in each state. O(1). */
  get counts(): Readonly<Record<TrialState, number>> {
    return this.stateCounts;
  }

  /** Finished trials that count toward a target: failures whose parameters were queued again count through their retry. */
  get finishedTrials(): number {
    return this.stateCounts.complete + this.stateCounts.pruned + this.stateCounts.failed - this.retries;
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.attrs.user;
  }

  get systemAttrs(): Readonly<Record<string, JsonValue>> {
    return this.attrs.system;
  }

  async setUserAttr(key: string, value: unknown): Promise<void> {
    await this.storage.setStudyAttrs(this.id, "user", { [key]: toJsonValue(key, value) });
    await this.refresh();
  }

  async setSystemAttrs(attrs: Readonly<Record<string, JsonValue>>): Promise<void> {
    await this.storage.setStudyAttrs(this.id, "system", attrs);
    await this.refresh();
  }

  /** The study's stored target (`setTargetTrials`), shared by every worker; undefined when none was set. */
  get targetTrials(): number | undefined {
    const target = this.attrs.system[TARGET_TRIALS_ATTR];
    return typeof target === "number" && Number.isInteger(target) && target > 0 ? target : undefined;
  }

  /**
   * Stores the study's target, so workers that join later work to it without being told (`scaletune worker` without
   * `--trials`). It is a record for them: `optimize` works to the `targetTrials` it is given.
   */
  async setTargetTrials(target: number): Promise<void> {
    if (!Number.isInteger(target) || target <= 0) throw new ConfigError(`a study's target must be a positive integer, got ${target}`);
    if (target !== this.targetTrials) await this.setSystemAttrs({ [TARGET_TRIALS_ATTR]: target });
  }

  async claim(key: string): Promise<boolean> {
    return this.storage.claim(this.id, key);
  }

  // ---- writing ---------------------------------------------------------------------------------------------

  /** Records which sampler proposes and which pruner stops this study's trials (written only when they change). */
  async recordMethods(): Promise<void> {
    const { system } = this.attrs;
    if (system[SAMPLER_ATTR] !== this.sampler.name || system[PRUNER_ATTR] !== this.pruner.name) {
      await this.setSystemAttrs({ [SAMPLER_ATTR]: this.sampler.name, [PRUNER_ATTR]: this.pruner.name });
    }
  }

  /** Queues a trial with given parameter values; it runs before any sampled one. */
  async enqueueTrial(
    params: Readonly<Record<string, ParamValue>>,
    options: { userAttrs?: Record<string, unknown>; systemAttrs?: Record<string, JsonValue> } = {},
  ): Promise<void> {
    const userAttrs = Object.fromEntries(Object.entries(options.userAttrs ?? {}).map(([k, v]) => [k, toJsonValue(k, v)]));
    await this.storage.createTrial(this.id, {
      state: "waiting",
      userAttrs,
      systemAttrs: { ...options.systemAttrs, [FIXED_PARAMS_ATTR]: toJsonValue("params", params) },
      now: Date.now(),
    });
    await this.refresh();
  }

  /**
   * Queues a trial that continues `parent` (same parameters) from its last step, as multi-fidelity schedules do when
   * they raise the budget: the new trial starts with the parent's curves, and its objective reads
   * `trial.continues` to resume from the parent's checkpoint instead of training again from scratch.
   */
  async enqueueContinuation(parent: FrozenTrial, systemAttrs: Readonly<Record<string, JsonValue>> = {}): Promise<void> {
    if (parent.state !== "complete" && parent.state !== "pruned") {
      throw new ConfigError(`trial ${parent.number} is ${parent.state}; only complete or pruned trials can be continued`);
    }
    let lastStep: number | null = null;
    for (const step of parent.intermediateValues.keys()) if (lastStep === null || step > lastStep) lastStep = step;
    await this.enqueueTrial(parent.params, { systemAttrs: { ...systemAttrs, [CONTINUES_ATTR]: { trial: parent.number, lastStep } } });
  }

  /** A continuation starts with its parent's curves (reported again, so they are stored with it too). */
  private copyParentCurve(trial: Trial): void {
    const continuation = continuationOf(trial.systemAttrs);
    if (!continuation) return;
    const parent = this.trial(continuation.trial);
    if (!parent) throw new ConfigError(`trial ${trial.number} continues trial ${continuation.trial}, which this study does not have`);
    const objectiveNames = this.directions.slice(1).map((_, i) => objectiveMetric(i + 1));
    for (const [step, value] of parent.intermediateValues) {
      const metrics: Record<string, number> = {};
      for (const [name, curve] of parent.intermediateMetrics) {
        const metric = curve.get(step);
        if (metric !== undefined && !objectiveNames.includes(name)) metrics[name] = metric;
      }
      // A multi-objective curve is reported as it was: one value per objective.
      const others = objectiveNames.map((name) => parent.intermediateMetrics.get(name)?.get(step) ?? NaN);
      trial.report(others.length > 0 ? [value, ...others] : value, step, metrics);
    }
  }

  /** Starts a trial: an enqueued one first, else one reserved by the sampler. Null when the sampler is exhausted. */
  async tryAsk(): Promise<Trial | null> {
    const started = await this.startTrial();
    return typeof started === "string" ? null : started;
  }

  /**
   * Starts a trial: an enqueued one first, else one the sampler proposes — unless the study already counts
   * `targetTrials` trials (`countedTrials`, across every worker, checked atomically with the trial's creation) or
   * the sampler has nothing left.
   */
  async startTrial(targetTrials?: number): Promise<Trial | NoTrial> {
    await this.refresh();
    await this.recoverStaleTrials();
    const worker = this.recovery.workerAttrs;
    // Just refreshed, a study that knows of no queued trial does not ask the storage for one: a round trip per trial.
    let record: TrialRecord | NoTrial | null = this.counts.waiting > 0 ? await this.storage.startWaitingTrial(this.id, Date.now(), worker) : null;
    while (record === null) record = await this.createProposedTrial(targetTrials, worker);
    if (typeof record === "string") return record;
    const trial = new Trial(this, record);
    this.running.set(trial.id, trial);
    this.recovery.beat(trial.id);
    this.copyParentCurve(trial);
    try {
      await this.sampleRelative(trial);
    } catch (error) {
      await this.finishTrial(trial, { state: "failed", values: null, failReason: `sampler failed: ${describeError(error)}` });
      throw error;
    }
    return trial;
  }

  /** One attempt at creating a sampled trial; null when another worker got in first (try again). */
  private async createProposedTrial(targetTrials: number | undefined, worker: Readonly<Record<string, JsonValue>>): Promise<TrialRecord | NoTrial | null> {
    if (targetTrials !== undefined && this.countedTrials >= targetTrials) return "target-reached";
    const reservation = this.unusedReservation ?? (this.sampler.reserve ? await this.sampler.reserve(this) : {});
    this.unusedReservation = null;
    if (reservation === null) return "exhausted";
    const systemAttrs = { ...this.pruner.newTrialAttrs?.(this), ...reservation.systemAttrs, ...worker };
    if (reservation.fixedParams) systemAttrs[FIXED_PARAMS_ATTR] = toJsonValue("params", reservation.fixedParams);
    const trial: NewTrial = { state: "running", systemAttrs, now: Date.now() };
    if (targetTrials === undefined && reservation.claim === undefined) return this.storage.createTrial(this.id, trial);
    // The trials this process has not seen yet are what make the count exceed the target: their numbers are above it.
    const created = await this.storage.tryCreateTrial(this.id, trial, {
      ...(targetTrials !== undefined && { numberBelow: targetTrials + this.retries }),
      ...(reservation.claim !== undefined && { claim: reservation.claim }),
    });
    if (typeof created !== "string") return created;
    // Refused at the target, the reservation stays good (its claim unclaimed) for a later trial: a grid point must
    // not be skipped. Refused on the claim, the sampler proposes again.
    if (created === "number-limit") this.unusedReservation = reservation;
    await this.refresh();
    return (await this.storage.startWaitingTrial(this.id, Date.now(), worker)) ?? null;
  }

  /**
   * Draws the sampler's joint proposal and stores it at once, so that other workers' samplers see this trial as
   * pending. Two workers that drew at the same moment cannot see each other's draw; each checks afterwards, and
   * draws again, now with the other as a pending point, when a running trial already holds the same values.
   */
  private async sampleRelative(trial: Trial): Promise<void> {
    for (let redraw = 0; ; redraw++) {
      await trial.sampleRelative();
      if (!(await trial.publishProposal())) return;
      await this.refresh();
      const proposal = trial.proposal;
      const twin = this.trials({ states: ["running"] }).find(
        (other) => other.id !== trial.id && Object.entries(proposal).every(([name, value]) => other.internalParams[name] === value),
      );
      if (twin === undefined || redraw === MAX_REDRAWS) return;
    }
  }

  /** Starts a trial; throws when the sampler has nothing left to propose (an exhausted grid). */
  async ask(): Promise<Trial> {
    const trial = await this.tryAsk();
    if (!trial) throw new ConfigError(`sampler ${this.sampler.name} has no points left in study "${this.name}"`);
    return trial;
  }

  /**
   * Finishes a trial with its objective value(s) or a state. Invalid values (NaN, ±∞, not a number, wrong count)
   * fail the trial with the reason stored instead of throwing: one bad trial does not stop a study.
   */
  async tell(trial: Trial | number, outcome: TrialOutcome, failReason?: string): Promise<FrozenTrial> {
    const live = typeof trial === "number" ? this.liveTrial(trial) : trial;
    if (outcome === "pruned") return this.finishTrial(live, { state: "pruned", values: null, failReason: null });
    if (outcome === "failed") return this.finishTrial(live, { state: "failed", values: null, failReason: failReason ?? "failed" });
    const values: unknown[] | null = typeof outcome === "number" ? [outcome] : Array.isArray(outcome) ? [...outcome] : null;
    const problem =
      values === null ? `objective returned ${describeValue(outcome)}, not a number` : invalidValues(values, this.directions.length);
    if (problem !== null) {
      this.warn(`trial ${live.number} failed: ${problem}`);
      return this.finishTrial(live, { state: "failed", values: null, failReason: problem });
    }
    return this.finishTrial(live, { state: "complete", values: values as number[], failReason: null });
  }

  private liveTrial(number: number): Trial {
    for (const trial of this.running.values()) if (trial.number === number) return trial;
    throw new TrialStateError(`trial ${number} is not running in this process; tell() takes trials asked here`);
  }

  private async finishTrial(
    trial: Trial,
    finish: Omit<NonNullable<TrialPatch["finish"]>, "at">,
  ): Promise<FrozenTrial> {
    if (trial.isFinished) throw new TrialStateError(`trial ${trial.number} was already told`);
    try {
      const frozen = await trial.finish({ ...finish, at: Date.now() });
      // So that trials(), bestTrial and callbacks see this trial's end at once.
      await this.refresh();
      await this.sampler.afterTrial?.(this, frozen);
      return frozen;
    } catch (error) {
      if (!(error instanceof TrialNotRunningError) || !trial.endedElsewhere) throw error;
      return this.endedElsewhere(trial, error);
    } finally {
      this.running.delete(trial.id);
      this.recovery.unbeat(trial.id);
    }
  }

  /**
   * A trial another process ended while it ran here (its heartbeat lapsed, so it was failed and its configuration
   * queued again): what stands is what is stored, and what this process found for it is dropped, said in one line.
   */
  private async endedElsewhere(trial: Trial, error: TrialNotRunningError): Promise<FrozenTrial> {
    await this.refresh();
    const stored = this.trial(trial.number);
    if (stored === undefined) throw error;
    const why = stored.failReason === null ? "" : ` (${stored.failReason.split("\n")[0]})`;
    this.warn(
      `trial ${trial.number} was ended by another worker while it ran here: it is stored as ${stored.state}${why}; ` +
        "this process's result for it is dropped, and its configuration runs again as a retry",
    );
    return stored;
  }

  /**
   * Fails the running trials whose worker is gone — its heartbeat stale, or its process no longer on this machine —
   * and queues their parameters again. Rate-limited to one check per heartbeat interval unless `force`d, as when a
   * process opens the study for work.
   */
  async recoverStaleTrials(options: { force?: boolean } = {}): Promise<number> {
    return this.recovery.recoverStale(options);
  }

  /**
   * Ends this process's running trials now (Ctrl-C): marks them failed with the reason and queues their parameters
   * again, so that resuming the study re-runs exactly what was interrupted.
   */
  async interrupt(reason: string): Promise<number> {
    this.stop();
    const trials = [...this.running.values()];
    for (const trial of trials) trial.abort(reason);
    for (const trial of trials) await this.failInterrupted(trial, reason);
    return trials.length;
  }

  /** Fails an interrupted trial and queues its parameters again; interruptions do not count as the configuration's retries. */
  async failInterrupted(trial: Trial, reason: string): Promise<FrozenTrial> {
    const frozen = await this.finishTrial(trial, { state: "failed", values: null, failReason: reason });
    // A trial ended elsewhere was queued again by the process that ended it.
    if (!trial.endedElsewhere) await this.recovery.retry(recordOf(frozen), 0, false);
    return frozen;
  }

  /** Runs the objective on new trials until nTrials, timeoutMs, stop() or the sampler's end. */
  async optimize(objective: Objective, options?: OptimizeOptions): Promise<OptimizeResult> {
    return optimize(this, objective, options);
  }

  /** Asks `optimize` loops to start no new trials; running ones finish. */
  stop(): void {
    this.stopRequested = true;
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Stops the heartbeat and releases the storage connection. */
  async close(): Promise<void> {
    this.watch?.close();
    await this.recovery.stop();
    await this.storage.close();
  }

  /** Clears a previous stop() so the study can be optimized again. */
  resume(): void {
    this.stopRequested = false;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
