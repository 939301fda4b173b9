/**
 * @module Per study, the change cursor the server has read up to and the study's system attributes as of it. The
 * storage hands out study attributes only as changes since a cursor, so the first look at a study reads its whole
 * history once; every later look reads only what changed since (nothing, mostly: one query).
 */
import type { JsonValue, Storage } from "../index.js";

export interface StudyState {
  readonly cursor: number;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
}

export class StudyCursors {
  private readonly known = new Map<number, StudyState>();

  constructor(private readonly storage: Storage) {}

  /** The study's current cursor and system attributes. */
  async latest(studyId: number): Promise<StudyState> {
    const before = this.known.get(studyId) ?? { cursor: 0, systemAttrs: {} };
    const changes = await this.storage.readChanges(studyId, before.cursor);
    // Requests overlap: a read that started earlier and finished later must not roll the attributes back.
    const current = this.known.get(studyId) ?? before;
    if (changes.cursor <= current.cursor) return current;
    const systemAttrs = { ...current.systemAttrs };
    for (const attr of changes.attrs) if (attr.kind === "system") systemAttrs[attr.key] = attr.value;
    const state = { cursor: changes.cursor, systemAttrs };
    this.known.set(studyId, state);
    return state;
  }
}
