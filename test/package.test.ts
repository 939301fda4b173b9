/**
 * The package's dependencies are what its code uses: nothing is installed for users that nothing imports, and
 * TensorFlow.js, which only the demo's trainer uses, is not installed for them at all unless they ask (issue 14).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { TENSORFLOW_PACKAGES } from "../src/demo/tensorflow.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface PackageJson {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}
const code = new Map(sources(join(ROOT, "src")).map((file) => [relative(ROOT, file), readFileSync(file, "utf8")]));

/** Whether `text` imports `name` (or a subpath of it), statically or not. */
const imports = (text: string, name: string) => new RegExp(`(from |import\\()"${name}(/[^"]*)?"`).test(text);

describe("package", () => {
  it("depends only on packages that the shipped code imports", () => {
    const all = [...code.values()].join("\n");
    const unused = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)].filter((name) => !imports(all, name));
    assert.deepEqual(unused, []);
  });

  it("has TensorFlow.js as an optional peer dependency, installed by npm ci here", () => {
    const tensorflow = [...TENSORFLOW_PACKAGES].sort();
    assert.deepEqual(tensorflow.filter((name) => name in pkg.dependencies), [], "npm install would install it for every library user");
    assert.deepEqual(Object.keys(pkg.peerDependencies).sort(), tensorflow);
    for (const name of tensorflow) {
      assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name}: a required peer is installed by npm 7+`);
      assert.equal(pkg.devDependencies[name], pkg.peerDependencies[name], `${name}: the demo in this checkout runs the version users are told to install`);
    }
  });

  it("loads TensorFlow.js only from src/demo/, which other code imports only through withTensorFlow", () => {
    const users = [...code].filter(([, text]) => TENSORFLOW_PACKAGES.some((name) => imports(text, name))).map(([file]) => file);
    assert.deepEqual(users, ["src/demo/mlp-trainer.ts"]);
    // A static import of any demo module but its face (index.ts) and tensorflow.ts would load it with the importing
    // command (and its help).
    const outside = [...code].flatMap(([file, text]) =>
      file.startsWith("src/demo/") ? [] : [...text.matchAll(/^import (?!type )[^;]*? from "[./]*\/demo\/(?!tensorflow\.js"|index\.js")[^"]+"/gm)].map((m) => `${file}: ${m[0]}`),
    );
    assert.deepEqual(outside, []);
  });
});

describe("the package's faces", () => {
  it("are importable by name, and scaletune/errors holds the very classes scaletune exports", () => {
    const script = `
      const errors = await import("scaletune/errors");
      const lib = await import("scaletune");
      const scaling = await import("scaletune/scaling");
      const testing = await import("scaletune/testing");
      console.log(JSON.stringify({
        same: errors.ConfigError === lib.ConfigError && errors.ScaletuneError === lib.ScaletuneError,
        subclass: new errors.ConfigError("x") instanceof errors.ScaletuneError,
        faces: [typeof lib.createStudy, typeof scaling.fitLossLaw, typeof testing.describeSamplerConformance],
        curveReaders: lib.lastStep({ intermediateValues: new Map([[3, 1], [1, 2]]) }) === 3 && lib.isWorse(NaN, 1, "minimize"),
      }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    assert.deepEqual(JSON.parse(r.stdout || "null"), { same: true, subclass: true, faces: ["function", "function", "function"], curveReaders: true }, r.stderr);
  });
});
