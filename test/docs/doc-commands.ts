/**
 * @module What counts as a command in the docs, and what kind of command it is.
 *
 * - A fenced block marked `sh`, `bash` or `shell` is a script: its commands run in order, in one directory.
 * - A fenced block in another language (or none) must not hold a command line: one that does is unclassified.
 * - An inline code span is command-like when its first word is a program (`npx`, `scaletune`, `npm`, `node`,
 *   `python3`, `pip`, `apt-get`, …) and a second word follows. Then it is
 *   - a reference when it is `scaletune` and subcommand names only (`scaletune scaling fit`): the command must exist;
 *   - a template when it holds a placeholder (`NAME`, `<file>`, `…`): the command must exist and take its options;
 *   - otherwise a script of one command.
 */
import { codeSpans, fencedBlocks } from "./markdown.js";
import { parseShell, toShell, type Word } from "./shell.js";

export interface Command {
  readonly line: number;
  /** The command as the docs give it, on one line. */
  readonly text: string;
  readonly words: readonly Word[];
}

export interface Script {
  readonly file: string;
  readonly line: number;
  readonly origin: "block" | "span";
  readonly commands: readonly Command[];
}

/** A span that names a command (`scaletune bench`), or shows its form with placeholders. */
export interface Mention {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly kind: "reference" | "template";
  /** The subcommand path after `scaletune`. */
  readonly path: readonly string[];
  /** The `--options` a template shows. */
  readonly options: readonly string[];
}

export interface Unclassified {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

export interface DocCode {
  readonly scripts: Script[];
  readonly mentions: Mention[];
  readonly unclassified: Unclassified[];
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell"]);
const PROGRAMS = new Set(["npx", "scaletune", "npm", "node", "python", "python3", "pip", "pip3", "apt-get", "apt", "bash", "sh"]);
const PLACEHOLDER = /<[\w -]+>|…|\.\.\.|(^|[\s=])[A-Z][A-Z_]+(\s|,|$)/;

export function docCode(file: string, markdown: string): DocCode {
  const code: DocCode = { scripts: [], mentions: [], unclassified: [] };
  for (const block of fencedBlocks(markdown)) {
    if (SHELL_LANGUAGES.has(block.language)) {
      try {
        code.scripts.push({ file, line: block.line, origin: "block", commands: blockCommands(block.text, block.line) });
      } catch (error) {
        code.unclassified.push({ file, line: block.line, text: block.text, why: (error as Error).message });
      }
      continue;
    }
    block.text.split("\n").forEach((text, i) => {
      if (commandLike(text.replace(/^\$\s+/, ""))) {
        code.unclassified.push({ file, line: block.line + 1 + i, text, why: `a command line in a \`\`\`${block.language} block: mark the block sh` });
      }
    });
  }
  for (const span of codeSpans(markdown)) {
    if (!commandLike(span.text)) continue;
    const at = { file, line: span.line, text: span.text };
    let words: Word[][];
    try {
      words = parseShell(span.text);
    } catch (error) {
      code.unclassified.push({ ...at, why: (error as Error).message });
      continue;
    }
    const [first, ...rest] = words[0]!.map((w) => w.text);
    if (first === "scaletune" && rest.every((w) => /^[a-z][a-z-]*$/.test(w))) {
      code.mentions.push({ ...at, kind: "reference", path: rest, options: [] });
    } else if (PLACEHOLDER.test(span.text)) {
      const args = first === "npx" ? rest.slice(1) : rest;
      if (first !== "scaletune" && !(first === "npx" && rest[0] === "scaletune")) {
        code.unclassified.push({ ...at, why: "a template of a command other than scaletune's" });
        continue;
      }
      const pathEnd = args.findIndex((w) => !/^[a-z][a-z-]*$/.test(w));
      const path = pathEnd < 0 ? args : args.slice(0, pathEnd);
      const options = args.filter((w) => w.startsWith("--")).map((w) => w.split("=")[0]!);
      code.mentions.push({ ...at, kind: "template", path, options });
    } else {
      code.scripts.push({ file, line: span.line, origin: "span", commands: words.map((w) => ({ line: span.line, text: toShell(w), words: w })) });
    }
  }
  return code;
}

function blockCommands(text: string, fenceLine: number): Command[] {
  const commands: Command[] = [];
  // Each command's line: where its first word is, counting from the fence.
  const lines = text.split("\n");
  let searchFrom = 0;
  for (const words of parseShell(text)) {
    const first = words[0]!.text;
    const index = lines.findIndex((l, i) => i >= searchFrom && l.trimStart().startsWith(first));
    searchFrom = index < 0 ? searchFrom : index + 1;
    commands.push({ line: fenceLine + 1 + Math.max(0, index), text: toShell(words), words });
  }
  return commands;
}

function commandLike(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return words.length >= 2 && PROGRAMS.has(words[0]!);
}
