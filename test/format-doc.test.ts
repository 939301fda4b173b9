/**
 * docs/format.md is the contract of the stored format: its schema must be the one a new file gets, and it must
 * document every key of the stored vocabulary (src/core/attributes.ts), old spellings beside the keys they became.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import * as vocabulary from "../src/core/attributes.js";
import { SqliteStorage } from "../src/storage/sqlite.js";
import { tempDir } from "../src/testing/temp.js";

const DOC = readFileSync(new URL("../docs/format.md", import.meta.url), "utf8");

const normalised = (sql: string): string => sql.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")").trim();

describe("docs/format.md", () => {
  it("gives the schema of a new file, and the index writers add", async () => {
    const dir = tempDir();
    await new SqliteStorage(dir.file("new.db")).close();
    const db = new Database(dir.file("new.db"), { readonly: true });
    const statements = db.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all() as { name: string; sql: string }[];
    db.close();
    dir.remove();
    const added = statements.find((s) => s.name === "complete_by_value")!;
    const block = /```sql\n([\s\S]*?)```/.exec(DOC)![1]!;
    assert.deepEqual(
      block.split(";").map(normalised).filter((s) => s !== ""),
      statements.filter((s) => s !== added).map((s) => normalised(s.sql)),
    );
    assert.ok(DOC.includes(`\`${added.sql.slice(added.sql.indexOf("trials ("))}\``), "the index writers add");
  });

  it("documents every stored key, and each old spelling beside the key it became", () => {
    const keys = [...Object.values(vocabulary).filter((v) => typeof v === "string"), vocabulary.cmaesSpaceAttr("<fingerprint>")];
    for (const key of keys) assert.match(DOC, new RegExp(`\`${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[\`<]`), key);
    for (const [key, old] of Object.entries(vocabulary.LEGACY_KEYS)) {
      assert.ok(DOC.split("\n").some((line) => line.startsWith(`| \`${key}\``) && line.includes(`| \`${old}\` |`)), `${old} → ${key}`);
    }
  });
});
