/**
 * @module What a storage holds, without loading a study: the list of studies, deleting one, the error for a name
 * that is not there. Light on purpose: the looking commands import it without the samplers and pruners.
 */
import { ConfigError, StudyNotFoundError } from "../errors.js";
import { openStorage, redactUrl, type OpenOptions, type StorageInput } from "../storage/open.js";
import type { Storage, StudySummary } from "../storage/storage.js";

export function checkName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim() === "") throw new ConfigError(`a study name must be a non-empty string, got ${JSON.stringify(name)}`);
}

/** Runs `body` on a storage, closing it afterwards when it was opened here from a URL. */
export async function withStorage<T>(input: StorageInput, body: (storage: Storage) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  const storage = openStorage(input, options);
  try {
    return await body(storage);
  } finally {
    if (storage !== input) await storage.close();
  }
}

/** Throws the error for a study that does not exist, naming the studies that do. */
export async function studyNotFound(storage: Storage, name: string): Promise<never> {
  const names = (await storage.listStudies()).map((s) => s.name);
  const known = names.length === 0 ? "it has no studies" : `its studies: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}`;
  throw new StudyNotFoundError(`study "${name}" does not exist in ${redactUrl(storage.url)} (${known})`);
}

export async function deleteStudy(options: { name: string; storage: StorageInput }): Promise<void> {
  checkName(options.name);
  await withStorage(options.storage, async (storage) => {
    const record = await storage.findStudy(options.name);
    if (!record) return studyNotFound(storage, options.name);
    await storage.deleteStudy(record.id);
  });
}

/** The studies in a storage; a URL is opened read-only (nothing written, read-only files work). */
export async function listStudies(storage: StorageInput): Promise<StudySummary[]> {
  return withStorage(storage, (s) => s.listStudies(), { readOnly: true });
}
