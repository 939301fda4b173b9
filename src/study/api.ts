/**
 * @module The entry points: createStudy, loadStudy, deleteStudy, listStudies.
 */
import { ConfigError, DuplicateStudyError } from "../errors.js";
import { LearningCurvePruner } from "../pruners/learning-curve.js";
import type { Pruner } from "../pruners/pruner.js";
import { AutoSampler } from "../samplers/auto.js";
import type { Sampler } from "../samplers/sampler.js";
import { openStorage, type StorageInput } from "../storage/open.js";
import type { Storage, StudyRecord } from "../storage/storage.js";
import { checkName, studyNotFound } from "./catalog.js";
import type { HeartbeatOptions } from "./recovery.js";
import { Study } from "./study.js";
import type { Direction } from "../core/types.js";

export interface StudyRuntimeOptions {
  sampler?: Sampler;
  /** Default: `LearningCurvePruner` (it acts only on trials that report and ask `shouldPrune()`). */
  pruner?: Pruner;
  heartbeat?: HeartbeatOptions;
  warn?: (message: string) => void;
}

export interface CreateStudyOptions extends StudyRuntimeOptions {
  /** Default: a generated unique name. */
  name?: string;
  /** A storage URL (`sqlite:./scaletune.db`) or instance; default: in memory. */
  storage?: StorageInput;
  direction?: Direction;
  /** One direction per objective, for multi-objective studies. */
  directions?: readonly Direction[];
  /** Load the study when the name exists instead of failing. */
  loadIfExists?: boolean;
}

export interface LoadStudyOptions extends StudyRuntimeOptions {
  name: string;
  storage: StorageInput;
}

function checkDirections(options: CreateStudyOptions): Direction[] {
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new ConfigError("give either direction or directions, not both");
  }
  const directions = options.directions ?? [options.direction ?? "minimize"];
  if (directions.length === 0) throw new ConfigError("directions is empty; give at least one (minimize or maximize)");
  for (const d of directions) {
    if (d !== "minimize" && d !== "maximize") {
      throw new ConfigError(`direction must be "minimize" or "maximize", got ${JSON.stringify(d)}`);
    }
  }
  return [...directions];
}

function generatedName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  return `study-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The study's warning sink, for its storage too (a PostgreSQL server lost and back). */
function warnOf(options: StudyRuntimeOptions): { warn?: (message: string) => void } {
  return options.warn ? { warn: options.warn } : {};
}

async function attach(storage: Storage, options: StudyRuntimeOptions, record: StudyRecord): Promise<Study> {
  const study = new Study(storage, record, {
    sampler: options.sampler ?? new AutoSampler(),
    // Conservative by design: it stops a trial only when its extrapolated curve cannot beat the best (docs/pruners.md).
    pruner: options.pruner ?? new LearningCurvePruner(),
    ...(options.heartbeat && { heartbeat: options.heartbeat }),
    ...(options.warn && { warn: options.warn }),
  });
  await study.refresh();
  return study;
}

export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  const directions = checkDirections(options);
  const name = options.name ?? generatedName();
  checkName(name);
  const storage = openStorage(options.storage, warnOf(options));
  const existing = await storage.findStudy(name);
  if (existing && options.loadIfExists) {
    const explicit = options.direction !== undefined || options.directions !== undefined;
    if (explicit && JSON.stringify(existing.directions) !== JSON.stringify(directions)) {
      throw new ConfigError(
        `study "${name}" exists with directions ${existing.directions.join(",")}, not ${directions.join(",")}; ` +
          `use the stored directions or another name`,
      );
    }
    return attach(storage, options, existing);
  }
  try {
    return attach(storage, options, await storage.createStudy(name, directions));
  } catch (error) {
    // Workers started together race to create the study: the losers load the winner's.
    const created = options.loadIfExists && error instanceof DuplicateStudyError ? await storage.findStudy(name) : null;
    if (!created) throw error;
    return attach(storage, options, created);
  }
}

export async function loadStudy(options: LoadStudyOptions): Promise<Study> {
  checkName(options.name);
  const storage = openStorage(options.storage, warnOf(options));
  const record = await storage.findStudy(options.name);
  if (!record) return studyNotFound(storage, options.name);
  return attach(storage, options, record);
}

export { deleteStudy, listStudies } from "./catalog.js";
