/**
 * The boundary rule holds (docs/architecture.md): no import cycles, no family importing a sibling or the study,
 * nothing importing from a floor above, the CLI through faces only.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { breach, breaches } from "./architecture/floors.js";
import { cycles, importGraph } from "./architecture/import-graph.js";
import { SOURCE_FOLDERS } from "./architecture/sources.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("architecture", () => {
  const graph = importGraph(ROOT, SOURCE_FOLDERS);

  it("has no import cycles", () => {
    assert.deepEqual(cycles(graph), []);
  });

  it("keeps every import within the boundary rule", () => {
    assert.deepEqual(breaches(graph), []);
  });

  it("reads every kind of import, type-only and dynamic ones included", () => {
    assert.ok(graph.get("src/study/study.ts")?.includes("src/core/types.ts"), "a type-only import");
    assert.ok(graph.get("src/cli/main.ts")?.some((t) => t.startsWith("src/cli/commands/")), "a dynamic import()");
    assert.ok(graph.get("src/index.ts")?.includes("src/samplers/random.ts"), "an export … from");
  });

  it("refuses the imports that would bend the floors", () => {
    const refused: [string, string, RegExp][] = [
      ["src/samplers/tpe/tpe.ts", "src/study/study.ts", /from the floor above/],
      ["src/pruners/hyperband.ts", "src/samplers/sampler.ts", /pruners family imports the samplers family/],
      ["src/core/types.ts", "src/storage/storage.ts", /from the floor above/],
      ["src/math/linalg.ts", "src/core/types.ts", /from the floor above/],
      ["src/cli/run-study.ts", "src/study/api.ts", /not a face/],
      ["src/demo/mlp-trainer.ts", "src/cli/main.ts", /inside another application/],
      ["src/lonely/thing.ts", "src/core/types.ts", /in no room/],
    ];
    for (const [from, to, reason] of refused) assert.match(breach(from, to) ?? "allowed", reason, `${from} → ${to}`);
    const allowed: [string, string][] = [
      ["src/samplers/tpe/tpe.ts", "src/core/study-view.ts"],
      ["src/study/study.ts", "src/samplers/sampler.ts"],
      ["src/cli/run-study.ts", "src/index.ts"],
      ["src/testing/sampler-conformance.ts", "src/study/api.ts"],
    ];
    for (const [from, to] of allowed) assert.equal(breach(from, to), null, `${from} → ${to}`);
  });
});
