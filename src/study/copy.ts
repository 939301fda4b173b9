/**
 * @module Copying studies between storages (`scaletune copy`): each study read whole, in one snapshot, from the
 * source opened read-only, and written whole, in one transaction, to the destination — trial numbers, sequence
 * numbers and counters as they were, so later workers go on from the copy as they would have from the original.
 *
 * Running trials are copied as running, with their last heartbeat and worker: the copy is the source as it was.
 * Their workers go on writing to the source; in the destination nobody beats for them, so the first worker to run
 * the copy takes them for dead after the heartbeat timeout, fails them and queues their parameters again
 * (`study/recovery.ts`) — the same path as a trial whose worker crashed. Nothing is left running for ever.
 */
import { ConfigError, DuplicateStudyError, StorageError } from "../errors.js";
import { redactUrl, type StorageInput } from "../storage/open.js";
import type { Storage, StudyExport, StudyRecord } from "../storage/storage.js";
import { emptyCounts } from "../storage/summary.js";
import type { TrialState } from "../core/types.js";
import { checkName, studyNotFound, withStorage } from "./catalog.js";

export interface CopyStudiesOptions {
  /** Where the studies are read from: opened read-only when a URL, so nothing there changes. */
  readonly from: StorageInput;
  readonly to: StorageInput;
  /** The studies to copy (default: every study of the source). */
  readonly studies?: readonly string[];
  /** The copy's name in the destination, for copying one study under another name. */
  readonly as?: string;
  /** Called as each study has been copied. */
  readonly onCopied?: (copied: CopiedStudy) => void;
}

export interface CopiedStudy {
  /** The study's name in the source. */
  readonly study: string;
  /** Its name in the destination. */
  readonly as: string;
  readonly trials: number;
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly intermediateValues: number;
  /** The numbers of the trials that were running in the source when it was read (see the module's comment). */
  readonly running: readonly number[];
  readonly seconds: number;
}

type Copyable = Storage & Required<Pick<Storage, "exportStudy" | "importStudy">>;

function copyable(storage: Storage, role: "source" | "destination"): Copyable {
  const method = role === "source" ? "exportStudy" : "importStudy";
  if (storage[method] === undefined) {
    throw new ConfigError(`${redactUrl(storage.url)} cannot be the ${role} of a copy: its storage has no ${method} (the built-in storages have)`);
  }
  return storage as Copyable;
}

/** Copies studies from one storage to another; refuses, before copying any, when a name is missing or taken. */
export async function copyStudies(options: CopyStudiesOptions): Promise<CopiedStudy[]> {
  if (options.as !== undefined) checkName(options.as);
  return withStorage(
    options.from,
    (from) => withStorage(options.to, (to) => copyBetween(copyable(from, "source"), copyable(to, "destination"), options)),
    { readOnly: true },
  );
}

async function copyBetween(from: Copyable, to: Copyable, options: CopyStudiesOptions): Promise<CopiedStudy[]> {
  const names = [...new Set(options.studies ?? (await from.listStudies()).map((s) => s.name))];
  if (names.length === 0) throw new StorageError(`no studies in ${redactUrl(from.url)}: nothing to copy`);
  if (options.as !== undefined && names.length !== 1) {
    throw new ConfigError(`--as names one copy, but ${names.length} studies are being copied; copy them one at a time (--study NAME --as NEW)`);
  }
  const plan: { source: StudyRecord; as: string }[] = [];
  for (const name of names) {
    checkName(name);
    const source = (await from.findStudy(name)) ?? (await studyNotFound(from, name));
    const as = options.as ?? name;
    if ((await to.findStudy(as)) !== null) throw alreadyThere(as, to.url);
    plan.push({ source, as });
  }
  const copied: CopiedStudy[] = [];
  for (const { source, as } of plan) {
    const started = performance.now();
    const study = await from.exportStudy(source.id);
    try {
      await to.importStudy({ ...study, name: as });
    } catch (error) {
      // Created by someone else since the check above.
      if (error instanceof DuplicateStudyError) throw alreadyThere(as, to.url);
      throw error;
    }
    const done = summary(study, as, (performance.now() - started) / 1000);
    options.onCopied?.(done);
    copied.push(done);
  }
  return copied;
}

function alreadyThere(name: string, url: string): DuplicateStudyError {
  const where = redactUrl(url);
  return new DuplicateStudyError(
    `study "${name}" already exists in ${where}: delete it there first (scaletune delete --study ${name} --storage ${where}) or give the copy another name (--as NEW)`,
  );
}

function summary(study: StudyExport, as: string, seconds: number): CopiedStudy {
  const counts = emptyCounts();
  for (const trial of study.trials) counts[trial.state]++;
  return {
    study: study.name,
    as,
    trials: study.trials.length,
    counts,
    intermediateValues: study.intermediate.length,
    running: study.trials.filter((t) => t.state === "running").map((t) => t.number),
    seconds,
  };
}

