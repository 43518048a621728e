// The date field in the app's language: the boxes' order, names and digits
// follow the app's language (not the browser's), and the value is the API's
// ISO date only when the boxes hold a whole, real date.
import { afterEach, describe, expect, it } from "vitest";
import { act, useState } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../i18n";
import { DateField, dateOrder, isoDate, westernDigits } from "./DateField";

let root: Root | undefined;
let host: HTMLElement;
afterEach(async () => {
  await activate("en");
});

/** Harness holds the value as a form does, and records every value the field answered. */
function Harness({ initial, seen, setter }: { initial: string; seen: string[]; setter?: (set: (v: string) => void) => void }) {
  const [value, setValue] = useState(initial);
  setter?.(setValue);
  return (
    <div className="field">
      <label htmlFor="dob" id="dob-label">
        Date of birth
      </label>
      <DateField
        id="dob"
        labelId="dob-label"
        value={value}
        onChange={(v) => {
          seen.push(v);
          setValue(v);
        }}
        aria={{ "aria-invalid": true, "aria-describedby": "dob-error" }}
      />
      <p id="dob-error">must not be in the future</p>
    </div>
  );
}

function render(el: React.ReactNode) {
  ({ host, root } = attach());
  act(() => root!.render(<I18nProvider i18n={i18n}>{el}</I18nProvider>));
}

function type(el: HTMLInputElement, value: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

const boxes = () => [...host.querySelectorAll<HTMLInputElement>("[data-date-field] input")];
const box = (part: string) => host.querySelector<HTMLInputElement>(`[data-part="${part}"]`)!;
const labelOf = (input: HTMLInputElement) => host.querySelector<HTMLLabelElement>(`.date-part label[for="${input.id}"]`)!.textContent;

describe("DateField", () => {
  it("orders and names the boxes in Arabic (day, month, year) whatever the browser's locale, the first box taking the field's id", async () => {
    await activate("ar");
    const seen: string[] = [];
    render(<Harness initial="2017-03-02" seen={seen} />);
    expect(boxes().map((b) => b.dataset.part)).toEqual(["day", "month", "year"]);
    expect(boxes().map(labelOf)).toEqual(["اليوم", "الشهر", "السنة"]);
    expect(boxes()[0].id).toBe("dob"); // <label for="dob"> names it, and an error moved to the field lands there
    const group = host.querySelector("[data-date-field]")!;
    expect(group.getAttribute("role")).toBe("group");
    expect(group.getAttribute("aria-labelledby")).toBe("dob-label");
    for (const b of boxes()) {
      expect(b.getAttribute("aria-invalid")).toBe("true");
      expect(b.getAttribute("aria-describedby")).toBe("dob-error");
      expect(b.inputMode).toBe("numeric");
    }
    // The stored date, in the language's digits.
    const n = (v: number, d: number) => new Intl.NumberFormat("ar", { useGrouping: false, minimumIntegerDigits: d }).format(v);
    expect(boxes().map((b) => b.value)).toEqual([n(2, 2), n(3, 2), n(2017, 4)]);
    expect(seen).toEqual([]);
  });

  it("orders the boxes month, day, year in English and day, month, year in French and Spanish", async () => {
    expect(dateOrder("en")).toEqual(["month", "day", "year"]);
    expect(dateOrder("fr")).toEqual(["day", "month", "year"]);
    expect(dateOrder("es")).toEqual(["day", "month", "year"]);
    await activate("en");
    render(<Harness initial="" seen={[]} />);
    expect(boxes().map((b) => b.dataset.part)).toEqual(["month", "day", "year"]);
    expect(boxes()[0].id).toBe("dob");
  });

  it("answers the ISO date once the boxes hold a whole, real date, in Western or Arabic-Indic digits, and keeps a half-typed date", async () => {
    await activate("ar");
    const seen: string[] = [];
    render(<Harness initial="" seen={seen} />);
    type(box("day"), "٢");
    type(box("month"), "3");
    expect(seen).toEqual([]); // no year yet: nothing answered, and what was typed stays
    expect(box("day").value).toBe("٢");
    type(box("year"), "٢٠١٧");
    expect(seen).toEqual(["2017-03-02"]);
    // 31 February is not a date: the field answers "" (as a native date input), the boxes keep what was typed.
    type(box("day"), "31");
    type(box("month"), "02");
    expect(seen.at(-1)).toBe("");
    expect([box("day").value, box("month").value]).toEqual(["31", "02"]);
    type(box("month"), "12");
    expect(seen.at(-1)).toBe("2017-12-31");
    // A two-digit year is not taken for a century.
    type(box("year"), "17");
    expect(seen.at(-1)).toBe("");
  });

  it("shows a value set from outside (a record loaded, an estimated age, a filter reset)", async () => {
    await activate("en");
    let set: (v: string) => void = () => {};
    render(<Harness initial="" seen={[]} setter={(s) => (set = s)} />);
    act(() => set("2010-01-01"));
    expect([box("month").value, box("day").value, box("year").value]).toEqual(["01", "01", "2010"]);
    act(() => set(""));
    expect(boxes().map((b) => b.value)).toEqual(["", "", ""]);
  });

  it("reads digits of either script", () => {
    expect(westernDigits("٢٠١٧")).toBe("2017");
    expect(westernDigits("۱۲")).toBe("12");
    expect(westernDigits(" 0 3-")).toBe("03");
    expect(isoDate({ day: "29", month: "2", year: "2024" })).toBe("2024-02-29");
    expect(isoDate({ day: "29", month: "2", year: "2023" })).toBe("");
    expect(isoDate({ day: "", month: "", year: "" })).toBe("");
  });
});
