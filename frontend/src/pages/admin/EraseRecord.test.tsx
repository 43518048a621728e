// The administrator's "Erase a record" screen: an ID that can be no record's is refused at the
// field before anything is sent; the lookup's 409 (not disabled) and 404 are said plainly; a
// disabled record shows only which record it is and who disabled it, then is erased by its id
// with a reason. The API client is spied on at GET and DELETE (the browser scenario
// e2e/erase.test.mjs drives the real server).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { act } from "react";
import { I18nProvider } from "@lingui/react";
import { api } from "../../api/client";
import { activate, i18n } from "../../i18n";
import { attach } from "../../testing/attach";
import { visible, adminNav } from "../../app/nav";
import { erasableBy, erasureRef } from "../../records/erase";
import { EraseByID } from "./EraseRecord";

beforeAll(async () => {
  await activate("en");
});
afterEach(() => {
  vi.restoreAllMocks();
});

const found = { id: "5b0c6a52-59c5-4d55-9a3b-7d1f3c2a9e10", record_type: "case", short_id: "4k7m2qx", disabled_at: "2026-12-02T09:30:00Z", disabled_by: "manager@example.org" };

function answer(status: number, body: unknown) {
  const response = new Response(JSON.stringify(body), { status });
  return (status < 300 ? { data: body, response } : { error: body, response }) as never;
}

function render(resources: Parameters<typeof EraseByID>[0]["resources"] = ["cases", "tracing_requests", "incidents"]) {
  const { host, root } = attach();
  act(() =>
    root.render(
      <I18nProvider i18n={i18n}>
        <EraseByID resources={resources} />
      </I18nProvider>,
    ),
  );
  return host;
}

function type(el: HTMLInputElement | HTMLSelectElement, value: string) {
  act(() => {
    const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

const click = async (el: Element | null) => {
  expect(el).not.toBeNull();
  await act(async () => {
    (el as HTMLButtonElement).click();
  });
};

async function findRecord(host: HTMLElement, typed: string) {
  type(host.querySelector<HTMLInputElement>("[data-testid=erase-ref]")!, typed);
  await click(host.querySelector("[data-action=find-erasable]"));
}

describe("what the administrator types", () => {
  it("takes a short id as read out, or a full id, and nothing else", () => {
    expect(erasureRef(" 4K7-M2QX ")).toBe("4K7M2QX");
    expect(erasureRef("4k7 m2qx")).toBe("4k7m2qx");
    expect(erasureRef(found.id.toUpperCase())).toBe(found.id);
    for (const bad of ["", "abc", "4k7m2qxz", "4k7_m2q", "Amina Hassan", "5b0c6a52-59c5-4d55-9a3b"]) expect(erasureRef(bad), bad).toBeUndefined();
  });

  it("offers the types the role may erase, and the screen in the menu to a holder of any", () => {
    expect(erasableBy({ permissions: ["cases:erase", "incidents:erase", "cases:read"] })).toEqual(["cases", "incidents"]);
    expect(erasableBy({ permissions: ["cases:read", "cases:disable"] })).toEqual([]);
    const erase = (perms: string[]) => visible(adminNav, perms).some((i) => i.to === "/admin/erase");
    expect(erase(["incidents:erase"])).toBe(true);
    expect(erase(["cases:disable", "audit_logs:read"])).toBe(false);
    const host = render(["incidents"]);
    expect([...host.querySelectorAll("[data-testid=erase-type] option")].map((o) => o.textContent)).toEqual(["Incident"]);
  });
});

describe("erasing a record by its id", () => {
  it("refuses an ID that can be no record's at the field and sends nothing", async () => {
    const get = vi.spyOn(api, "GET");
    const host = render();
    await findRecord(host, "abc");
    const ref = host.querySelector<HTMLInputElement>("[data-testid=erase-ref]")!;
    expect(ref.getAttribute("aria-invalid")).toBe("true");
    expect(host.querySelector(".field-error")!.textContent).toBe("Enter the record's ID as shown on its page (7 letters and digits), or its full ID.");
    expect(ref.getAttribute("aria-describedby")).toContain(host.querySelector(".field-error")!.id);
    expect(document.activeElement).toBe(ref);
    expect(get).not.toHaveBeenCalled();
  });

  it("says plainly that an enabled record must be disabled first (409), and offers no erasure", async () => {
    const get = vi.spyOn(api, "GET").mockResolvedValue(
      answer(409, { title: "Conflict", status: 409, code: "record_enabled", detail: "The record is enabled: disable it before erasing it." }),
    );
    const del = vi.spyOn(api, "DELETE");
    const host = render();
    await findRecord(host, "4K7-M2QX");
    expect(get).toHaveBeenCalledWith("/api/v2/cases/{id}/erasure", { params: { path: { id: "4K7M2QX" } } });
    expect(host.querySelector("[data-testid=erase-refused]")!.textContent).toBe(
      "This record is not disabled, so it cannot be erased. Ask the person who manages it to disable it first, then find it again.",
    );
    expect(host.querySelector("[data-testid=erase-refused]")!.getAttribute("role")).toBe("alert");
    expect(host.querySelector("[data-testid=erasable]")).toBeNull();
    expect(host.querySelector("[data-action=erase]")).toBeNull();
    expect(del).not.toHaveBeenCalled();
  });

  it("says no record of the chosen type has the ID (404), asking at that type's path", async () => {
    const get = vi.spyOn(api, "GET").mockResolvedValue(answer(404, { title: "Not Found", status: 404, code: "not_found" }));
    const host = render();
    type(host.querySelector<HTMLSelectElement>("[data-testid=erase-type]")!, "incidents");
    await findRecord(host, "4k7m2qx");
    expect(get).toHaveBeenCalledWith("/api/v2/incidents/{id}/erasure", { params: { path: { id: "4k7m2qx" } } });
    expect(host.querySelector("[data-testid=erase-refused]")!.textContent).toBe("No incident has this ID. Check the ID and the record type with the person who asked.");
    expect(host.querySelector("[data-testid=erasable]")).toBeNull();
  });

  it("shows only which record and who disabled it, then erases it by its id with the reason", async () => {
    vi.spyOn(api, "GET").mockResolvedValue(answer(200, { data: found }));
    const del = vi.spyOn(api, "DELETE").mockResolvedValue({ response: new Response(null, { status: 204 }) } as never);
    const host = render();
    await findRecord(host, "4k7m2qx");
    const card = host.querySelector("[data-testid=erasable]")!;
    expect(document.activeElement).toBe(card.querySelector("h2"));
    expect([...card.querySelectorAll("dt")].map((d) => d.textContent)).toEqual(["Record type", "Record ID", "Disabled on", "Disabled by"]);
    expect([...card.querySelectorAll("dd")].map((d) => d.textContent)).toEqual(["Case", "4k7m2qx", expect.stringContaining("2026"), "manager@example.org"]);

    await click(card.querySelector("[data-action=erase]"));
    const confirm = host.querySelector<HTMLButtonElement>("[data-action=confirm-erase]")!;
    expect(confirm.disabled).toBe(true); // a reason first
    type(host.querySelector<HTMLSelectElement>("[data-testid=erase-reason]")!, "erasure_request");
    type(host.querySelector<HTMLInputElement>("[data-testid=erase-reference]")!, "DPO-2026-041");
    await click(confirm);
    expect(del).toHaveBeenCalledWith("/api/v2/cases/{id}", { params: { path: { id: found.id } }, body: { data: { reason: "erasure_request", reference: "DPO-2026-041" } } });
    expect(host.querySelector("[data-testid=erased]")!.textContent).toBe("Erased: Case 4k7m2qx. The audit log keeps who erased it, when, and the reason.");
    expect(host.querySelector("[data-testid=erasable]")).toBeNull();
    expect(host.querySelector<HTMLInputElement>("[data-testid=erase-ref]")!.value).toBe("");
  });

  it("keeps the record shown when the erasure is refused, with the server's reason", async () => {
    vi.spyOn(api, "GET").mockResolvedValue(answer(200, { data: found }));
    vi.spyOn(api, "DELETE").mockResolvedValue(
      answer(409, { title: "Conflict", status: 409, code: "record_enabled", detail: "The record is enabled: disable it before erasing it." }),
    );
    const host = render();
    await findRecord(host, "4k7m2qx");
    await click(host.querySelector("[data-action=erase]"));
    type(host.querySelector<HTMLSelectElement>("[data-testid=erase-reason]")!, "duplicate");
    await click(host.querySelector("[data-action=confirm-erase]"));
    expect(host.querySelector("[data-testid=erase-dialog] [role=alert]")!.textContent).not.toBe("");
    expect(host.querySelector("[data-testid=erasable]")).not.toBeNull();
    expect(host.querySelector("[data-testid=erased]")!.textContent).toBe("");
  });
});
