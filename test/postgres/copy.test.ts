/**
 * `scaletune copy` through PostgreSQL (the built CLI; `npm run build` first): a SQLite file's studies copied into a
 * schema and back into another file read exactly as the originals — stored state, `trials --json`, `best` and
 * `studies` — with the source's bytes untouched, and a name the schema holds refused.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { tempDir } from "../../src/testing/temp.js";
import { cli, listings, makeStudies, storedStudy } from "../e2e/copy-fixture.js";
import { freshSchema, skip } from "./fixture.js";

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("scaletune copy through PostgreSQL", { skip }, () => {
  it("copies SQLite → PostgreSQL → SQLite, and every copy reads as the original", async () => {
    const schema = await freshSchema();
    const dir = tempDir("scaletune-copy-pg-");
    try {
      await makeStudies(`sqlite:${dir.file("a.db")}`);
      const before = sha(dir.file("a.db"));
      const there = cli(["copy", "--from", "sqlite:a.db", "--to", schema.url], dir.path);
      assert.equal(there.status, 0, there.stderr);
      assert.equal(sha(dir.file("a.db")), before, "the source file is only read");
      const back = cli(["copy", "--from", schema.url, "--to", "sqlite:b.db", "--json"], dir.path);
      assert.equal(back.status, 0, back.stderr);
      assert.deepEqual((JSON.parse(back.stdout) as { studies: { as: string }[] }).studies.map((s) => s.as), ["rich", "pareto"]);
      for (const study of ["rich", "pareto"]) {
        const original = await storedStudy(`sqlite:${dir.file("a.db")}`, study);
        assert.deepEqual(await storedStudy(schema.url, study), original, `${study} in PostgreSQL`);
        assert.deepEqual(await storedStudy(`sqlite:${dir.file("b.db")}`, study), original, `${study} back in SQLite`);
        const listed = listings("sqlite:a.db", study, dir.path);
        assert.deepEqual(listings(schema.url, study, dir.path), listed, `${study} listed from PostgreSQL`);
        assert.deepEqual(listings("sqlite:b.db", study, dir.path), listed, `${study} listed back in SQLite`);
      }
      const again = cli(["copy", "--from", "sqlite:a.db", "--to", schema.url, "--study", "rich"], dir.path);
      assert.equal(again.status, 1);
      assert.match(again.stderr, /^scaletune: error: study "rich" already exists in postgres:\/\/.*: delete it there first .* or give the copy another name \(--as NEW\)\n$/);
    } finally {
      dir.remove();
      await schema.drop();
    }
  });
});
