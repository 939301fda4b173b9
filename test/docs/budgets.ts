/**
 * @module The one table of budget rewrites: the docs' long commands run here on small budgets, through the same
 * code. Every rule names the command, the option and why; an option the docs leave out is added when its default
 * is long. Other options (and any new ones) pass through unchanged.
 */

/** Trial and epoch counts run at a twentieth, rounded up: ratios between them are kept. */
const DIVISOR = 20;
/** Enough trials for GP (and AutoSampler, which hands over to it) to fit past their 10 startup trials. */
const MIN_TRIALS = 12;
/** The least --epoch-budget the curve problems take: one full trial. */
const MIN_EPOCHS = 27;

type BudgetRule = OptionRule | FlagRule;

export interface OptionRule {
  /** `scaletune` subcommand path ("bench", "scaling fit"), or "npm run bench". */
  readonly command: string;
  readonly option: string;
  /** The value to run with, given the docs' value (the default when the docs leave the option out). */
  readonly small: (value: string) => string;
  /** The option's default, when it is long enough to add the option where the docs leave it out. */
  readonly longDefault?: string;
  /** Where the option applies, when it does not everywhere: elsewhere it is not added. */
  readonly when?: (args: readonly string[]) => boolean;
  readonly why: string;
}

/** A flag added where the docs leave it out. */
export interface FlagRule {
  readonly command: string;
  readonly flag: string;
  readonly why: string;
}

const divided = (least: number) => (value: string) => String(Math.max(least, Math.ceil(Number(value) / DIVISOR)));
const dividedList = (value: string) => [...new Set(value.split(",").map(divided(1)))].join(",");
/** The kind of problems a `bench` command runs: curve and multi-fidelity YAHPO problems refuse --trials. */
const problems = (args: readonly string[], kind: RegExp) => optionValues(args, "--problem").some((p) => p.split(",").some((name) => kind.test(name)));
const CURVES = /^curves(:|$)/;
const YAHPO_MF = /^yahpo-mf(:|$)/;

export const BUDGETS: readonly BudgetRule[] = [
  { command: "bench", option: "--seeds", small: () => "1", longDefault: "10", why: "seed 0 alone runs every problem × sampler (× pruner)" },
  {
    command: "bench", option: "--trials", small: divided(MIN_TRIALS), longDefault: "200",
    when: (args) => !problems(args, CURVES) && !problems(args, YAHPO_MF), why: "a twentieth, at least 12: GP fits past its 10 startup trials",
  },
  { command: "bench", option: "--budgets", small: dividedList, why: "a twentieth, as --trials: none exceeds it" },
  {
    command: "bench", option: "--epoch-budget", small: divided(MIN_EPOCHS), longDefault: "2700", when: (args) => problems(args, CURVES),
    why: "a twentieth, at least one whole trial (27 epochs)",
  },
  {
    command: "bench", option: "--budget-fraction", small: () => "0.05", longDefault: "1", when: (args) => problems(args, YAHPO_MF),
    why: "the protocol's budget is fixed; 5 % of it still prunes, and ranks",
  },
  { command: "run", option: "--trials", small: divided(MIN_TRIALS), why: "a study's target: as bench's --trials, so later commands raising it still do" },
  { command: "worker", option: "--trials", small: divided(MIN_TRIALS), why: "as run's: the study's target" },
  { command: "demo", option: "--trials", small: () => "2", longDefault: "40", why: "each demo trial trains a network for 20 epochs" },
  { command: "scaling fit", option: "--bootstrap", small: () => "5", why: "a resample refits the law; the point fit is unchanged" },
  { command: "scaling hparams", option: "--bootstrap", small: () => "5", longDefault: "200", why: "as for scaling fit" },
  { command: "npm run bench", flag: "--quick", why: "perf/run.ts's own small sizes (docs/benchmarks-harness.md)" },
];

/** Every value of `--name value` or `--name=value` in `args`. */
export function optionValues(args: readonly string[], name: string): string[] {
  return args.flatMap((arg, i) => (arg === name && i + 1 < args.length ? [args[i + 1]!] : arg.startsWith(`${name}=`) ? [arg.slice(name.length + 1)] : []));
}

/**
 * `args` (after the program: `bench --problem …`; for npm, `-- pruners` after `npm run bench`) with the rules for
 * `command` applied; an option given several times has each value rewritten.
 */
export function withBudgets(command: string, args: readonly string[]): string[] {
  let out = [...args];
  for (const rule of BUDGETS.filter((r) => r.command === command)) {
    if ("flag" in rule) {
      if (!out.includes(rule.flag)) out = withFlag(out, rule.flag);
      continue;
    }
    const given = out.some((a) => a === rule.option || a.startsWith(`${rule.option}=`));
    if (given) {
      out = out.map((arg, i) =>
        out[i - 1] === rule.option ? rule.small(arg) : arg.startsWith(`${rule.option}=`) ? `${rule.option}=${rule.small(arg.slice(rule.option.length + 1))}` : arg,
      );
    } else if (rule.longDefault !== undefined && (rule.when?.(out) ?? true)) {
      out.push(rule.option, rule.small(rule.longDefault));
    }
  }
  return out;
}

/** npm passes what follows `--` to the script: the flag goes there. */
function withFlag(args: readonly string[], flag: string): string[] {
  const dashes = args.indexOf("--");
  return dashes < 0 ? [...args, "--", flag] : [...args.slice(0, dashes + 1), flag, ...args.slice(dashes + 1)];
}
