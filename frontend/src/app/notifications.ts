// Email notification settings (GET/PUT /api/v2/users/me/notification_settings):
// each kind of email the server sends about workflow events, grouped the way
// a caseworker thinks of them, named in words, and the change to send (only
// the kinds that differ: the API leaves the others as they are).
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";
import type { Schemas } from "../api/client";

export type NotificationSetting = Schemas["Setting"];
export type NotificationKind = NotificationSetting["kind"];

export interface NotificationGroup {
  id: string;
  legend: MessageDescriptor;
  kinds: { kind: string; label: MessageDescriptor }[];
}

/** The groups, in display order, with each kind's words. */
const groups: { id: string; legend: MessageDescriptor; kinds: [NotificationKind, MessageDescriptor][] }[] = [
  {
    id: "to_me",
    legend: msg`Cases sent to me`,
    kinds: [
      ["assign", msg`A case is assigned to me`],
      ["referral", msg`A case is referred to me`],
      ["transfer", msg`A case is transferred to me`],
      ["transfer_request", msg`Someone asks me to transfer a case`],
      ["referral_revoked", msg`A referral to me is revoked`],
      ["transfer_revoked", msg`A transfer to me is revoked`],
      ["transfer_request_revoked", msg`A transfer request to me is withdrawn`],
    ],
  },
  {
    id: "answers",
    legend: msg`Answers to what I sent`,
    kinds: [
      ["referral_accepted", msg`My referral is accepted`],
      ["referral_rejected", msg`My referral is rejected`],
      ["referral_done", msg`My referral is marked done`],
      ["transfer_accepted", msg`My transfer is accepted`],
      ["transfer_rejected", msg`My transfer is rejected`],
      ["transfer_request_accepted", msg`My transfer request is accepted`],
      ["transfer_request_rejected", msg`My transfer request is rejected`],
    ],
  },
  {
    id: "digest",
    legend: msg`Daily summary`,
    kinds: [["digest", msg`Each morning, my overdue tasks`]],
  },
];

/**
 * notificationGroups lays out the server's settings: the known kinds in their
 * groups (only those the server lists), then any kind this app does not know
 * yet under "Other emails", named by its identifier.
 */
export function notificationGroups(settings: readonly { kind: string; email?: boolean }[]): NotificationGroup[] {
  const present = new Set(settings.map((s) => s.kind));
  const known = new Set<string>(groups.flatMap((g) => g.kinds.map(([k]) => k)));
  const out: NotificationGroup[] = groups
    .map((g) => ({ id: g.id, legend: g.legend, kinds: g.kinds.filter(([k]) => present.has(k)).map(([kind, label]) => ({ kind, label })) }))
    .filter((g) => g.kinds.length > 0);
  const other = settings.filter((s) => !known.has(s.kind));
  if (other.length) {
    out.push({ id: "other", legend: msg`Other emails`, kinds: other.map((s) => ({ kind: s.kind, label: { id: s.kind, message: s.kind } })) });
  }
  return out;
}

/** changedSettings lists the kinds whose choice differs from the server's, in the server's order. */
export function changedSettings(
  server: readonly NotificationSetting[],
  chosen: Readonly<Record<string, boolean>>,
): NotificationSetting[] {
  return server.filter((s) => s.kind in chosen && chosen[s.kind] !== s.email).map((s) => ({ kind: s.kind, email: chosen[s.kind] }));
}
