// The form renderer on a small configuration: every value-holding widget
// writes the record's JSON shape, display conditions apply as people type
// (also inside subform rows), rows are added and removed by unique_id,
// required fields and the API's 422 details land at their fields.
import { beforeAll, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { activate, i18n } from "../i18n";
import { buildConfig, writesAny, type Form, type Lookup, type RecordConfig } from "./config";
import { ErrorSummary, RecordForm } from "./FormRenderer";
import { diff } from "./patch";
import { RecordStore } from "./store";
import { missingRequired, problemErrors } from "./validate";
import { type, typeDate } from "../testing/typing";

const lookups: Lookup[] = [
  { unique_id: "lookup-sex", name: { en: "Sex" }, values: [{ id: "female", display_text: { en: "Female", ar: "أنثى" } }, { id: "male", display_text: { en: "Male", ar: "ذكر" } }] },
  { unique_id: "lookup-alive", name: { en: "Alive" }, values: [{ id: "alive", display_text: { en: "Alive" } }, { id: "deceased", display_text: { en: "Deceased" } }] },
];

const forms: Form[] = [
  {
    unique_id: "basic_identity", parent_form: "case", module_ids: ["m"], name: { en: "Basic identity", ar: "الهوية" }, order: 10, order_form_group: 10,
    form_group_id: "identification", form_group_name: { en: "Identification" }, is_nested: false, core_form: true,
    fields: [
      { name: "name_first", type: "text_field", display_name: { en: "First name", ar: "الاسم الأول" } },
      { name: "sex", type: "select_box", display_name: { en: "Sex" }, option_strings_source: "lookup lookup-sex", required: true },
      { name: "pregnant", type: "tick_box", display_name: { en: "Pregnant" }, display_conditions: { and: [{ eq: { sex: "female" } }, { gt: { age: 12 } }] } },
      { name: "date_of_birth", type: "date_field", display_name: { en: "Date of birth" } },
      { name: "estimated", type: "tick_box", display_name: { en: "Estimated" } },
      { name: "age", type: "calculated", display_name: { en: "Age" }, calculation: { age_from: "date_of_birth" }, editable: false },
      { name: "concerns", type: "select_box", display_name: { en: "Concerns" }, multi_select: true, option_strings_text: [{ id: "gbv", display_text: { en: "GBV" } }, { id: "neglect", display_text: { en: "Neglect" } }] },
      { name: "nationality", type: "select_box", display_name: { en: "Nationality" }, multi_select: true, option_strings_text: Array.from({ length: 14 }, (_, i) => ({ id: `n${i}`, display_text: { en: `Nation ${i}` } })) },
      { name: "household_adults", type: "numeric_field", display_name: { en: "Adults" }, integer: true },
      { name: "people", type: "tally_field", display_name: { en: "People" }, tally: [{ id: "boys", display_text: { en: "Boys" } }, { id: "girls", display_text: { en: "Girls" } }] },
      { name: "photos", type: "photo_upload_box", display_name: { en: "Photos" } },
    ],
  },
  {
    unique_id: "family_details", parent_form: "case", module_ids: ["m"], name: { en: "Family" }, order: 10, order_form_group: 20,
    form_group_id: "family", form_group_name: { en: "Family" }, is_nested: false, core_form: true,
    fields: [{ name: "family", type: "subform", display_name: { en: "Family members" }, subform_section_unique_id: "family_section" }],
  },
  {
    unique_id: "family_section", parent_form: "case", module_ids: ["m"], name: { en: "Member" }, order: 10, order_form_group: 0, is_nested: true, core_form: true,
    fields: [
      { name: "relation_name", type: "text_field", display_name: { en: "Name" }, required: true },
      { name: "relation_is_alive", type: "radio_button", display_name: { en: "Alive?" }, option_strings_source: "lookup lookup-alive" },
      { name: "relation_death_details", type: "textarea", display_name: { en: "Death details" }, display_conditions: { eq: { relation_is_alive: "deceased" } } },
    ],
  },
];

const config = buildConfig(forms, lookups);

let root: Root | undefined;
let host: HTMLElement;
beforeAll(async () => {
  await activate("en");
});

function render(store: RecordStore, { readOnly = false, section, cfg = config }: { readOnly?: boolean; section?: string; cfg?: RecordConfig } = {}) {
  ({ host, root } = attach());
  const qc = new QueryClient();
  act(() =>
    root!.render(
      <QueryClientProvider client={qc}>
        <I18nProvider i18n={i18n}>
          <ErrorSummary store={store} config={cfg} onSection={() => {}} form={[]} />
          <RecordForm config={cfg} store={store} readOnly={readOnly} section={section} onSection={() => {}} />
        </I18nProvider>
      </QueryClientProvider>,
    ),
  );
}

const byLabel = (text: string) => {
  const label = [...host.querySelectorAll("label")].find((l) => l.textContent?.replace(/\s*\*.*$/, "").trim() === text);
  if (!label) throw new Error(`no label ${text}: ${host.innerHTML.slice(0, 500)}`);
  return host.querySelector<HTMLInputElement>(`#${CSS.escape(label.htmlFor)}`)!;
};

const click = (el: Element) => act(() => (el as HTMLElement).click());

const notesForms: Form[] = [
  {
    unique_id: "notes", parent_form: "case", module_ids: ["m"], name: { en: "Notes" }, order: 10, order_form_group: 30,
    form_group_id: "notes", form_group_name: { en: "Notes" }, is_nested: false, core_form: true,
    fields: [{ name: "notes_section", type: "subform", display_name: { en: "Notes" }, subform_section_unique_id: "notes_section" }],
  },
  {
    unique_id: "notes_section", parent_form: "case", module_ids: ["m"], name: { en: "Note" }, order: 10, order_form_group: 0, is_nested: true, core_form: true,
    fields: [
      { name: "note_subject", type: "text_field", display_name: { en: "Subject" } },
      { name: "field_notes_subform_fields", type: "textarea", display_name: { en: "Note" } },
    ],
  },
];

describe("RecordForm", () => {
  it("never offers the server-written notes for editing: rows read-only, newest first, with author and date", () => {
    const cfg = buildConfig(notesForms, lookups);
    const store = new RecordStore({
      notes_section: [
        { unique_id: "n1", notes_date: "2026-11-30T10:00:00Z", note_subject: "First", field_notes_subform_fields: "Older note", note_created_by: "ana@example.org" },
        { unique_id: "n2", notes_date: "2026-12-01T10:00:00Z", note_subject: "Second", field_notes_subform_fields: "Newer note", note_created_by: "ben@example.org" },
      ],
    });
    render(store, { cfg });
    const section = host.querySelector("section.section")!;
    expect(section.querySelectorAll("input, select, textarea")).toHaveLength(0);
    expect(host.querySelector('[data-add-row="notes_section"]')).toBeNull();
    expect([...section.querySelectorAll("button")].map((b) => b.textContent)).toEqual([]);
    expect([...section.querySelectorAll("[data-row]")].map((r) => r.getAttribute("data-row"))).toEqual(["n2", "n1"]);
    const authors = [...section.querySelectorAll('[data-testid="row-author"]')].map((p) => p.textContent);
    expect(authors[0]).toContain("ben@example.org");
    expect(authors[1]).toContain("ana@example.org");
    expect(section.textContent).toContain("Newer note");
    // Nothing of the notes is ever sent by a record write.
    expect(diff(store.values, store.values, cfg.shape)).toEqual({});
  });

  it("shows a form the role reads but does not write as values: no inputs, nothing of it sent, none of it required", () => {
    const ro = buildConfig(forms, lookups, { basic_identity: "r", family_details: "rw" });
    expect([...ro.readOnly]).toEqual(["basic_identity"]);
    expect(ro.shape.fields).toEqual(["family"]);
    expect(writesAny(ro)).toBe(true);
    expect(writesAny(buildConfig(forms, lookups, { basic_identity: "r", family_details: "r" }))).toBe(false);
    // A form the access does not name (an administrator sees every form) is read-only too.
    expect([...buildConfig(forms, lookups, { family_details: "rw" }).readOnly]).toEqual(["basic_identity"]);
    // Without an access map (an older server), every form is written.
    expect([...config.readOnly]).toEqual([]);

    const store = new RecordStore({ name_first: "Amal", sex: "female" });
    render(store, { cfg: ro });
    const section = host.querySelector("section.section")!;
    expect(section.querySelectorAll("input, select, textarea")).toHaveLength(0);
    expect(section.querySelector('[data-testid="form-read-only"]')!.textContent).toBe("Your role may read this form but not change it.");
    expect(section.textContent).toContain("Amal");
    expect(host.querySelector('[data-section="basic_identity"]')!.textContent).toContain("read only");
    expect(host.querySelector('[data-section="family_details"]')!.textContent).not.toContain("read only");
    // sex is required, but the role cannot write it: the server does not require it either.
    expect(missingRequired(ro, {}, "Required")).toEqual({});
    expect(diff({}, { name_first: "Changed", family: [{ unique_id: "r1", relation_name: "Sara" }] }, ro.shape)).toEqual({
      family: [{ unique_id: "r1", relation_name: "Sara" }],
    });
    act(() => root?.unmount());
    host.remove();

    render(new RecordStore({}), { cfg: ro, section: "family_details" });
    expect(host.querySelector('[data-testid="form-read-only"]')).toBeNull();
    expect(host.querySelector('[data-add-row="family"]')).not.toBeNull();
    act(() => root?.unmount());
    host.remove();

    // Viewing (not editing), no form says it is read-only: nothing is editable.
    render(new RecordStore({ name_first: "Amal" }), { cfg: ro, readOnly: true });
    expect(host.querySelector('[data-testid="form-read-only"]')).toBeNull();
    expect(host.textContent).not.toContain("read only");
  });

  it("groups sections, shows only the active one, and marks required fields", () => {
    render(new RecordStore({}));
    const nav = host.querySelector("nav[aria-label]")!;
    expect([...nav.querySelectorAll("h2")].map((h) => h.textContent)).toEqual(["Identification", "Family"]);
    expect(host.querySelector("section h2")!.textContent).toBe("Basic identity");
    expect(byLabel("Sex").getAttribute("aria-required")).toBe("true");
    expect(host.textContent).toContain("Register the record first, then add files here.");
    expect(host.textContent).not.toContain("Family members");
  });

  it("writes each widget's value in the record's JSON shape", () => {
    const store = new RecordStore({});
    render(store);
    type(byLabel("First name"), "Amal");
    type(byLabel("Sex"), "female");
    type(byLabel("Adults"), "3");
    click(byLabel("GBV"));
    click(byLabel("Neglect"));
    click(byLabel("GBV"));
    type(byLabel("Boys"), "2");
    typeDate(byLabel("Date of birth"), "2010-03-04");
    const nat = byLabel("Nationality") as unknown as HTMLSelectElement; // a long list: a list box
    expect(nat.multiple).toBe(true);
    act(() => {
      nat.options[2].selected = true;
      nat.options[5].selected = true;
      nat.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(store.values.nationality).toEqual(["n2", "n5"]);
    expect(store.values).toMatchObject({ name_first: "Amal", sex: "female", household_adults: 3, concerns: ["neglect"], people: { boys: 2 }, date_of_birth: "2010-03-04" });
    type(byLabel("Adults"), "");
    type(byLabel("Sex"), "");
    expect(store.values.household_adults).toBeUndefined();
    expect(diff({ sex: "male" }, store.values, config.shape)).toMatchObject({ sex: null, name_first: "Amal" });
  });

  it("takes an estimated age instead of a date of birth, and ticks estimated", () => {
    const store = new RecordStore({});
    render(store);
    type(byLabel("Or estimated age in years"), "7");
    expect(store.values.date_of_birth).toBe(`${new Date().getUTCFullYear() - 7}-01-01`);
    expect(store.values.estimated).toBe(true);
  });

  it("applies display conditions as people type, also over calculated values", () => {
    const store = new RecordStore({ date_of_birth: "2000-01-01" });
    render(store);
    expect(host.textContent).not.toContain("Pregnant");
    type(byLabel("Sex"), "female");
    expect(byLabel("Pregnant")).toBeTruthy(); // age (calculated) > 12 and female
    typeDate(byLabel("Date of birth"), `${new Date().getUTCFullYear() - 5}-01-01`);
    expect(host.textContent).not.toContain("Pregnant");
  });

  it("adds and removes subform rows with stable ids; row conditions read the row", () => {
    const store = new RecordStore({ family: [{ unique_id: "r1", relation_name: "Sara" }] });
    render(store, { section: "family_details" });
    const add = [...host.querySelectorAll("button")].find((b) => b.textContent?.startsWith("Add an entry"))!;
    click(add);
    click(add);
    const rows = store.values.family as { unique_id: string }[];
    expect(rows).toHaveLength(3);
    expect(rows[0].unique_id).toBe("r1");
    expect(new Set(rows.map((r) => r.unique_id)).size).toBe(3);
    const second = host.querySelectorAll<HTMLElement>(".subform-row")[1];
    click(second.querySelector('input[type="radio"][id$="-deceased"]')!);
    expect(second.textContent).toContain("Death details");
    expect(host.querySelectorAll<HTMLElement>(".subform-row")[0].textContent).not.toContain("Death details");
    const removeFirst = [...host.querySelectorAll("button")].find((b) => b.textContent === "Remove entry 1")!;
    click(removeFirst);
    const after = store.values.family as { unique_id: string; relation_is_alive?: string }[];
    expect(after.map((r) => r.unique_id)).toEqual([rows[1].unique_id, rows[2].unique_id]);
    expect(after[0].relation_is_alive).toBe("deceased");
    expect(diff({ family: [{ unique_id: "r1", relation_name: "Sara" }] }, store.values, config.shape).family).toContainEqual({ unique_id: "r1", _destroy: true });
  });

  it("shows required fields that are empty, and the API's 422 details at their fields", () => {
    const store = new RecordStore({ family: [{ unique_id: "r1" }, { unique_id: "r2", relation_name: "Omar" }] });
    const missing = missingRequired(config, store.values, "Required.");
    expect(missing).toEqual({ sex: "Required.", "family[r1].relation_name": "Required." });
    render(store);
    act(() => store.setErrors(missing));
    const sex = byLabel("Sex");
    expect(sex.getAttribute("aria-invalid")).toBe("true");
    expect(host.querySelector(`#${sex.getAttribute("aria-describedby")}`)!.textContent).toBe("Required.");
    expect(host.querySelector("[role=alert]")!.textContent).toContain("Family members › Name: Required.");
    expect(host.querySelector("nav")!.textContent).toContain("1 to fix");

    const sent = { date_of_birth: "2999-01-01", family: [{ unique_id: "r2", relation_name: "x" }] };
    const mapped = problemErrors(
      {
        type: "about:blank",
        status: 422,
        title: "Unprocessable Entity",
        errors: [
          { location: "body.data.date_of_birth", message: "must not be in the future" },
          { location: "body.data.family[0].relation_name", message: "is too short" },
          { location: "body.data.unknown_field", message: "is not a field" },
        ],
      },
      sent,
      config,
    );
    expect(mapped.fields).toEqual({ date_of_birth: "must not be in the future", "family[r2].relation_name": "is too short" });
    expect(mapped.form).toEqual(["unknown_field: is not a field"]);
  });

  it("shows values read-only, in the person's language", async () => {
    await act(() => activate("ar"));
    render(new RecordStore({ name_first: "أمل", sex: "female", concerns: ["gbv", "neglect"] }), { readOnly: true });
    expect(host.querySelector("input, select, textarea")).toBeNull();
    expect(host.textContent).toContain("أنثى");
    expect(host.textContent).toContain("GBV, Neglect");
    // Each value keeps the page's direction (it starts under its label, on the
    // right in Arabic) and its own inside: a Latin value is isolated, not the row.
    const values = [...host.querySelectorAll(".field-value")];
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) {
      expect(v.hasAttribute("dir")).toBe(false);
      expect(v.querySelector(":scope > bdi")?.getAttribute("dir")).toBe("auto");
    }
    await act(() => activate("en"));
  });
});
