// The "Transfers and referrals" queue's rules (GET /api/v2/transitions): what
// the URL's filters ask of the API, which answers an item offers (the API's
// may_answer and may_revoke decide, the type and status say which), and the
// Home counts' links into the queue. The API decides; these rules only
// choose what to offer.
import type { components } from "../../api/schema";

export type QueuedTransition = components["schemas"]["QueuedTransition"];
export type QueueType = "referral" | "transfer" | "transfer_request";
export type QueueDirection = "in" | "out";
export type QueueStatus = "pending" | "accepted" | "rejected" | "done" | "revoked";
export type QueueAnswer = "accepted" | "rejected" | "done" | "revoked";

export const QUEUE_TYPES: readonly QueueType[] = ["referral", "transfer", "transfer_request"];
export const QUEUE_STATUSES: readonly QueueStatus[] = ["pending", "accepted", "rejected", "done", "revoked"];

/** The queue's state as the URL holds it (?direction=&type=&status=&page=). */
export interface QueueSearch {
  direction?: string;
  type?: string;
  status?: string;
  page?: string;
}

export interface QueueQuery {
  direction: QueueDirection;
  status: QueueStatus;
  type?: QueueType;
  page: number;
  per: number;
}

/** queueQuery: the list-transitions query of a URL's search; unknown values fall back to the defaults (in, pending, every type). */
export function queueQuery(s: QueueSearch, per: number): QueueQuery {
  const q: QueueQuery = {
    direction: s.direction === "out" ? "out" : "in",
    status: QUEUE_STATUSES.includes(s.status as QueueStatus) ? (s.status as QueueStatus) : "pending",
    page: Math.max(1, Math.floor(Number(s.page)) || 1),
    per,
  };
  if (QUEUE_TYPES.includes(s.type as QueueType)) q.type = s.type as QueueType;
  return q;
}

/** answersOf: the answers an item offers, from the API's may_answer and may_revoke and the state. */
export function answersOf(t: Pick<QueuedTransition, "type" | "status" | "may_answer" | "may_revoke">): QueueAnswer[] {
  const out: QueueAnswer[] = [];
  if (t.may_answer) {
    if (t.status === "in_progress") out.push("accepted", "rejected");
    if (t.type === "referral") out.push("done");
  }
  if (t.may_revoke) out.push("revoked");
  return out;
}

/** segment: the API path segment of a transition type (PATCH /cases/{id}/<segment>/{transition_id}). */
export const segment: Record<QueueType, "referrals" | "transfers" | "transfer_requests"> = {
  referral: "referrals",
  transfer: "transfers",
  transfer_request: "transfer_requests",
};

/** queueLink: the search of the queue a Home count opens (the defaults left out, as the URL keeps them). */
export function queueLink(direction: QueueDirection, type?: QueueType): QueueSearch {
  const s: QueueSearch = {};
  if (direction === "out") s.direction = "out";
  if (type) s.type = type;
  return s;
}
