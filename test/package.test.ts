/**
 * The package's dependencies are what its code uses: nothing is installed for users that nothing imports.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe("package", () => {
  it("depends only on packages that the shipped code imports", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const code = sources(join(ROOT, "src")).map((file) => readFileSync(file, "utf8")).join("\n");
    const unused = Object.keys(pkg.dependencies).filter((name) => !new RegExp(`(from |import\\()"${name}(/[^"]*)?"`).test(code));
    assert.deepEqual(unused, []);
  });
});
