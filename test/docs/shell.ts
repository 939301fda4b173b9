/**
 * @module The small part of POSIX shell syntax that the docs' commands use: words, quotes, `\` continuations,
 * comments and the operators `&&`, `|`, `;`, `>`, `>>`, `<`. Enough to split a fenced block into commands and a
 * command into words that can be rewritten and quoted back for `bash -c`; no expansion is done.
 */

export interface Word {
  /** The word after quote removal, or the operator itself. */
  readonly text: string;
  readonly operator: boolean;
}

const OPERATORS = ["&&", "||", ">>", "|", ";", ">", "<"];

/**
 * Splits shell text into commands (one per unquoted, unescaped newline) of words. A `#` that starts a word outside
 * quotes starts a comment; a quote left open at the end is an error, since the command would not run as written.
 */
export function parseShell(text: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push({ text: word, operator: false });
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      const next = text[++i];
      if (next === undefined) throw new SyntaxError("a command ends with a lone backslash");
      // A backslash-newline is removed (the line goes on); any other escaped character is taken literally.
      if (next !== "\n") word = (word ?? "") + next;
    } else if (c === "'" || c === '"') {
      const end = closingQuote(text, i);
      word = (word ?? "") + unquote(text.slice(i + 1, end), c);
      i = end;
    } else if (c === "\n") {
      endCommand();
    } else if (c === " " || c === "\t") {
      endWord();
    } else if (c === "#" && word === null) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else {
      const operator = OPERATORS.find((op) => text.startsWith(op, i));
      if (operator) {
        endWord();
        words.push({ text: operator, operator: true });
        i += operator.length - 1;
      } else word = (word ?? "") + c;
    }
  }
  endCommand();
  return commands;
}

function closingQuote(text: string, open: number): number {
  const quote = text[open]!;
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  throw new SyntaxError(`unclosed ${quote} in: ${text.slice(open, open + 60)}`);
}

/** Inside double quotes a backslash escapes only `"`, `\`, `$` and a backquote (and joins lines). */
function unquote(body: string, quote: string): string {
  return quote === "'" ? body : body.replace(/\\(["\\$`])/g, "$1").replace(/\\\n/g, "");
}

/** Words back to shell text for `bash -c`: operators as they are, every other word quoted when it needs it. */
export function toShell(words: readonly Word[]): string {
  return words.map((w) => (w.operator || /^[\w@%+=:,./-]+$/.test(w.text) ? w.text : `'${w.text.replaceAll("'", `'\\''`)}'`)).join(" ");
}

/** Splits a command at `&&` into the steps that run one after the other. */
export function steps(words: readonly Word[]): Word[][] {
  const out: Word[][] = [[]];
  for (const w of words) {
    if (w.operator && w.text === "&&") out.push([]);
    else out.at(-1)!.push(w);
  }
  return out.filter((s) => s.length > 0);
}
