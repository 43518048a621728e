// Disabling and enabling a record from its page: asked for confirmation, sent
// with the shown version as If-Match, a 412 explained, and a disabled record
// said so. The API client is spied on at its POST (the browser tests drive
// the real server).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { act } from "react";
import { I18nProvider } from "@lingui/react";
import { api } from "../api/client";
import { activate, i18n } from "../i18n";
import { attach } from "../testing/attach";
import { mayChangeState, RecordState } from "./Disable";

beforeAll(async () => {
  await activate("en");
});
afterEach(() => {
  vi.restoreAllMocks();
});

type Rec = { id: string; version: number; record_state: boolean };

function render(props: { enabled: boolean; mayChange?: boolean; onChanged?: (r: Rec, etag: string, enabled: boolean) => void }) {
  const { host, root } = attach();
  act(() =>
    root.render(
      <I18nProvider i18n={i18n}>
        <RecordState<Rec> resource="cases" id="c1" etag={'"4"'} mayChange={props.mayChange ?? true} enabled={props.enabled} onChanged={props.onChanged ?? (() => {})} />
      </I18nProvider>,
    ),
  );
  return host;
}

function answer(status: number, body: unknown, etag?: string) {
  const response = new Response(JSON.stringify(body), { status, headers: etag ? { ETag: etag } : {} });
  return (status < 300 ? { data: body, response } : { error: body, response }) as never;
}

const click = async (el: Element | null) => {
  await act(async () => {
    (el as HTMLButtonElement).click();
  });
};

describe("disabling and enabling a record", () => {
  it("asks first, then disables the shown version and hands back the record", async () => {
    const post = vi.spyOn(api, "POST").mockResolvedValue(answer(200, { data: { id: "c1", version: 5, record_state: false } }, '"5"'));
    const changed = vi.fn();
    const host = render({ enabled: true, onChanged: changed });
    await click(host.querySelector("[data-action=disable]"));
    expect(post).not.toHaveBeenCalled();
    expect(host.querySelector("[data-testid=disable-dialog] h2")!.textContent).toBe("Disable this record?");
    expect(document.activeElement).toBe(host.querySelector("[data-testid=disable-dialog] h2"));
    await click(host.querySelector("[data-action=confirm-disable]"));
    expect(post).toHaveBeenCalledWith("/api/v2/cases/{id}/disable", { params: { path: { id: "c1" }, header: { "If-Match": '"4"' } } });
    expect(changed).toHaveBeenCalledWith({ id: "c1", version: 5, record_state: false }, '"5"', false);
  });

  it("cancelling sends nothing", async () => {
    const post = vi.spyOn(api, "POST");
    const host = render({ enabled: true });
    await click(host.querySelector("[data-action=disable]"));
    await click([...host.querySelectorAll("button")].find((b) => b.textContent === "Cancel")!);
    expect(host.querySelector("[data-testid=disable-dialog]")).toBeNull();
    expect(post).not.toHaveBeenCalled();
  });

  it("explains a record changed meanwhile (412) and keeps the dialog open", async () => {
    vi.spyOn(api, "POST").mockResolvedValue(answer(412, { title: "Precondition Failed", status: 412, detail: "the record is at version 6" }));
    const changed = vi.fn();
    const host = render({ enabled: true, onChanged: changed });
    await click(host.querySelector("[data-action=disable]"));
    await click(host.querySelector("[data-action=confirm-disable]"));
    expect(host.querySelector("[role=alert]")!.textContent).toBe("Someone changed this record meanwhile. Reload the page to see their changes, then try again.");
    expect(host.querySelector("[data-testid=disable-dialog]")).not.toBeNull();
    expect(changed).not.toHaveBeenCalled();
  });

  it("says a record is disabled and enables it", async () => {
    const post = vi.spyOn(api, "POST").mockResolvedValue(answer(200, { data: { id: "c1", version: 5, record_state: true } }, '"5"'));
    const changed = vi.fn();
    const host = render({ enabled: false, onChanged: changed });
    expect(host.querySelector("[role=status]")!.textContent).toContain("This record is disabled");
    await click(host.querySelector("[data-action=enable]"));
    expect(post).toHaveBeenCalledWith("/api/v2/cases/{id}/enable", { params: { path: { id: "c1" }, header: { "If-Match": '"4"' } } });
    expect(changed).toHaveBeenCalledWith({ id: "c1", version: 5, record_state: true }, '"5"', true);
  });

  it("offers no action without the permission, but still says the record is disabled", () => {
    expect(render({ enabled: true, mayChange: false }).querySelector("button")).toBeNull();
    const host = render({ enabled: false, mayChange: false });
    expect(host.querySelector("button")).toBeNull();
    expect(host.textContent).toContain("This record is disabled");
  });

  it("is offered to a holder of <resource>:disable, on a record held on the server, online", () => {
    const me = { permissions: ["cases:read", "cases:disable"] };
    expect(mayChangeState(me, "cases", {})).toBe(true);
    expect(mayChangeState(me, "incidents", {})).toBe(false);
    expect(mayChangeState({ permissions: ["cases:write"] }, "cases", {})).toBe(false);
    expect(mayChangeState(me, "cases", { _local: true })).toBe(false);
    expect(mayChangeState(me, "cases", {}, true)).toBe(false);
  });
});
