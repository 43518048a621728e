// Typing on a 200-field form (issue 13: "no typing lag on a 200-field form"),
// measured, never asserted:
//   NODE_ENV=production npx vitest bench --run src/records/typing.bench.tsx
// (production React, as the app ships; without NODE_ENV, React's development
// build). One keystroke = the input's value set and its input event
// dispatched inside flushSync, so React has committed when the iteration
// ends. The clock is this process's CPU time (process.cpuUsage), not the wall
// clock: on a shared machine the wall clock mostly measures the other
// processes. happy-dom has no layout or paint: the figures are the app's own
// JavaScript per keystroke (the store, the subscriptions, conditions, React's
// render and commit), the part a slow phone multiplies. Figures and findings:
// docs/frontend.md "Review → Session 20".
import { bench, describe } from "vitest";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { I18nProvider } from "@lingui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { activate, i18n } from "../i18n";
import { buildConfig, type Field, type Form, type Lookup } from "./config";
import { ErrorSummary, RecordForm } from "./FormRenderer";
import { RecordStore } from "./store";

await activate("en");

const lookups: Lookup[] = [
  { unique_id: "lookup-yes-no", name: { en: "Yes or no" }, values: [{ id: "yes", display_text: { en: "Yes" } }, { id: "no", display_text: { en: "No" } }] },
];

/** generated: 200 fields of the common types; with conditions, every other field is shown while field_0 is not "hide". */
function generated(conditions: boolean, count = 200): Form[] {
  const kinds: Omit<Field, "name" | "display_name">[] = [
    { type: "text_field" },
    { type: "textarea" },
    { type: "numeric_field", integer: true },
    { type: "date_field" },
    { type: "select_box", option_strings_source: "lookup lookup-yes-no" },
    { type: "tick_box" },
    { type: "radio_button", option_strings_source: "lookup lookup-yes-no" },
    { type: "select_box", multi_select: true, option_strings_text: [{ id: "a", display_text: { en: "A" } }, { id: "b", display_text: { en: "B" } }, { id: "c", display_text: { en: "C" } }] },
  ];
  const fields: Field[] = Array.from({ length: count }, (_, i) => ({
    ...(i === 0 ? { type: "text_field" } : kinds[i % kinds.length]),
    name: `field_${i}`,
    display_name: { en: `Field ${i}` },
    ...(conditions && i > 0 && i % 2 === 0 ? { display_conditions: { not: { eq: { field_0: "hide" } } } } : {}),
  })) as Field[];
  return [
    {
      unique_id: "long",
      parent_form: "case",
      module_ids: ["m"],
      name: { en: "Long form" },
      order: 10,
      order_form_group: 10,
      form_group_id: "g",
      form_group_name: { en: "Group" },
      is_nested: false,
      core_form: true,
      fields,
    },
  ];
}

/** mount renders the form as the record pages do (the error summary above it) and returns the input of field_0. */
function mount(conditions: boolean, errors: number, count = 200) {
  const config = buildConfig(generated(conditions, count), lookups);
  const store = new RecordStore({});
  if (errors) store.setErrors(Object.fromEntries(Array.from({ length: errors }, (_, i) => [`field_${i * 2 + 1}`, "Fill in this field."])));
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  flushSync(() =>
    root.render(
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider i18n={i18n}>
          <ErrorSummary store={store} config={config} onSection={() => {}} form={[]} />
          <RecordForm config={config} store={store} readOnly={false} section="long" onSection={() => {}} />
        </I18nProvider>
      </QueryClientProvider>,
    ),
  );
  const input = host.querySelector<HTMLInputElement>("#f-field_0")!;
  if (!input || host.querySelectorAll(".field-slot").length !== count) throw new Error(`the ${count}-field form did not render`);
  return { store, input };
}

/** fill gives the other 199 fields a value (text of about 40 characters, or a number). */
function fill(store: RecordStore) {
  flushSync(() => {
    for (let i = 1; i < 200; i++) store.set({ field: `field_${i}` }, i % 3 ? `value ${i} `.repeat(4) : i);
  });
}

const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
const text = "Amani Hassan Abdullahi lives near the school";

function typer(input: HTMLInputElement) {
  let n = 0;
  return () => {
    n = (n + 1) % text.length;
    flushSync(() => {
      setValue.call(input, text.slice(0, n + 1));
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  };
}

/** cpu: this process's CPU time in milliseconds (tinybench's clock). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const options = { now: cpu, time: 2000, iterations: 200 };

describe("one keystroke in a 200-field form", () => {
  const plain = mount(false, 0);
  bench("200 fields, no conditions", typer(plain.input), options);

  const conditional = mount(true, 0);
  bench("200 fields, 99 with a display condition on the typed field", typer(conditional.input), options);

  const refused = mount(true, 50);
  bench("200 fields, 99 conditions, 50 errors shown (after a refused save)", typer(refused.input), options);

  // The registration page writes the whole typing to sessionStorage on every keystroke (CaseRecord.tsx RegisterRecord).
  const registering = mount(true, 0);
  registering.store.onChange((values) => sessionStorage.setItem("cpims.bench.register", JSON.stringify({ values })));
  fill(registering.store);
  bench("200 fields filled, the typing written to sessionStorage on every keystroke (registering)", typer(registering.input), options);

  const one = mount(false, 0, 1);
  bench("1 field (what the other 199 add is the difference)", typer(one.input), options);
});
