import { createStudy, MemoryStorage } from "scaletune";
import { LatinHypercubeSampler } from "./lhs-sampler.js";

// Two workers on one study, as two processes on one SQLite file would be (storage: "sqlite:./lhs.db").
const storage = new MemoryStorage();
export const workers = await Promise.all(
  [1, 2].map(() => {
    const sampler = new LatinHypercubeSampler({ seed: 7, size: 20 });
    return createStudy({ name: "lhs", storage, loadIfExists: true, sampler });
  }),
);
// No nTrials: each worker runs trials until the design has no slot left.
export const results = await Promise.all(
  workers.map((study) =>
    study.optimize(async (trial) => {
      const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
      const layers = trial.suggestInt("layers", 1, 8);
      await new Promise((resolve) => setTimeout(resolve, 5)); // training
      return Math.abs(Math.log10(lr) + 3) + layers / 8;
    }),
  ),
);
console.log(results); // [{ started: 10, stoppedBecause: "exhausted" }, { started: 10, … }]: 20 trials in all
