// The Home page's logic: labels of tasks and alerts, how far a due date is
// from today, and the order of the risk levels. Kept apart from the page
// so that Vitest checks it without a browser.
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";
import type { components } from "../api/schema";
import { queueLink, type QueueSearch } from "./transitions/transitions";
import type { ApprovalQueueSearch } from "./cases/casework";

export type Dashboard = components["schemas"]["Dashboard"];

export type Task = {
  type: string;
  case_id: string;
  short_id: string;
  row_id?: string;
  due_date: string;
  overdue: boolean;
};

export type Alert = {
  id: string;
  record_id: string;
  record_type: string;
  short_id: string;
  type: string;
  actor: string;
  at: string;
  fields?: string[] | null;
  incident_id?: string;
};

export const taskLabels: Record<string, MessageDescriptor> = {
  assessment: msg`Assessment`,
  case_plan: msg`Case plan`,
  followup: msg`Follow-up`,
  service: msg`Service`,
  approval: msg`Approval`,
};

const alertLabels: Record<string, MessageDescriptor> = {
  assign: msg`Assigned to you`,
  referral: msg`New referral`,
  transfer: msg`New transfer`,
  transfer_request: msg`Transfer requested`,
  field_change: msg`Fields changed`,
  attachment_added: msg`File added`,
  attachment_removed: msg`File removed`,
  incident: msg`New incident`,
  disable: msg`Disabled`,
  enable: msg`Enabled`,
  match_confirmed: msg`Tracing match confirmed`,
};

const answerLabels: Record<string, MessageDescriptor> = {
  accepted: msg`accepted`,
  rejected: msg`rejected`,
  done: msg`done`,
  revoked: msg`revoked`,
};

const kindLabels: Record<string, MessageDescriptor> = {
  referral: msg`Referral`,
  transfer: msg`Transfer`,
  transfer_request: msg`Transfer request`,
};

/**
 * alertLabel names an alert's type: a known type, or an answer
 * "<transition>_<status>" as the transition and its answer (e.g.
 * "Referral: accepted"). Unknown types are shown as sent.
 */
export function alertLabel(type: string, t: (d: MessageDescriptor) => string): string {
  if (alertLabels[type]) return t(alertLabels[type]);
  for (const status of Object.keys(answerLabels)) {
    const kind = type.endsWith("_" + status) ? type.slice(0, -status.length - 1) : "";
    if (kindLabels[kind]) return `${t(kindLabels[kind])}: ${t(answerLabels[status])}`;
  }
  return type;
}

/** daysFromToday: whole days from today (UTC, as the server counts) to an ISO date; negative when past. */
export function daysFromToday(isoDate: string, now: Date = new Date()): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - today) / 86_400_000);
}

const riskOrder = ["high", "medium", "low", "none"];

/** riskEntries orders the open cases by risk: high, medium, low, others by name, none last. */
export function riskEntries(byRisk: Record<string, number> | undefined): [string, number][] {
  const rank = (k: string) => {
    const i = riskOrder.indexOf(k);
    return i < 0 ? riskOrder.length - 1.5 : i;
  };
  return Object.entries(byRisk ?? {}).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A pending count on Home and the queue it opens (when the person may read it). */
export type PendingCount = { label: MessageDescriptor; value: number; to?: string; search?: QueueSearch | ApprovalQueueSearch; testid?: string };

/**
 * pendingCounts: Home's pending counts, each the server's total of the
 * queue it links to (the dashboard counts them with the queues' own
 * conditions), so a count and the list it opens agree: the transitions per
 * direction and type (/transitions), the approvals the person may answer
 * (/approvals, to_answer), every pending approval on the person's cases
 * (/approvals?show=all).
 */
export function pendingCounts(d: Dashboard, may: { transitions: boolean; approvals: boolean }): PendingCount[] {
  const queue = may.transitions ? "/transitions" : undefined;
  const approvals = may.approvals ? "/approvals" : undefined;
  return [
    { label: msg`Referrals to me`, value: d.pending_referrals_in, to: queue, search: queueLink("in", "referral"), testid: "count-referrals-in" },
    { label: msg`Referrals I sent`, value: d.pending_referrals_out, to: queue, search: queueLink("out", "referral"), testid: "count-referrals-out" },
    { label: msg`Transfers to me`, value: d.pending_transfers_in, to: queue, search: queueLink("in", "transfer"), testid: "count-transfers-in" },
    { label: msg`Transfers I sent`, value: d.pending_transfers_out, to: queue, search: queueLink("out", "transfer"), testid: "count-transfers-out" },
    { label: msg`Transfer requests to me`, value: d.pending_transfer_requests_in, to: queue, search: queueLink("in", "transfer_request"), testid: "count-transfer-requests-in" },
    { label: msg`Transfer requests I sent`, value: d.pending_transfer_requests_out, to: queue, search: queueLink("out", "transfer_request"), testid: "count-transfer-requests-out" },
    { label: msg`Approvals to answer`, value: d.approvals_to_answer, to: approvals, testid: "count-approvals" },
    { label: msg`Pending approvals`, value: d.pending_approvals, to: approvals, search: { show: "all" }, testid: "count-pending-approvals" },
  ].map((c) => (c.to ? c : { label: c.label, value: c.value, testid: c.testid }));
}
