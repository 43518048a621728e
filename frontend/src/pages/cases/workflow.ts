// The workflow rules the case screens apply before asking the API (which
// decides): which actions a person is offered on a case, which answers on a
// transition, what a transition form must hold, and which forms a receiver
// reading a case through a referral sees. docs/workflows.md is the contract.
import type { components } from "../../api/schema";
import type { RecordConfig } from "../../records/config";

export type Transition = components["schemas"]["Transition"];
// Close and reopen are listed but not started from this panel (they have their own endpoints).
export type TransitionType = Exclude<Transition["type"], "close" | "reopen">;
export type Answer = components["schemas"]["TransitionAnswer"]["status"];

/** The most cases one bulk assignment takes (create-cases-assigns). */
export const BULK_ASSIGN_MAX = 100;

/** Who is looking: the signed-in user's email and permissions. */
export interface Viewer {
  email: string;
  permissions: readonly string[];
}

/** The case facts the rules read. */
export interface CaseFacts {
  owned_by?: unknown;
  status?: unknown;
  record_state?: unknown;
}

const has = (v: Viewer, p: string) => v.permissions.includes(p);

/** isOpen: a case that may be assigned, referred or transferred (not closed, not disabled). */
export function isOpen(c: CaseFacts): boolean {
  return c.status !== "closed" && c.record_state !== false;
}

/** pending: a referral in progress or accepted, or a transfer (request) in progress. */
export function pending(t: Pick<Transition, "type" | "status">): boolean {
  return t.status === "in_progress" || (t.type === "referral" && t.status === "accepted");
}

/**
 * referralOnly returns the referral through which the viewer reads the case
 * when it is their way to it (they receive it, it is pending, they do not own
 * the case); the API then answers only its access role's forms.
 */
export function referralOnly(v: Viewer, c: CaseFacts, transitions: Transition[]): Transition | undefined {
  if (c.owned_by === v.email) return undefined;
  return transitions.find((t) => t.type === "referral" && t.transitioned_to === v.email && pending(t));
}

/**
 * availableActions lists the transitions the viewer is offered on a case:
 * by permission (docs/frontend.md "Shell and permissions"), on an open case;
 * a transfer request only to someone who does not own it and has none
 * pending; nothing but answers to a receiver who reads it through a referral.
 */
export function availableActions(v: Viewer, c: CaseFacts, transitions: Transition[]): TransitionType[] {
  if (!isOpen(c) || referralOnly(v, c, transitions)) return [];
  const out: TransitionType[] = [];
  const owner = c.owned_by === v.email;
  if (has(v, "cases:assign")) out.push("assign");
  if (has(v, "cases:refer")) out.push("referral");
  if (has(v, "cases:transfer") && !transitions.some((t) => t.type === "transfer" && t.status === "in_progress")) out.push("transfer");
  if (
    has(v, "cases:request_transfer") &&
    !owner &&
    !transitions.some((t) => t.type === "transfer_request" && t.transitioned_by === v.email && t.status === "in_progress")
  )
    out.push("transfer_request");
  return out;
}

/**
 * answersFor lists the answers the viewer may give a transition: the
 * receiver accepts, rejects, marks a referral done; for a transfer also a
 * manager (cases:assign; the API checks they reach the receiver); the
 * sender revokes. Assignments take no answer.
 */
export function answersFor(v: Viewer, t: Transition): Answer[] {
  if (t.type === "assign") return [];
  const out: Answer[] = [];
  const receiver = t.transitioned_to === v.email || (t.type === "transfer" && t.transitioned_by !== v.email && has(v, "cases:assign"));
  if (receiver) {
    if (t.status === "in_progress") out.push("accepted", "rejected");
    if (t.type === "referral" && (t.status === "in_progress" || t.status === "accepted")) out.push("done");
  }
  if (t.transitioned_by === v.email && pending(t)) out.push("revoked");
  return out;
}

/** What a transition form holds before it becomes a request body. */
export interface TransitionForm {
  transitioned_to: string;
  transitioned_to_agency: string;
  service: string;
  authorized_role_unique_id: string;
  notes: string;
  override: boolean;
  consent_override_reason: string;
}

export const emptyForm: TransitionForm = {
  transitioned_to: "",
  transitioned_to_agency: "",
  service: "",
  authorized_role_unique_id: "",
  notes: "",
  override: false,
  consent_override_reason: "",
};

/** Consent: what the case says about sharing with other organisations, and what the viewer may do about it. */
export type Consent = "given" | "missing-override" | "missing";

/** consentState reads the case's disclosure_other_orgs (the consent form's tick box) for a referral or transfer. */
export function consentState(v: Viewer, record: Record<string, unknown>): Consent {
  if (record.disclosure_other_orgs === true) return "given";
  return has(v, "cases:consent_override") ? "missing-override" : "missing";
}

/** The keys of the messages validateTransition gives; the screen words them. */
export type FormProblem = "receiver-required" | "receiver-email" | "reason-required";

const emailRE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * validateTransition checks a transition form before sending: a receiver
 * (an email) unless it is a transfer request (the owner receives it), and a
 * reason when consent is overridden. Field → problem.
 */
export function validateTransition(type: TransitionType, f: TransitionForm): Partial<Record<keyof TransitionForm, FormProblem>> {
  const out: Partial<Record<keyof TransitionForm, FormProblem>> = {};
  if (type !== "transfer_request") {
    const to = f.transitioned_to.trim();
    if (!to) out.transitioned_to = "receiver-required";
    else if (!emailRE.test(to)) out.transitioned_to = "receiver-email";
  }
  if ((type === "referral" || type === "transfer") && f.override && !f.consent_override_reason.trim()) out.consent_override_reason = "reason-required";
  return out;
}

/** transitionBody builds the request's data: only what the type takes, nothing empty. */
export function transitionBody(type: TransitionType, f: TransitionForm): components["schemas"]["TransitionData"] {
  const out: components["schemas"]["TransitionData"] = {};
  if (type !== "transfer_request") out.transitioned_to = f.transitioned_to.trim();
  if (f.notes.trim()) out.notes = f.notes.trim();
  if (type === "referral" || type === "transfer") {
    if (f.transitioned_to_agency.trim()) out.transitioned_to_agency = f.transitioned_to_agency.trim();
    if (f.override) {
      out.consent_individual_transfer = true;
      out.consent_override_reason = f.consent_override_reason.trim();
    }
  }
  if (type === "referral") {
    if (f.service) out.service = f.service;
    if (f.authorized_role_unique_id.trim()) out.authorized_role_unique_id = f.authorized_role_unique_id.trim();
  }
  return out;
}

/** The path segment of each kind of transition (POST /api/v2/cases/{id}/<segment>). */
export const segment: Record<Exclude<TransitionType, never>, "assigns" | "referrals" | "transfers" | "transfer_requests"> = {
  assign: "assigns",
  referral: "referrals",
  transfer: "transfers",
  transfer_request: "transfer_requests",
};

/**
 * sharedForms keeps the forms of which the record carries a value: a
 * receiver reading through a referral gets only its access role's fields,
 * and the forms list answers the receiver's own role's forms.
 */
export function sharedForms(config: RecordConfig, record: Record<string, unknown>): RecordConfig {
  const carried = (f: RecordConfig["forms"][number]) => (f.fields ?? []).some((fl) => record[fl.name] !== undefined && record[fl.name] !== null);
  const groups = config.groups.map((g) => ({ ...g, forms: g.forms.filter(carried) })).filter((g) => g.forms.length);
  return { ...config, groups, forms: config.forms.filter(carried) };
}

/** bulkSelection toggles a case in a selection of at most BULK_ASSIGN_MAX; false when full. */
export function toggleSelection(selected: ReadonlySet<string>, id: string): { next: Set<string>; full: boolean } {
  const next = new Set(selected);
  if (next.has(id)) {
    next.delete(id);
    return { next, full: false };
  }
  if (next.size >= BULK_ASSIGN_MAX) return { next, full: true };
  next.add(id);
  return { next, full: false };
}
