/**
 * @module `GET /api/studies/:name/trials?offset&limit&state&sort&order&fields`: the query checked and turned into a
 * StudyReader listing. Anything it does not understand is a 400 that names the problem and the fix, never ignored:
 * a misspelt parameter silently dropped would show the wrong trials.
 */
import { TRIAL_STATES, type TrialListing, type TrialState } from "../index.js";
import { HttpError } from "./http-error.js";
import { LISTING_FIELDS, TRIAL_FIELDS, needsCurves, type TrialField } from "./trial-json.js";

/** The most trials one request returns: a page, not a dump (the CLI's `scaletune trials` is for dumps). */
export const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
const PARAMETERS = ["offset", "limit", "state", "sort", "order", "fields"] as const;
const SORTS = ["number", "value"] as const;
const ORDERS = ["asc", "desc"] as const;

export interface TrialsQuery {
  readonly listing: TrialListing & { offset: number; limit: number };
  readonly fields: readonly TrialField[];
}

function bad(message: string): never {
  throw new HttpError(400, message);
}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) bad(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

function oneOf<T extends string>(name: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined || (choices as readonly string[]).includes(text)) return text as T | undefined;
  return bad(`${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`);
}

/** Comma-separated choices, e.g. `state=complete,pruned`. */
function listOf<T extends string>(name: string, text: string | undefined, choices: readonly T[]): T[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(",").filter((s) => s !== "");
  if (items.length === 0) bad(`${name} must list at least one of ${choices.join(", ")}`);
  return items.map((item) => oneOf(name, item, choices)!);
}

export function parseTrialsQuery(query: Readonly<Record<string, string>>): TrialsQuery {
  const unknown = Object.keys(query).find((key) => !(PARAMETERS as readonly string[]).includes(key));
  if (unknown !== undefined) bad(`unknown query parameter ${JSON.stringify(unknown)}: use ${PARAMETERS.join(", ")}`);
  const states: TrialState[] | undefined = listOf("state", query["state"], TRIAL_STATES);
  const fields = listOf("fields", query["fields"], TRIAL_FIELDS) ?? LISTING_FIELDS;
  return {
    listing: {
      offset: integer("offset", query["offset"], 0, 0, Number.MAX_SAFE_INTEGER),
      limit: integer("limit", query["limit"], DEFAULT_LIMIT, 1, MAX_LIMIT),
      orderBy: oneOf("sort", query["sort"], SORTS) ?? "number",
      descending: oneOf("order", query["order"], ORDERS) === "desc",
      curves: needsCurves(fields),
      ...(states && { states }),
    },
    fields,
  };
}
