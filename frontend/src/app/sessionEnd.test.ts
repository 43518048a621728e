// Why a session ended, and when to look at its activity again.
import { beforeEach, describe, expect, it } from "vitest";
import { endReason, forgetActivity, IDLE_LIMIT_MS, idleCheckIn, lastActivity, recordActivity } from "./sessionEnd";

const min = 60_000;
const t0 = Date.parse("2026-12-01T08:00:00Z");

describe("endReason", () => {
  it("says the 12 hours are over once the session's expiry has passed, whatever the activity", () => {
    expect(endReason({ now: t0 + 12 * 60 * min, lastActivity: t0 + 12 * 60 * min - min, expiresAt: t0 + 12 * 60 * min })).toBe("expired");
    expect(endReason({ now: t0 + 13 * 60 * min, lastActivity: t0, expiresAt: t0 + 12 * 60 * min })).toBe("expired");
  });

  it("says idle after 30 minutes without activity, a minute early included (the server records activity once a minute)", () => {
    expect(endReason({ now: t0 + 31 * min, lastActivity: t0, expiresAt: t0 + 12 * 60 * min })).toBe("idle");
    expect(endReason({ now: t0 + 29 * min, lastActivity: t0 })).toBe("idle");
    expect(endReason({ now: t0 + 28 * min, lastActivity: t0 })).toBe("ended");
  });

  it("says ended otherwise: revoked, signed out elsewhere, disabled", () => {
    expect(endReason({ now: t0 + 5 * min, lastActivity: t0, expiresAt: t0 + 12 * 60 * min })).toBe("ended");
    expect(endReason({ now: t0, lastActivity: 0 })).toBe("ended");
  });
});

describe("activity shared by the tabs of a browser", () => {
  beforeEach(() => forgetActivity());

  it("keeps the latest answer of any tab", () => {
    recordActivity(t0);
    expect(lastActivity()).toBe(t0);
    localStorage.setItem("cpims.lastActivity", String(t0 + 10 * min)); // another tab, later
    expect(lastActivity()).toBe(t0 + 10 * min);
    recordActivity(t0 + 5 * min); // an older answer does not move it back
    expect(lastActivity()).toBe(t0 + 10 * min);
    expect(localStorage.getItem("cpims.lastActivity")).toBe(String(t0 + 10 * min));
  });

  it("waits until the idle limit after the last activity, and no longer once it is due", () => {
    expect(idleCheckIn(t0, t0)).toBe(IDLE_LIMIT_MS);
    expect(idleCheckIn(t0 + 20 * min, t0)).toBe(10 * min);
    expect(idleCheckIn(t0 + 40 * min, t0)).toBe(0);
  });

  it("forgets it at sign-out", () => {
    recordActivity(t0);
    forgetActivity();
    expect(lastActivity()).toBe(0);
  });
});
