/**
 * @module How a docs command runs here. Each `&&` step is run, rewritten, or not run with the reason:
 * - `npx scaletune …`, `scaletune …` and `node bin/scaletune.js …` run the built CLI (a `scaletune` on PATH that
 *   runs this checkout's bin/scaletune.js — npx would look for the package on the network), with the budgets of
 *   budgets.ts;
 * - `npm run bench …` runs this checkout's bench script, `--quick`; `npm run architecture` runs as written;
 * - `node -e …` runs as written;
 * - `npm ci`, `npm test`, `npm run build`, `npm run reliability` and `npm run bench -- install-size` do not run (see
 *   NOT_RUN); anything else is an error.
 */
import { withBudgets } from "./budgets.js";
import { toShell, steps, type Word } from "./shell.js";

export type Step =
  | { readonly run: false; readonly text: string; readonly why: string }
  /** `cli`: the arguments given to scaletune, when the step runs it. */
  | { readonly run: true; readonly text: string; readonly cli: readonly string[] | null };

export const NOT_RUN: Readonly<Record<string, string>> = {
  "npm ci": "installs the dependencies: done before npm test runs this file",
  "npm test": "runs the suite this file belongs to",
  "npm run build": "npm test builds first; rebuilding would rewrite dist/ under the tests running beside this one",
  "npm run reliability": "runs test/reliability, which npm test runs as well (it takes every *.test.ts)",
  "npm run bench -- pg-throughput-vs-optuna":
    "needs a PostgreSQL server and Debian's Optuna (python3-optuna, python3-psycopg2 under /usr/bin/python3), and runs for minutes: three repetitions of four configurations, Optuna's at under 100 trials/s",
  "npm run bench -- install-size":
    "needs the npm registry and a minute or more (better-sqlite3 compiles), and its npm pack rebuilds dist/ under the tests running beside this one",
};

/** The steps of one command; throws, saying why, on a step it does not know how to run. */
export function planCommand(words: readonly Word[], repo: string): Step[] {
  return steps(words).map((step) => {
    const operator = step.findIndex((w) => w.operator);
    const args = (operator < 0 ? step : step.slice(0, operator)).map((w) => w.text);
    const tail = operator < 0 ? [] : step.slice(operator);
    const text = toShell(step);
    const why = NOT_RUN[args.join(" ")];
    if (why) return { run: false, text, why };
    const shell = (argv: readonly string[]) => toShell([...argv.map((a) => ({ text: a, operator: false })), ...tail]);
    const cli = cliArgs(args);
    if (cli) {
      const rewritten = withBudgets(cli[0] === "scaling" ? cli.slice(0, 2).join(" ") : cli[0] ?? "", cli);
      return { run: true, text: shell(["scaletune", ...rewritten]), cli: rewritten };
    }
    if (args.slice(0, 3).join(" ") === "npm run bench") {
      return { run: true, text: shell(["npm", "--prefix", repo, "run", "bench", ...withBudgets("npm run bench", args.slice(3))]), cli: null };
    }
    if (args.join(" ") === "npm run architecture") return { run: true, text: shell(["npm", "--prefix", repo, "run", "architecture"]), cli: null };
    if (args[0] === "node" && args[1] === "-e") return { run: true, text, cli: null };
    throw new Error(`no way to run "${text}" here: a program other than scaletune, npm run bench, npm run architecture or node -e`);
  });
}

function cliArgs(args: readonly string[]): string[] | null {
  if (args[0] === "scaletune") return args.slice(1);
  if (args[0] === "npx" && args[1] === "scaletune") return args.slice(2);
  if (args[0] === "node" && args[1] === "bin/scaletune.js") return args.slice(2);
  return null;
}
