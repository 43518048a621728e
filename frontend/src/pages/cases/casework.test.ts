import { describe, expect, it } from "vitest";
import { activeFirst, answersApprovals, approvalQueueQuery, approvalStatuses, approvalTypes, caseworkActions, checkText, closureBlocked, mayAddNote, mayAnswer, type Approval, type Flag } from "./casework";
import type { Viewer } from "./workflow";

const caseworker: Viewer = { email: "a@example.org", permissions: ["cases:read", "cases:write", "cases:flag", "cases:close", "cases:reopen"] };
const manager: Viewer = { email: "m@example.org", permissions: ["cases:read", "cases:approve"] };
const narrow: Viewer = { email: "n@example.org", permissions: ["cases:read", "cases:approve_case_plan"] };
const reader: Viewer = { email: "r@example.org", permissions: ["cases:read"] };
const cp = ["assessment", "case_plan", "closure", "action_plan"];

function approval(over: Partial<Approval>): Approval {
  return {
    id: "p1",
    record_id: "c1",
    approval_type: "case_plan",
    approval_status: "requested",
    requested_by: "a@example.org",
    requested_at: "2026-12-01T10:00:00Z",
    ...over,
  } as Approval;
}

describe("caseworkActions", () => {
  it("offers flags, requests of the module's types and close on an open case by permission", () => {
    const a = caseworkActions(caseworker, { status: "open" }, cp);
    expect(a).toEqual({ flag: true, unflag: true, request: ["assessment", "case_plan", "action_plan", "closure"], close: true, reopen: false });
  });
  it("leaves out a type already awaiting approval, but offers one approved or rejected again", () => {
    const a = caseworkActions(caseworker, { status: "open", approval_status_case_plan: "requested", approval_status_closure: "rejected", approval_status_assessment: "approved" }, cp);
    expect(a.request).toEqual(["assessment", "action_plan", "closure"]);
  });
  it("offers reopen (and flags) but no request or close on a closed case", () => {
    const a = caseworkActions(caseworker, { status: "closed" }, cp);
    expect(a).toEqual({ flag: true, unflag: true, request: [], close: false, reopen: true });
  });
  it("offers nothing without the permissions, on a disabled case, or through a referral", () => {
    expect(caseworkActions(reader, { status: "open" }, cp)).toEqual({ flag: false, unflag: false, request: [], close: false, reopen: false });
    expect(caseworkActions(caseworker, { status: "open", record_state: false }, cp).flag).toBe(false);
    expect(caseworkActions(caseworker, { status: "open" }, cp, true).request).toEqual([]);
  });
  it("requests nothing when the module uses no approvals", () => {
    expect(caseworkActions(caseworker, { status: "open" }, undefined).request).toEqual([]);
    expect(approvalTypes(["gbv_closure", "unknown", "case_plan"])).toEqual(["case_plan", "gbv_closure"]);
  });
});

describe("approvals", () => {
  it("reads the case's statuses in display order, ignoring unknown values", () => {
    expect(approvalStatuses({ approval_status_closure: "approved", approval_status_case_plan: "requested", approval_status_assessment: "pending" })).toEqual([
      { type: "case_plan", status: "requested" },
      { type: "closure", status: "approved" },
    ]);
  });
  it("says closing will be refused until the closure is approved, when the module uses closure approvals", () => {
    expect(closureBlocked({}, cp)).toBe(true);
    expect(closureBlocked({ approval_status_closure: "requested" }, cp)).toBe(true);
    expect(closureBlocked({ approval_status_closure: "approved" }, cp)).toBe(false);
    expect(closureBlocked({}, ["case_plan"])).toBe(false);
  });
  it("offers the answer to a manager of the type, never to the requester, only while requested", () => {
    expect(mayAnswer(manager, approval({}))).toBe(true);
    expect(mayAnswer(narrow, approval({}))).toBe(true);
    expect(mayAnswer(narrow, approval({ approval_type: "closure" }))).toBe(false);
    expect(mayAnswer({ ...manager, email: "a@example.org" }, approval({}))).toBe(false);
    expect(mayAnswer(manager, approval({ approval_status: "approved" }))).toBe(false);
    expect(mayAnswer(caseworker, approval({ requested_by: "x@example.org" }))).toBe(false);
  });
  it("shows the queue to roles that answer some approval", () => {
    expect(answersApprovals(manager.permissions)).toBe(true);
    expect(answersApprovals(narrow.permissions)).toBe(true);
    expect(answersApprovals(caseworker.permissions)).toBe(false);
    expect(answersApprovals(undefined)).toBe(false);
  });
});

describe("flags and reasons", () => {
  it("requires a text of at most 2000 characters", () => {
    expect(checkText("  ")).toBe("required");
    expect(checkText("x".repeat(2001))).toBe("too-long");
    expect(checkText(" why ")).toBeUndefined();
  });
  it("lists unresolved flags first, newest first", () => {
    const f = (id: string, removed: boolean, created_at: string) => ({ id, removed, created_at }) as Flag;
    expect(activeFirst([f("old", false, "2026-11-01"), f("gone", true, "2026-12-01"), f("new", false, "2026-11-20")]).map((x) => x.id)).toEqual(["new", "old", "gone"]);
  });
});

describe("mayAddNote", () => {
  const noter: Viewer = { email: "w@example.org", permissions: ["cases:read", "cases:add_note"] };
  it("needs cases:add_note on an enabled case, open or closed", () => {
    expect(mayAddNote(noter, { status: "open" })).toBe(true);
    expect(mayAddNote(noter, { status: "closed" })).toBe(true);
    expect(mayAddNote(noter, { status: "open", record_state: false })).toBe(false);
    expect(mayAddNote(caseworker, { status: "open" })).toBe(false);
  });
});

describe("approvalQueueQuery", () => {
  it("asks for the pending requests the viewer may answer", () => {
    expect(approvalQueueQuery({}, 20)).toEqual({ status: "pending", to_answer: true, page: 1, per: 20 });
  });
  it("passes the type, the case and the page of the URL", () => {
    const id = "0b5c6f1e-8d0a-4c1e-9f7a-2a3b4c5d6e7f";
    expect(approvalQueueQuery({ type: "closure", record: id, page: "2" }, 20)).toEqual({ status: "pending", to_answer: true, approval_type: "closure", record: id, page: 2, per: 20 });
  });
  it("ignores what the API would refuse (an unknown type, a case id that is not one)", () => {
    expect(approvalQueueQuery({ type: "bia", record: "CP-12", page: "0" }, 20)).toEqual({ status: "pending", to_answer: true, page: 1, per: 20 });
  });
  it("lists every pending request on the viewer's cases with show=all, or when their role answers none", () => {
    expect(approvalQueueQuery({ show: "all", type: "closure", page: "3" }, 20)).toEqual({ status: "pending", approval_type: "closure", page: 3, per: 20 });
    expect(approvalQueueQuery({}, 20, false)).toEqual({ status: "pending", page: 1, per: 20 });
    expect(approvalQueueQuery({ show: "mine" }, 20)).toEqual({ status: "pending", to_answer: true, page: 1, per: 20 });
  });
});
