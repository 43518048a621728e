// The time zone field (account, user form, system settings) and the phone
// calling code's rules (as typed, while the rewrite runs).
import { describe, expect, it } from "vitest";
import { act, useEffect } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../../testing/attach";
import { useForm } from "react-hook-form";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../../i18n";
import { PersonTimeZone } from "../../components/TimeZoneField";
import { normalCode, rewriteRunning } from "./SettingsFields";

let root: Root | undefined;
let host: HTMLElement;

// Own is a person's zone as the invite, user and account forms show it (one component).
function Own({ initial, error }: { initial: string; error?: string }) {
  const form = useForm<{ time_zone: string }>({ defaultValues: { time_zone: initial } });
  useEffect(() => {
    if (error) form.setError("time_zone", { message: error });
  }, [error, form]);
  return <PersonTimeZone form={form} instanceZone="Africa/Nairobi" />;
}

function render(el: React.ReactNode) {
  ({ host, root } = attach());
  act(() => root!.render(<I18nProvider i18n={i18n}>{el}</I18nProvider>));
}

describe("the time zone field", () => {
  it("offers the IANA zones to search, names the instance's default, and goes back to it", async () => {
    await act(() => activate("en"));
    render(<Own initial="America/Bogota" />);
    const input = host.querySelector("input")!;
    expect(input.value).toBe("America/Bogota");
    expect(host.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.textContent).toBe("Time zone");
    const list = host.querySelector(`datalist#${CSS.escape(input.getAttribute("list")!)}`)!;
    expect(list.querySelector('option[value="Africa/Nairobi"]')).not.toBeNull();
    expect(list.querySelector('option[value="UTC"]')).not.toBeNull();
    expect(host.querySelector('[data-testid="zone-now"]')?.textContent).toMatch(/^It is .+ there now\.$/);
    const back = [...host.querySelectorAll("button")].find((b) => b.textContent?.includes("Africa/Nairobi"))!;
    expect(back.textContent).toBe("Use the instance's default (Africa/Nairobi)");
    act(() => back.click());
    expect(input.value).toBe("");
    expect(host.querySelector(".field-hint")?.textContent).toContain("The instance's default: Africa/Nairobi.");
    expect(host.querySelector("button")).toBeNull();
  });

  it("shows the API's refusal at the field, announced with it, in Arabic", async () => {
    await act(() => activate("ar"));
    try {
      render(<Own initial="Mars/Olympus" error="unknown time zone" />);
      const input = host.querySelector("input")!;
      expect(input.getAttribute("aria-invalid")).toBe("true");
      const err = host.querySelector(".field-error")!;
      expect(input.getAttribute("aria-describedby")).toContain(err.id);
      expect(err.textContent).toBe("unknown time zone");
      // An unknown zone shows no clock; the hint is in Arabic.
      expect(host.querySelector('[data-testid="zone-now"]')).toBeNull();
      expect(host.querySelector(".field-hint")?.textContent).not.toMatch(/Type a city/);
    } finally {
      await act(() => activate("en"));
    }
  });
});

describe("the phone calling code", () => {
  it("reads the code as typed and follows the rewrite until it ends", () => {
    expect(normalCode(" +254 ")).toBe("254");
    expect(normalCode("2 54")).toBe("254");
    expect(normalCode("")).toBe("");
    const r = { phone_calling_code: "254", requested_by: "u", requested_at: "2026-12-02T08:00:00Z", records_total: 10, records_done: 4, records_changed: 1 };
    expect(rewriteRunning(undefined)).toBe(false);
    expect(rewriteRunning(r)).toBe(true);
    expect(rewriteRunning({ ...r, records_done: 10, finished_at: "2026-12-02T08:01:00Z" })).toBe(false);
  });
});
