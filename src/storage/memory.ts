/**
 * @module In-memory storage: the default when no URL is given. Fast, single-process, gone when the process ends.
 */
import { DuplicateStudyError, StudyNotFoundError, TrialNotRunningError, TrialStateError } from "../errors.js";
import type { Direction, JsonValue } from "../core/types.js";
import { compareByQuery, summarizeStudy } from "./summary.js";
import type {
  AttrKind,
  CreateConditions,
  CreateRefusal,
  IntermediateValue,
  NewTrial,
  Storage,
  StudyAttr,
  StudyChanges,
  StudyExport,
  StudyRecord,
  StudySummary,
  TrialKeys,
  TrialPage,
  TrialPatch,
  TrialQuery,
  TrialRecord,
} from "./storage.js";

interface Stamped<T> {
  readonly seq: number;
  readonly item: T;
}

interface StudyState {
  readonly record: StudyRecord;
  seq: number;
  nextNumber: number;
  readonly trials: TrialRecord[];
  /** Trial ids in the order they were changed, stamped with the change's sequence number. */
  readonly trialLog: Stamped<number>[];
  readonly intermediate: Stamped<IntermediateValue>[];
  readonly attrs: Map<string, Stamped<StudyAttr>>;
  readonly claims: Set<string>;
  /** Positions of waiting trials, lowest number first: asks must not scan all trials. */
  readonly waiting: number[];
}

/** Index of the first entry with seq > cursor (entries are sorted by seq). */
function firstAfter<T>(log: readonly Stamped<T>[], cursor: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.seq <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryStorage implements Storage {
  readonly url = "memory:";
  readonly persistent = false;
  private readonly studies = new Map<number, StudyState>();
  private readonly trialIndex = new Map<number, { study: StudyState; position: number }>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyRecord> {
    if (this.byName(name)) throw new DuplicateStudyError(`study "${name}" already exists; load it or pick another name`);
    const record: StudyRecord = { id: this.nextStudyId++, name, directions: [...directions], createdAt: Date.now() };
    this.studies.set(record.id, {
      record,
      seq: 0,
      nextNumber: 0,
      trials: [],
      trialLog: [],
      intermediate: [],
      attrs: new Map(),
      claims: new Set(),
      waiting: [],
    });
    return record;
  }

  async findStudy(name: string): Promise<StudyRecord | null> {
    return this.byName(name)?.record ?? null;
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((s) => summarizeStudy(s.record, s.trials));
  }

  async deleteStudy(studyId: number): Promise<void> {
    const study = this.study(studyId);
    for (const trial of study.trials) this.trialIndex.delete(trial.id);
    this.studies.delete(studyId);
  }

  async setStudyAttrs(studyId: number, kind: AttrKind, attrs: Readonly<Record<string, JsonValue>>): Promise<void> {
    const study = this.study(studyId);
    const seq = ++study.seq;
    for (const [key, value] of Object.entries(attrs)) {
      study.attrs.set(`${kind}:${key}`, { seq, item: { kind, key, value: structuredClone(value) } });
    }
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    const study = this.study(studyId);
    const record: TrialRecord = {
      id: this.nextTrialId++,
      studyId,
      number: study.nextNumber++,
      state: trial.state,
      values: null,
      params: { ...trial.params },
      distributions: { ...trial.distributions },
      userAttrs: structuredClone(trial.userAttrs ?? {}),
      systemAttrs: structuredClone(trial.systemAttrs ?? {}),
      startedAt: trial.state === "running" ? trial.now : null,
      completedAt: null,
      heartbeatAt: trial.state === "running" ? trial.now : null,
      failReason: null,
    };
    this.trialIndex.set(record.id, { study, position: study.trials.length });
    if (record.state === "waiting") study.waiting.push(study.trials.length);
    study.trials.push(record);
    this.touch(study, record.id);
    return record;
  }

  async tryCreateTrial(studyId: number, trial: NewTrial, conditions: CreateConditions): Promise<TrialRecord | CreateRefusal> {
    const study = this.study(studyId);
    if (conditions.numberBelow !== undefined && study.nextNumber >= conditions.numberBelow) return "number-limit";
    if (conditions.claim !== undefined && !(await this.claim(studyId, conditions.claim))) return "claimed";
    return this.createTrial(studyId, trial);
  }

  async startWaitingTrial(studyId: number, now: number, systemAttrs?: Readonly<Record<string, JsonValue>>): Promise<TrialRecord | null> {
    const study = this.study(studyId);
    const position = study.waiting.shift();
    if (position === undefined) return null;
    const waiting = study.trials[position]!;
    const started: TrialRecord = {
      ...waiting,
      state: "running",
      startedAt: now,
      heartbeatAt: now,
      ...(systemAttrs && { systemAttrs: { ...waiting.systemAttrs, ...structuredClone(systemAttrs) } }),
    };
    study.trials[position] = started;
    this.touch(study, started.id);
    return started;
  }

  async updateTrial(trialId: number, patch: TrialPatch): Promise<void> {
    const { study, position } = this.locate(trialId);
    const old = study.trials[position]!;
    if (old.state !== "running") {
      throw new TrialNotRunningError(old.number, old.state);
    }
    const seq = this.touch(study, trialId);
    for (const row of patch.intermediate ?? []) study.intermediate.push({ seq, item: { trialId, ...row } });
    study.trials[position] = {
      ...old,
      ...(patch.params && { params: { ...patch.params } }),
      ...(patch.distributions && { distributions: { ...patch.distributions } }),
      ...(patch.userAttrs && { userAttrs: structuredClone(patch.userAttrs) }),
      ...(patch.systemAttrs && { systemAttrs: structuredClone(patch.systemAttrs) }),
      ...(patch.finish && {
        state: patch.finish.state,
        values: patch.finish.values ? [...patch.finish.values] : null,
        failReason: patch.finish.failReason,
        completedAt: patch.finish.at,
      }),
    };
  }

  async heartbeat(trialIds: readonly number[], now: number): Promise<void> {
    for (const id of trialIds) {
      const { study, position } = this.locate(id);
      const trial = study.trials[position]!;
      if (trial.state === "running") study.trials[position] = { ...trial, heartbeatAt: now };
    }
  }

  async failStaleTrials(studyId: number, staleBefore: number, now: number, reason: string): Promise<TrialRecord[]> {
    const study = this.study(studyId);
    const failed: TrialRecord[] = [];
    study.trials.forEach((trial, position) => {
      if (trial.state !== "running" || (trial.heartbeatAt ?? 0) >= staleBefore) return;
      const record: TrialRecord = { ...trial, state: "failed", completedAt: now, failReason: reason };
      study.trials[position] = record;
      this.touch(study, trial.id);
      failed.push(record);
    });
    return failed;
  }

  async failRunningTrials(studyId: number, trialIds: readonly number[], now: number, reason: string): Promise<TrialRecord[]> {
    const study = this.study(studyId);
    const failed: TrialRecord[] = [];
    for (const id of trialIds) {
      const found = this.trialIndex.get(id);
      if (found?.study !== study) continue;
      const trial = study.trials[found.position]!;
      if (trial.state !== "running") continue;
      const record: TrialRecord = { ...trial, state: "failed", completedAt: now, failReason: reason };
      study.trials[found.position] = record;
      this.touch(study, id);
      failed.push(record);
    }
    return failed;
  }

  async claim(studyId: number, key: string): Promise<boolean> {
    const claims = this.study(studyId).claims;
    if (claims.has(key)) return false;
    claims.add(key);
    return true;
  }

  async readChanges(studyId: number, cursor: number): Promise<StudyChanges> {
    const study = this.study(studyId);
    if (cursor >= study.seq) return { trials: [], intermediate: [], attrs: [], cursor };
    const changedIds = new Set<number>();
    for (let i = firstAfter(study.trialLog, cursor); i < study.trialLog.length; i++) changedIds.add(study.trialLog[i]!.item);
    const trials = [...changedIds].map((id) => study.trials[this.locate(id).position]!);
    const intermediate = study.intermediate.slice(firstAfter(study.intermediate, cursor)).map((s) => s.item);
    const attrs = [...study.attrs.values()].filter((s) => s.seq > cursor).map((s) => s.item);
    return { trials, intermediate, attrs, cursor: study.seq };
  }

  async readTrials(studyId: number, query: TrialQuery): Promise<TrialPage> {
    const study = this.study(studyId);
    const { states, numbers } = query;
    const wanted = numbers && new Set(numbers);
    const matching = study.trials.filter((t) => (!states || states.includes(t.state)) && (!wanted || wanted.has(t.number)));
    matching.sort(compareByQuery(query));
    const offset = query.offset ?? 0;
    const trials = matching.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
    if (query.curves === false) return { trials, intermediate: [] };
    const ids = new Set(trials.map((t) => t.id));
    return { trials, intermediate: study.intermediate.filter((s) => ids.has(s.item.trialId)).map((s) => s.item) };
  }

  async trialKeys(studyId: number): Promise<TrialKeys> {
    const params = new Set<string>();
    const userAttrs = new Set<string>();
    for (const trial of this.study(studyId).trials) {
      for (const name of Object.keys(trial.distributions)) params.add(name);
      for (const key of Object.keys(trial.userAttrs)) userAttrs.add(key);
    }
    return { params: [...params], userAttrs: [...userAttrs] };
  }

  async exportStudy(studyId: number): Promise<StudyExport> {
    const study = this.study(studyId);
    // A trial's sequence number is that of its latest change.
    const seqOf = new Map<number, number>();
    for (const { seq, item } of study.trialLog) seqOf.set(item, seq);
    const numberOf = new Map(study.trials.map((t) => [t.id, t.number]));
    const { name, directions, createdAt } = study.record;
    return structuredClone({
      name,
      directions,
      createdAt,
      nextNumber: study.nextNumber,
      seq: study.seq,
      trials: study.trials.map((t) => ({ ...t, seq: seqOf.get(t.id)! })),
      intermediate: study.intermediate.map(({ seq, item }) => ({ trialNumber: numberOf.get(item.trialId)!, metric: item.metric, step: item.step, value: item.value, seq })),
      attrs: [...study.attrs.values()].sort((a, b) => a.seq - b.seq).map(({ seq, item }) => ({ ...item, seq })),
      claims: [...study.claims],
    });
  }

  async importStudy(exported: StudyExport): Promise<StudyRecord> {
    if (this.byName(exported.name)) throw new DuplicateStudyError(`study "${exported.name}" already exists`);
    const copy = structuredClone(exported);
    const record: StudyRecord = { id: this.nextStudyId++, name: copy.name, directions: copy.directions, createdAt: copy.createdAt };
    const idOf = new Map<number, number>();
    const trials = copy.trials.map(({ seq: _, ...t }): TrialRecord => {
      const id = this.nextTrialId++;
      idOf.set(t.number, id);
      return { ...t, id, studyId: record.id };
    });
    const study: StudyState = {
      record,
      seq: copy.seq,
      nextNumber: copy.nextNumber,
      trials,
      trialLog: copy.trials.map((t) => ({ seq: t.seq, item: idOf.get(t.number)! })).sort((a, b) => a.seq - b.seq),
      intermediate: copy.intermediate.map(({ seq, trialNumber, ...v }) => ({ seq, item: { trialId: idOf.get(trialNumber)!, ...v } })),
      attrs: new Map(copy.attrs.map(({ seq, ...item }) => [`${item.kind}:${item.key}`, { seq, item }])),
      claims: new Set(copy.claims),
      waiting: trials.flatMap((t, position) => (t.state === "waiting" ? [position] : [])),
    };
    this.studies.set(record.id, study);
    trials.forEach((t, position) => this.trialIndex.set(t.id, { study, position }));
    return record;
  }

  async close(): Promise<void> {}

  private touch(study: StudyState, trialId: number): number {
    const seq = ++study.seq;
    study.trialLog.push({ seq, item: trialId });
    return seq;
  }

  private byName(name: string): StudyState | undefined {
    for (const study of this.studies.values()) if (study.record.name === name) return study;
    return undefined;
  }

  private study(studyId: number): StudyState {
    const study = this.studies.get(studyId);
    if (!study) throw new StudyNotFoundError(`study id ${studyId} does not exist (was it deleted?)`);
    return study;
  }

  private locate(trialId: number): { study: StudyState; position: number } {
    const found = this.trialIndex.get(trialId);
    if (!found) throw new TrialStateError(`trial id ${trialId} does not exist (was its study deleted?)`);
    return found;
  }
}
