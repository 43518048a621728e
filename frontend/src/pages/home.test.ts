import { describe, expect, it } from "vitest";
import { alertLabel, daysFromToday, pendingCounts, riskEntries, type Dashboard } from "./home";
import { queueQuery, segment } from "./transitions/transitions";
import { approvalQueueQuery } from "./cases/casework";

const t = (d: { message?: string; id?: string }) => d.message ?? d.id ?? "";

describe("home", () => {
  it("counts days from today in UTC, as the server does", () => {
    const now = new Date("2026-12-01T23:30:00Z");
    expect(daysFromToday("2026-12-01", now)).toBe(0);
    expect(daysFromToday("2026-11-28", now)).toBe(-3);
    expect(daysFromToday("2026-12-08T00:00:00Z", now)).toBe(7);
    expect(daysFromToday("2027-01-01", now)).toBe(31);
  });

  it("names alerts, answers as the transition and its answer", () => {
    expect(alertLabel("assign", t)).toBe("Assigned to you");
    expect(alertLabel("referral_accepted", t)).toBe("Referral: accepted");
    expect(alertLabel("transfer_request_rejected", t)).toBe("Transfer request: rejected");
    expect(alertLabel("transfer_revoked", t)).toBe("Transfer: revoked");
    expect(alertLabel("something_new", t)).toBe("something_new");
  });

  it("orders risk levels from high to none", () => {
    expect(riskEntries({ none: 4, low: 1, high: 2, critical: 1, medium: 3 }).map(([k]) => k)).toEqual([
      "high",
      "medium",
      "low",
      "critical",
      "none",
    ]);
    expect(riskEntries(undefined)).toEqual([]);
  });

  it("links each pending count to the queue whose total it is", () => {
    const d = {
      pending_referrals_in: 1,
      pending_referrals_out: 2,
      pending_transfers_in: 3,
      pending_transfers_out: 4,
      pending_transfer_requests_in: 5,
      pending_transfer_requests_out: 6,
      approvals_to_answer: 7,
      pending_approvals: 8,
    } as Dashboard;
    const rows = pendingCounts(d, { transitions: true, approvals: true });
    const queues = rows.filter((r) => r.to === "/transitions");
    expect(queues).toHaveLength(6);
    for (const r of queues) {
      // The queue the link opens (pending, its direction and type) is the count's field.
      const q = queueQuery(r.search ?? {}, 20);
      expect(q.status).toBe("pending");
      expect(r.value).toBe(d[`pending_${segment[q.type!]}_${q.direction}` as keyof Dashboard]);
    }
    // Both approval counts open the approvals queue on the set they count.
    const approvals = rows.filter((r) => r.to === "/approvals");
    expect(approvals.map((r) => r.testid)).toEqual(["count-approvals", "count-pending-approvals"]);
    for (const r of approvals) {
      const q = approvalQueueQuery(r.search ?? {}, 20);
      expect(q.status).toBe("pending");
      expect(r.value).toBe(q.to_answer ? d.approvals_to_answer : d.pending_approvals);
    }
    expect(approvals.map((r) => r.value)).toEqual([7, 8]);
    expect(rows.map((r) => t(r.label))).toContain("Transfer requests I sent");
  });

  it("shows the counts without links to queues the role may not read", () => {
    const rows = pendingCounts({ pending_referrals_in: 1 } as Dashboard, { transitions: false, approvals: false });
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.to === undefined && r.search === undefined)).toBe(true);
  });
});
