/**
 * @module Errors from a user's objective file, made to point at the user's code: where a syntax error is, and which
 * file a stack frame of a module tsx evaluated from a `data:` URL belongs to.
 */
import { spawnSync } from "node:child_process";
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface Location {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
}

// esbuild, which tsx compiles TypeScript with: "Transform failed with 1 error:\n/abs/a.ts:3:12: ERROR: Unexpected …".
// Its column counts from 0.
const ESBUILD_ERROR = /^(.+):(\d+):(\d+): ERROR: (.+)$/m;

/**
 * Node's "file:line / source line / caret" lines, the only place V8's location of a syntax error reaches JavaScript
 * (the file is a URL when an ES module imports a name its dependency does not export).
 */
function arrowLocation(text: string): Location | undefined {
  const [head = "", , caret = ""] = text.split("\n");
  const at = /^(.+):(\d+)$/.exec(head);
  if (!at) return undefined;
  const file = at[1]!.startsWith("file://") ? fileURLToPath(at[1]!) : at[1]!;
  if (!isAbsolute(file)) return undefined;
  const column = caret.indexOf("^");
  return { file, line: Number(at[2]), ...(column >= 0 && { column: column + 1 }) };
}

/**
 * Where V8 finds a syntax error in `path`. Node decorates a CommonJS file's error with it, not an ES module's, so the
 * file is parsed again by `node --check`, which prints it (for this file only: an error in a file it imports stays
 * unplaced).
 */
function syntaxErrorLocation(error: Error, path: string): Location | undefined {
  return arrowLocation(error.stack ?? "") ?? arrowLocation(spawnSync(process.execPath, ["--check", path], { encoding: "utf8" }).stderr);
}

/** One line on why the objective file at `path` did not load: a syntax error's file:line:column, else the first line of the message. */
export function describeLoadError(error: unknown, path: string): string {
  if (!(error instanceof Error)) return String(error);
  const esbuild = ESBUILD_ERROR.exec(error.message);
  const at: Location | undefined = esbuild
    ? { file: esbuild[1]!, line: Number(esbuild[2]), column: Number(esbuild[3]) + 1 }
    : error.name === "SyntaxError"
      ? syntaxErrorLocation(error, path)
      : undefined;
  if (at) return `SyntaxError at ${shown(at.file)}:${at.line}${at.column === undefined ? "" : `:${at.column}`}: ${esbuild ? esbuild[4] : error.message}`;
  // A module not found adds "Require stack:" lines, one per importing file.
  return withUserPaths(error.message.split("\n")[0]!);
}

// tsx runs some CommonJS modules (TypeScript imported by an ES module) from "data:text/javascript,<code>?filePath=<path>".
// A frame there counts lines of tsx's output, not of the file, so it keeps the file alone.
const TSX_DATA_URL = /data:text\/javascript,[^\s?]*\?filePath=([^\s:)]+)(?::\d+:\d+)?/g;
// tsImport marks the URLs of the ES modules it loads with its namespace: file:///a.mjs?tsx-namespace=<uuid>:1:31.
const TSX_NAMESPACE = /\?tsx-namespace=[\w-]+/g;

/** `text` with tsx's module URLs turned back into the user's paths: a data: URL into the file it was compiled from, namespaces dropped. */
export function withUserPaths(text: string): string {
  return text.replace(TSX_DATA_URL, (_, file: string) => decodeURIComponent(file).replace(/\?.*$/, "")).replace(TSX_NAMESPACE, "");
}
