/**
 * @module `scaletune studies | trials | best | delete`: look at and manage stored studies.
 *
 * The looking commands open the storage read-only (read-only files work, nothing is written) and read only what
 * they show: `best` one trial, `trials` a page at a time, so that a 50,000-trial study costs no more memory than a
 * small one.
 */
import { InvalidArgumentError, type Command } from "commander";
import {
  DEFAULT_HEARTBEAT,
  StudyReader,
  TRIAL_STATES,
  deleteStudy,
  isStale,
  listStudies,
  type FrozenTrial,
  type StudySummary,
  type TrialListing,
  type TrialState,
} from "../../index.js";
import { csvRow, formatNumber, formatValue, print, table, trialJson } from "../format.js";
import { shellQuote } from "../interruption.js";
import { DEFAULT_STORAGE, existingStorage, positiveInt, shownStorage } from "../options.js";
import {
  DEFAULT_CSV_FIELDS,
  DEFAULT_JSON_FIELDS,
  DEFAULT_TABLE_FIELDS,
  columnsOf,
  needsCurves,
  parseFields,
  trialJsonFields,
  type Column,
} from "../trial-fields.js";

interface StorageOption {
  storage: string;
}

/** A summary whose running trials are split into live ones and stale ones (no heartbeat, or their worker gone). */
function withStale(summary: StudySummary, now: number) {
  const stale = summary.runningTrials.filter((t) => isStale(t, now, DEFAULT_HEARTBEAT.staleAfterMs)).length;
  const { runningTrials: _, ...rest } = summary;
  return { ...rest, counts: { ...summary.counts, running: summary.counts.running - stale, stale } };
}

async function studies(options: StorageOption & { json?: boolean }): Promise<void> {
  const now = Date.now();
  const summaries = (await listStudies(existingStorage(options.storage))).map((s) => withStale(s, now));
  if (options.json) return print(JSON.stringify(summaries, null, 2));
  if (summaries.length === 0) return print(`no studies in ${shownStorage(options.storage)}`);
  print(
    table(
      ["study", "direction", "complete", "pruned", "failed", "running", "stale", "waiting", "best", "last activity"],
      summaries.map((s) => [
        s.name,
        s.directions.join(","),
        String(s.counts.complete),
        String(s.counts.pruned),
        String(s.counts.failed),
        String(s.counts.running),
        String(s.counts.stale),
        String(s.counts.waiting),
        s.bestValues ? s.bestValues.map(formatNumber).join(",") : "-",
        s.lastActivityAt === null ? "-" : new Date(s.lastActivityAt).toISOString().replace("T", " ").slice(0, 19),
      ]),
    ),
  );
  const stale = summaries.filter((s) => s.counts.stale > 0);
  if (stale.length > 0) {
    process.stderr.write(
      `stale trials (their worker stopped beating or is gone) are failed and retried when a worker next runs the study: ` +
        `${stale.map((s) => `scaletune run … --study ${shellQuote(s.name)}`).join("; ")}\n`,
    );
  }
}

interface TrialsOptions extends StorageOption {
  study: string;
  json?: boolean;
  csv?: boolean;
  limit?: number;
  state?: TrialState[];
  sort: TrialListing["orderBy"];
  descending?: boolean;
  fields?: string;
}

/** Writes `text` and waits while the pipe is full: a large listing must not pile up in memory. */
function write(text: string): Promise<void> {
  return new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once("drain", resolve)));
}

async function trials(options: TrialsOptions): Promise<void> {
  const format = options.json ? "json" : options.csv ? "csv" : "table";
  const fields = parseFields(options.fields ?? { json: DEFAULT_JSON_FIELDS, csv: DEFAULT_CSV_FIELDS, table: DEFAULT_TABLE_FIELDS }[format]);
  const reader = await StudyReader.open({ name: options.study, storage: existingStorage(options.storage) });
  try {
    const listing: TrialListing = {
      orderBy: options.sort,
      curves: needsCurves(fields),
      ...(options.descending && { descending: true }),
      ...(options.state && { states: options.state }),
      ...(options.limit !== undefined && { limit: options.limit }),
    };
    const pages = reader.pages(listing);
    if (format === "json") {
      let first = true;
      await write("[");
      for await (const page of pages) {
        const text = page.map((t) => JSON.stringify(trialJsonFields(t, fields), null, 2).replace(/^/gm, "  ")).join(",\n");
        await write(`${first ? "\n" : ",\n"}${text}`);
        first = false;
      }
      return await write(first ? "]\n" : "\n]\n");
    }
    const columns = columnsOf(fields, reader.directions.length, await reader.keys(), format === "csv");
    if (format === "csv") {
      await write(`${csvRow(columns.map((c) => c.header))}\n`);
      for await (const page of pages) await write(page.map((t) => `${csvRow(columns.map((c) => c.raw(t)))}\n`).join(""));
      return;
    }
    await writeTable(columns, pages);
  } finally {
    await reader.close();
  }
}

/** An aligned table, a page at a time: columns take the widths of the first page, and widen as later pages need. */
async function writeTable(columns: readonly Column[], pages: AsyncIterable<FrozenTrial[]>): Promise<void> {
  const header = columns.map((c) => c.header);
  let widths: number[] | null = null;
  for await (const page of pages) {
    const rows = page.map((t) => columns.map((c) => c.text(t)));
    const first = widths === null;
    widths = header.map((h, i) => Math.max(widths?.[i] ?? h.length, ...rows.map((r) => r[i]!.length)));
    const lines = table(header, rows, widths).split("\n");
    await write(`${(first ? lines : lines.slice(2)).join("\n")}\n`);
  }
  if (widths === null) await write(`${table(header, [])}\n`);
}

async function best(options: StorageOption & { study: string; json?: boolean }): Promise<void> {
  const reader = await StudyReader.open({ name: options.study, storage: existingStorage(options.storage) });
  const front = await reader.bestTrials().finally(() => reader.close());
  if (front.length === 0) {
    process.stderr.write(`study "${options.study}" has no complete trial yet\n`);
    process.exitCode = 1;
    return;
  }
  if (options.json) return print(JSON.stringify(reader.directions.length === 1 ? trialJson(front[0]!) : front.map(trialJson), null, 2));
  for (const t of front) {
    print(`trial #${t.number}: ${t.values!.map(formatNumber).join(", ")}`);
    for (const [k, v] of Object.entries(t.params)) print(`  ${k} = ${formatValue(v)}`);
  }
}

async function remove(options: StorageOption & { study: string; json?: boolean }): Promise<void> {
  await deleteStudy({ name: options.study, storage: existingStorage(options.storage) });
  if (options.json) return print(JSON.stringify({ deleted: options.study, storage: shownStorage(options.storage) }));
  print(`deleted study "${options.study}" from ${shownStorage(options.storage)}`);
}

function states(value: string): TrialState[] {
  const list = value.split(",").map((s) => s.trim());
  const unknown = list.filter((s) => !(TRIAL_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown state ${unknown.map((s) => `"${s}"`).join(", ")}; states are ${TRIAL_STATES.join(", ")}.`);
  return list as TrialState[];
}

function order(value: string): NonNullable<TrialListing["orderBy"]> {
  if (value !== "number" && value !== "value" && value !== "best") throw new InvalidArgumentError('expected "number", "value" or "best".');
  return value;
}

export function registerInspect(program: Command): void {
  program
    .command("studies")
    .description("list the studies in a storage (running trials whose worker is gone are counted as stale)")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--json", "print JSON")
    .action(studies);
  program
    .command("trials")
    .description("list a study's trials (streamed: any size of study)")
    .requiredOption("--study <name>", "study name")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--json", "print JSON")
    .option("--csv", "print CSV (one column per parameter and user attribute)")
    .option("--limit <n>", "at most this many trials", positiveInt)
    .option("--state <states>", `only trials in these states, comma-separated (${TRIAL_STATES.join(", ")})`, states)
    .option("--sort <order>", "number | value | best (best first for the study's direction)", order, "number")
    .option("--descending", "reverse the order")
    .option(
      "--fields <list>",
      "comma-separated: number, state, value, params, user_attrs, started_at, completed_at, duration, fail_reason, curves, params.NAME, user_attrs.KEY",
    )
    .action(trials);
  program
    .command("best")
    .description("print a study's best trial (for several objectives: its Pareto front)")
    .requiredOption("--study <name>", "study name")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--json", "print JSON")
    .action(best);
  program
    .command("delete")
    .description("delete a study and all its trials")
    .requiredOption("--study <name>", "study name")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--json", "print JSON")
    .action(remove);
}
