/**
 * `scaletune copy` between SQLite files, through the built CLI (`npm run build` first; npm test does): studies copied
 * whole and read back exactly as the originals, the source's bytes untouched, names that exist refused before
 * anything is copied, and a copy that later workers go on from (numbering, the running trial recovered).
 * test/postgres/copy.test.ts does the same through PostgreSQL.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { cli, listings, makeStudies, storedStudy } from "./copy-fixture.js";

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("scaletune copy (SQLite to SQLite)", () => {
  let dir: TempDir;
  before(async () => {
    dir = tempDir("scaletune-copy-");
    await makeStudies(`sqlite:${dir.file("a.db")}`);
  });
  after(() => dir.remove());

  it("copies every study whole: stored state, listings, best and summaries as the original's; the source's bytes unchanged", async () => {
    const before = sha(dir.file("a.db"));
    const r = cli(["copy", "--from", "sqlite:a.db", "--to", "sqlite:b.db"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n").map((l) => l.replace(/ in [\d.]+ s$/, "")), [
      'copied study "rich": 10 trials (1 waiting, 1 running, 6 complete, 1 pruned, 1 failed), 97 intermediate values, from sqlite:a.db to sqlite:b.db',
      'copied study "pareto": 5 trials (5 complete), 0 intermediate values, from sqlite:a.db to sqlite:b.db',
    ]);
    assert.match(r.stderr, /^note: in "rich", trial 8 was running in sqlite:a\.db and is copied as running: .*runs its parameters again; copy again once it finishes/);
    for (const study of ["rich", "pareto"]) {
      assert.deepEqual(await storedStudy(`sqlite:${dir.file("b.db")}`, study), await storedStudy(`sqlite:${dir.file("a.db")}`, study), study);
      assert.deepEqual(listings("sqlite:b.db", study, dir.path), listings("sqlite:a.db", study, dir.path), study);
    }
    assert.equal(sha(dir.file("a.db")), before);
  });

  it("refuses a study the destination holds, in one line naming the fixes, and copies nothing", () => {
    const r = cli(["copy", "--from", "sqlite:a.db", "--to", "sqlite:c.db", "--study", "pareto"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const again = cli(["copy", "--from", "sqlite:a.db", "--to", "sqlite:c.db", "--study", "rich", "--study", "pareto"], dir.path);
    assert.equal(again.status, 1);
    assert.equal(
      again.stderr,
      'scaletune: error: study "pareto" already exists in sqlite:c.db: delete it there first (scaletune delete --study pareto --storage sqlite:c.db) or give the copy another name (--as NEW)\n',
    );
    const studies = cli(["studies", "--storage", "sqlite:c.db", "--json"], dir.path);
    assert.deepEqual((JSON.parse(studies.stdout) as { name: string }[]).map((s) => s.name), ["pareto"], "rich was not copied either");
  });

  it("names the source's studies when one asked for is not there", () => {
    const r = cli(["copy", "--from", "sqlite:a.db", "--to", "sqlite:d.db", "--study", "nope"], dir.path);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'scaletune: error: study "nope" does not exist in sqlite:a.db (its studies: rich, pareto)\n');
  });

  it("refuses, in one line, what cannot be copied: into memory, several studies under one --as, from a file that is not there", () => {
    const refusals = [
      [["--to", "memory:"], "--to memory: would copy into a store gone when the command ends; give sqlite:<path> or postgres://…"],
      [["--to", "sqlite:f.db", "--as", "x"], "--as names one copy, but 2 studies are being copied; copy them one at a time (--study NAME --as NEW)"],
    ] as const;
    for (const [args, message] of refusals) {
      const r = cli(["copy", "--from", "sqlite:a.db", ...args], dir.path);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `scaletune: error: ${message}\n`);
    }
    const missing = cli(["copy", "--from", "sqlite:nothing.db", "--to", "sqlite:f.db"], dir.path);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^scaletune: error: no scaletune storage at nothing\.db; .*\n$/);
  });

  it("copies one study under another name (--as), prints JSON, and later workers go on from the copy", async () => {
    const r = cli(["copy", "--from", "sqlite:a.db", "--to", "sqlite:e.db", "--study", "rich", "--as", "rich-2", "--json"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as { studies: { study: string; as: string; trials: number; running: number[] }[] };
    assert.deepEqual(printed.studies.map(({ study, as, trials, running }) => ({ study, as, trials, running })), [
      { study: "rich", as: "rich-2", trials: 10, running: [8] },
    ]);
    writeFileSync(dir.file("objective.mjs"), 'export default (trial) => trial.suggestFloat("x", -5, 5) ** 2;\n');
    const run = cli(["run", "objective.mjs", "--study", "rich-2", "--storage", "sqlite:e.db", "--trials", "13"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    const trials = JSON.parse(cli(["trials", "--study", "rich-2", "--storage", "sqlite:e.db", "--json"], dir.path).stdout) as {
      number: number;
      state: string;
      params: { x: number };
      failReason: string | null;
    }[];
    const [copiedRunning] = trials.filter((t) => t.number === 8);
    assert.equal(copiedRunning!.state, "failed", "the trial running in the source is not left running in the copy");
    assert.match(copiedRunning!.failReason ?? "", /no heartbeat/);
    // Numbers go on after the copied ones; the dead trial's parameters are run again.
    assert.deepEqual(trials.map((t) => t.number), [...Array(trials.length).keys()]);
    assert.ok(trials.length >= 13);
    assert.equal(copiedRunning!.params.x, 0.5);
    assert.ok(trials.slice(10).some((t) => t.params.x === 0.5 && t.state === "complete"), JSON.stringify(trials.map((t) => [t.number, t.params.x, t.state])));
  });
});
