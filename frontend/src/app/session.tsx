// The signed-in session as the app sees it: the current user (GET
// /api/v2/users/me), and the session's end. A session ends after the idle
// limit without activity (30 minutes unless the server is configured
// otherwise: get-system-settings' session_idle_timeout_seconds) and 12 hours
// after sign-in (the server enforces both);
// the app notices either when an API call answers 401, when no tab of this
// browser made a call for the idle limit (it then asks the server once, which
// ends the idle session), or at the session's expiry time from Kratos, and
// then says which limit ended it, with a way back (sessionEnd.ts).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, onApiResponse, type CurrentUser } from "../api/client";
import { ApiError } from "../api/problem";
import { logout, whoami } from "../kratos/client";
import { meQuery, settingsQuery } from "./queries";
import { endReason, IDLE_LIMIT_MS, idleCheckIn, lastActivity, recordActivity, rememberLimits, sessionLifespan, type EndReason } from "./sessionEnd";

export { IDLE_LIMIT_MS } from "./sessionEnd";

const signedInKey = "cpims.signedIn";

export function markSignedIn(v: boolean) {
  try {
    if (v) sessionStorage.setItem(signedInKey, "1");
    else sessionStorage.removeItem(signedInKey);
  } catch {
    /* storage unavailable */
  }
}

function wasSignedIn(): boolean {
  try {
    return sessionStorage.getItem(signedInKey) === "1";
  } catch {
    return false;
  }
}

export type SessionState =
  | { state: "loading" }
  | { state: "signed-out" } // never signed in in this tab: go to the sign-in page
  | { state: "ended"; reason: EndReason; detail?: string; lifespan?: number; idleLimit?: number } // was signed in: say it ended, and why (lifespan: Kratos', idleLimit: the server's, ms)
  | { state: "refused"; detail: string } // signed in, but not a member or a second factor is due
  | { state: "ok"; me: CurrentUser };

interface SessionContextValue {
  session: SessionState;
  me?: CurrentUser;
  end: (reason: EndReason, detail?: string) => void;
}

const SessionContext = createContext<SessionContextValue>({ session: { state: "loading" }, end: () => {} });

export function useSession() {
  return useContext(SessionContext);
}

/** How long to wait before asking again when the idle check could not reach the server. */
const RETRY_MS = 60_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const me = useQuery(meQuery);
  const [ended, setEnded] = useState<{ reason: EndReason; detail?: string; lifespan?: number; idleLimit?: number } | null>(null);
  const idleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const expiresAt = useRef<number>(undefined);
  const lifespan = useRef<number>(undefined);
  // The server's idle limit (ms), once the settings say it; the default until then.
  const idleLimit = useRef(IDLE_LIMIT_MS);
  const settings = useQuery({ ...settingsQuery, enabled: me.isSuccess });
  const configuredIdle = settings.data?.session_idle_timeout_seconds;
  if (configuredIdle && configuredIdle > 0) idleLimit.current = configuredIdle * 1000;
  useEffect(() => {
    if (configuredIdle && configuredIdle > 0) rememberLimits({ idleLimit: configuredIdle * 1000 });
  }, [configuredIdle]);
  const end = useCallback(
    (reason: EndReason, detail?: string) => setEnded((e) => e ?? { reason, detail, lifespan: lifespan.current, idleLimit: idleLimit.current }),
    [],
  );

  // Any API answer is activity (restart the idle clock); a 401 after sign-in: the session ended.
  useEffect(() => {
    const check = () => {
      const wait = idleCheckIn(Date.now(), lastActivity(), idleLimit.current);
      if (wait > 0) {
        idleTimer.current = setTimeout(check, wait); // another tab was active meanwhile
        return;
      }
      // Idle here and in every tab: the server agrees and ends the session (401), or
      // it saw activity this browser did not (200) and the clock starts again.
      api.GET("/api/v2/users/me").catch(() => {
        idleTimer.current = setTimeout(check, RETRY_MS); // offline: ask again later
      });
    };
    const stop = onApiResponse((status, at, response) => {
      clearTimeout(idleTimer.current);
      if (status === 401) {
        if (!wasSignedIn()) return;
        end(endReason({ now: at, lastActivity: lastActivity(), expiresAt: expiresAt.current, idleLimit: idleLimit.current }));
        void response
          ?.clone()
          .json()
          .then((p: { detail?: string }) => p.detail && setEnded((e) => (e && !e.detail ? { ...e, detail: p.detail } : e)))
          .catch(() => {});
        return;
      }
      recordActivity(at);
      idleTimer.current = setTimeout(check, idleCheckIn(Date.now(), lastActivity(), idleLimit.current));
    });
    return () => {
      stop();
      clearTimeout(idleTimer.current);
    };
  }, [end]);

  // The absolute limit: Kratos tells when the session expires.
  useEffect(() => {
    if (!me.data) return;
    markSignedIn(true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    void whoami().then((w) => {
      if (w.state !== "ok" || !w.session.expires_at) return;
      expiresAt.current = new Date(w.session.expires_at).getTime();
      lifespan.current = sessionLifespan(w.session);
      rememberLimits({ lifespan: lifespan.current });
      const ms = expiresAt.current - Date.now();
      if (ms < 2 ** 31 - 1) timer = setTimeout(() => end("expired"), Math.max(0, ms));
    });
    return () => clearTimeout(timer);
  }, [me.data, end]);

  // An ended session is ended in Kratos too (the server may not have seen it
  // yet), so that "Sign in again" asks for the password instead of reusing it.
  useEffect(() => {
    if (!ended) return;
    clearTimeout(idleTimer.current);
    void logout().catch(() => {});
  }, [ended]);

  let session: SessionState;
  if (ended) session = { state: "ended", ...ended };
  else if (me.data) session = { state: "ok", me: me.data };
  else if (me.error instanceof ApiError && me.error.status === 401)
    session = wasSignedIn() ? { state: "ended", reason: "ended", detail: me.error.message } : { state: "signed-out" };
  else if (me.error instanceof ApiError && me.error.status === 403) session = { state: "refused", detail: me.error.message };
  else if (me.error) session = { state: "refused", detail: me.error.message };
  else session = { state: "loading" };

  return <SessionContext.Provider value={{ session, me: me.data, end }}>{children}</SessionContext.Provider>;
}
