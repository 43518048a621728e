import { describe, expect, it } from "vitest";
import { buildConfig } from "../../records/config";
import {
  BULK_ASSIGN_MAX,
  answersFor,
  availableActions,
  consentState,
  emptyForm,
  referralOnly,
  sharedForms,
  toggleSelection,
  transitionBody,
  validateTransition,
  type Transition,
  type Viewer,
} from "./workflow";

const caseworker: Viewer = { email: "a@example.org", permissions: ["cases:read", "cases:write", "cases:refer", "cases:transfer", "cases:request_transfer"] };
const manager: Viewer = { email: "m@example.org", permissions: [...caseworker.permissions, "cases:assign", "cases:consent_override"] };
const receiver: Viewer = { email: "b@example.org", permissions: caseworker.permissions };
const viewerOnly: Viewer = { email: "v@example.org", permissions: ["cases:read"] };

function tr(over: Partial<Transition>): Transition {
  return {
    id: "t1",
    type: "referral",
    status: "in_progress",
    transitioned_by: "a@example.org",
    transitioned_to: "b@example.org",
    transitioned_from_agency: "agency-save",
    transitioned_to_agency: "agency-unicef",
    notes: "",
    consent_overridden: false,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    record_id: "c1",
    record_type: "case",
    ...over,
  };
}

const open = { owned_by: "a@example.org", status: "open", record_state: true };

describe("availableActions", () => {
  it("offers what the role's permissions allow on an open case", () => {
    expect(availableActions(caseworker, open, [])).toEqual(["referral", "transfer"]);
    expect(availableActions(manager, open, [])).toEqual(["assign", "referral", "transfer", "transfer_request"]);
    expect(availableActions(viewerOnly, open, [])).toEqual([]);
  });
  it("offers a transfer request only to a non-owner without one pending", () => {
    const other = { ...open, owned_by: "x@example.org" };
    expect(availableActions(caseworker, other, [])).toContain("transfer_request");
    expect(availableActions(caseworker, other, [tr({ type: "transfer_request", transitioned_by: caseworker.email, transitioned_to: "x@example.org" })])).not.toContain("transfer_request");
    expect(availableActions(caseworker, other, [tr({ type: "transfer_request", transitioned_by: caseworker.email, status: "rejected" })])).toContain("transfer_request");
  });
  it("hides a transfer while one is pending", () => {
    expect(availableActions(caseworker, open, [tr({ type: "transfer" })])).not.toContain("transfer");
    expect(availableActions(caseworker, open, [tr({ type: "transfer", status: "rejected" })])).toContain("transfer");
  });
  it("offers nothing on a closed or disabled case", () => {
    expect(availableActions(manager, { ...open, status: "closed" }, [])).toEqual([]);
    expect(availableActions(manager, { ...open, record_state: false }, [])).toEqual([]);
  });
  it("offers only answers to a receiver reading the case through a referral", () => {
    const shared = { ...open };
    expect(referralOnly(receiver, shared, [tr({})])?.id).toBe("t1");
    expect(availableActions(receiver, shared, [tr({})])).toEqual([]);
    expect(referralOnly(receiver, shared, [tr({ status: "done" })])).toBeUndefined();
    expect(referralOnly(receiver, { ...open, owned_by: receiver.email }, [tr({})])).toBeUndefined();
  });
});

describe("answersFor", () => {
  it("lets the receiver accept, reject or finish a referral, and the sender revoke it", () => {
    expect(answersFor(receiver, tr({}))).toEqual(["accepted", "rejected", "done"]);
    expect(answersFor(receiver, tr({ status: "accepted" }))).toEqual(["done"]);
    expect(answersFor(caseworker, tr({}))).toEqual(["revoked"]);
    expect(answersFor(caseworker, tr({ status: "accepted" }))).toEqual(["revoked"]);
    expect(answersFor(receiver, tr({ status: "done" }))).toEqual([]);
    expect(answersFor(caseworker, tr({ status: "rejected" }))).toEqual([]);
    expect(answersFor(viewerOnly, tr({}))).toEqual([]);
  });
  it("never offers done on a transfer; a manager may answer one", () => {
    expect(answersFor(receiver, tr({ type: "transfer" }))).toEqual(["accepted", "rejected"]);
    expect(answersFor(receiver, tr({ type: "transfer", status: "accepted" }))).toEqual([]);
    expect(answersFor(manager, tr({ type: "transfer" }))).toEqual(["accepted", "rejected"]);
    expect(answersFor(manager, tr({ type: "referral" }))).toEqual([]);
  });
  it("takes no answer on an assignment", () => {
    expect(answersFor(receiver, tr({ type: "assign", status: "done" }))).toEqual([]);
  });
});

describe("consent and the transition form", () => {
  it("reads consent from disclosure_other_orgs and the override permission", () => {
    expect(consentState(caseworker, { disclosure_other_orgs: true })).toBe("given");
    expect(consentState(caseworker, { disclosure_other_orgs: false })).toBe("missing");
    expect(consentState(manager, {})).toBe("missing-override");
  });
  it("requires a receiver's email, except for a transfer request", () => {
    expect(validateTransition("referral", emptyForm)).toEqual({ transitioned_to: "receiver-required" });
    expect(validateTransition("assign", { ...emptyForm, transitioned_to: "bob" })).toEqual({ transitioned_to: "receiver-email" });
    expect(validateTransition("assign", { ...emptyForm, transitioned_to: " b@example.org " })).toEqual({});
    expect(validateTransition("transfer_request", emptyForm)).toEqual({});
  });
  it("requires a reason to override consent", () => {
    const f = { ...emptyForm, transitioned_to: "b@example.org", override: true };
    expect(validateTransition("transfer", f)).toEqual({ consent_override_reason: "reason-required" });
    expect(validateTransition("transfer", { ...f, consent_override_reason: "Child at risk" })).toEqual({});
  });
  it("sends only what the type takes", () => {
    const f = { ...emptyForm, transitioned_to: "b@example.org", service: "health", authorized_role_unique_id: "role-x", notes: " n ", transitioned_to_agency: "agency-unicef", override: true, consent_override_reason: "r" };
    expect(transitionBody("referral", f)).toEqual({
      transitioned_to: "b@example.org",
      notes: "n",
      transitioned_to_agency: "agency-unicef",
      consent_individual_transfer: true,
      consent_override_reason: "r",
      service: "health",
      authorized_role_unique_id: "role-x",
    });
    expect(transitionBody("assign", f)).toEqual({ transitioned_to: "b@example.org", notes: "n" });
    expect(transitionBody("transfer_request", f)).toEqual({ notes: "n" });
  });
});

describe("sharedForms", () => {
  it("keeps the forms whose fields the record carries", () => {
    const config = buildConfig(
      [
        { unique_id: "basic_identity", record_type: "case", order: 1, order_form_group: 1, form_group_id: "identification", fields: [{ name: "name_first", type: "text_field" }] },
        { unique_id: "consent", record_type: "case", order: 2, order_form_group: 2, form_group_id: "consent", fields: [{ name: "disclosure_other_orgs", type: "tick_box" }] },
      ] as never,
      [],
    );
    const shown = sharedForms(config, { name_first: "Amina" });
    expect(shown.forms.map((f) => f.unique_id)).toEqual(["basic_identity"]);
    expect(shown.groups.map((g) => g.id)).toEqual(["identification"]);
  });
});

describe("toggleSelection", () => {
  it("selects at most BULK_ASSIGN_MAX cases", () => {
    let s = new Set<string>();
    for (let i = 0; i < BULK_ASSIGN_MAX; i++) s = toggleSelection(s, `c${i}`).next;
    expect(s.size).toBe(BULK_ASSIGN_MAX);
    const over = toggleSelection(s, "one-more");
    expect(over.full).toBe(true);
    expect(over.next.has("one-more")).toBe(false);
    expect(toggleSelection(s, "c0").next.size).toBe(BULK_ASSIGN_MAX - 1);
  });
});
