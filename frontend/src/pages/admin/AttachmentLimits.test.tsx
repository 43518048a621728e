// The attachment limits on the system settings screen: sizes shown and typed
// in MB (the API speaks bytes), refused at the field below 1 byte or above the
// server's largest file before anything is sent, labelled in Arabic too.
import { describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { I18nProvider } from "@lingui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { attach } from "../../testing/attach";
import { activate, i18n } from "../../i18n";
import type { SystemSettings } from "../../api/client";
import { AttachmentLimits, fromMB, toMB } from "./AttachmentLimits";

const MB = 1024 * 1024;
const settings = {
  name: "Kenya", default_locale: "en", locales: ["en", "ar"], directions: { en: "ltr", ar: "rtl" }, modules: [], time_zone: "UTC",
  offline_unlock: "pin", attachment_max_photo_bytes: 10 * MB, attachment_max_audio_bytes: 25 * MB,
  attachment_max_document_bytes: 2.5 * MB, attachments_per_record: 50, attachment_max_bytes_allowed: 50 * MB,
  session_idle_timeout_seconds: 1800, session_lifespan_seconds: 43200,
} as SystemSettings;

let root: Root | undefined;
let host: HTMLElement;

function render() {
  ({ host, root } = attach());
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root!.render(
      <QueryClientProvider client={qc}>
        <I18nProvider i18n={i18n}>
          <AttachmentLimits settings={settings} />
        </I18nProvider>
      </QueryClientProvider>,
    ),
  );
}

function input(label: string): HTMLInputElement {
  const l = [...host.querySelectorAll("label")].find((x) => x.textContent === label)!;
  expect(l, label).toBeDefined();
  return host.querySelector<HTMLInputElement>(`#${CSS.escape(l.htmlFor)}`)!;
}

function type(el: HTMLInputElement, value: string) {
  act(() => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    set.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

async function submit() {
  await act(async () => {
    host.querySelector<HTMLButtonElement>('button[name="save_attachment_limits"]')!.click();
  });
}

describe("MB and bytes", () => {
  it("shows bytes as MB and reads MB typed with a point or a comma", () => {
    expect(toMB(10 * MB)).toBe("10");
    expect(toMB(2.5 * MB)).toBe("2.5");
    expect(toMB(1)).toBe("0");
    expect(fromMB("2.5")).toBe(2.5 * MB);
    expect(fromMB("2,5")).toBe(2.5 * MB);
    expect(fromMB(" 10 ")).toBe(10 * MB);
    expect(fromMB("-1")).toBeNaN();
    expect(fromMB("ten")).toBeNaN();
  });
});

describe("the attachment limits", () => {
  it("shows the limits in MB with the server's largest file", async () => {
    await act(() => activate("en"));
    render();
    expect(input("Largest photo (MB)").value).toBe("10");
    expect(input("Largest audio file (MB)").value).toBe("25");
    expect(input("Largest document (MB)").value).toBe("2.5");
    expect(input("Attachments per record").value).toBe("50");
    expect(host.textContent).toContain("This server stores files of at most 50 MB.");
  });

  it("refuses at the field a size of 0 or above the server's largest file, and a count of 0", async () => {
    await act(() => activate("en"));
    render();
    type(input("Largest photo (MB)"), "0");
    type(input("Largest audio file (MB)"), "51");
    type(input("Attachments per record"), "0");
    await submit();
    const photo = input("Largest photo (MB)");
    expect(photo.getAttribute("aria-invalid")).toBe("true");
    expect(host.textContent).toContain("Enter a size in MB greater than 0.");
    expect(host.textContent).toContain("At most 50 MB: the largest file this server stores.");
    expect(host.textContent).toContain("Enter a whole number from 1 to 10000.");
    expect(input("Largest document (MB)").getAttribute("aria-invalid")).toBeNull();
    expect(host.querySelector('[role="status"]')?.textContent ?? "").toBe("");
  });

  it("is labelled in Arabic", async () => {
    await act(() => activate("ar"));
    try {
      render();
      const labels = [...host.querySelectorAll("label")].map((l) => l.textContent);
      expect(labels).toHaveLength(4);
      for (const l of labels) expect(l).toMatch(/[\u0600-\u06FF]/);
      expect(host.querySelector("h2")?.textContent).toMatch(/[\u0600-\u06FF]/);
    } finally {
      await act(() => activate("en"));
    }
  });
});
