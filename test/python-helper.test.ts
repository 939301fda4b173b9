/**
 * The Python helper's own tests (python/test_scaletune_trial.py: the helper against a fake worker speaking the
 * command-trial protocol, and one trial of examples/pytorch/train_digits.py), run with Debian's /usr/bin/python3.
 * Without that Python they are skipped with the reason, and fail under CI=true; the PyTorch ones likewise skip (and
 * fail under CI=true) when torch is missing: .ci/run installs python3-torch.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = "/usr/bin/python3";

it("python/test_scaletune_trial.py passes under /usr/bin/python3", { timeout: 10 * 60_000 }, (t) => {
  if (!existsSync(PYTHON)) {
    assert.ok(process.env.CI !== "true", `CI=true, but ${PYTHON} is missing: the Python helper is untested`);
    return t.skip(`${PYTHON} is missing: the Python helper's tests need it`);
  }
  const r = spawnSync(PYTHON, ["-m", "unittest", "-v", "test_scaletune_trial"], {
    cwd: join(ROOT, "python"),
    encoding: "utf8",
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    timeout: 9 * 60_000,
  });
  // unittest -v writes one line per test to stderr: the skipped ones say why.
  for (const line of r.stderr.split("\n").filter((l) => / \.\.\. skipped /.test(l))) t.diagnostic(line);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^OK/m);
});
