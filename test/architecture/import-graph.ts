/**
 * @module The project's import graph, read from the sources with the TypeScript compiler's pre-processor: every
 * relative `import`, `export … from` and `import()`, type-only ones included (a type import still ties two modules
 * together). Test files are left out: a test may reach whatever it tests. Modules started by path (a worker
 * thread's script) are not imports; they import what they need themselves, and those imports are checked.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** Importing file → imported files, as paths relative to the project root with "/" separators. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const SOURCE = /\.(ts|mts)$/;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (SOURCE.test(name) && !name.endsWith(".d.ts") && !/\.test\.m?ts$/.test(name)) out.push(path);
  }
  return out;
}

/** The graph of the given folders (relative to `root`) that exist. */
export function importGraph(root: string, folders: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  const files = folders.flatMap((folder) => {
    const dir = join(root, folder);
    try {
      return statSync(dir).isDirectory() ? sourceFiles(dir) : [];
    } catch {
      return [];
    }
  });
  for (const file of files) {
    const specifiers = ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((i) => i.fileName);
    const targets = specifiers
      .filter((s) => s.startsWith("./") || s.startsWith("../"))
      .map((s) => toKey(root, resolve(dirname(file), s.replace(/\.js$/, ".ts"))));
    graph.set(toKey(root, file), [...new Set(targets)]);
  }
  return graph;
}

function toKey(root: string, path: string): string {
  return relative(root, path).split("\\").join("/");
}

/** Groups of files that import each other, directly or through others (strongly connected components of size > 1). */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}
