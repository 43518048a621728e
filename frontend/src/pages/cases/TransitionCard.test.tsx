// The transition card shared by the case's Transitions tab and the queue: the
// same details for both (no separator left over when an agency is missing,
// "the agency's managers" when nobody is named), the answer buttons, and the
// rejection's reason: asked for, focus on it, back on Reject when cancelled.
import { beforeAll, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../../testing/attach";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../../i18n";
import { TransitionCard, type TransitionFacts } from "./TransitionCard";
import type { Answer } from "./workflow";

const base: TransitionFacts = {
  id: "t1",
  type: "referral",
  status: "in_progress",
  record_id: "c1",
  record_type: "case",
  transitioned_by: "ana@save.example",
  transitioned_from_agency: "agency-save",
  transitioned_to: "ben@unicef.example",
  transitioned_to_agency: "",
  created_at: "2026-11-30T10:00:00Z",
  notes: "Needs a school place",
  service: "education",
  authorized_role_unique_id: "role-referral",
  authorized_role_name: { en: "Referral reader", ar: "قارئ الإحالة" },
  consent_overridden: false,
};

let root: Root | undefined;
let host: HTMLElement;
beforeAll(async () => {
  await activate("en");
});

function render(tr: TransitionFacts, answers: Answer[], onAnswer: (a: Answer, reason?: string) => Promise<boolean> = async () => true) {
  ({ host, root } = attach("ol"));
  act(() =>
    root!.render(
      <I18nProvider i18n={i18n}>
        <TransitionCard tr={tr} answers={answers} busy={false} serviceName={(id) => (id === "education" ? "Education" : id)} onAnswer={onAnswer} />
      </I18nProvider>,
    ),
  );
}

const detail = (name: string) => host.querySelector(`[data-detail=${name}]`)?.textContent;
const button = (answer: string) => host.querySelector<HTMLButtonElement>(`button[data-answer=${answer}]`);
const click = async (el: Element | null) => {
  expect(el).not.toBeNull();
  await act(async () => (el as HTMLElement).click());
};

describe("TransitionCard", () => {
  it("shows who sent it to whom, the service by name, the access role and notes; an agency left out leaves no separator", () => {
    render(base, []);
    expect(detail("from")).toBe("ana@save.example (agency-save)");
    expect(detail("to")).toBe("ben@unicef.example");
    expect(detail("service")).toBe("Education");
    expect(detail("role")).toBe("Referral reader");
    expect(detail("notes")).toBe("Needs a school place");
    expect(detail("sent")).toMatch(/2026/);
    expect(host.querySelector("li")?.classList.contains("transition-pending")).toBe(true);
    expect(host.querySelectorAll("button")).toHaveLength(0);
  });

  it("names the access role in the app's language (its own direction), its id when the role has no name", async () => {
    await activate("ar");
    try {
      render(base, []);
      expect(detail("role")).toBe("قارئ الإحالة");
      // Isolated inside the row, which keeps the page's direction (starts under its label).
      expect(host.querySelector("[data-detail=role]")?.hasAttribute("dir")).toBe(false);
      expect(host.querySelector("[data-detail=role] > bdi")?.getAttribute("dir")).toBe("auto");
      await activate("fr");
      render(base, []);
      expect(detail("role")).toBe("Referral reader");
      render({ ...base, authorized_role_name: undefined }, []);
      expect(detail("role")).toBe("role-referral");
      expect(host.querySelector("[data-detail=role] > bdi")?.getAttribute("dir")).toBe("ltr");
    } finally {
      await activate("en");
    }
  });

  it("says the agency's managers when a transfer request names nobody, and shows the answer with its reason", () => {
    render(
      {
        ...base,
        type: "transfer_request",
        status: "rejected",
        transitioned_to: "",
        transitioned_to_agency: "agency-unicef",
        service: undefined,
        responded_at: "2026-12-01T09:00:00Z",
        responded_by: "mia@unicef.example",
        rejected_reason: "Not in our area",
      },
      [],
    );
    expect(detail("to")).toBe("the agency's managers (agency-unicef)");
    expect(detail("service")).toBeUndefined();
    expect(detail("role")).toBeUndefined();
    expect(detail("answered")).toMatch(/mia@unicef\.example · Not in our area$/);
    expect(host.querySelector(".badge-off")?.textContent).toBe("Rejected");
  });

  it("asks for a reason before rejecting: focus on the reason, back on Reject when cancelled, the reason sent", async () => {
    const sent: [Answer, string | undefined][] = [];
    render(base, ["accepted", "rejected"], async (a, reason) => {
      sent.push([a, reason]);
      return true;
    });
    await click(button("rejected"));
    const reason = host.querySelector("textarea")!;
    expect(document.activeElement).toBe(reason);
    expect(host.querySelector(`label[for="${CSS.escape(reason.id)}"]`)?.textContent).toBe("Reason for rejecting");

    await click(button("confirm-reject"));
    expect(sent).toEqual([]);
    expect(host.querySelector(".field-error")?.textContent).toBe("Say why you reject it.");
    expect(reason.getAttribute("aria-invalid")).toBe("true");

    await click([...host.querySelectorAll("button")].find((b) => b.textContent === "Cancel")!);
    expect(host.querySelector("textarea")).toBeNull();
    expect(document.activeElement).toBe(button("rejected"));

    await click(button("rejected"));
    const again = host.querySelector("textarea")!;
    expect(again.value).toBe("");
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(again, "  Not our service ");
      again.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await click(button("confirm-reject"));
    expect(sent).toEqual([["rejected", "Not our service"]]);
    expect(host.querySelector("textarea")).toBeNull();
  });

  it("keeps the reason open with the typing when the API refuses the rejection", async () => {
    render(base, ["rejected"], async () => false);
    await click(button("rejected"));
    const reason = host.querySelector("textarea")!;
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(reason, "Too far");
      reason.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await click(button("confirm-reject"));
    expect(host.querySelector("textarea")?.value).toBe("Too far");
  });
});
