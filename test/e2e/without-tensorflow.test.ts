/**
 * TensorFlow.js is an optional peer dependency (issue 14): a project that did not install it has every command but
 * `demo` and `scaling coord-check`, and those two say in one line what to install. Runs the built CLI (run
 * `npm run build` first; npm test does) from a copy of the package whose node_modules holds every package of this
 * checkout's but @tensorflow's — what `npm install scaletune` gives a library user.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir, type TempDir } from "../../src/testing/temp.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const INSTALL = "npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm";

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-no-tensorflow-");
  for (const entry of ["bin", "dist", "data", "package.json"]) cpSync(join(ROOT, entry), dir.file(`package/${entry}`), { recursive: true });
  const modules = join(ROOT, "node_modules");
  mkdirSync(dir.file("package/node_modules"));
  for (const name of readdirSync(modules).filter((n) => n !== "@tensorflow")) symlinkSync(join(modules, name), dir.file(`package/node_modules/${name}`));
  writeFileSync(dir.file("empty.db"), "");
});
after(() => dir.remove());

/** The CLI of the copy without TensorFlow.js, or (`root`) of this checkout. */
function cli(args: readonly string[], root = dir.file("package")) {
  const r = spawnSync(process.execPath, [join(root, "bin/scaletune.js"), ...args], { cwd: dir.path, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("scaletune without TensorFlow.js installed", () => {
  it("is what the test means it to be: TensorFlow.js cannot be found from the copy", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `import("@tensorflow/tfjs-core").catch((e) => console.log(e.code))`], {
      cwd: dir.file("package/dist"),
      encoding: "utf8",
    });
    assert.equal(r.stdout.trim(), "ERR_MODULE_NOT_FOUND");
  });

  it("prints the same help as with it, for every command", () => {
    for (const args of [["--help"], ["scaling", "--help"], ["demo", "--help"], ["scaling", "coord-check", "--help"]]) {
      const without = cli(args);
      assert.equal(without.status, 0, `${args.join(" ")}: ${without.stderr}`);
      assert.deepEqual(without, cli(args, ROOT), args.join(" "));
    }
  });

  it("runs the commands that do not train networks", () => {
    const r = cli(["studies", "--storage", `sqlite:${dir.file("empty.db")}`]);
    assert.deepEqual(r, { status: 0, stdout: `no studies in sqlite:${dir.file("empty.db")}\n`, stderr: "" });
  });

  it("says in one line, from demo and scaling coord-check, what to install", () => {
    assert.deepEqual(cli(["demo", "--storage", `sqlite:${dir.file("demo.db")}`]), {
      status: 1,
      stdout: "",
      stderr: `scaletune: error: the demo needs TensorFlow.js, which is not installed: ${INSTALL}\n`,
    });
    assert.deepEqual(cli(["scaling", "coord-check", "--widths", "16,32"]), {
      status: 1,
      stdout: "",
      stderr: `scaletune: error: scaling coord-check needs TensorFlow.js, which is not installed: ${INSTALL}\n`,
    });
  });
});
