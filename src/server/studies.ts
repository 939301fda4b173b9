/** @module `GET /api/studies`: every study of the storage with what a study list shows. */
import { StudyNotFoundError, type Storage } from "../index.js";
import type { StudyCursors } from "./study-cursors.js";

export async function listStudies(storage: Storage, cursors: StudyCursors): Promise<Record<string, unknown>[]> {
  const summaries = await storage.listStudies();
  const listed = await Promise.all(
    summaries.map(async (s) => {
      try {
        const { systemAttrs } = await cursors.latest(s.id);
        return {
          name: s.name,
          directions: s.directions,
          counts: s.counts,
          bestValues: s.bestValues,
          sampler: systemAttrs["sampler"] ?? null,
          pruner: systemAttrs["pruner"] ?? null,
          createdAt: new Date(s.createdAt).toISOString(),
          lastActivityAt: s.lastActivityAt === null ? null : new Date(s.lastActivityAt).toISOString(),
        };
      } catch (error) {
        // Deleted between the listing and this read: it is no longer a study to show.
        if (error instanceof StudyNotFoundError) return null;
        throw error;
      }
    }),
  );
  return listed.filter((s) => s !== null);
}
