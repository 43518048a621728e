// The case list's filters, declared once: each names its query parameter(s)
// of GET /api/v2/cases and how it is entered. The search work adds its
// filters (name, ID, phone, sex, age, location ...) here as the list
// endpoint gains them; the filter bar renders whatever this list holds.
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";

export interface FilterDef {
  /** the query parameter */
  param: string;
  label: MessageDescriptor;
  kind: "select" | "date" | "text";
  /** the choices of a select ("" is "any") */
  choices?: { value: string; label: MessageDescriptor }[];
  /** turns the entered value into the parameter's value (default: as entered) */
  toQuery?: (v: string) => string;
  /** turns the entered value into other parameters instead (given every entered value) */
  toParams?: (v: string, values: Record<string, string>) => Record<string, string>;
}

/** How the search text is read (the API's id_search, phone_number, phonetic flags; one at most). */
export const searchModes: { value: string; param?: string; label: MessageDescriptor }[] = [
  { value: "", label: msg`Names and IDs` },
  { value: "phonetic", param: "phonetic", label: msg`Names that sound alike` },
  { value: "id", param: "id_search", label: msg`Exact ID` },
  { value: "phone", param: "phone_number", label: msg`Phone number` },
];

export const caseFilters: FilterDef[] = [
  { param: "query", label: msg`Search`, kind: "text" },
  {
    param: "search_as",
    label: msg`Search as`,
    kind: "select",
    choices: searchModes.map((m) => ({ value: m.value, label: m.label })),
    // A flag without a search text is refused by the API: sent only with one.
    toParams: (v, values) => {
      const p = searchModes.find((m) => m.value === v)?.param;
      return p && values.query?.trim() ? { [p]: "true" } : {};
    },
  },
  {
    param: "record_state",
    label: msg`Records`,
    kind: "select",
    choices: [
      { value: "", label: msg`Enabled` },
      { value: "false", label: msg`Disabled` },
    ],
  },
  {
    param: "updated_since",
    label: msg`Changed since`,
    kind: "date",
    toQuery: (v) => new Date(`${v}T00:00:00`).toISOString(),
  },
];

/** The orders the list offers (order_by), besides the default (last changed). */
export const caseOrders: { value: string; label: MessageDescriptor }[] = [
  { value: "updated_at", label: msg`Last changed` },
  { value: "created_at", label: msg`Registered in the system` },
  { value: "registration_date", label: msg`Registration date` },
  { value: "short_id", label: msg`Case ID` },
  { value: "age", label: msg`Age` },
  { value: "sex", label: msg`Sex` },
  { value: "risk_level", label: msg`Risk level` },
  { value: "status", label: msg`Status` },
];

/** toQuery turns the filter bar's values into the list's query parameters (empty ones left out). */
export function toQuery(defs: FilterDef[], values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of defs) {
    const v = values[d.param]?.trim();
    if (!v) continue;
    if (d.toParams) Object.assign(out, d.toParams(v, values));
    else out[d.param] = d.toQuery ? d.toQuery(v) : v;
  }
  return out;
}
