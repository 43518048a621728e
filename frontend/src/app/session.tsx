// The signed-in session as the app sees it: the current user (GET
// /api/v2/users/me), and the session's end. A session ends after 30 minutes
// without activity and 12 hours after sign-in (the server enforces both);
// the app notices either when an API call answers 401, when no call was made
// for the idle limit, or at the session's expiry time from Kratos, and then
// says so with a way back.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { onApiResponse, type CurrentUser } from "../api/client";
import { ApiError } from "../api/problem";
import { whoami } from "../kratos/client";
import { meQuery } from "./queries";

/** The server's idle limit (api.Config.IdleTimeout, default 30 minutes). */
export const IDLE_LIMIT_MS = 30 * 60_000;

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
  | { state: "ended"; reason: "idle" | "expired" | "refused" } // was signed in: say it ended
  | { state: "refused"; detail: string } // signed in, but not a member or a second factor is due
  | { state: "ok"; me: CurrentUser };

interface SessionContextValue {
  session: SessionState;
  me?: CurrentUser;
  end: (reason: "idle" | "expired" | "refused") => void;
}

const SessionContext = createContext<SessionContextValue>({ session: { state: "loading" }, end: () => {} });

export function useSession() {
  return useContext(SessionContext);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const me = useQuery(meQuery);
  const [ended, setEnded] = useState<null | "idle" | "expired" | "refused">(null);
  const idleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const end = useCallback((reason: "idle" | "expired" | "refused") => setEnded((e) => e ?? reason), []);

  // Any API call: activity (restart the idle timer); a 401 after sign-in: the session ended.
  useEffect(
    () =>
      onApiResponse((status) => {
        clearTimeout(idleTimer.current);
        if (status === 401) {
          if (wasSignedIn()) end("refused");
          return;
        }
        idleTimer.current = setTimeout(() => end("idle"), IDLE_LIMIT_MS);
      }),
    [end],
  );

  // The absolute limit: Kratos tells when the session expires.
  useEffect(() => {
    if (!me.data) return;
    markSignedIn(true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    void whoami().then((w) => {
      if (w.state !== "ok" || !w.session.expires_at) return;
      const ms = new Date(w.session.expires_at).getTime() - Date.now();
      if (ms > 0 && ms < 2 ** 31 - 1) timer = setTimeout(() => end("expired"), ms);
    });
    return () => clearTimeout(timer);
  }, [me.data, end]);

  let session: SessionState;
  if (ended) session = { state: "ended", reason: ended };
  else if (me.data) session = { state: "ok", me: me.data };
  else if (me.error instanceof ApiError && me.error.status === 401)
    session = wasSignedIn() ? { state: "ended", reason: "refused" } : { state: "signed-out" };
  else if (me.error instanceof ApiError && me.error.status === 403) session = { state: "refused", detail: me.error.message };
  else if (me.error) session = { state: "refused", detail: me.error.message };
  else session = { state: "loading" };

  return <SessionContext.Provider value={{ session, me: me.data, end }}>{children}</SessionContext.Provider>;
}
