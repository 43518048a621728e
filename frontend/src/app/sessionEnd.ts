// When and why a signed-in session ends, as the app tells it. The server
// enforces both limits (30 minutes without a request, and the lifespan
// Kratos is configured with after sign-in: 12 hours in production); the app keeps track of the same two clocks so that it can say
// which one ended the session, and notices an idle session without waiting
// for the person's next click.
//
// Activity is shared by the tabs of one browser (localStorage): a tab left
// open does not end a session another tab is using, and a tab never makes a
// request of its own just to keep the session alive.

/** The server's idle limit (api.Config.IdleTimeout, default 30 minutes). */
export const IDLE_LIMIT_MS = 30 * 60_000;

/**
 * The server records a session's activity at most once a minute, so it may
 * see a session as idle up to a minute before the app does.
 */
export const IDLE_SLACK_MS = 60_000;

export type EndReason = "idle" | "expired" | "ended";

const activityKey = "cpims.lastActivity";
let localActivity = 0;

/** recordActivity notes an API answer at time at (ms), for every tab of this browser. */
export function recordActivity(at: number) {
  localActivity = Math.max(localActivity, at);
  try {
    const shared = Number(localStorage.getItem(activityKey)) || 0;
    if (at > shared) localStorage.setItem(activityKey, String(at));
  } catch {
    /* storage unavailable: this tab's own activity */
  }
}

/** lastActivity is the latest API answer any tab of this browser received (ms). */
export function lastActivity(): number {
  let shared = 0;
  try {
    shared = Number(localStorage.getItem(activityKey)) || 0;
  } catch {
    /* storage unavailable */
  }
  return Math.max(localActivity, shared);
}

/** forgetActivity clears the shared activity (sign-out: the next session starts afresh). */
export function forgetActivity() {
  localActivity = 0;
  try {
    localStorage.removeItem(activityKey);
  } catch {
    /* storage unavailable */
  }
}

/** The two limits of a session (ms): Kratos' lifespan and the server's idle limit. */
export interface SessionLimits {
  lifespan?: number;
  idleLimit?: number;
}

const limitsKey = "cpims.sessionLimits";

/**
 * rememberLimits keeps the limits last seen while signed in, so that pages
 * shown without a session (the offline unlock page after the session ended)
 * can word the operator's limits rather than constants.
 */
export function rememberLimits(l: SessionLimits) {
  const merged = { ...rememberedLimits(), ...Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === "number" && v > 0)) };
  try {
    localStorage.setItem(limitsKey, JSON.stringify(merged));
  } catch {
    /* storage unavailable: the defaults are said */
  }
}

/** rememberedLimits is what rememberLimits kept (nothing for a limit never seen on this browser). */
export function rememberedLimits(): SessionLimits {
  try {
    const v = JSON.parse(localStorage.getItem(limitsKey) ?? "{}") as Record<string, unknown>;
    const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) && x > 0 ? x : undefined);
    return { lifespan: num(v.lifespan), idleLimit: num(v.idleLimit) };
  } catch {
    return {};
  }
}

/**
 * endReason says why a session the server refused (401) has ended: its 12
 * hours are over (expired), it was unused for the idle limit (idle), or
 * something else ended it: signed out elsewhere, revoked by the hosting team,
 * the account disabled (ended).
 */
export function endReason(o: { now: number; lastActivity: number; expiresAt?: number; idleLimit?: number }): EndReason {
  if (o.expiresAt && o.now >= o.expiresAt) return "expired";
  const limit = o.idleLimit ?? IDLE_LIMIT_MS;
  if (o.lastActivity > 0 && o.now - o.lastActivity >= limit - IDLE_SLACK_MS) return "idle";
  return "ended";
}

/**
 * idleCheckIn is how long to wait before looking again at a session's
 * activity: until the idle limit after the last activity (0: it is due now).
 */
export function idleCheckIn(now: number, last: number, idleLimit = IDLE_LIMIT_MS): number {
  return Math.max(0, last + idleLimit - now);
}

/**
 * sessionLifespan is the lifespan Kratos gave a session (ms): from its issue
 * to its expiry, which is the configured session.lifespan (12 hours in
 * production, 90 s in the browser tests' short-session Kratos), so the app
 * words the operator's limit rather than a constant. Undefined when Kratos
 * did not say.
 */
export function sessionLifespan(s: { issued_at?: string; authenticated_at?: string; expires_at?: string }): number | undefined {
  const start = Date.parse(s.issued_at ?? s.authenticated_at ?? "");
  const end = Date.parse(s.expires_at ?? "");
  return end > start ? end - start : undefined;
}

/**
 * lifespanParts is how a lifespan is worded: whole hours when it is a
 * whole number of hours (12 hours), else whole minutes when a whole number
 * of minutes (45 minutes), else seconds (90 seconds), to the nearest second.
 */
export function lifespanParts(ms: number): { unit: "hour" | "minute" | "second"; n: number } {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s % 3600 === 0) return { unit: "hour", n: s / 3600 };
  if (s % 60 === 0) return { unit: "minute", n: s / 60 };
  return { unit: "second", n: s };
}
