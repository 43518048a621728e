// The duplicate check before registering a case (POST /api/v2/cases/duplicates,
// docs/records.md "Duplicates"): which fields are asked first, the request
// built from what was typed, and a reason put in words. Pure: tested in
// duplicates.test.ts.
import type { Schemas } from "../api/client";
import type { RecordConfig, Field } from "./config";
import type { Data } from "./patch";

export type Duplicate = Schemas["DuplicateJSON"];
export type Reason = Schemas["Reason"];

/** The name fields the check compares. */
export const nameFields = ["name_first", "name_middle", "name_last", "name_nickname", "name_other"];
/** The other fields that make a duplicate likelier (the server scores them). */
const otherFields = ["sex", "date_of_birth", "estimated", "location_current"];

/**
 * checkFields: the fields asked before the form, in this order: names, sex,
 * date of birth, location, then the ID fields. Only those of the tenant's forms
 * the role may read, and none shown only under a condition (an ID number whose
 * type is chosen in the form): the check shows no conditions.
 */
export function checkFields(config: RecordConfig): Field[] {
  const out: Field[] = [];
  const asked = (f: Field | undefined): f is Field => !!f && f.visible !== false && f.type !== "calculated" && !f.display_conditions;
  for (const n of [...nameFields, ...otherFields]) {
    const f = config.fields.get(n);
    if (asked(f)) out.push(f);
  }
  for (const f of config.fields.values()) if (f.id_field && asked(f)) out.push(f);
  return out;
}

function filled(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * duplicateRequest builds the body of the check from what was typed: only the
 * check's fields that hold a value (text trimmed). Undefined when neither a name
 * nor an ID field was typed (the API refuses such a body: nothing to compare).
 */
export function duplicateRequest(config: RecordConfig, values: Data, moduleId?: string): { data: Data } | undefined {
  const fields = checkFields(config);
  const body: Data = {};
  for (const f of fields) {
    const v = values[f.name];
    if (!filled(v)) continue;
    body[f.name] = typeof v === "string" ? v.trim() : v;
  }
  const named = nameFields.some((n) => n in body);
  const identified = fields.some((f) => f.id_field && f.name in body);
  if (!named && !identified) return undefined;
  return { data: moduleId ? { ...body, module_id: moduleId } : body };
}

/** reasonKey: a reason as one key the page translates ("name:phonetic", "id:exact", "date_of_birth:close"). */
export function reasonKey(r: Reason, config: RecordConfig): string {
  const field = config.fields.get(r.field)?.id_field ? "id" : r.field;
  return `${field}:${r.match}`;
}
