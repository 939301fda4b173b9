/**
 * @module Ranks against the YAHPO Gym paper's published optimizers, the comparison that survives different
 * normalisations: on each instance and at each budget fraction, one of our methods is placed among the published
 * optimizers' mean normalized regrets (ranks 1–8 with the paper's seven), and its ranks are averaged over instances.
 * The published optimizers are ranked among themselves (1–7) the same way, and also with each of our methods
 * inserted, which says whom it ranks ahead of.
 *
 * Lower regret is better; ties share the mean of their places (scmamp's convention, the paper's critical-difference
 * plots); a missing value (nothing evaluated yet) ranks last.
 */
import { mean } from "../../math/statistics.js";

/** Rank of `value` among itself and `others`: 1 + those strictly better + half of those tied. */
export function rankAmong(value: number | null, others: readonly number[]): number {
  const v = value ?? Infinity;
  let better = 0;
  let tied = 0;
  for (const other of others) {
    if (other < v) better++;
    else if (other === v) tied++;
  }
  return 1 + better + tied / 2;
}

/** Values per instance (panel name), one per budget fraction. */
export type ByInstance = ReadonlyMap<string, readonly (number | null)[]>;

export interface MethodRanks {
  readonly method: string;
  /** Per budget fraction, the mean over instances of its rank. */
  readonly meanRank: readonly number[];
  /** Per instance, its rank at each budget fraction. */
  readonly ranks: Readonly<Record<string, readonly number[]>>;
}

export interface OurRanks extends MethodRanks {
  /** Per published optimizer, its mean rank at each budget fraction in the ranking that includes this method. */
  readonly publishedMeanRank: Readonly<Record<string, readonly number[]>>;
}

export interface RankTable {
  /** The instances ranked on: those with published values and ours. */
  readonly instances: readonly string[];
  readonly ours: readonly OurRanks[];
  /** The published optimizers among themselves. */
  readonly published: readonly MethodRanks[];
}

function summarise(method: string, instances: readonly string[], fractions: number, rankAt: (instance: string, f: number) => number): MethodRanks {
  const ranks = Object.fromEntries(instances.map((i) => [i, Array.from({ length: fractions }, (_, f) => rankAt(i, f))]));
  return { method, ranks, meanRank: Array.from({ length: fractions }, (_, f) => mean(instances.map((i) => ranks[i]![f]!))) };
}

/**
 * `published`: per optimizer, its values by instance; `ours`: per method, its values by instance. Instances are
 * those every one of our methods and every published optimizer has; `fractions` values per instance.
 */
export function rankTable(published: ReadonlyMap<string, ByInstance>, ours: ReadonlyMap<string, ByInstance>, fractions: number): RankTable {
  const all = [...published.values(), ...ours.values()];
  const instances = [...(all[0]?.keys() ?? [])].filter((i) => all.every((values) => values.has(i)));
  const optimizers = [...published.keys()];
  const value = (values: ByInstance, instance: string, f: number) => values.get(instance)![f] ?? null;
  const publishedAt = (instance: string, f: number, except: string | null) =>
    optimizers.filter((o) => o !== except).map((o) => value(published.get(o)!, instance, f) ?? Infinity);
  return {
    instances,
    ours: [...ours].map(([method, values]): OurRanks => {
      const own = summarise(method, instances, fractions, (i, f) => rankAmong(value(values, i, f), publishedAt(i, f, null)));
      const publishedMeanRank = Object.fromEntries(
        optimizers.map((o) => {
          const withOurs = (i: string, f: number) => rankAmong(value(published.get(o)!, i, f), [...publishedAt(i, f, o), value(values, i, f) ?? Infinity]);
          return [o, summarise(o, instances, fractions, withOurs).meanRank];
        }),
      );
      return { ...own, publishedMeanRank };
    }),
    published: optimizers.map((o) => summarise(o, instances, fractions, (i, f) => rankAmong(value(published.get(o)!, i, f), publishedAt(i, f, o)))),
  };
}
