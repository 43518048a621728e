// Import reports' reasons worded by code in the app's language.
import { afterAll, describe, expect, it } from "vitest";
import { activate } from "../../i18n";
import { reasonCodes, reasonText, type ReportKind } from "./importReasons";

// Values for every parameter a wording may take: each must appear in its text.
const params: Record<string, string> = {
  source: "Sex",
  max: "1000",
  expected: "{name}",
  found: "{nom}",
  row: "14",
  location: "SO11",
  parent: "SO1",
  level: "2",
  child: "SO1101",
  language: "so",
  name: "Banaadir",
  new_level: "3",
  new_parent: "SO2",
  new_name: "Benadir",
};

// The parameters each code's wording uses (the server sends them: translations/service.go, locations/plan.go, file.go).
const uses: Record<string, string[]> = {
  source_changed: ["source"],
  too_long: ["max"],
  placeholders: ["expected", "found"],
  duplicate_code: ["row"],
  admin_level_range: ["max"],
  name_language: ["language"],
  name_length: ["language", "max"],
  parent_not_found: ["parent"],
  parent_invalid: ["parent", "row"],
  level_below_parent: ["parent", "level"],
  level_above_child: ["child", "level"],
  code_two_levels: ["location"],
  code_moved: ["location", "level", "parent", "row", "new_level", "new_parent"],
  name_differs: ["location", "name", "language", "row", "new_name"],
};

const cases = (Object.keys(reasonCodes) as ReportKind[]).flatMap((kind) => reasonCodes[kind].map((code) => [kind, code] as const));

describe("import reasons by code, in the app's language", () => {
  afterAll(() => activate("en"));

  it("words every code the server sends", () => {
    expect(reasonCodes.translations.sort()).toEqual(
      ["fuzzy", "no_context", "nul_character", "placeholders", "plural_forms", "source_changed", "too_long", "unknown_context", "untranslated"].sort(),
    );
    expect(reasonCodes.locations).toHaveLength(19);
  });

  it.each(cases)("%s %s: in fr, es and ar, with its values, never the server's English", async (kind, code) => {
    const english = "the server's English reason";
    await activate("en");
    const en = reasonText(kind, code, params, english);
    expect(en.lang).toBeUndefined();
    for (const p of uses[code] ?? []) expect(en.text).toContain(params[p]);
    for (const locale of ["fr", "es", "ar"] as const) {
      await activate(locale);
      const r = reasonText(kind, code, params, english);
      expect(r.lang, `${code} in ${locale}`).toBeUndefined();
      expect(r.text, `${code} in ${locale}`).not.toBe(en.text);
      for (const p of uses[code] ?? []) expect(r.text, `${code} in ${locale}: {${p}}`).toContain(params[p]);
    }
  }, 30_000); // the first loads four catalogues: slow on a busy machine

  it("keeps the server's English for an unknown or missing code", async () => {
    await activate("fr");
    expect(reasonText("translations", "something_new", {}, "a newer reason")).toEqual({ text: "a newer reason", lang: "en" });
    expect(reasonText("locations", undefined, undefined, "code: missing code")).toEqual({ text: "code: missing code", lang: "en" });
    expect(reasonText("locations", "constructor", {}, "x")).toEqual({ text: "x", lang: "en" });
  });

  it("words a reason given without a row by the location's code", async () => {
    await activate("en");
    expect(reasonText("locations", "duplicate_code", { location: "KE01" }, "").text).toBe("Duplicate code: location \u2068KE01\u2069 has it too.");
    expect(reasonText("translations", "too_long", { max: "200" }, "").text).toBe("The translation is longer than \u2068200\u2069 characters.");
  });

  it("words a parent's own problem, its cause, in Arabic and French (a cause's cause too)", async () => {
    const i = (v: string) => `\u2068${v}\u2069`;
    // As the server sends them (locations/plan.go parentInvalid): row 12's parent DL0102 (row 5) has no parent DLXX.
    const row12 = { parent: "DL0102", row: "5", cause: "parent_not_found", cause_field: "parent_code", "cause.parent": "DLXX" };
    // Row 13's parent DL0102C1 (row 12) is refused because of its own parent: two causes deep.
    const row13 = { parent: "DL0102C1", row: "12", cause: "parent_invalid", cause_field: "parent_code", "cause.parent": "DL0102", "cause.row": "5",
      "cause.cause": "admin_level_range", "cause.cause_field": "admin_level", "cause.cause.max": "5" };
    await activate("ar");
    expect(reasonText("locations", "parent_invalid", row12, "parent_code: parent DL0102 is not valid (row 5, parent_code: no location has code DLXX)")).toEqual({
      text: `الموقع الأصل ${i("DL0102")} غير صالح (الصف ${i("5")}): لا يوجد موقع برمز الأصل ${i("DLXX")}.`,
    });
    expect(reasonText("locations", "parent_invalid", row13, "").text).toBe(
      `الموقع الأصل ${i("DL0102C1")} غير صالح (الصف ${i("12")}): الموقع الأصل ${i("DL0102")} غير صالح (الصف ${i("5")}): ` +
        `يجب أن يكون المستوى الإداري عددًا صحيحًا من 0 (البلد) إلى ${i("5")}.`,
    );
    // Through the API (no row): the parent's problem alone.
    expect(reasonText("locations", "parent_invalid", { parent: "KX", location: "KX", cause: "parent_not_found", "cause.parent": "KY" }, "").text).toBe(
      `الموقع الأصل ${i("KX")} غير صالح: لا يوجد موقع برمز الأصل ${i("KY")}.`,
    );
    await activate("fr");
    expect(reasonText("locations", "parent_invalid", row12, "").text).toBe(
      `Le parent ${i("DL0102")} n'est pas valide (ligne ${i("5")}) : Aucun lieu n'a le code parent ${i("DLXX")}.`,
    );
    // A cause the app does not know (a newer server) is left out, never shown in English.
    expect(reasonText("locations", "parent_invalid", { ...row12, cause: "something_new" }, "").text).toBe(
      `Le parent ${i("DL0102")} n'est pas valide (ligne ${i("5")}).`,
    );
  });

  it("isolates the values in an Arabic sentence and words a list of no placeholders", async () => {
    await activate("ar");
    const r = reasonText("translations", "placeholders", { expected: "{name}", found: "none" }, "");
    expect(r.text).toContain("\u2068{name}\u2069");
    expect(r.text).not.toContain("none");
    expect(r.text).toMatch(/\u2068[\u0600-\u06FF ]+\u2069/);
  });
});
