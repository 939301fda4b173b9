/**
 * @module The code in a markdown file: fenced blocks with their language, and inline code spans (CommonMark's
 * rules: a run of n backticks closes at the next run of exactly n, within a paragraph; newlines become spaces).
 * HTML comments are left out: in these docs they record how a stored result was produced, at a named commit.
 */

export interface FencedBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word, lower-cased ("" when there is none). */
  readonly language: string;
  readonly text: string;
}

export interface CodeSpan {
  /** 1-based line of the opening backticks. */
  readonly line: number;
  readonly text: string;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  return splitFences(markdown).blocks;
}

export function codeSpans(markdown: string): CodeSpan[] {
  // Comments keep their newlines, so that line numbers stay right.
  const prose = splitFences(markdown).prose.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, " "));
  const spans: CodeSpan[] = [];
  let line = 1;
  for (let i = 0; i < prose.length; i++) {
    if (prose[i] === "\n") line++;
    if (prose[i] !== "`") continue;
    let n = 1;
    while (prose[i + n] === "`") n++;
    const close = closingRun(prose, i + n, n);
    if (close < 0) {
      i += n - 1;
      continue;
    }
    spans.push({ line, text: spanText(prose.slice(i + n, close)) });
    line += (prose.slice(i, close).match(/\n/g) ?? []).length;
    i = close + n - 1;
  }
  return spans;
}

/** The start of the next run of exactly `n` backticks before the paragraph ends, or −1. */
function closingRun(text: string, from: number, n: number): number {
  const paragraphEnd = text.slice(from).search(/\n[ \t]*\n/);
  const end = paragraphEnd < 0 ? text.length : from + paragraphEnd;
  for (let i = from; i < end; i++) {
    if (text[i] !== "`") continue;
    let run = 1;
    while (text[i + run] === "`") run++;
    if (run === n) return i;
    i += run - 1;
  }
  return -1;
}

function spanText(raw: string): string {
  const text = raw.replace(/\n/g, " ");
  return /^ .*[^ ].* $/.test(text) ? text.slice(1, -1) : text;
}

/** Fenced blocks, and the rest of the text with each block's lines blanked. */
function splitFences(markdown: string): { blocks: FencedBlock[]; prose: string } {
  const lines = markdown.split("\n");
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const closes = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closes.test(lines[end]!)) end++;
    blocks.push({ line: i + 1, language: open[2]!.toLowerCase(), text: lines.slice(i + 1, end).join("\n") });
    for (let j = i; j <= end && j < lines.length; j++) lines[j] = "";
    i = end;
  }
  return { blocks, prose: lines.join("\n") };
}
