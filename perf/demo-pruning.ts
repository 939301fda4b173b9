/**
 * @module Pruning on real training: the demo's MLP on the digits (its six hyperparameters, 20 epochs, validation
 * accuracy reported every epoch), with epochs as the fidelity.
 *
 * Each run (pruner × seed, TPE with that seed) starts trials until 400 epochs — 20 full trainings — have been
 * spent, pruned trials' epochs included, and records the best complete trial against the epochs spent. The
 * configuration a run ends with is then retrained once and scored on the held-out test split, which no run saw.
 */
import { loadDigitsDemo } from "../src/demo/index.js";
import { FixedTrial, TPESampler, createStudy, prunerFromSpec } from "../src/index.js";
import { median, printRows, type BenchRow, type Size } from "./common.js";

/** `quick`: two full trainings' worth of epochs, one seed. */
const SIZES = {
  full: { epochBudget: 400, marks: [100, 200, 400], seeds: [0, 1, 2, 3, 4] },
  quick: { epochBudget: 40, marks: [20, 40], seeds: [0] },
} satisfies Record<Size, unknown>;
type Setup = (typeof SIZES)[Size];
const PRUNERS = ["none", "median", "hyperband:minResource=1,maxResource=20,reductionFactor=3", "learning-curve"];

interface RunOutcome {
  readonly bestAt: readonly number[];
  readonly trials: number;
  readonly pruned: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

type DigitsDemo = Awaited<ReturnType<typeof loadDigitsDemo>>;

async function run({ epochBudget, marks }: Setup, pruner: string, seed: number, demo: DigitsDemo): Promise<RunOutcome> {
  const { demoSplit, digitsObjective, suggestMlpConfig, trainMlp } = demo;
  const started = performance.now();
  // A fixed name: Hyperband draws brackets from it, so a run is reproducible.
  const study = await createStudy({
    name: `demo-pruning-${pruner}-${seed}`,
    direction: "maximize",
    sampler: new TPESampler({ seed }),
    pruner: prunerFromSpec(pruner),
    warn: () => {},
  });
  const progress: [epochs: number, best: number][] = [];
  let epochs = 0;
  while (epochs < epochBudget) {
    await study.optimize(digitsObjective, { nTrials: 1 });
    const trial = study.trials().at(-1)!;
    epochs += trial.intermediateValues.size;
    const complete = study.trials({ states: ["complete"] });
    progress.push([epochs, complete.length ? Math.max(...complete.map((t) => t.value!)) : NaN]);
  }
  const bestAt = marks.map((mark) => progress.filter(([spent]) => spent <= mark).at(-1)?.[1] ?? NaN);
  const split = demoSplit();
  const retrained = await trainMlp(suggestMlpConfig(new FixedTrial(study.bestTrial.params)), split);
  const testAccuracy = retrained.model.accuracy(split.test);
  retrained.model.dispose();
  const trials = study.trials();
  return {
    bestAt,
    trials: trials.length,
    pruned: trials.filter((t) => t.state === "pruned").length,
    testAccuracy,
    seconds: (performance.now() - started) / 1000,
  };
}

export async function demoPruning(size: Size): Promise<BenchRow[]> {
  const setup = SIZES[size];
  const { epochBudget, marks, seeds } = setup;
  const demo = await loadDigitsDemo();
  await demo.initBackend();
  const started = performance.now();
  const rows: BenchRow[] = [];
  for (const pruner of PRUNERS) {
    const outcomes: RunOutcome[] = [];
    for (const seed of seeds) outcomes.push(await run(setup, pruner, seed, demo));
    const percent = (values: number[]) => `${(100 * median(values)).toFixed(2)} %`;
    rows.push({
      pruner,
      ...Object.fromEntries(marks.map((mark, i) => [`best val. acc. @${mark} ep`, percent(outcomes.map((o) => o.bestAt[i]!))])),
      "test acc. of the final best": percent(outcomes.map((o) => o.testAccuracy)),
      "trials run": median(outcomes.map((o) => o.trials)),
      "% pruned": (100 * median(outcomes.map((o) => o.pruned / o.trials))).toFixed(0),
      "s / run": median(outcomes.map((o) => o.seconds)).toFixed(1),
    });
  }
  printRows(
    `Pruning the demo's MLP (digits, 20 epochs, TPE), ${epochBudget} epochs per run, median over seeds ${seeds.join(", ")} ` +
      `(${((performance.now() - started) / 60_000).toFixed(1)} min)`,
    rows,
  );
  return rows;
}
