// The file control in the UI language: the same input underneath, a button
// and the chosen file's name worded by the app (the browser's own control is
// English in every language).
import { afterEach, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../i18n";
import { FileInput } from "./FileInput";

let root: Root | undefined;
let host: HTMLElement;
afterEach(async () => {
  await activate("en");
});

function render(el: React.ReactNode) {
  ({ host, root } = attach());
  act(() => root!.render(<I18nProvider i18n={i18n}>{el}</I18nProvider>));
}

describe("FileInput", () => {
  it("words the button and the empty choice in Arabic, over a focusable file input described by the chosen name", async () => {
    await activate("ar");
    const chosen: (File | undefined)[] = [];
    render(
      <div className="field">
        <label htmlFor="po">ملف PO</label>
        <FileInput id="po" name="file" accept=".po" describedBy="po-error" invalid onFile={(f) => chosen.push(f)} />
        <p id="po-error">خطأ</p>
      </div>,
    );
    const input = host.querySelector<HTMLInputElement>("input#po")!;
    expect(input.type).toBe("file");
    expect(input.name).toBe("file");
    expect(input.accept).toBe(".po");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.disabled).toBe(false);
    expect(input.tabIndex).toBeGreaterThanOrEqual(0);
    expect(input.getAttribute("aria-describedby")).toBe("po-chosen po-error");
    const labels = Array.from(host.querySelectorAll(`label[for="po"]`)).map((l) => l.textContent);
    expect(labels).toHaveLength(2);
    expect(labels[1]).toMatch(/[\u0600-\u06FF]/);
    expect(labels[1]).not.toContain("Choose");
    const name = host.querySelector("#po-chosen")!;
    expect(name.textContent).toMatch(/[\u0600-\u06FF]/);
    expect(name.getAttribute("aria-live")).toBe("polite");

    const file = new File(["msgid \"\"\nmsgstr \"\"\n"], "ke-ar.po", { type: "text/x-gettext-translation" });
    Object.defineProperty(input, "files", { configurable: true, value: [file] });
    act(() => input.dispatchEvent(new Event("change", { bubbles: true })));
    expect(chosen).toEqual([file]);
    expect(name.textContent).toBe("ke-ar.po");
    expect(name.getAttribute("dir")).toBe("auto");

    Object.defineProperty(input, "files", { configurable: true, value: [] });
    act(() => input.dispatchEvent(new Event("change", { bubbles: true })));
    expect(chosen).toEqual([file, undefined]);
    expect(name.textContent).not.toBe("ke-ar.po");
  });

  it("says Choose a file and No file chosen in English", async () => {
    await activate("en");
    render(<FileInput id="csv" onFile={() => {}} />);
    expect(host.querySelector(`label[for="csv"]`)!.textContent).toBe("Choose a file");
    expect(host.querySelector("#csv-chosen")!.textContent).toBe("No file chosen");
    expect(host.querySelector("input#csv")!.getAttribute("aria-describedby")).toBe("csv-chosen");
  });
});
