import { createStudy, TrialPruned } from "scaletune";
import { TopKPruner } from "./top-k-pruner.js";

export const study = await createStudy({ pruner: new TopKPruner({ k: 5, nWarmupSteps: 2 }) });
await study.optimize(
  (trial) => {
    const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
    let loss = Infinity;
    for (let epoch = 0; epoch < 20; epoch++) {
      loss = (Math.log10(lr) + 2) ** 2 + 1 / (1 + epoch * lr * 10); // a training epoch
      trial.report(loss, epoch);
      if (trial.shouldPrune()) throw new TrialPruned();
    }
    return loss;
  },
  { nTrials: 40 },
);
console.log(study.counts); // { waiting: 0, running: 0, complete: …, pruned: …, failed: 0 }
