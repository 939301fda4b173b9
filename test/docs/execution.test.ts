import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withBudgets } from "./budgets.js";
import { disagreements, tolerance } from "./claims.js";
import { planCommand } from "./plan.js";
import { parseShell } from "./shell.js";

const plan = (text: string) => planCommand(parseShell(text)[0]!, "/repo");
const split = (text: string) => text.split(" ");

describe("budgets", () => {
  it("runs bench at one seed and a twentieth of the trials and budgets, enough for GP to fit", () => {
    assert.deepEqual(withBudgets("bench", split("bench --problem synthetic --trials 1000 --seeds 10 --budgets 250,500,1000")),
      split("bench --problem synthetic --trials 50 --seeds 1 --budgets 13,25,50"));
    assert.deepEqual(withBudgets("bench", split("bench --problem branin --trials=20 --seeds=2")), split("bench --problem branin --trials=12 --seeds=1"));
  });

  it("adds the budget options a bench leaves at long defaults, those its problems take", () => {
    assert.deepEqual(withBudgets("bench", split("bench --problem tabular --json")), split("bench --problem tabular --json --seeds 1 --trials 12"));
    assert.deepEqual(withBudgets("bench", split("bench --problem curves:crossing,curves:benign")),
      split("bench --problem curves:crossing,curves:benign --seeds 1 --epoch-budget 135"));
    assert.deepEqual(withBudgets("bench", split("bench --problem yahpo-mf --seeds 30")), split("bench --problem yahpo-mf --seeds 1 --budget-fraction 0.05"));
  });

  it("leaves other commands' options, and unknown ones, alone", () => {
    assert.deepEqual(withBudgets("run", split("run t.ts --trials 300 --json")), split("run t.ts --trials 15 --json"));
    assert.deepEqual(withBudgets("scaling optimal", split("scaling optimal --fit f.json --compute 1e24")), split("scaling optimal --fit f.json --compute 1e24"));
    assert.deepEqual(withBudgets("demo", ["demo"]), split("demo --trials 2"));
  });

  it("gives npm run bench --quick, after the --", () => {
    assert.deepEqual(withBudgets("npm run bench", []), ["--", "--quick"]);
    assert.deepEqual(withBudgets("npm run bench", split("-- ask load")), split("-- --quick ask load"));
  });
});

describe("running a docs command", () => {
  it("runs the CLI however the docs call it, rewritten, and keeps redirections", () => {
    assert.deepEqual(plan("npm ci && npx scaletune demo").map((s) => [s.run, s.text]), [
      [false, "npm ci"],
      [true, "scaletune demo --trials 2"],
    ]);
    assert.deepEqual(plan("node bin/scaletune.js trials --study s --csv > t.csv"), [
      { run: true, text: "scaletune trials --study s --csv > t.csv", cli: split("trials --study s --csv") },
    ]);
    assert.equal(plan("npm run bench -- pruners")[0]!.text, "npm --prefix /repo run bench -- --quick pruners");
  });

  it("does not run npm ci, npm test or npm run build, and refuses what it does not know", () => {
    assert.deepEqual(plan("npm run build && npm test").map((s) => s.run), [false, false]);
    assert.throws(() => plan("pip install optuna"), /no way to run "pip install optuna" here/);
  });
});

describe("claims", () => {
  it("hold to the digits the docs write", () => {
    assert.deepEqual([tolerance("0.3473"), tolerance("18.4"), tolerance("7.302e10")].map((t) => Number(t.toPrecision(6))), [5e-5, 0.05, 5e6]);
    assert.deepEqual(disagreements({ alpha: "0.3473", objective: "1.01827e-3" }, { alpha: 0.34731, objective: 1.018274e-3 }), []);
    assert.deepEqual(disagreements({ alpha: "0.3473", beta: "0.3672" }, { alpha: 0.3474, gamma: 1 }), [
      "alpha: the docs say 0.3473, the command gave 0.3474",
      "beta: the docs say 0.3672, the command gave undefined",
    ]);
  });
});
