import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { describeLoadError } from "./objective-errors.js";

describe("objective file errors", () => {
  it("places a TypeScript syntax error from esbuild's message, its column counted from 1", () => {
    const error = Object.assign(new Error(`Transform failed with 1 error:\n${join(process.cwd(), "a.ts")}:3:12: ERROR: Unexpected ";"`), { name: "TransformError" });
    assert.equal(describeLoadError(error, "a.ts"), 'SyntaxError at a.ts:3:13: Unexpected ";"');
  });

  it("keeps the first line of any other error", () => {
    assert.equal(describeLoadError(new Error("Cannot find module './nope'\nRequire stack:\n- /w/a.ts"), "/w/a.ts"), "Cannot find module './nope'");
  });
});
