// The Kratos UI-node renderer: which fields a flow's group shows, with
// labels and messages in the user's language, and the JSON a submission
// becomes.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../i18n";
import { KratosForm } from "./KratosForm";
import { hasTranslation, translate } from "./messages";
import { bodyFromForm, groupsOf, nodesFor } from "./nodes";
import type { Flow, UiNode } from "./types";

// A login flow at aal2 as Kratos v1.3 answers it (trimmed to what matters).
const input = (group: string, name: string, type: string, extra: Partial<UiNode["attributes"]> = {}, label?: { id: number; text: string }): UiNode => ({
  type: "input",
  group,
  attributes: { node_type: "input", name, type, ...extra },
  messages: [],
  meta: label ? { label: { ...label, type: "info" } } : {},
});

const aal2Flow: Flow = {
  id: "f1",
  type: "browser",
  requested_aal: "aal2",
  ui: {
    action: "http://ke.localhost:8080/.ory/self-service/login?flow=f1",
    method: "POST",
    nodes: [
      input("default", "csrf_token", "hidden", { value: "tok" }),
      input("totp", "totp_code", "text", { required: true }, { id: 1010006, text: "Authentication code" }),
      input("totp", "method", "submit", { value: "totp" }, { id: 1010009, text: "Use Authenticator" }),
      input("lookup_secret", "lookup_secret", "text", { required: true }, { id: 1010007, text: "Backup recovery code" }),
      input("lookup_secret", "method", "submit", { value: "lookup_secret" }, { id: 1010010, text: "Use backup recovery code" }),
    ],
    messages: [],
  },
};

describe("nodes", () => {
  it("lists the groups and gives each form its group and the default group", () => {
    expect(groupsOf(aal2Flow.ui.nodes)).toEqual(["totp", "lookup_secret"]);
    expect(nodesFor(aal2Flow.ui.nodes, "totp").map((n) => n.attributes.name)).toEqual(["csrf_token", "totp_code", "method"]);
  });

  it("turns a submitted form into Kratos' JSON, with typed values and the pressed button", () => {
    const fd = new FormData();
    fd.set("totp_code", "123456");
    const body = bodyFromForm(nodesFor(aal2Flow.ui.nodes, "totp"), fd, { name: "method", value: "totp" }, "totp");
    expect(body).toEqual({ csrf_token: "tok", totp_code: "123456", method: "totp" });

    // Settings: a button whose value is a boolean, in a group without a "method" button.
    const nodes = [input("default", "csrf_token", "hidden", { value: "tok" }), input("lookup_secret", "lookup_secret_reveal", "submit", { value: true })];
    expect(bodyFromForm(nodes, new FormData(), { name: "lookup_secret_reveal", value: "true" }, "lookup_secret")).toEqual({
      csrf_token: "tok",
      lookup_secret_reveal: true,
      method: "lookup_secret",
    });

    // Dotted names become nested objects; empty inputs are left out.
    const profile = [input("profile", "traits.name.first", "text"), input("profile", "traits.name.last", "text")];
    const pf = new FormData();
    pf.set("traits.name.first", "Amina");
    pf.set("traits.name.last", "");
    expect(bodyFromForm(profile, pf, null, "profile")).toEqual({ traits: { name: { first: "Amina" } }, method: "profile" });
  });
});

describe("messages", () => {
  beforeAll(() => activate("fr"));

  it("translates Kratos messages by id, with their context, and falls back to Kratos' text", async () => {
    await activate("fr");
    expect(translate(i18n, { id: 4000006, text: "The provided credentials are invalid", type: "error" })).toBe(
      "L'adresse électronique ou le mot de passe est incorrect.",
    );
    expect(translate(i18n, { id: 4000033, text: "…", type: "error", context: { min_length: 12, actual_length: 3 } })).toBe(
      "Le mot de passe doit comporter au moins 12 caractères.",
    );
    expect(translate(i18n, { id: 9999999, text: "Something Kratos says", type: "info" })).toBe("Something Kratos says");
    for (const id of [1010006, 1070001, 1060001, 4000008, 4060006]) expect(hasTranslation(id)).toBe(true);
  });
});

describe("KratosForm", () => {
  let root: Root;
  let host: HTMLElement;
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });

  async function render(flow: Flow, group: string, onSubmit: (b: Record<string, unknown>) => Promise<void>) {
    host = document.createElement("div");
    document.body.append(host);
    root = createRoot(host);
    await act(async () =>
      root.render(
        <I18nProvider i18n={i18n}>
          <KratosForm flow={flow} group={group} onSubmit={onSubmit} />
        </I18nProvider>,
      ),
    );
  }

  it("renders labelled inputs, ties errors to them and submits JSON", async () => {
    await activate("ar");
    const flow: Flow = structuredClone(aal2Flow);
    flow.ui.nodes[1].messages = [{ id: 4000008, text: "The provided authentication code is invalid", type: "error" }];
    flow.ui.nodes[1].attributes.value = "";
    const sent: Record<string, unknown>[] = [];
    await render(flow, "totp", async (b) => {
      sent.push(b);
    });
    const code = host.querySelector<HTMLInputElement>('input[name="totp_code"]')!;
    const label = host.querySelector(`label[for="${code.id}"]`)!;
    expect(label.textContent).toBe("رمز تطبيق المصادقة");
    expect(code.getAttribute("aria-invalid")).toBe("true");
    const err = document.getElementById(code.getAttribute("aria-describedby")!)!;
    expect(err.textContent).toBe("الرمز غير صحيح. أدخل الرمز الذي يعرضه تطبيقك الآن.");
    expect(host.querySelector('input[name="lookup_secret"]')).toBeNull();
    expect(host.querySelector('input[type="hidden"][name="csrf_token"]')).not.toBeNull();

    code.value = "654321";
    const button = host.querySelector<HTMLButtonElement>('button[name="method"]')!;
    expect(button.textContent).toBe("تحقّق");
    await act(async () => button.click());
    expect(sent).toEqual([{ csrf_token: "tok", totp_code: "654321", method: "totp" }]);
  });

  it("shows the TOTP QR code as an image with a text alternative and lookup codes as a list", async () => {
    await activate("en");
    const flow: Flow = {
      id: "s1",
      type: "browser",
      ui: {
        action: "/x",
        method: "POST",
        nodes: [
          { type: "img", group: "totp", attributes: { node_type: "img", src: "data:image/png;base64,AAAA", id: "totp_qr" }, messages: [], meta: { label: { id: 1050005, text: "Authenticator app QR code", type: "info" } } },
          {
            type: "text",
            group: "lookup_secret",
            attributes: { node_type: "text", id: "lookup_secret_codes", text: { id: 1050015, text: "a, b", type: "info", context: { secrets: [{ id: 1050009, text: "abcd1234", type: "info" }, { id: 1050009, text: "efgh5678", type: "info" }] } } },
            messages: [],
            meta: { label: { id: 1050010, text: "These are your back up recovery codes.", type: "info" } },
          },
        ],
      },
    };
    await render(flow, "totp", async () => {});
    expect(host.querySelector("img")!.getAttribute("alt")).toBe("QR code for your authenticator app");
    act(() => root.unmount());
    host.remove();
    await render(flow, "lookup_secret", async () => {});
    expect([...host.querySelectorAll(".codes li")].map((li) => li.textContent)).toEqual(["abcd1234", "efgh5678"]);
  });
});
