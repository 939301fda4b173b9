/**
 * @module The fields `scaletune trials --fields` can show, and how each becomes table or CSV columns and JSON keys.
 *
 * One vocabulary for the three formats: `number, state, value, params, user_attrs, started_at, completed_at,
 * duration, fail_reason, curves`, and `params.NAME` / `user_attrs.KEY` for one parameter or attribute.
 */
import { ConfigError } from "../errors.js";
import type { FrozenTrial, TrialKeys } from "../index.js";
import { formatDuration, formatNumber, formatValue, trialJson } from "./format.js";

export const FIELD_NAMES = [
  "number",
  "state",
  "value",
  "params",
  "user_attrs",
  "started_at",
  "completed_at",
  "duration",
  "fail_reason",
  "curves",
] as const;

type FieldName = (typeof FIELD_NAMES)[number];

export interface Field {
  readonly name: FieldName;
  /** For `params.NAME` and `user_attrs.KEY`: the one key shown. */
  readonly key?: string;
}

export const DEFAULT_TABLE_FIELDS = "number,state,value,params,duration";
export const DEFAULT_CSV_FIELDS = "number,state,value,params,user_attrs,started_at,completed_at,duration,fail_reason";
export const DEFAULT_JSON_FIELDS = "number,state,value,params,user_attrs,curves,started_at,completed_at,duration,fail_reason";

export function parseFields(text: string): Field[] {
  return text.split(",").map((part): Field => {
    const spec = part.trim();
    const dot = spec.indexOf(".");
    const name = dot < 0 ? spec : spec.slice(0, dot);
    const key = dot < 0 ? undefined : spec.slice(dot + 1);
    const keyed = name === "params" || name === "user_attrs";
    if (!(FIELD_NAMES as readonly string[]).includes(name) || (key !== undefined && (!keyed || key === ""))) {
      throw new ConfigError(`unknown field "${spec}" for --fields; choose from ${FIELD_NAMES.join(", ")}, params.NAME, user_attrs.KEY`);
    }
    return key === undefined ? { name: name as FieldName } : { name: name as FieldName, key };
  });
}

/** A column of a table or CSV: its header and how to read it off a trial (raw for CSV, or formatted for a table). */
export interface Column {
  readonly header: string;
  readonly raw: (trial: FrozenTrial) => unknown;
  readonly text: (trial: FrozenTrial) => string;
}

/** The columns of the fields, given the study's objectives and keys; `csv` picks CSV's header spellings. */
export function columnsOf(fields: readonly Field[], objectives: number, keys: TrialKeys, csv: boolean): Column[] {
  const columns: Column[] = [];
  const add = (header: string, raw: (t: FrozenTrial) => unknown, text: (t: FrozenTrial) => string = (t) => formatValue(raw(t) ?? undefined)) =>
    columns.push({ header, raw, text });
  for (const field of fields) {
    switch (field.name) {
      case "number":
        add(csv ? "number" : "#", (t) => t.number, (t) => String(t.number));
        break;
      case "state":
        add("state", (t) => t.state, (t) => t.state);
        break;
      case "value":
        for (let k = 0; k < objectives; k++) {
          add(objectives === 1 ? "value" : `value_${k}`, (t) => t.values?.[k] ?? null, (t) => formatNumber(t.values?.[k]));
        }
        break;
      case "params":
        for (const name of field.key !== undefined ? [field.key] : keys.params) {
          add(csv ? `params_${name}` : name, (t) => t.params[name] ?? null, (t) => formatValue(t.params[name]));
        }
        break;
      case "user_attrs":
        for (const key of field.key !== undefined ? [field.key] : keys.userAttrs) {
          add(csv ? `user_attrs_${key}` : key, (t) => t.userAttrs[key] ?? null, (t) => formatValue(t.userAttrs[key]));
        }
        break;
      case "started_at":
        add("started_at", (t) => t.startedAt?.toISOString() ?? null, (t) => t.startedAt?.toISOString() ?? "-");
        break;
      case "completed_at":
        add("completed_at", (t) => t.completedAt?.toISOString() ?? null, (t) => t.completedAt?.toISOString() ?? "-");
        break;
      case "duration":
        add(csv ? "duration_ms" : "duration", (t) => t.durationMs, (t) => formatDuration(t.durationMs));
        break;
      case "fail_reason":
        add("fail_reason", (t) => t.failReason, (t) => t.failReason?.split("\n")[0] ?? "-");
        break;
      case "curves":
        add("curves", (t) => trialJson(t).intermediateValues, (t) => String(t.intermediateValues.size));
        break;
    }
  }
  return columns;
}

/** Whether showing these fields needs the trials' curves read. */
export function needsCurves(fields: readonly Field[]): boolean {
  return fields.some((f) => f.name === "curves");
}

/** A trial as a JSON object with only the given fields (keys as `trialJson` spells them). */
export function trialJsonFields(trial: FrozenTrial, fields: readonly Field[]): Record<string, unknown> {
  const all = trialJson(trial);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field.name) {
      case "value":
        out.values = all.values;
        break;
      case "params":
      case "user_attrs": {
        const source = field.name === "params" ? trial.params : trial.userAttrs;
        const name = field.name === "params" ? "params" : "userAttrs";
        const target = (out[name] ??= {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(source)) if (field.key === undefined || field.key === k) target[k] = v;
        break;
      }
      case "curves":
        out.intermediateValues = all.intermediateValues;
        out.intermediateMetrics = all.intermediateMetrics;
        break;
      case "started_at":
        out.startedAt = all.startedAt;
        break;
      case "completed_at":
        out.completedAt = all.completedAt;
        break;
      case "duration":
        out.durationMs = all.durationMs;
        break;
      case "fail_reason":
        out.failReason = all.failReason;
        break;
      default:
        out[field.name] = all[field.name];
    }
  }
  return out;
}
