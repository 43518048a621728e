// What keeps typing fast on a 200-field form (figures: typing.bench.tsx):
// a widget listens to its own field only, a field without a display
// condition does not listen to the record at all, so a keystroke asks a few
// widgets instead of every one. And what must stay true with it: typing
// reaches the record, clears the field's own error only, conditions and a
// calculated age follow the typing, a record replaced wakes every widget.
import { beforeAll, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { activate, i18n } from "../i18n";
import { buildConfig, type Field, type Form } from "./config";
import { RecordForm } from "./FormRenderer";
import { RecordStore } from "./store";

function form(fields: Field[]): Form[] {
  return [
    {
      unique_id: "long", parent_form: "case", module_ids: ["m"], name: { en: "Long" }, order: 1, order_form_group: 1,
      form_group_id: "g", form_group_name: { en: "G" }, is_nested: false, core_form: true, fields,
    },
  ];
}

const plain: Field[] = Array.from({ length: 200 }, (_, i) => ({ type: i % 2 ? "text_field" : "numeric_field", name: `field_${i}`, display_name: { en: `Field ${i}` } }) as Field);

let root: Root | undefined;
let host: HTMLElement;
beforeAll(async () => {
  await activate("en");
});

/** render counts the record-wide subscriptions the form makes. */
function render(fields: Field[], store: RecordStore) {
  let recordWide = 0;
  const subscribe = store.subscribe;
  store.subscribe = (l) => {
    recordWide++;
    return subscribe(l);
  };
  ({ host, root } = attach());
  act(() =>
    root!.render(
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider i18n={i18n}>
          <RecordForm config={buildConfig(form(fields), [])} store={store} readOnly={false} section="long" onSection={() => {}} />
        </I18nProvider>
      </QueryClientProvider>,
    ),
  );
  return () => recordWide;
}

const input = (name: string) => host.querySelector<HTMLInputElement>(`#f-${name}`)!;
function type(el: HTMLInputElement, value: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
/** typeDate types an ISO date into a date field (components/DateField.tsx) from its first box: day, month, then year. */
function typeDate(box: HTMLElement, iso: string) {
  const group = box.closest("[data-date-field]")!;
  const [year, month, day] = iso.split("-");
  for (const [part, v] of [["day", day], ["month", month], ["year", year]]) type(group.querySelector<HTMLInputElement>(`[data-part="${part}"]`)!, v);
}

// 200 fields render in seconds on a loaded shared machine: a generous timeout, nothing timed.
describe("typing on a 200-field form", { timeout: 60_000 }, () => {
  it("makes no widget listen to the whole record: only the section's error count does", () => {
    const store = new RecordStore({});
    const recordWide = render(plain, store);
    expect(host.querySelectorAll(".field-slot")).toHaveLength(200);
    expect(recordWide()).toBeLessThanOrEqual(2);
  });

  it("lets only the fields with a display condition listen to the record, and they still follow the typing", () => {
    const fields: Field[] = plain.map((f, i) => (i > 0 && i % 10 === 0 ? { ...f, display_conditions: { not: { eq: { field_1: "hide" } } } } : f));
    const store = new RecordStore({});
    const recordWide = render(fields, store);
    expect(recordWide()).toBeLessThanOrEqual(19 + 2);
    expect(host.querySelectorAll(".field-slot")).toHaveLength(200);
    type(input("field_1"), "hide");
    expect(host.querySelectorAll(".field-slot")).toHaveLength(181);
    type(input("field_1"), "show");
    expect(host.querySelectorAll(".field-slot")).toHaveLength(200);
  });

  it("writes the typing to the record, clears that field's error only, and shows a record replaced in every widget", () => {
    const store = new RecordStore({});
    render(plain, store);
    act(() => store.setErrors({ field_1: "Fill in this field.", field_3: "Fill in this field." }));
    expect(host.querySelectorAll(".field-error")).toHaveLength(2);
    type(input("field_1"), "Amani");
    expect(store.values.field_1).toBe("Amani");
    expect(input("field_1").value).toBe("Amani");
    expect(Object.keys(store.errors)).toEqual(["field_3"]);
    expect(host.querySelectorAll(".field-error")).toHaveLength(1);
    act(() => store.replace({ field_1: "Baraka", field_199: "Juma" }));
    expect(input("field_1").value).toBe("Baraka");
    expect(input("field_199").value).toBe("Juma");
    act(() => store.set({ field: "field_3" }, "set by the app"));
    expect(input("field_3").value).toBe("set by the app");
  });

  it("updates a calculated age as the date of birth is typed", () => {
    const fields: Field[] = [
      { name: "date_of_birth", type: "date_field", display_name: { en: "Date of birth" } } as Field,
      { name: "age", type: "calculated", display_name: { en: "Age" }, calculation: { age_from: "date_of_birth" }, editable: false } as Field,
      ...plain.slice(2),
    ];
    const store = new RecordStore({});
    render(fields, store);
    const year = new Date().getUTCFullYear();
    typeDate(input("date_of_birth"), `${year - 10}-01-01`);
    const age = () => [...host.querySelectorAll(".field-slot")][1].textContent;
    expect(age()).toMatch(/^Age(9|10)$/);
    typeDate(input("date_of_birth"), `${year - 15}-01-01`);
    expect(age()).toMatch(/^Age(14|15)$/);
  });
});
