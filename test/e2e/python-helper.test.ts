/**
 * `scaletune python-helper` from the built CLI (run `npm run build` first; npm test does), and the package shipping
 * the helper it points at.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin/scaletune.js");
const PYTHON = "/usr/bin/python3";

function cli(args: readonly string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
}

describe("scaletune python-helper", () => {
  it("--path prints only the folder that holds scaletune_trial.py", () => {
    const r = cli(["python-helper", "--path"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${join(ROOT, "python")}\n`);
    assert.ok(existsSync(join(r.stdout.trim(), "scaletune_trial.py")));
  });

  it("without --path says where the helper is and how to import it", () => {
    const r = cli(["python-helper"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /python\/scaletune_trial\.py/);
    assert.match(r.stdout, /PYTHONPATH="\$\(npx scaletune python-helper --path\)"/);
  });

  it("is listed by --help", () => {
    assert.match(cli(["--help"]).stdout, /^ {2}python-helper /m);
  });

  it("points at a helper that Python imports from PYTHONPATH", (t) => {
    if (!existsSync(PYTHON)) {
      assert.ok(process.env.CI !== "true", `CI=true, but ${PYTHON} is missing`);
      return t.skip(`${PYTHON} is missing`);
    }
    const folder = cli(["python-helper", "--path"]).stdout.trim();
    // Outside a worker: no SCALETUNE_ variables.
    const outside = Object.entries(process.env).filter(([name]) => !name.startsWith("SCALETUNE_"));
    const env = { ...Object.fromEntries(outside), PYTHONPATH: folder, PYTHONDONTWRITEBYTECODE: "1" };
    const r = spawnSync(PYTHON, ["-c", 'import scaletune_trial as st; print(st.suggest_int("n", 1, 3), st.study_name())'], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "2 standalone\n");
  });

  it("ships: npm pack lists python/scaletune_trial.py (and not the helper's tests)", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    assert.deepEqual(files.filter((f) => f.startsWith("python/")), ["python/scaletune_trial.py"]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    assert.ok(pkg.files.includes("python/scaletune_trial.py"));
  });
});
