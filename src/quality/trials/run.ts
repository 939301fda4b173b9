/**
 * @module One scaletune benchmark run: an in-memory study with the named sampler and seed, `trials` trials of the
 * problem's objective, timing the sampler (ask() and every suggestion) apart from the objective.
 */
import { SearchSpaceError, describeError } from "../../errors.js";
import { median } from "../../math/statistics.js";
import { samplerByName } from "../../samplers/registry.js";
import type { CategoricalChoice, RangeOptions } from "../../space/distributions.js";
import { createStudy } from "../../study/api.js";
import type { Trial } from "../../study/trial.js";
import type { BenchTrial, Problem } from "../problems/problem.js";
import { bestSoFar, type RunResult } from "../problems/run-result.js";

/** Passes suggestions through to the study's trial and adds up the time they take (the sampler's share). */
class TimedTrial implements BenchTrial {
  suggestMs = 0;

  constructor(private readonly trial: Trial) {}

  get number(): number {
    return this.trial.number;
  }

  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.timed(() => this.trial.suggestFloat(name, low, high, options));
  }

  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.timed(() => this.trial.suggestInt(name, low, high, options));
  }

  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.timed(() => this.trial.suggestCategorical(name, choices));
  }

  private timed<T>(suggest: () => T): T {
    const start = performance.now();
    try {
      return suggest();
    } finally {
      this.suggestMs += performance.now() - start;
    }
  }
}

export async function runScaletune(problem: Problem, samplerName: string, seed: number, trials: number): Promise<RunResult> {
  const warnings = new Set<string>();
  const study = await createStudy({ direction: problem.direction, sampler: samplerByName(samplerName, seed), warn: (m) => warnings.add(m) });
  const objective = problem.objectiveFor(seed);
  const values: (number | null)[] = [];
  const askMs: number[] = [];
  const tellMs: number[] = [];
  const objectiveMs: number[] = [];
  const start = performance.now();
  try {
    for (let i = 0; i < trials; i++) {
      const askStart = performance.now();
      const trial = await study.ask();
      const asked = performance.now() - askStart;
      const timed = new TimedTrial(trial);
      const objectiveStart = performance.now();
      let outcome: number | Error;
      try {
        outcome = await objective(timed);
      } catch (error) {
        // A search-space error is a bug in the problem's definition, not a bad configuration: stop the run.
        if (error instanceof SearchSpaceError) throw error;
        outcome = error instanceof Error ? error : new Error(String(error));
      }
      askMs.push(asked + timed.suggestMs);
      objectiveMs.push(performance.now() - objectiveStart - timed.suggestMs);
      const tellStart = performance.now();
      const frozen = typeof outcome === "number" ? await study.tell(trial, outcome) : await study.tell(trial, "failed", describeError(outcome));
      tellMs.push(performance.now() - tellStart);
      values.push(frozen.state === "complete" ? frozen.value : null);
    }
  } finally {
    await study.close();
  }
  return {
    problem: problem.name,
    engine: "scaletune",
    sampler: samplerName,
    seed,
    bestSoFar: bestSoFar(values, problem.direction),
    askMs: median(askMs),
    tellMs: median(tellMs),
    objectiveMs: median(objectiveMs),
    wallMs: performance.now() - start,
    failed: values.filter((v) => v === null).length,
    warnings: [...warnings],
  };
}
