// The casework rules the case screens apply before asking the API (which
// decides): which of flags, approvals, close and reopen a person is offered
// on a case, by permission and by the case's state (docs/workflows.md
// "Approvals, flags, close/reopen"; docs/frontend.md "Casework screens").
import type { components } from "../../api/schema";
import type { CaseFacts, Viewer } from "./workflow";

export type Approval = components["schemas"]["Approval"];
export type ApprovalType = Approval["approval_type"];
export type ApprovalStatus = Approval["approval_status"];
export type Flag = components["schemas"]["Flag"];

/** The approval types a case may request, in the order they are shown (gbv_closure belongs to the GBV module). */
export const APPROVAL_TYPES: readonly ApprovalType[] = ["assessment", "case_plan", "action_plan", "closure", "gbv_closure"];

const has = (v: Viewer, p: string) => v.permissions.includes(p);
const enabled = (c: CaseFacts) => c.record_state !== false;

/** approvalTypes keeps the module's approval types (options.approvals) that this app knows, in display order. */
export function approvalTypes(moduleApprovals: readonly string[] | undefined): ApprovalType[] {
  const used = new Set(moduleApprovals ?? []);
  return APPROVAL_TYPES.filter((t) => used.has(t));
}

/** approvalStatus reads the case's approval_status_<type> core attribute (absent when never requested). */
export function approvalStatus(c: Record<string, unknown>, type: ApprovalType): ApprovalStatus | undefined {
  const v = c[`approval_status_${type}`];
  return v === "requested" || v === "approved" || v === "rejected" ? v : undefined;
}

/** The case's approval statuses, one per type ever requested, in display order. */
export function approvalStatuses(c: Record<string, unknown>): { type: ApprovalType; status: ApprovalStatus }[] {
  const out: { type: ApprovalType; status: ApprovalStatus }[] = [];
  for (const type of APPROVAL_TYPES) {
    const status = approvalStatus(c, type);
    if (status) out.push({ type, status });
  }
  return out;
}

/** What a person is offered on a case besides transitions. */
export interface CaseworkActions {
  /** add a flag (cases:flag, enabled case: a closed case may still be flagged) */
  flag: boolean;
  /** resolve a flag (cases:flag) */
  unflag: boolean;
  /** the approval types that may be requested now (cases:write, open case, none of that type pending) */
  request: ApprovalType[];
  /** close (cases:close, open case; the API asks for an approved closure when the module uses it) */
  close: boolean;
  /** reopen (cases:reopen, closed case) */
  reopen: boolean;
}

/**
 * caseworkActions: flags with cases:flag on an enabled case; approval
 * requests with cases:write on an open case for the module's types that are
 * not pending; close with cases:close on an open case, reopen with
 * cases:reopen on a closed one. A reader through a referral is offered
 * nothing (pass referral = true).
 */
export function caseworkActions(v: Viewer, c: CaseFacts & Record<string, unknown>, moduleApprovals: readonly string[] | undefined, referral = false): CaseworkActions {
  const none: CaseworkActions = { flag: false, unflag: false, request: [], close: false, reopen: false };
  if (!enabled(c) || referral) return none;
  const open = c.status !== "closed";
  return {
    flag: has(v, "cases:flag"),
    unflag: has(v, "cases:flag"),
    request: open && has(v, "cases:write") ? approvalTypes(moduleApprovals).filter((t) => approvalStatus(c, t) !== "requested") : [],
    close: open && has(v, "cases:close"),
    reopen: !open && has(v, "cases:reopen"),
  };
}

/**
 * mayAddNote: "Add a note" is offered with cases:add_note on an enabled case
 * (open or closed; also to a reader through a referral, whose access role may
 * write the notes form: the API decides).
 */
export function mayAddNote(v: Viewer, c: CaseFacts): boolean {
  return enabled(c) && has(v, "cases:add_note");
}

/** closureBlocked: closing will be refused (409) because the module uses closure approvals and the closure is not approved. */
export function closureBlocked(c: Record<string, unknown>, moduleApprovals: readonly string[] | undefined): boolean {
  return (moduleApprovals ?? []).includes("closure") && approvalStatus(c, "closure") !== "approved";
}

/** mayAnswer: the viewer may be offered approve/reject of a pending request (cases:approve or cases:approve_<type>, not the requester); the API checks the user group. */
export function mayAnswer(v: Viewer, a: Approval): boolean {
  if (a.approval_status !== "requested" || a.requested_by === v.email) return false;
  return has(v, "cases:approve") || has(v, `cases:approve_${a.approval_type}`);
}

/** answersApprovals: the viewer's role answers some approvals (the queue's navigation entry and route). */
export function answersApprovals(permissions: readonly string[] | null | undefined): boolean {
  return (permissions ?? []).some((p) => p === "cases:approve" || p.startsWith("cases:approve_"));
}

/** The approvals queue's state as the URL holds it (/approvals?show=all&type=&record=&page=). */
export interface ApprovalQueueSearch {
  /** "all": every pending request on the cases the person sees (Home's "Pending approvals"); else those they may answer */
  show?: string;
  type?: string;
  record?: string;
  page?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The list-approvals query of the approvals queue. */
export interface ApprovalQueueQuery {
  status: "pending";
  to_answer?: true;
  approval_type?: ApprovalType;
  record?: string;
  page: number;
  per: number;
}

/**
 * approvalQueueQuery: the list-approvals query of the queue's URL: the pending
 * requests the viewer may answer (to_answer), or, with show=all or for a
 * viewer whose role answers none (answers false), every pending request on
 * the cases they see (the set Home's "Pending approvals" counts); of one type
 * and one case when the URL names them; unknown values fall back to the
 * defaults.
 */
export function approvalQueueQuery(s: ApprovalQueueSearch, per: number, answers = true): ApprovalQueueQuery {
  const q: ApprovalQueueQuery = { status: "pending", page: Math.max(1, Math.floor(Number(s.page)) || 1), per };
  if (answers && s.show !== "all") q.to_answer = true;
  if (APPROVAL_TYPES.includes(s.type as ApprovalType)) q.approval_type = s.type as ApprovalType;
  if (s.record && UUID.test(s.record)) q.record = s.record;
  return q;
}

/** The keys of the problems checkFlag and checkReason give; the screens word them. */
export type InputProblem = "required" | "too-long";

/** checkText: a required text of at most max characters (flags' messages, reasons). */
export function checkText(s: string, max = 2000): InputProblem | undefined {
  const v = s.trim();
  if (!v) return "required";
  if (v.length > max) return "too-long";
  return undefined;
}

/** activeFirst orders flags: unresolved first, then newest first. */
export function activeFirst(flags: readonly Flag[]): Flag[] {
  return [...flags].sort((a, b) => Number(!!a.removed) - Number(!!b.removed) || (b.created_at ?? "").localeCompare(a.created_at ?? ""));
}
