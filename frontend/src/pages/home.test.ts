import { describe, expect, it } from "vitest";
import { alertLabel, daysFromToday, riskEntries } from "./home";

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
});
