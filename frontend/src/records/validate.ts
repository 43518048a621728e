// Checks before sending (required fields that are shown), the API's 422
// details placed at the fields they name, and where each field lives.
import type { Problem } from "../api/problem";
import { evaluate, isEmpty } from "./condition";
import { calculate, uploadTypes, type Field, type RecordConfig } from "./config";
import type { Data, Row } from "./patch";

/** getter returns a condition's value getter: a row's own fields first, then the record's (calculated ones computed). */
export function getter(config: RecordConfig, values: Data, sub?: string, row?: Row): (name: string) => unknown {
  const nestedId = sub ? config.fields.get(sub)?.subform_section_unique_id : undefined;
  const nested = nestedId ? config.nested.get(nestedId) : undefined;
  const top = (name: string): unknown => {
    const f = config.fields.get(name);
    if (f?.type === "calculated") return calculate(f, (n) => (n === name ? undefined : top(n)));
    return values[name];
  };
  if (!nested || !row) return top;
  const own = new Set((nested.fields ?? []).map((f) => f.name));
  return (name) => (own.has(name) ? row[name] : top(name));
}

/** shown: the field is shown now (visible, and its display condition holds). */
export function shown(field: Field, get: (name: string) => unknown): boolean {
  return field.visible !== false && evaluate(field.display_conditions, get);
}

const noInput = new Set(["separator", "calculated", "subform"]);

function needsValue(f: Field, get: (n: string) => unknown, v: unknown): boolean {
  return !!f.required && f.editable !== false && !noInput.has(f.type) && !uploadTypes.has(f.type) && shown(f, get) && isEmpty(v);
}

/** missingRequired lists the required fields that are shown, writable and empty, keyed as the store keys errors. */
export function missingRequired(config: RecordConfig, values: Data, message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const top = getter(config, values);
  for (const form of config.forms) {
    // The role does not write a read-only form: the server requires none of its fields.
    if (config.readOnly.has(form.unique_id)) continue;
    for (const f of form.fields ?? []) {
      if (f.type === "subform") {
        if (!shown(f, top)) continue;
        const nested = config.nested.get(f.subform_section_unique_id ?? "");
        for (const row of (values[f.name] as Row[]) ?? []) {
          const get = getter(config, values, f.name, row);
          for (const rf of nested?.fields ?? []) if (needsValue(rf, get, row[rf.name])) out[`${f.name}[${row.unique_id}].${rf.name}`] = message;
        }
        continue;
      }
      if (needsValue(f, top, values[f.name])) out[f.name] = message;
    }
  }
  return out;
}

/**
 * problemErrors places a 422's details ("body.data.sex",
 * "body.data.family_details_section[1].relation") at the fields they name:
 * a row index is the row's place in the body sent, turned into its
 * unique_id. Details naming no field of this form become form errors.
 */
export function problemErrors(problem: Problem, sent: Data, config: RecordConfig): { fields: Record<string, string>; form: string[] } {
  const out = { fields: {} as Record<string, string>, form: [] as string[] };
  for (const d of problem.errors ?? []) {
    const loc = d.location ?? "";
    const m = /^body\.data\.([a-z][a-z0-9_]*)(?:\[(\d+)\](?:\.([a-z][a-z0-9_]*))?)?/.exec(loc);
    const message = d.message || problem.detail || problem.title || "";
    let key = "";
    if (m && config.fields.has(m[1])) {
      key = m[1];
      if (m[2] !== undefined) {
        const row = ((sent[m[1]] as Row[]) ?? [])[Number(m[2])];
        key = row?.unique_id ? (m[3] ? `${m[1]}[${row.unique_id}].${m[3]}` : m[1]) : m[1];
      }
    }
    if (key) out.fields[key] = out.fields[key] ? `${out.fields[key]} ${message}` : message;
    else out.form.push(loc.startsWith("body.data.") ? `${loc.slice(10)}: ${message}` : message);
  }
  if (!problem.errors?.length) out.form.push(problem.detail || problem.title || "");
  out.form = out.form.filter(Boolean);
  return out;
}

/** sectionOf names the form (section) holding an error key's field. */
export function sectionOf(config: RecordConfig, key: string): string | undefined {
  const field = key.split(/[[.]/)[0];
  return config.forms.find((f) => (f.fields ?? []).some((x) => x.name === field))?.unique_id;
}
