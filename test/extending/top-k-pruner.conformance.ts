import { describePrunerConformance } from "scaletune/testing";
import { TopKPruner } from "./top-k-pruner.js";

describePrunerConformance("top-k", () => new TopKPruner({ k: 3, nWarmupSteps: 1 }));
