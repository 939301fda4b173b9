/**
 * @module Which parameters of a conditional space a candidate point would actually have, learnt from the trials.
 *
 * A define-by-run objective asks for some parameters only on some branches (`momentum` only when `optimizer` is
 * "sgd"). The GP models the union of the parameters, an absent one encoded as inactive (NaN, see `kernel.ts`),
 * and the acquisition must score a candidate as the trial would really be recorded: with `optimizer` "adam", its
 * `momentum` inactive, whatever value the candidate holds there. The objective's code cannot be read, so the rule
 * is learnt from the data: a parameter p is governed by a categorical parameter c when p never appears without c
 * and the choices of c seen with p never occur in a trial without p. Then p is active in a candidate exactly when
 * c is active there and holds one of those choices. Parameters with no such parent (their presence depends on
 * something else, a number's threshold for instance) are scored as active.
 */
import type { GPInputSpace } from "./input-space.js";

interface Rule {
  readonly child: number;
  readonly parent: number;
  /** Unit-box values (cell centres) of the parent's choices under which the child exists. */
  readonly choices: ReadonlySet<number>;
}

export class ActivityRules {
  /**
   * One rule per column that has a learnt parent, parents' rules before their children's: a parent is present in
   * strictly more trials than its child (see `parentRule`), so ordering by presence puts it first.
   */
  private readonly rules: readonly Rule[];

  private constructor(rules: readonly Rule[]) {
    this.rules = rules;
  }

  /** Learns the rules from `n` encoded rows of `x` (inactive entries NaN). */
  static learn(x: Float64Array, n: number, input: GPInputSpace): ActivityRules {
    const { dim } = input;
    const presence = new Array<number>(dim).fill(0);
    for (let row = 0; row < n; row++) {
      for (let column = 0; column < dim; column++) if (!Number.isNaN(x[row * dim + column]!)) presence[column]!++;
    }
    const rules: Rule[] = [];
    for (let child = 0; child < dim; child++) {
      if (presence[child] === n) continue;
      for (let parent = 0; parent < dim; parent++) {
        if (parent === child || !input.categorical[parent]) continue;
        const choices = parentChoices(x, n, dim, parent, child);
        if (choices) {
          rules.push({ child, parent, choices });
          break;
        }
      }
    }
    rules.sort((a, b) => presence[b.child]! - presence[a.child]!);
    return new ActivityRules(rules);
  }

  /** Whether any parameter's presence was learnt (otherwise `mask` changes nothing). */
  get conditional(): boolean {
    return this.rules.length > 0;
  }

  /** Marks, in place, the columns that a trial at `point` would not have as inactive (NaN). */
  mask(point: Float64Array): void {
    // A parent already marked inactive holds NaN, which is none of the choices: its children follow it.
    for (const { child, parent, choices } of this.rules) if (!choices.has(point[parent]!)) point[child] = NaN;
  }
}

/**
 * The parent's choices under which the child exists, when the rows are consistent with the rule "child exists iff
 * parent holds one of these choices". The parent must also appear without the child: a parameter that always
 * comes with the child tells nothing about it.
 */
function parentChoices(x: Float64Array, n: number, dim: number, parent: number, child: number): Set<number> | null {
  const withChild = new Set<number>();
  const withoutChild = new Set<number>();
  for (let row = 0; row < n; row++) {
    const p = x[row * dim + parent]!;
    const hasChild = !Number.isNaN(x[row * dim + child]!);
    if (Number.isNaN(p)) {
      if (hasChild) return null;
      continue;
    }
    (hasChild ? withChild : withoutChild).add(p);
  }
  if (withChild.size === 0 || withoutChild.size === 0) return null;
  for (const choice of withChild) if (withoutChild.has(choice)) return null;
  return withChild;
}
