import { describe, expect, it } from "vitest";
import { buildConfig, type Form } from "./config";
import { checkFields, duplicateRequest, reasonKey } from "./duplicates";

const form = {
  unique_id: "basic_identity",
  record_type: "case",
  name: { en: "Basic identity" },
  order: 0,
  order_form_group: 0,
  fields: [
    { name: "registration_date", type: "date_field" },
    { name: "name_first", type: "text_field" },
    { name: "name_last", type: "text_field" },
    { name: "sex", type: "select_box", option_strings_source: "lookup lookup-sex" },
    { name: "date_of_birth", type: "date_field" },
    { name: "estimated", type: "tick_box" },
    { name: "age", type: "calculated", calculation: { age_from: "date_of_birth" } },
    { name: "location_current", type: "location" },
    { name: "national_id_no", type: "text_field", id_field: true },
    { name: "hidden_id", type: "text_field", id_field: true, visible: false },
    { name: "other_id_no", type: "text_field", id_field: true, display_conditions: { exists: "other_id_type" } },
  ],
} as unknown as Form;
const config = buildConfig([form], []);

describe("duplicate check", () => {
  it("asks names, sex, date of birth, location, then the visible ID fields; never the calculated age, a conditional field or other fields", () => {
    expect(checkFields(config).map((f) => f.name)).toEqual(["name_first", "name_last", "sex", "date_of_birth", "estimated", "location_current", "national_id_no"]);
  });

  it("sends what was typed, trimmed, and nothing else", () => {
    const req = duplicateRequest(
      config,
      { name_first: "  Amina ", name_last: "", sex: "female", date_of_birth: "2015-01-01", estimated: true, registration_date: "2026-01-01", location_current: "KE01" },
      "primeromodule-cp",
    );
    expect(req).toEqual({
      data: { name_first: "Amina", sex: "female", date_of_birth: "2015-01-01", estimated: true, location_current: "KE01", module_id: "primeromodule-cp" },
    });
  });

  it("an ID alone is enough; without a name or an ID there is nothing to check", () => {
    expect(duplicateRequest(config, { national_id_no: "KE-123" })).toEqual({ data: { national_id_no: "KE-123" } });
    expect(duplicateRequest(config, { sex: "female", date_of_birth: "2015-01-01" })).toBeUndefined();
    expect(duplicateRequest(config, { name_first: "   " })).toBeUndefined();
  });

  it("names a reason by its field, ID fields together", () => {
    expect(reasonKey({ field: "national_id_no", match: "exact" }, config)).toBe("id:exact");
    expect(reasonKey({ field: "name", match: "phonetic" }, config)).toBe("name:phonetic");
    expect(reasonKey({ field: "date_of_birth", match: "close" }, config)).toBe("date_of_birth:close");
  });
});
