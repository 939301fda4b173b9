import { createStudy } from "scaletune";
import { JointLocalSearchSampler } from "./joint-local-search-sampler.js";

export const study = await createStudy({ sampler: new JointLocalSearchSampler({ seed: 1 }) });
await study.optimize(
  (trial) => {
    const x = trial.suggestFloat("x", -5, 5);
    const y = trial.suggestFloat("y", 1e-3, 1e3, { log: true });
    const kind = trial.suggestCategorical("kind", ["a", "b", "c"]);
    return (x - 1) ** 2 + Math.log10(y) ** 2 + (kind === "b" ? 0 : 1);
  },
  { nTrials: 80 },
);
console.log(study.bestValue, study.bestParams);
