import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { describeLoadError, withUserPaths } from "./objective-errors.js";

describe("objective file errors", () => {
  it("turns tsx's module URLs in a stack back into the user's paths", () => {
    // As tsx builds it: the compiled code, then the file it came from, both URL-encoded.
    const url = `data:text/javascript,${encodeURIComponent('__filename="/w/helper.ts";(()=>{ throw new Error("x?") })()')}?filePath=${encodeURIComponent("/w/helper.ts?namespace=17")}`;
    const stack = `Error: x\n    at train (${url}:2:943)\n    at default (file:///w/objective.mjs?tsx-namespace=6dc88973-7b72-4316-8e2b-dcbdba135d05:1:31)`;
    assert.equal(withUserPaths(stack), "Error: x\n    at train (/w/helper.ts)\n    at default (file:///w/objective.mjs:1:31)");
  });

  it("places a TypeScript syntax error from esbuild's message, its column counted from 1", () => {
    const error = Object.assign(new Error(`Transform failed with 1 error:\n${join(process.cwd(), "a.ts")}:3:12: ERROR: Unexpected ";"`), { name: "TransformError" });
    assert.equal(describeLoadError(error, "a.ts"), 'SyntaxError at a.ts:3:13: Unexpected ";"');
  });

  it("keeps the first line of any other error", () => {
    assert.equal(describeLoadError(new Error("Cannot find module './nope'\nRequire stack:\n- /w/a.ts"), "/w/a.ts"), "Cannot find module './nope'");
  });
});
