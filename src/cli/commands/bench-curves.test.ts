/**
 * `scaletune bench` flags for the curve problems, parsed in process by the real command definition. Every case
 * fails before a run starts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { registerBench } from "./bench.js";

function program(): Command {
  const cli = new Command("scaletune").exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerBench(cli);
  return cli;
}

async function fails(args: readonly string[], message: RegExp): Promise<Command> {
  const cli = program();
  await assert.rejects(cli.parseAsync(["bench", ...args], { from: "user" }), (e: Error) => message.test(e.message), args.join(" "));
  return cli.commands[0]!;
}

describe("scaletune bench flags for curve problems", () => {
  it("rejects trial-budget flags on curve problems, saying what to use instead", async () => {
    const curves = ["--problem", "curves:crossing", "--pruners", "none"];
    await fails([...curves, "--trials", "50"], /^--trials does not apply to curve problems: they spend an epoch budget, not a number of trials; use --epoch-budget <epochs>$/);
    await fails([...curves, "--budgets", "10,20"], /^--budgets does not apply to curve problems: they are summarised at 10, 25, 50 and 100 % of --epoch-budget$/);
    await fails([...curves, "--vs-optuna"], /^--vs-optuna does not apply to curve problems: Optuna's rows for curve problems are its measured anchor runs/);
    await fails(["--problem", "curves", "--pruners", "none", "--optuna-samplers", "tpe"], /^--optuna-samplers does not apply to curve problems/);
  });

  it("rejects curve flags on the other problems, and mixing both kinds", async () => {
    await fails(["--problem", "branin", "--pruners", "median"], /^--pruners does not apply to these problems: only the curve problems \(curves:crossing, curves:benign\) report intermediate values/);
    await fails(["--problem", "branin", "--epoch-budget", "270"], /^--epoch-budget does not apply to these problems: they run a number of trials; use --trials$/);
    await fails(["--problem", "curves:crossing,branin"], /^curve problems \(curves:crossing\) spend an epoch budget and the others a number of trials; run them in separate invocations$/);
    await fails(["--problem", "curves:benign", "--problem", "synthetic"], /run them in separate invocations/);
  });

  it('splits --pruners on ";" (commas belong to one pruner\'s options) and collects repeats', async () => {
    const bench = await fails(
      ["--problem", "curves:crossing", "--samplers", "annealing", "--pruners", "none; median:nWarmupSteps=5", "--pruners", "hyperband:minResource=1,maxResource=27,reductionFactor=3"],
      /unknown sampler "annealing"/,
    );
    assert.deepEqual(bench.opts().pruners, ["none", "median:nWarmupSteps=5", "hyperband:minResource=1,maxResource=27,reductionFactor=3"]);
    await fails(["--problem", "curves:crossing", "--pruners", "none,median,hyperband"], /pruner specs are separated by ";" \(commas separate one pruner's options\): write e\.g\. --pruners "none;median;hyperband"/);
    await fails(["--problem", "curves:crossing", "--pruners", "none,median:nWarmupSteps=5"], /write e\.g\. --pruners "none;median:nWarmupSteps=5"/);
  });

  it("checks the epoch budget, problem and pruner names", async () => {
    await fails(["--problem", "curves:crossing", "--pruners", "none", "--epoch-budget", "10"], /^--epoch-budget 10 must be a whole number of epochs of at least 27/);
    await fails(["--problem", "curves:crossing", "--epoch-budget", "lots"], /argument 'lots' is invalid\. expected a positive integer/);
    await fails(["--problem", "curves:wiggly", "--pruners", "none"], /^unknown curve problem "curves:wiggly"; choose from: curves:crossing, curves:benign$/);
    await fails(["--problem", "curves:crossing", "--pruners", "psychic"], /^unknown pruner "psychic"; choose one of: /);
  });
});
