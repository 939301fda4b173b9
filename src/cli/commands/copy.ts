/**
 * @module `scaletune copy --from <url> --to <url> [--study NAME]… [--as NEW]`: copies studies between storages,
 * whole (docs/postgres.md, "Copying studies"). The source is opened read-only: nothing in it changes.
 */
import type { Command } from "commander";
import { StorageError } from "../../errors.js";
import type { CopiedStudy } from "../../index.js";
import { print } from "../format.js";
import { existingStorage, shownStorage } from "../options.js";

interface CopyOptions {
  from: string;
  to: string;
  study?: string[];
  as?: string;
  json?: boolean;
}

/** `--study` may be given several times; not comma-separated, since a study name may hold a comma. */
function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

function copiedLine(c: CopiedStudy, from: string, to: string): string {
  const states = Object.entries(c.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`)
    .join(", ");
  const name = c.as === c.study ? `"${c.study}"` : `"${c.study}" as "${c.as}"`;
  return (
    `copied study ${name}: ${c.trials} trials${states === "" ? "" : ` (${states})`}, ${c.intermediateValues} intermediate values, ` +
    `from ${from} to ${to} in ${c.seconds.toFixed(1)} s`
  );
}

function runningNote(c: CopiedStudy, from: string): string {
  const one = c.running.length === 1;
  const [trials, were, is, their, them, finish] = one
    ? [`trial ${c.running[0]}`, "was", "is", "its", "it", "it finishes"]
    : [`trials ${c.running.join(", ")}`, "were", "are", "their", "them", "they finish"];
  return (
    `note: in "${c.as}", ${trials} ${were} running in ${from} and ${is} copied as running: ${their} worker${one ? "" : "s"} write${one ? "s" : ""} ` +
    `to the source only, so the first worker to run the copy fails ${them} after the heartbeat timeout and runs ${their} parameters again; ` +
    `copy again once ${finish} to keep ${their} results\n`
  );
}

async function copy(options: CopyOptions): Promise<void> {
  if (["", "memory:", ":memory:"].includes(options.to.trim())) {
    throw new StorageError("--to memory: would copy into a store gone when the command ends; give sqlite:<path> or postgres://…");
  }
  const { copyStudies } = await import("../../index.js");
  const from = shownStorage(options.from);
  const to = shownStorage(options.to);
  const copied = await copyStudies({
    from: existingStorage(options.from),
    to: options.to,
    ...(options.study && { studies: options.study }),
    ...(options.as !== undefined && { as: options.as }),
    onCopied: (c) => {
      if (!options.json) print(copiedLine(c, from, to));
      if (c.running.length > 0) process.stderr.write(runningNote(c, from));
    },
  });
  if (options.json) print(JSON.stringify({ from, to, studies: copied }, null, 2));
}

export function registerCopy(program: Command): void {
  program
    .command("copy")
    .description("copy studies, whole, from one storage to another (sqlite: ↔ postgres://); the source is only read")
    .requiredOption("--from <url>", "storage to copy from (opened read-only)")
    .requiredOption("--to <url>", "storage to copy into (sqlite:<path> is created if missing)")
    .option("--study <name>", "a study to copy; give it again for more (default: every study of --from)", collect)
    .option("--as <name>", "the copy's name in --to, when copying one study under another name")
    .option("--json", "print one JSON document: the studies copied, with their counts")
    .action(copy);
}
