/**
 * Resuming is part of the format: a file that the samplers and Hyperband of commit 41d11b2 wrote mid-study, under
 * the attribute spellings of that time (test/fixtures/sqlite-v1-samplers.db, see make-sqlite-v1-samplers.mts), must
 * continue with today's code exactly as that code continued it: the same trials, in the same states, with the same
 * parameters and values (recorded in sqlite-v1-samplers.expected.json).
 */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { loadStudy, type Study } from "../src/index.js";
import { autoSamplerHistory, type AutoSwitch } from "../src/samplers/auto.js";
import { tempDir } from "../src/testing/temp.js";
import { STUDIES, bracketGroups, runNext, type NextTrial, type StudyName } from "./fixtures/sqlite-v1-samplers-studies.js";

interface Expected {
  readonly counts: Study["counts"];
  /** Trials that count toward a target (a retried failure counts through its retry). */
  readonly counted: number;
  readonly next: readonly NextTrial[];
  readonly brackets?: readonly (readonly number[])[];
  readonly history?: readonly AutoSwitch[];
  readonly historyAfter?: readonly AutoSwitch[];
}

const FIXTURE = fileURLToPath(new URL("./fixtures/sqlite-v1-samplers.db", import.meta.url));
const EXPECTED = JSON.parse(readFileSync(new URL("./fixtures/sqlite-v1-samplers.expected.json", import.meta.url), "utf8")) as Record<
  StudyName,
  Expected
>;

/** Deep equality, numbers to a relative 1e-9: the same code replays bit for bit; the margin is for another platform's libm. */
function assertNear(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === "number" && typeof actual === "number") {
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${path}: ${actual}, expected ${expected}`);
  } else if (typeof expected === "object" && expected !== null && typeof actual === "object" && actual !== null) {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const [key, value] of Object.entries(expected)) assertNear((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    assert.deepEqual(actual, expected, path);
  }
}

/** How many trials of a study carry a system attribute, read from the file itself. */
function trialsWith(db: Database.Database, study: StudyName, key: string): number {
  return db
    .prepare("SELECT COUNT(*) FROM trials t JOIN studies s ON s.id = t.study_id WHERE s.name = ? AND json_extract(t.system_attrs, ?) IS NOT NULL")
    .pluck()
    .get(study, `$."${key}"`) as number;
}

function studyAttrKeys(db: Database.Database, study: StudyName): string[] {
  return db.prepare("SELECT key FROM study_attrs a JOIN studies s ON s.id = a.study_id WHERE s.name = ? ORDER BY key").pluck().all(study) as string[];
}

describe("a schema-1 file written mid-study by the samplers of 41d11b2", () => {
  const dir = tempDir();
  const storage = `sqlite:${dir.file("samplers.db")}`;
  // Work on a copy: opening a file switches it to WAL mode, and resuming adds trials.
  before(() => copyFileSync(FIXTURE, dir.file("samplers.db")));
  after(() => dir.remove());

  it("holds the old spellings of the renamed keys, and none of the new ones", () => {
    const db = new Database(FIXTURE, { readonly: true, fileMustExist: true });
    assert.ok(studyAttrKeys(db, "auto").includes("auto_sampler"));
    assert.ok(!studyAttrKeys(db, "auto").includes("auto:history"));
    assert.equal(trialsWith(db, "grid", "grid"), 10);
    assert.equal(trialsWith(db, "hyperband", "hyperband_brackets"), 24);
    assert.equal(trialsWith(db, "hyperband", "hyperband_bracket"), 3, "the three continuations");
    assert.equal(trialsWith(db, "grid", "grid:point"), 0);
    assert.equal(trialsWith(db, "hyperband", "hyperband:brackets") + trialsWith(db, "hyperband", "hyperband:bracket"), 0);
    db.close();
  });

  /**
   * Loads a study with the sampler and pruner it was written with, checks what it holds (`before`), resumes it and
   * compares the trials it runs with those 41d11b2 ran, then checks it again (`after`).
   */
  async function resumes(name: StudyName, checks: { before?(study: Study): Promise<void> | void; after?(study: Study): void } = {}): Promise<void> {
    const study = await loadStudy({ name, storage, sampler: STUDIES[name].sampler(), pruner: STUDIES[name].pruner() });
    assert.deepEqual({ ...study.counts }, EXPECTED[name].counts);
    assert.equal(study.countedTrials, EXPECTED[name].counted);
    await checks.before?.(study);
    assertNear(await runNext(study, name), EXPECTED[name].next, name);
    checks.after?.(study);
    await study.close();
  }

  it("TPE: an interrupted trial's retry counts in its place, a dead worker's trial runs again, then TPE proposes what it proposed", () =>
    resumes("tpe"));

  it("GP: the queued trial runs first, then GP proposes what it proposed, warm-started from the stored fits", () => resumes("gp"));

  it("CMA-ES: the third generation continues from the tags of the first two (a failed trial's slot taken over)", () =>
    resumes("cmaes"));

  it("Auto: its history is read from auto_sampler, and its CMA-ES stage goes on", () =>
    resumes("auto", {
      before(study) {
        const history = EXPECTED.auto.history!;
        assert.deepEqual(history.map((h) => h.sampler), ["sobol", "gp", "cmaes"]);
        assert.deepEqual(autoSamplerHistory(study.systemAttrs), history);
      },
      after(study) {
        assert.deepEqual(autoSamplerHistory(study.systemAttrs), EXPECTED.auto.historyAfter, "no switch recorded again");
      },
    }));

  it("Grid: the points taken are read from the trials' grid attribute, and the walk goes on", () =>
    resumes("grid", {
      async before(study) {
        // A fresh sampler, so the study's own keeps its cursor: its first point must be one no trial holds.
        const reservation = await STUDIES.grid.sampler().reserve(study);
        assert.deepEqual(reservation?.fixedParams, EXPECTED.grid.next[0]!.params);
      },
    }));

  it("Hyperband: brackets are read from hyperband_brackets and hyperband_bracket after maxResource was raised", () =>
    resumes("hyperband", { before: (study) => assert.deepEqual(bracketGroups(study), EXPECTED.hyperband.brackets) }));
});
