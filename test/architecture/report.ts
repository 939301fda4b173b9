/**
 * @module Prints the import graph's cycles and boundary breaches for a checkout (default: this one), as counted for
 * docs/architecture.md: `npm run architecture` (or `node --import tsx test/architecture/report.ts <root>` for another
 * checkout). Exits 1 when there is anything to report.
 */
import { fileURLToPath } from "node:url";
import { breaches } from "./floors.js";
import { cycles, importGraph } from "./import-graph.js";
import { SOURCE_FOLDERS } from "./sources.js";

const root = process.argv[2] ?? fileURLToPath(new URL("../..", import.meta.url));
const graph = importGraph(root, SOURCE_FOLDERS);
const found = { cycles: cycles(graph), breaches: breaches(graph) };
console.log(`${graph.size} modules, ${[...graph.values()].reduce((n, t) => n + t.length, 0)} imports`);
console.log(`${found.cycles.length} cycle(s)`);
for (const cycle of found.cycles) console.log(`  ${cycle.join(" ⇄ ")}`);
console.log(`${found.breaches.length} import(s) across the boundary rule`);
for (const line of found.breaches) console.log(`  ${line}`);
if (found.cycles.length + found.breaches.length > 0) process.exitCode = 1;
