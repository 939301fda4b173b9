/**
 * @module Numbers the docs say a command of theirs prints. Each claim reads the numbers from the docs' own text
 * (its pattern's named groups) and from the command's output, and they must agree to the digits the docs give.
 */

export interface Claim {
  readonly file: string;
  /** The statement in the docs; each named group is a number claimed. */
  readonly stated: RegExp;
  /** The command the numbers come from, as the docs write it on one line. */
  readonly command: RegExp;
  /** The same quantities, read from what the command printed. */
  readonly measured: (stdout: string) => Record<string, number>;
}

/** `scaletune scaling fit`'s table: `alpha      0.34731   …`, the optimum and the allocation exponent. */
function fitPrinted(stdout: string): Record<string, number> {
  const read = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1]);
  return {
    alpha: read(/^alpha\s+(\S+)/m),
    beta: read(/^beta\s+(\S+)/m),
    E: read(/^E\s+(\S+)/m),
    a: read(/N_opt ∝ C\^(\S+),/),
    objective: read(/optimum (\S+)/),
  };
}

const CHINCHILLA_FIT = /^npx scaletune scaling fit runs\.csv --law chinchilla .*--drop-highest-loss 5 /;

export const CLAIMS: readonly Claim[] = [
  {
    file: "README.md",
    stated: /reproduces Epoch's fit \(α (?<alpha>\S+), β (?<beta>\S+), E (?<E>\S+), objective (?<objective>[^\s)]+)\)/,
    command: CHINCHILLA_FIT,
    measured: fitPrinted,
  },
  {
    file: "docs/scaling.md",
    stated: /\| refit, 5 highest losses dropped \|[^|]+\| α (?<alpha>\S+), β (?<beta>\S+), E (?<E>\S+), a (?<a>\S+) \|/,
    command: CHINCHILLA_FIT,
    measured: fitPrinted,
  },
  {
    file: "docs/scaling.md",
    stated: /\| summed Huber objective \|[^|]+\| (?<objective>\S+) \|/,
    command: CHINCHILLA_FIT,
    measured: fitPrinted,
  },
  {
    file: "docs/scaling.md",
    stated: /\| Epoch's parameters, C = 5\.88e23 \|[^|]+\| (?<N>\S+), (?<D>\S+), (?<tokensPerParameter>\S+) \|/,
    command: /^npx scaletune scaling optimal --preset besiroglu-2024 --compute 5\.88e23 --json$/,
    measured: (stdout) => {
      const [allocation] = (JSON.parse(stdout) as { allocations: { N: number; D: number; tokensPerParameter: number }[] }).allocations;
      return { N: allocation!.N, D: allocation!.D, tokensPerParameter: allocation!.tokensPerParameter };
    },
  },
];

/** Half a unit in the last digit written: "0.3473" → 5e-5, "1.01827e-3" → 5e-9, "7.302e10" → 5e6. */
export function tolerance(written: string): number {
  const m = /^-?\d+(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(written);
  if (!m) throw new Error(`"${written}" is not a number as the docs write them`);
  return 0.5 * 10 ** (Number(m[2] ?? 0) - (m[1]?.length ?? 0));
}

/** The claimed numbers the measured ones do not round to, as messages. */
export function disagreements(stated: Readonly<Record<string, string>>, measured: Readonly<Record<string, number>>): string[] {
  return Object.entries(stated).flatMap(([name, written]) => {
    const value = measured[name];
    const ok = value !== undefined && Math.abs(value - Number(written)) <= tolerance(written) * (1 + 1e-9);
    return ok ? [] : [`${name}: the docs say ${written}, the command gave ${value}`];
  });
}
