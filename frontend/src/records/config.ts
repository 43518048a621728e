// The tenant's configuration as the record screens need it: the forms of a
// record type and module that the role reads (GET /api/v2/forms answers only
// those, with the nested forms of their subforms), the lookups, and the
// location hierarchy a level at a time. A form the role reads but does not
// write (users/me's form_access) is shown read-only: no inputs, nothing of it
// sent, none of its fields required.
import { useQuery } from "@tanstack/react-query";
import { api, data, type Schemas } from "../api/client";
import { meQuery } from "../app/queries";
import type { Shape } from "./patch";

export type Form = Schemas["Form"];
export type Field = Schemas["Field"];
export type Lookup = Schemas["Lookup"];
export type Option = Schemas["Option"];
export type Location = Schemas["Location"];
export type RecordType = "case" | "tracing_request" | "incident";

/** Field types that hold no value written by people. */
const noValue = new Set(["separator", "calculated"]);
/** Upload fields: their files go through the attachments API (records/Uploads.tsx), not the record's writes. */
export const uploadTypes = new Set(["photo_upload_box", "audio_upload_box", "document_upload_box"]);

/** A form group with its forms (sections), in display order. */
export interface Group {
  id: string;
  name?: Record<string, string>;
  forms: Form[];
}

/** RecordConfig: what the renderer needs to show and check one record type in one module. */
export interface RecordConfig {
  groups: Group[];
  forms: Form[];
  /** nested forms by unique_id (the fields of subform rows) */
  nested: Map<string, Form>;
  /** every top-level field by name */
  fields: Map<string, Field>;
  lookups: Map<string, Lookup>;
  /** the written fields (those of the forms the role writes) */
  shape: Shape;
  /** the forms (unique_id) the role reads but may not write */
  readOnly: ReadonlySet<string>;
}

/** FormAccess is a role's access to each form: "r" (read) or "rw" (read and write). */
export type FormAccess = Readonly<Record<string, string>>;

/**
 * readOnlyForms lists the top-level forms the role may not write: every form
 * not "rw" in its access. Without an access map (a server that does not say)
 * none: the API refuses a field of a read-only form at the field anyway.
 */
export function readOnlyForms(forms: readonly Form[], access: FormAccess | null | undefined): Set<string> {
  if (!access) return new Set();
  return new Set(forms.filter((f) => access[f.unique_id] !== "rw").map((f) => f.unique_id));
}

/** writesAny reports whether the role writes at least one of the shown forms (else no Edit). */
export function writesAny(config: RecordConfig): boolean {
  return config.forms.some((f) => !config.readOnly.has(f.unique_id));
}

export function buildConfig(forms: Form[], lookups: Lookup[], access?: FormAccess | null): RecordConfig {
  const top = forms.filter((f) => !f.is_nested && f.visible !== false);
  top.sort((a, b) => a.order_form_group - b.order_form_group || a.order - b.order || a.unique_id.localeCompare(b.unique_id));
  const groups: Group[] = [];
  for (const f of top) {
    const id = f.form_group_id || f.unique_id;
    let g = groups.find((x) => x.id === id);
    if (!g) {
      g = { id, name: f.form_group_name ?? f.name, forms: [] };
      groups.push(g);
    }
    g.forms.push(f);
  }
  const nested = new Map(forms.filter((f) => f.is_nested).map((f) => [f.unique_id, f]));
  const fields = new Map<string, Field>();
  for (const f of top) for (const fl of f.fields ?? []) fields.set(fl.name, fl);
  const readOnly = readOnlyForms(top, access);
  const writable = new Set(top.filter((f) => !readOnly.has(f.unique_id)).flatMap((f) => (f.fields ?? []).map((fl) => fl.name)));
  const written = [...fields.values()].filter(
    (f) => writable.has(f.name) && !noValue.has(f.type) && f.editable !== false && f.visible !== false,
  );
  return {
    groups,
    forms: top,
    nested,
    fields,
    lookups: new Map(lookups.map((l) => [l.unique_id, l])),
    shape: { fields: written.map((f) => f.name), subforms: new Set(written.filter((f) => f.type === "subform").map((f) => f.name)) },
    readOnly,
  };
}

export function useRecordConfig(recordType: RecordType, moduleId: string | undefined) {
  // The signed-in user's form access (cached by the session).
  const access = useQuery(meQuery).data?.form_access;
  return useQuery({
    queryKey: ["record_config", recordType, moduleId, access],
    enabled: !!moduleId,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const [forms, lookups] = await Promise.all([
        api.GET("/api/v2/forms", { params: { query: { record_type: recordType, module_id: moduleId } } }).then(data),
        api.GET("/api/v2/lookups").then(data),
      ]);
      return buildConfig(forms.data ?? [], lookups.data ?? [], access);
    },
  });
}

/** useModules lists the modules of a record type (a case is registered in one). */
export function useModules(recordType: RecordType) {
  return useQuery({
    queryKey: ["modules"],
    staleTime: 5 * 60_000,
    queryFn: async () => data(await api.GET("/api/v2/modules")).data ?? [],
    select: (mods) => mods.filter((m) => m.associated_record_types?.includes(recordType)),
  });
}

/** options gives a select's or radio's options: its lookup's values or its own list. */
export function options(field: Field, lookups: Map<string, Lookup>): Option[] {
  if (field.option_strings_text?.length) return field.option_strings_text;
  const src = field.option_strings_source ?? "";
  const m = /^lookup\s+(\S+)$/.exec(src);
  return (m && lookups.get(m[1])?.values) || [];
}

/** locationChildren lists the enabled locations under parent (roots: level 0). */
export function useLocations(parent: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ["locations", parent ?? ""],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const query = parent ? { parent, disabled: false, per: 1000 } : { admin_level: 0, disabled: false, per: 1000 };
      return data(await api.GET("/api/v2/locations", { params: { query: query as never } })).data ?? [];
    },
  });
}

/** useLocation reads one location (its hierarchy preselects the picker). */
export function useLocation(code: string | undefined) {
  return useQuery({
    queryKey: ["location", code],
    enabled: !!code,
    staleTime: 5 * 60_000,
    queryFn: async () => data(await api.GET("/api/v2/locations/{code}", { params: { path: { code: code! } } })).data,
  });
}

/** ageFrom: whole years from an ISO date until today (UTC), as the server calculates. */
export function ageFrom(date: unknown, today = new Date()): number | undefined {
  if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(date)) return undefined;
  const [y, m, d] = date.slice(0, 10).split("-").map(Number);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age >= 0 ? age : undefined;
}

/** calculate gives a calculated field's value from the data (age_from, sum). */
export function calculate(field: Field, get: (name: string) => unknown): number | undefined {
  const c = field.calculation;
  if (c?.age_from) return ageFrom(get(c.age_from));
  if (c?.sum?.length) {
    let any = false;
    let total = 0;
    for (const n of c.sum) {
      const v = get(n);
      if (typeof v === "number") {
        total += v;
        any = true;
      }
    }
    return any ? total : undefined;
  }
  return undefined;
}
