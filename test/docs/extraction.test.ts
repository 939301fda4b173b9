import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { docCode } from "./doc-commands.js";
import { codeSpans, fencedBlocks } from "./markdown.js";
import { parseShell, steps, toShell } from "./shell.js";

const texts = (text: string) => parseShell(text).map((words) => words.map((w) => w.text));

describe("shell parsing", () => {
  it("joins continuations, drops comments outside quotes, keeps quoted text whole", () => {
    assert.deepEqual(texts('a --x "one two" \\\n  --y 3   # a comment\nb \'# not a comment\' c#d\n'), [
      ["a", "--x", "one two", "--y", "3"],
      ["b", "# not a comment", "c#d"],
    ]);
  });

  it("keeps newlines inside single quotes, as node -e scripts need", () => {
    assert.deepEqual(texts("node -e 'a;\n  b' && echo ok\nnext"), [["node", "-e", "a;\n  b", "&&", "echo", "ok"], ["next"]]);
  });

  it("unescapes in double quotes only what the shell does", () => {
    assert.deepEqual(texts('x "a \\"b\\" \\n $"'), [["x", 'a "b" \\n $']]);
  });

  it("splits operators from words, and steps at &&", () => {
    const [words] = parseShell("npm ci && npx scaletune trials --study s --csv > out.csv");
    assert.deepEqual(steps(words!).map((s) => toShell(s)), ["npm ci", "npx scaletune trials --study s --csv > out.csv"]);
    assert.deepEqual(words!.filter((w) => w.operator).map((w) => w.text), ["&&", ">"]);
  });

  it("quotes back only words that need it", () => {
    const [words] = parseShell(`run --columns "N=Model Size,loss=it's" --pruners 'none;median' --x a=b,c:d`);
    assert.equal(toShell(words!), `run --columns 'N=Model Size,loss=it'\\''s' --pruners 'none;median' --x a=b,c:d`);
    assert.deepEqual(texts(toShell(words!)), [words!.map((w) => w.text)]);
  });

  it("refuses an unclosed quote", () => {
    assert.throws(() => parseShell("echo 'open"), /unclosed ' in: 'open/);
  });
});

describe("markdown code", () => {
  const markdown = [
    "Run `npx scaletune demo` or `` npm run `bench` ``; a span may run",
    "over a line: `scaletune scaling",
    "fit`. An unmatched ` backtick is text.",
    "",
    "<!-- npm run bench -- comment, with `npm test` -->",
    "```sh",
    "npm ci",
    "```",
    "~~~",
    "`not a span`",
    "~~~",
    "After `x`.",
  ].join("\n");

  it("finds inline spans outside fences and comments, each at the line it opens on", () => {
    assert.deepEqual(codeSpans(markdown), [
      { line: 1, text: "npx scaletune demo" },
      { line: 1, text: "npm run `bench`" },
      { line: 2, text: "scaletune scaling fit" },
      { line: 12, text: "x" },
    ]);
  });

  it("finds fenced blocks with their language", () => {
    assert.deepEqual(fencedBlocks(markdown), [
      { line: 6, language: "sh", text: "npm ci" },
      { line: 9, language: "", text: "`not a span`" },
    ]);
  });
});

describe("what counts as a command", () => {
  const code = docCode("doc.md", [
    "```bash",
    "npx scaletune run train.ts --study s \\",
    "  --trials 10   # the target",
    "scaletune studies",
    "```",
    "```ts",
    "const x = 1;",
    "```",
    "```",
    "$ npx scaletune best --study s",
    "```",
    "`scaletune bench`, `scaletune bench --problem <name>`, `npm run bench -- ask`, `node -e 'open`, `scaletune` alone,",
    "`scaletune/scaling`, `--seeds 10`, `python -c <script>`.",
  ].join("\n"));

  it("runs shell blocks as scripts, command by command, and spans that are whole commands alone", () => {
    assert.deepEqual(code.scripts.map((s) => [s.line, s.origin, s.commands.map((c) => [c.line, c.text])]), [
      [1, "block", [[2, "npx scaletune run train.ts --study s --trials 10"], [4, "scaletune studies"]]],
      [12, "span", [[12, "npm run bench -- ask"]]],
    ]);
  });

  it("checks mentions of commands, and templates with their options", () => {
    assert.deepEqual(code.mentions.map((m) => [m.kind, m.path, m.options]), [
      ["reference", ["bench"], []],
      ["template", ["bench"], ["--problem"]],
    ]);
  });

  it("reports what it cannot classify: a command in another block, broken quoting, templates of other programs", () => {
    assert.deepEqual(code.unclassified.map((u) => [u.line, u.text]), [
      [10, "$ npx scaletune best --study s"],
      [12, "node -e 'open"],
      [13, "python -c <script>"],
    ]);
  });
});
