/**
 * @module What a library user's `npm install` brings: packs this checkout (`npm pack`, which builds it), installs the
 * tarball into an empty project with `npm install <tarball> --no-audit --no-fund`, and reports the size of that
 * project's node_modules (`du`), its largest packages, whether TensorFlow.js came along, and whether better-sqlite3's
 * binary was compiled here or downloaded prebuilt. Needs the npm registry, and minutes when better-sqlite3 compiles;
 * the size is the same at every `Size`, so `--quick` measures too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../src/testing/temp.js";
import { printRows, type BenchRow } from "./common.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LARGEST = 6;

/**
 * Runs npm without the `npm_*` variables of the `npm run bench` that started us: they would point the child at this
 * checkout (`npm --prefix … run bench` sets the prefix), not at the directory it is given.
 */
function npm(args: readonly string[], cwd: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const r = spawnSync("npm", args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${r.stderr}`);
  return r.stdout;
}

/** Disk usage of `path` in MB, as `du` counts it. */
function duMb(path: string): number {
  const r = spawnSync("du", ["-sk", path], { encoding: "utf8" });
  return Number(r.stdout.split("\t")[0]) / 1024;
}

/** The packages at the top of `modules`, scoped ones by their full name. */
function packages(modules: string): string[] {
  return readdirSync(modules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) => (name.startsWith("@") ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : [name]));
}

export async function installSize(): Promise<BenchRow[]> {
  const dir = tempDir("scaletune-install-size-");
  npm(["pack", "--pack-destination", dir.path], ROOT);
  const tarball = readdirSync(dir.path).find((name) => name.endsWith(".tgz"))!;
  const project = dir.file("project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "install-size-probe", private: true }, null, 2)}\n`);
  const started = performance.now();
  npm(["install", dir.file(tarball), "--no-audit", "--no-fund"], project);
  const seconds = (performance.now() - started) / 1000;

  const modules = join(project, "node_modules");
  const sizes = packages(modules).map((name) => ({ name, mb: duMb(join(modules, name)) })).sort((a, b) => b.mb - a.mb);
  // The demo's two packages and what they bring (tfjs-backend-cpu).
  const tensorflow = sizes.filter((p) => p.name.startsWith("@tensorflow/"));
  const tensorflowMb = tensorflow.reduce((sum, p) => sum + p.mb, 0);
  // node-gyp leaves its object files in build/Release/obj.target; prebuild-install unpacks the .node file alone.
  const compiled = existsSync(join(modules, "better-sqlite3/build/Release/obj.target"));
  const rows: BenchRow[] = [
    { measure: "packed tarball", value: `${(statSync(dir.file(tarball)).size / 1024 / 1024).toFixed(1)} MB` },
    { measure: "node_modules after npm install of the tarball", value: `${duMb(modules).toFixed(0)} MB, ${sizes.length} packages` },
    {
      measure: "TensorFlow.js installed (@tensorflow/*)",
      value: tensorflow.length ? `yes, ${tensorflowMb.toFixed(0)} MB: ${tensorflow.map((p) => `${p.name} ${p.mb.toFixed(1)} MB`).join(", ")}` : "no",
    },
    { measure: "better-sqlite3's binary", value: compiled ? "compiled here (node-gyp): no prebuilt binary could be fetched" : "prebuilt, downloaded" },
    { measure: "install time", value: `${seconds.toFixed(0)} s` },
    { measure: `largest ${LARGEST} packages`, value: sizes.slice(0, LARGEST).map((p) => `${p.name} ${p.mb.toFixed(1)} MB`).join(", ") },
  ];
  dir.remove();
  printRows("What npm install of the packed package installs into an empty project (needs the npm registry)", rows);
  return rows;
}
