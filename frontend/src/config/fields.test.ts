// Field definitions as the form editor sends them, and the API's problems
// placed at the field and attribute they name.
import { describe, expect, it } from "vitest";
import type { Field } from "../api/client";
import { attributesOf, cleanField, formProblems, move, newField } from "./fields";

describe("cleanField", () => {
  it("keeps only the attributes of the field's type, at other than their default", () => {
    const f = {
      name: "risk",
      type: "select_box",
      display_name: { en: "Risk", fr: " ", ar: "الخطر" },
      help_text: { en: "" },
      visible: true,
      editable: false,
      required: false,
      multi_select: true,
      option_strings_source: "lookup lookup-risk-level",
      option_strings_text: [{ id: "x", display_text: { en: "X" } }],
      max_length: 20,
      tally: [],
      display_conditions: { eq: { sex: "female" } },
    } as unknown as Field;
    expect(cleanField(f)).toEqual({
      name: "risk",
      type: "select_box",
      display_name: { en: "Risk", ar: "الخطر" },
      editable: false,
      multi_select: true,
      option_strings_source: "lookup lookup-risk-level",
      display_conditions: { eq: { sex: "female" } },
    });
  });

  it("keeps false for attributes true by default and drops matchable from types matching cannot use", () => {
    expect(cleanField({ name: "s", type: "separator", display_name: { en: "S" }, visible: false, matchable: true, mobile_visible: false } as Field)).toEqual({
      name: "s",
      type: "separator",
      display_name: { en: "S" },
      visible: false,
      mobile_visible: false,
    });
    expect(attributesOf("text_field")).toContain("phone_number");
    expect(attributesOf("textarea")).not.toContain("phone_number");
    expect(attributesOf("subform")).not.toContain("filterable");
  });

  it("sends an empty label so that the server names it as missing", () => {
    expect(cleanField({ name: "n", type: "text_field", display_name: { en: "  " } })).toEqual({ name: "n", type: "text_field", display_name: {} });
  });
});

describe("field list", () => {
  it("names a new field freely and moves fields within the list", () => {
    expect(newField([{ name: "new_field_2", type: "text_field", display_name: {} }]).name).toBe("new_field_3");
    expect(move(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(move(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
  });
});

describe("formProblems", () => {
  it("places problems at the field index and attribute, the rest by path", () => {
    const p = formProblems({
      type: "about:blank",
      status: 422,
      detail: "validation failed",
      errors: [
        { location: "body.fields[3].display_conditions.eq.sex", message: "no field sex" },
        { location: "body.fields[3].display_conditions", message: "and more" },
        { location: "body.fields[0]", message: "duplicate name" },
        { location: "body.name.fr", message: "too long" },
        { location: "body.fields", message: "would break forms/x" },
      ],
    });
    expect(p.fields).toEqual({ 3: { display_conditions: "no field sex and more" }, 0: { "": "duplicate name" } });
    expect(p.other).toEqual({ "name.fr": "too long", fields: "would break forms/x" });
  });

  it("keeps a problem without details as a message of the whole form", () => {
    expect(formProblems({ type: "about:blank", status: 409, detail: "a form with that id exists" }).other).toEqual({ "": "a form with that id exists" });
  });
});
