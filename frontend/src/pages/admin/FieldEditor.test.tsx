// The form editor's field editor and its display-condition builder, rendered:
// type-specific attributes appear with the type, options come from a lookup,
// a condition built from the other fields becomes the expression sent, and
// the API's problem is shown at its attribute.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { act, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { I18nProvider } from "@lingui/react";
import type { Field, Lookup } from "../../api/client";
import { activate, i18n } from "../../i18n";
import { ConditionBuilder, FieldEditor } from "./FieldEditor";

const lookups: Lookup[] = [
  { unique_id: "lookup-sex", name: { en: "Sex" }, values: [{ id: "female", display_text: { en: "Female" } }, { id: "male", display_text: { en: "Male" } }] },
  { unique_id: "lookup-risk", name: { en: "Risk" }, values: [{ id: "high", display_text: { en: "High" } }] },
];
const others: Field[] = [
  { name: "sex", type: "select_box", display_name: { en: "Sex", ar: "الجنس" }, option_strings_source: "lookup lookup-sex" },
  { name: "age", type: "numeric_field", display_name: { en: "Age" } },
  { name: "date_of_birth", type: "date_field", display_name: { en: "Date of birth" } },
];

let root: Root;
let host: HTMLElement;
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

/** Editor renders the field editor as the form editor does: it holds the field. */
function Editor({ start, seen, errors }: { start: Field; seen: Field[]; errors?: Record<string, string> }) {
  const [f, setF] = useState(start);
  return (
    <FieldEditor
      field={f}
      isNew
      onChange={(nf) => {
        seen.push(nf);
        setF(nf);
      }}
      others={others}
      lookups={lookups}
      nested={[]}
      locales={["en", "ar"]}
      errors={errors}
    />
  );
}

async function render(node: React.ReactNode) {
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root.render(<I18nProvider i18n={i18n}>{node}</I18nProvider>));
}

/** change sets a control's value as a person would (React listens to input and change). */
async function change(el: HTMLInputElement | HTMLSelectElement, value: string) {
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

const q = <T extends Element>(sel: string) => host.querySelector<T>(sel);

describe("FieldEditor", () => {
  beforeAll(() => activate("en"));

  it("shows the attributes of the chosen type only, and takes options from a lookup", async () => {
    const seen: Field[] = [];
    await render(<Editor start={{ name: "new_field_1", type: "text_field", display_name: {} }} seen={seen} />);
    expect(q('input[name="max_length"]')).not.toBeNull();
    expect(q('input[name="phone_number"]')).not.toBeNull();
    expect(q('input[name="min_value"]')).toBeNull();

    await change(q<HTMLSelectElement>('select[name="type"]')!, "numeric_field");
    expect(q('input[name="max_length"]')).toBeNull();
    expect(q('input[name="min_value"]')).not.toBeNull();
    expect(q('input[name="integer"]')).not.toBeNull();

    await change(q<HTMLSelectElement>('select[name="type"]')!, "select_box");
    // A new select lists its options here until a lookup is chosen.
    expect(q('[data-testid="option_strings_text-add"]')).not.toBeNull();
    const fromLookup = [...host.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => host.querySelector(`label[for="${r.id}"]`)?.textContent === "From a lookup")!;
    await act(async () => fromLookup.click());
    await change(q<HTMLSelectElement>('select[name="option_strings_source"]')!, "lookup-risk");
    expect(seen.at(-1)).toMatchObject({ type: "select_box", option_strings_source: "lookup lookup-risk", option_strings_text: undefined });

    await change(q<HTMLInputElement>('input[name="display_name.ar"]')!, "مستوى الخطر");
    expect(seen.at(-1)!.display_name).toEqual({ ar: "مستوى الخطر" });
  });

  it("builds a display condition over the other fields and shows the API's problem at it", async () => {
    const seen: Field[] = [];
    await render(<Editor start={{ name: "pregnant", type: "tick_box", display_name: { en: "Pregnant" } }} seen={seen} errors={{ display_conditions: "no field named sex2" }} />);
    const builder = q('[data-testid="condition-builder"]')!;
    expect(builder.textContent).toContain("Always shown.");
    expect(builder.querySelector(".field-error")!.textContent).toBe("no field named sex2");
    expect(builder.getAttribute("aria-describedby")).toBe(builder.querySelector(".field-error")!.id);

    await act(async () => q<HTMLButtonElement>('[data-testid="add-condition"]')!.click());
    await change(q<HTMLSelectElement>('select[name="display_conditions.0.field"]')!, "sex");
    await change(q<HTMLInputElement>('input[name="display_conditions.0.value"]')!, "female");
    expect(seen.at(-1)!.display_conditions).toEqual({ eq: { sex: "female" } });
    // The select's option ids are suggested.
    expect([...host.querySelectorAll("datalist option")].map((o) => o.getAttribute("value"))).toEqual(["female", "male"]);

    await act(async () => q<HTMLButtonElement>('[data-testid="add-condition"]')!.click());
    await change(q<HTMLSelectElement>('select[name="display_conditions.1.field"]')!, "age");
    await change(q<HTMLSelectElement>('select[name="display_conditions.1.op"]')!, "ge");
    await change(q<HTMLInputElement>('input[name="display_conditions.1.value"]')!, "12");
    await change(q<HTMLSelectElement>('select[name="display_conditions.join"]')!, "or");
    expect(seen.at(-1)!.display_conditions).toEqual({ or: [{ eq: { sex: "female" } }, { ge: { age: 12 } }] });

    // Removing both leaves the field always shown.
    for (let i = 0; i < 2; i++) {
      const remove = [...builder.querySelectorAll<HTMLButtonElement>(".condition-row button")][0];
      await act(async () => remove.click());
    }
    expect(seen.at(-1)!.display_conditions).toBeUndefined();
  });
});

describe("ConditionBuilder", () => {
  it("edits a condition it cannot show as JSON, and in Arabic", async () => {
    await activate("ar");
    const seen: unknown[] = [];
    await render(<ConditionBuilder value={{ not: { eq: { sex: "male" } } }} onChange={(e) => seen.push(e)} fields={others} lookups={lookups} />);
    const json = q<HTMLTextAreaElement>('textarea[name="display_conditions_json"]')!;
    expect(JSON.parse(json.value)).toEqual({ not: { eq: { sex: "male" } } });
    expect(host.querySelector(`label[for="${json.id}"]`)!.textContent).not.toBe("Display condition (JSON)");
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(json, '{"exists": "age"}');
      json.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(seen.at(-1)).toEqual({ exists: "age" });
    await activate("en");
  });
});
