/**
 * @module Define-by-run through a remote sampler: runs a scaletune objective whose parameters are chosen
 * elsewhere (by Optuna, over the bridge), one parameter at a time.
 *
 * The objective runs on a replaying trial that knows the values obtained so far. At the first parameter it does not
 * know, the trial stops the objective by throwing a private signal; the value is asked for with the same
 * distribution, and the objective is run again from the start with one more value known — until it returns.
 * Conditional spaces work because each run follows the branch the values chosen so far select. Objectives must be
 * deterministic given the trial's values and number, and must not swallow exceptions thrown by `suggest…()`.
 */
import { SearchSpaceError } from "../../errors.js";
import { containsInternal, describeDistribution, sameDistribution, type Distribution } from "../../space/distributions.js";
import { FixedTrial } from "../../study/trial.js";
import type { BenchObjective, BenchTrial } from "../problems/problem.js";

/** Chooses a value for a parameter the objective asked for; returns its internal value (categorical: choice index). */
export type ChooseParameter = (name: string, distribution: Distribution) => Promise<number>;

/** The replay itself went wrong: the objective swallowed the stop signal, or the remote side chose an invalid value. */
export class ReplayError extends Error {
  override readonly name = "ReplayError";
}

/** The stop signal: deliberately not an Error, so that `catch (e) { if (e instanceof Error) … }` lets it pass. */
class MissingParameter {
  constructor(
    readonly name: string,
    readonly distribution: Distribution,
  ) {}
}

interface Known {
  readonly distribution: Distribution;
  readonly internal: number;
}

/** A fixed trial whose values are the ones obtained so far; the first unknown parameter stops the objective. */
class ReplayTrial extends FixedTrial implements BenchTrial {
  /** Set when this run of the objective was stopped; any later suggestion re-throws it. */
  stop: MissingParameter | null = null;

  constructor(
    number: number,
    private readonly known: ReadonlyMap<string, Known>,
  ) {
    super({}, number);
  }

  protected override resolve(name: string, distribution: Distribution): number {
    if (this.stop) throw this.stop;
    const known = this.known.get(name);
    if (!known) throw (this.stop = new MissingParameter(name, distribution));
    if (!sameDistribution(known.distribution, distribution)) {
      throw new SearchSpaceError(
        `parameter "${name}" was suggested with ${describeDistribution(known.distribution)}, then with ${describeDistribution(distribution)} ` +
          `in the same trial; use one range per name`,
      );
    }
    return known.internal;
  }
}

/** Runs the objective to completion, obtaining each parameter from `choose` the first time it is suggested. */
export async function evaluateByReplay(objective: BenchObjective, number: number, choose: ChooseParameter): Promise<number> {
  const known = new Map<string, Known>();
  for (;;) {
    const trial = new ReplayTrial(number, known);
    let value: number;
    try {
      value = await objective(trial);
    } catch (error) {
      if (error !== trial.stop || trial.stop === null) throw error;
      const { name, distribution } = trial.stop;
      const internal = await choose(name, distribution);
      if (!containsInternal(distribution, internal)) {
        throw new ReplayError(`the remote sampler chose ${internal} for "${name}", outside ${describeDistribution(distribution)}`);
      }
      known.set(name, { distribution, internal });
      continue;
    }
    if (trial.stop) {
      throw new ReplayError(
        `the objective caught the signal that stops it at the new parameter "${trial.stop.name}" and returned anyway; ` +
          `let exceptions thrown by suggest…() propagate`,
      );
    }
    return value;
  }
}
