import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GRID_POINT_ATTR, HYPERBAND_BRACKET_ATTR, LEGACY_KEYS, continuationOf, readAttr, retryOf } from "./attributes.js";

describe("the stored vocabulary", () => {
  it("reads a key under its old spelling, and prefers today's when both are there", () => {
    assert.deepEqual(readAttr({ grid: { grid: "g", index: 3 } }, GRID_POINT_ATTR), { grid: "g", index: 3 });
    assert.equal(readAttr({ hyperband_bracket: 1, [HYPERBAND_BRACKET_ATTR]: 2 }, HYPERBAND_BRACKET_ATTR), 2);
    assert.equal(readAttr({ other: 1 }, GRID_POINT_ATTR), undefined);
  });

  it("spells every key snake_case, namespaced by its owner with a colon", () => {
    for (const key of Object.keys(LEGACY_KEYS)) assert.match(key, /^([a-z]+:)?[a-z]+(_[a-z]+)*$/);
  });

  it("reads continuations and retries, and ignores malformed ones", () => {
    assert.deepEqual(continuationOf({ continues: { trial: 4, lastStep: 9 } }), { trial: 4, lastStep: 9 });
    assert.deepEqual(continuationOf({ continues: { trial: 4 } }), { trial: 4, lastStep: null });
    assert.equal(continuationOf({ continues: [4] }), null);
    assert.deepEqual(retryOf({ retry_of: { number: 2, depth: 1 } }), { number: 2, depth: 1 });
    assert.equal(retryOf({ retry_of: "2" }), null);
  });
});
