// Field definitions as the form editor handles them: the types, which
// attributes belong to which type (docs/configuration.md "Fields"), a field
// made canonical before it is sent, and the API's problems placed at the
// field (body.fields[3].display_conditions) and attribute they concern.
import type { Field } from "../api/client";
import type { Problem } from "../api/problem";

export type FieldType = Field["type"];

export const fieldTypes: FieldType[] = [
  "text_field",
  "textarea",
  "select_box",
  "radio_button",
  "tick_box",
  "numeric_field",
  "date_field",
  "date_range",
  "location",
  "photo_upload_box",
  "audio_upload_box",
  "document_upload_box",
  "subform",
  "separator",
  "tally_field",
  "calculated",
];

/** Attributes every type has. */
const common = [
  "name",
  "type",
  "display_name",
  "help_text",
  "guiding_questions",
  "required",
  "visible",
  "hide_on_view_page",
  "mobile_visible",
  "editable",
  "display_conditions",
  "matchable",
  "filterable",
] as const;

const uploads = ["max_attachments"];

/** The attributes of one type only. */
export const typeAttributes: Record<FieldType, string[]> = {
  text_field: ["max_length", "id_field", "phone_number"],
  textarea: ["max_length"],
  select_box: ["option_strings_source", "option_strings_text", "multi_select"],
  radio_button: ["option_strings_source", "option_strings_text"],
  tick_box: ["tick_box_label"],
  numeric_field: ["min_value", "max_value", "integer"],
  date_field: ["date_include_time", "date_validation"],
  date_range: ["date_include_time", "date_validation"],
  location: ["location_admin_level"],
  photo_upload_box: uploads,
  audio_upload_box: uploads,
  document_upload_box: uploads,
  subform: ["subform_section_unique_id", "subform_max_rows", "subform_sort_by"],
  separator: [],
  tally_field: ["tally"],
  calculated: ["calculation"],
};

/** Types that matching and list filters cannot use. */
const notComparable: FieldType[] = ["separator", "subform", "photo_upload_box", "audio_upload_box", "document_upload_box"];

/** attributesOf lists what a field of this type may carry. */
export function attributesOf(type: FieldType): string[] {
  const own = typeAttributes[type] ?? [];
  const shared = common.filter((a) => !((a === "matchable" || a === "filterable") && notComparable.includes(type)));
  return [...shared, ...own];
}

/** Attributes that default to true: stored only when false. */
const trueByDefault = new Set(["visible", "mobile_visible", "editable"]);
const texts = new Set(["display_name", "help_text", "guiding_questions", "tick_box_label"]);

function compactText(t: unknown): Record<string, string> | undefined {
  if (typeof t !== "object" || t === null) return undefined;
  const out = Object.fromEntries(Object.entries(t as Record<string, string>).filter(([, v]) => typeof v === "string" && v.trim() !== "").map(([k, v]) => [k, v.trim()]));
  return Object.keys(out).length ? out : undefined;
}

/**
 * cleanField keeps the attributes of the field's type, at other than their
 * default: what the server stores (so an unchanged field sends the same JSON).
 * A select or radio takes options from a lookup or inline, never both.
 */
export function cleanField(f: Field): Field {
  const allowed = new Set(attributesOf(f.type));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (!allowed.has(k) || v === undefined || v === null || v === "") continue;
    if (texts.has(k)) {
      const t = compactText(v);
      if (t) out[k] = t;
      else if (k === "display_name") out[k] = {};
      continue;
    }
    if (typeof v === "boolean" && v === trueByDefault.has(k)) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  if (out.option_strings_source) delete out.option_strings_text;
  if (!out.display_name) out.display_name = {};
  return out as unknown as Field;
}

/** newField is a field to start from: a text field with a free name. */
export function newField(existing: readonly Field[]): Field {
  let n = existing.length + 1;
  while (existing.some((f) => f.name === `new_field_${n}`)) n++;
  return { name: `new_field_${n}`, type: "text_field", display_name: {} };
}

/** move returns the list with item i moved by delta (−1 up, +1 down); unchanged at the ends. */
export function move<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** Problems of a form's save: per field (by index, then attribute) and the rest by body path. */
export interface FormProblems {
  fields: Record<number, Record<string, string>>;
  /** body paths (name.fr, module_ids) to messages; "" for problems without a path */
  other: Record<string, string>;
}

/**
 * formProblems sorts a 422's details: body.fields[3].display_conditions.eq.sex
 * goes to field 3's display_conditions, body.fields[3] to field 3 as a whole
 * ("" attribute), anything else (body.name.fr, body.fields) by its path.
 */
export function formProblems(p: Problem): FormProblems {
  const out: FormProblems = { fields: {}, other: {} };
  const add = (rec: Record<string, string>, key: string, msg: string) => {
    rec[key] = rec[key] ? `${rec[key]} ${msg}` : msg;
  };
  for (const d of p.errors ?? []) {
    const loc = d.location ?? "";
    const msg = d.message || p.detail || "";
    const m = /^body\.fields\[(\d+)\](?:\.([a-z_]+))?/.exec(loc);
    if (m) {
      const i = Number(m[1]);
      out.fields[i] ??= {};
      add(out.fields[i], m[2] ?? "", msg);
    } else {
      add(out.other, loc.replace(/^body\.?/, ""), msg);
    }
  }
  if (!p.errors?.length) add(out.other, "", p.detail || p.title || "");
  return out;
}
