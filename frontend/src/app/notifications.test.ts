import { describe, expect, it } from "vitest";
import { changedSettings, notificationGroups, type NotificationSetting } from "./notifications";

const all: NotificationSetting[] = (
  [
    "assign",
    "referral",
    "transfer",
    "transfer_request",
    "referral_accepted",
    "referral_rejected",
    "referral_done",
    "referral_revoked",
    "transfer_accepted",
    "transfer_rejected",
    "transfer_revoked",
    "transfer_request_accepted",
    "transfer_request_rejected",
    "transfer_request_revoked",
    "digest",
  ] as const
).map((kind) => ({ kind, email: kind !== "digest" }));

describe("notification settings", () => {
  it("places every kind the server sends in exactly one group, named in words", () => {
    const groups = notificationGroups(all);
    expect(groups.map((g) => g.id)).toEqual(["to_me", "answers", "digest"]);
    const kinds = groups.flatMap((g) => g.kinds.map((k) => k.kind));
    expect([...kinds].sort()).toEqual(all.map((s) => s.kind).sort());
    for (const g of groups) for (const k of g.kinds) expect(k.label.message).not.toBe(k.kind);
    expect(groups[2].kinds[0].label.message).toBe("Each morning, my overdue tasks");
  });

  it("lists a kind the app does not know under Other emails, and leaves out groups the server has none of", () => {
    const groups = notificationGroups([
      { kind: "digest", email: true },
      { kind: "approval_requested" as never, email: true },
    ]);
    expect(groups.map((g) => g.id)).toEqual(["digest", "other"]);
    expect(groups[1].kinds).toEqual([{ kind: "approval_requested", label: { id: "approval_requested", message: "approval_requested" } }]);
  });

  it("sends only the kinds whose choice changed", () => {
    const chosen = Object.fromEntries(all.map((s) => [s.kind, s.email]));
    expect(changedSettings(all, chosen)).toEqual([]);
    chosen.digest = true;
    chosen.referral = false;
    expect(changedSettings(all, chosen)).toEqual([
      { kind: "referral", email: false },
      { kind: "digest", email: true },
    ]);
    // A kind the person never saw (not in the choice) is not sent.
    delete chosen.assign;
    expect(changedSettings(all, chosen).map((s) => s.kind)).toEqual(["referral", "digest"]);
  });
});
