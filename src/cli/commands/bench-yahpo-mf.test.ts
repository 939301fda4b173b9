/**
 * `scaletune bench` flags for the multi-fidelity YAHPO problems, parsed in process by the real command definition.
 * Every case fails before a run starts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { registerBench } from "./bench.js";

async function fails(args: readonly string[], message: RegExp): Promise<void> {
  const cli = new Command("scaletune").exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerBench(cli);
  await assert.rejects(cli.parseAsync(["bench", ...args], { from: "user" }), (e: Error) => message.test(e.message), args.join(" "));
}

describe("scaletune bench flags for the multi-fidelity YAHPO problems", () => {
  it("rejects the flags the protocol decides, saying why", async () => {
    const mf = ["--problem", "yahpo-mf"];
    const budget = /the YAHPO Gym paper's protocol sets each problem's budget, ceil\(20·F \+ √d·F·40\) fidelity units$/;
    await fails([...mf, "--trials", "50"], new RegExp(`^--trials does not apply to the multi-fidelity YAHPO problems: ${budget.source}`));
    await fails([...mf, "--epoch-budget", "100"], new RegExp(`^--epoch-budget does not apply to the multi-fidelity YAHPO problems: ${budget.source}`));
    await fails([...mf, "--budgets", "10,20"], /^--budgets does not apply to the multi-fidelity YAHPO problems: they are compared at 25, 50, 75 and 100 % of the budget/);
    await fails([...mf, "--vs-optuna"], /^--vs-optuna does not apply to the multi-fidelity YAHPO problems: the paper's Optuna \(TPE \+ median pruning\) is one of its published optimizers/);
  });

  it("takes a fraction of the protocol's budget, for them only", async () => {
    await fails(["--problem", "yahpo-mf", "--budget-fraction", "0"], /expected a fraction in \(0, 1\], e\.g\. 0\.05/);
    await fails(["--problem", "yahpo-mf", "--budget-fraction", "1.5"], /expected a fraction in \(0, 1\]/);
    await fails(["--problem", "branin", "--budget-fraction", "0.5"], /^--budget-fraction does not apply to these problems: they run a number of trials; use --trials$/);
    await fails(["--problem", "curves:crossing", "--budget-fraction", "0.5"], /^--budget-fraction does not apply to curve problems: use --epoch-budget <epochs>$/);
  });

  it("refuses mixing them with other problems", async () => {
    await fails(["--problem", "yahpo-mf:lcbench:167168,branin"], /^multi-fidelity YAHPO problems \(yahpo-mf:lcbench:167168\) spend the YAHPO protocol's fidelity budget, unlike the others; run them in separate invocations$/);
    await fails(["--problem", "yahpo-mf", "--problem", "curves:crossing"], /run them in separate invocations/);
  });

  it("names the problem, sampler or pruner that is wrong", async () => {
    await fails(["--problem", "yahpo-mf:lcbench"], /^problem "yahpo-mf:lcbench": write yahpo-mf:<scenario>:<instance>/);
    await fails(["--problem", "yahpo-mf:no_such_scenario:1"], /problem "yahpo-mf:no_such_scenario:…" needs the benchmark data in .*no_such_scenario/);
    await fails(["--problem", "yahpo-mf", "--samplers", "annealing"], /unknown sampler "annealing"/);
    await fails(["--problem", "yahpo-mf", "--samplers", "grid"], /the grid sampler needs a grid of its own/);
    await fails(["--problem", "yahpo-mf", "--pruners", "psychic"], /^unknown pruner "psychic"; choose one of: /);
    await fails(["--problem", "yahpo-mf", "--pruners", "none,median"], /pruner specs are separated by ";"/);
  });

  it("tells trial-budget problems that the YAHPO multi-fidelity problems prune too", async () => {
    await fails(["--problem", "branin", "--pruners", "median"], /, and the multi-fidelity YAHPO problems \(yahpo-mf, yahpo-mf:<scenario>:<instance>\)$/);
  });
});
