import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MissingDependencyError, ScaletuneError } from "../errors.js";
import { TENSORFLOW_PACKAGES, withTensorFlow } from "./tensorflow.js";

describe("withTensorFlow", () => {
  it("loads when the packages are installed (npm ci installs them here)", async () => {
    assert.equal(await withTensorFlow("the demo", async () => "loaded"), "loaded");
  });

  it("says what is missing and how to install it, without loading, when a package cannot be found", async () => {
    let loaded = false;
    const load = async () => void (loaded = true);
    await assert.rejects(withTensorFlow("the demo", load, [TENSORFLOW_PACKAGES[0]!, "@tensorflow/scaletune-no-such-package"]), (error) => {
      assert.ok(error instanceof MissingDependencyError && error instanceof ScaletuneError, "printed by the CLI as one line");
      assert.equal(error.message, `the demo needs TensorFlow.js, which is not installed: npm install ${TENSORFLOW_PACKAGES[0]} @tensorflow/scaletune-no-such-package`);
      return true;
    });
    assert.equal(loaded, false);
  });
});
