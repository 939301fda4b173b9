/**
 * @module Time of one ask() plus ten suggestions plus tell(), with 1,000 and 10,000 trials already in the study.
 */
import { createStudy, RandomSampler, type Trial } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";
import { median, printRows, quantile, type BenchRow, type Size } from "./common.js";

const SIZES = {
  full: { histories: [1_000, 10_000], asks: 300 },
  quick: { histories: [100, 1_000], asks: 30 },
} satisfies Record<Size, unknown>;

function tenParams(trial: Trial): number {
  let s = 0;
  for (let i = 0; i < 10; i++) s += trial.suggestFloat(`x${i}`, -5, 10) ** 2;
  return s;
}

export async function askLatency(size: Size): Promise<BenchRow[]> {
  const { histories, asks } = SIZES[size];
  const rows: BenchRow[] = [];
  const dir = tempDir("scaletune-bench-");
  for (const history of histories) {
    for (const kind of ["memory", "sqlite"] as const) {
      const storage = kind === "memory" ? undefined : `sqlite:${dir.file(`ask-${history}.db`)}`;
      const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 1 }) });
      await study.optimize(tenParams, { nTrials: history });
      const askMs: number[] = [];
      const totalMs: number[] = [];
      for (let i = 0; i < asks; i++) {
        const t0 = performance.now();
        const trial = await study.ask();
        const value = tenParams(trial);
        const t1 = performance.now();
        await study.tell(trial, value);
        askMs.push(t1 - t0);
        totalMs.push(performance.now() - t0);
      }
      rows.push({
        storage: kind,
        "existing trials": history,
        "ask()+10 suggestions, median ms": median(askMs).toFixed(3),
        "p90 ms": quantile(askMs, 0.9).toFixed(3),
        "ask+suggest+tell, median ms": median(totalMs).toFixed(3),
      });
      await study.close();
    }
  }
  dir.remove();
  printRows("ask() latency, RandomSampler, 10 float parameters", rows);
  return rows;
}
