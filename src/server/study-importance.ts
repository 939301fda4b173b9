/** @module `GET /api/studies/:name/importance?method=fanova|ped-anova&objective=k`: the package's `importance()`. */
import { IMPORTANCE_METHODS, StudyReader, importance, type FrozenTrial, type ImportanceReport, type Storage } from "../index.js";
import { HttpError } from "./http-error.js";

const PARAMETERS = ["method", "objective"];

export async function studyImportance(storage: Storage, name: string, query: Readonly<Record<string, string>>): Promise<ImportanceReport> {
  const unknown = Object.keys(query).find((key) => !PARAMETERS.includes(key));
  if (unknown !== undefined) throw new HttpError(400, `unknown query parameter ${JSON.stringify(unknown)}: use ${PARAMETERS.join(", ")}`);
  const method = query["method"] ?? "fanova";
  if (!(IMPORTANCE_METHODS as readonly string[]).includes(method)) {
    throw new HttpError(400, `method must be one of ${IMPORTANCE_METHODS.join(", ")}, got ${JSON.stringify(method)}`);
  }
  const objective = query["objective"];
  if (objective !== undefined && !/^\d+$/.test(objective)) throw new HttpError(400, `objective must be an objective's index (0, 1, …), got ${JSON.stringify(objective)}`);
  const reader = await StudyReader.open({ name, storage });
  try {
    // Only complete trials count, and importance needs no curves.
    const trials: FrozenTrial[] = [];
    for await (const page of reader.pages({ states: ["complete"], curves: false })) trials.push(...page);
    return importance(
      { directions: reader.directions, trials: () => trials },
      { method: method as ImportanceReport["method"], ...(objective !== undefined && { target: Number(objective) }) },
    );
  } finally {
    await reader.close();
  }
}
