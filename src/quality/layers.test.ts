/**
 * The order of src/quality's folders, enforced: a module imports from its own folder or from folders below it,
 * never above, and no modules import each other in a cycle.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = dirname(fileURLToPath(import.meta.url));

/** Bottom to top. `format.ts` serves every report; `index.ts` is the face the command line loads. */
const LAYERS = ["format.ts", "problems", "optuna", "trials", "curves", "yahpo-mf", "runner", "index.ts"];

const modules = (readdirSync(ROOT, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).sort();

function layer(module: string): number {
  // A test at the top sits with its module.
  const rank = LAYERS.indexOf(module.split("/")[0]!.replace(/\.test\.ts$/, ".ts"));
  assert.ok(rank >= 0, `${module} is in no layer of layers.test.ts`);
  return rank;
}

/** The modules of src/quality that a module imports, statically or dynamically. */
function importsOf(module: string): string[] {
  const text = readFileSync(join(ROOT, module), "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)"(\.{1,2}\/[^"]+)\.js"/g)]
    .map((m) => relative(ROOT, resolve(ROOT, dirname(module), `${m[1]}.ts`)))
    .filter((target) => !target.startsWith(".."));
}

describe("src/quality's layers", () => {
  it("imports only from its own folder or the folders below it", () => {
    const upward = modules.flatMap((module) =>
      importsOf(module)
        .filter((target) => layer(target) > layer(module))
        .map((target) => `${module} → ${target}`),
    );
    assert.deepEqual(upward, []);
  });

  it("has no import cycle", () => {
    const done = new Set<string>();
    const visit = (module: string, path: readonly string[]): void => {
      if (path.includes(module)) assert.fail(`import cycle: ${[...path.slice(path.indexOf(module)), module].join(" → ")}`);
      if (done.has(module)) return;
      for (const target of importsOf(module)) visit(target, [...path, module]);
      done.add(module);
    };
    for (const module of modules) visit(module, []);
  });
});
