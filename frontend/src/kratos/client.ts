// Kratos self-service browser flows through the tenant host's /.ory/ proxy,
// spoken in JSON (Accept: application/json): Kratos answers flows and
// errors as JSON instead of redirecting, and the app renders them.
import type { Flow, FlowKind, KratosError, Session } from "./types";

export const KRATOS = "/.ory";

const json = { Accept: "application/json" };

/** What a flow request or submission led to. */
export type FlowResult =
  | { kind: "flow"; flow: Flow; status: number } // show (again), maybe with messages
  | { kind: "session"; session?: Session; flow?: Flow } // login succeeded
  | { kind: "redirect"; to: string } // Kratos wants the browser elsewhere (e.g. settings after recovery)
  | { kind: "expired"; newFlowId?: string } // restart with a new flow
  | { kind: "error"; status: number; error: KratosError };

async function readJSON(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** interpret turns a Kratos answer into what the page should do. */
export function interpret(status: number, body: unknown, requestKind: "get" | "submit"): FlowResult {
  const b = (body ?? {}) as Record<string, unknown> & KratosError;
  if (status === 410 || b.error?.id === "self_service_flow_expired") {
    return { kind: "expired", newFlowId: b.use_flow_id };
  }
  if (b.redirect_browser_to && (status === 422 || status === 403 || status === 401 || status === 400)) {
    return { kind: "redirect", to: b.redirect_browser_to };
  }
  if (status >= 200 && status < 300 && (b.session || b.session_token !== undefined)) {
    return { kind: "session", session: b.session as Session };
  }
  if (b.ui && b.id) {
    return { kind: "flow", flow: b as unknown as Flow, status };
  }
  if (status >= 200 && status < 300 && requestKind === "submit") {
    return { kind: "session" };
  }
  return { kind: "error", status, error: b };
}

/** createFlow starts a browser flow (GET /self-service/<kind>/browser). */
export async function createFlow(kind: FlowKind, params: Record<string, string | undefined> = {}): Promise<FlowResult> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const res = await fetch(`${KRATOS}/self-service/${kind}/browser${q.size ? "?" + q : ""}`, {
    headers: json,
    credentials: "same-origin",
  });
  return interpret(res.status, await readJSON(res), "get");
}

/** getFlow fetches an existing flow by id (e.g. from an emailed link). */
export async function getFlow(kind: FlowKind, id: string): Promise<FlowResult> {
  const res = await fetch(`${KRATOS}/self-service/${kind}/flows?id=${encodeURIComponent(id)}`, {
    headers: json,
    credentials: "same-origin",
  });
  return interpret(res.status, await readJSON(res), "get");
}

/** submitFlow posts a flow's form as JSON to its action URL. */
export async function submitFlow(flow: Flow, body: Record<string, unknown>): Promise<FlowResult> {
  const res = await fetch(flow.ui.action, {
    method: "POST",
    headers: { ...json, "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  return interpret(res.status, await readJSON(res), "submit");
}

/** whoami answers the session, "none" (401) or "aal2" (a second factor is due). */
export async function whoami(): Promise<{ state: "ok"; session: Session } | { state: "none" } | { state: "aal2" }> {
  const res = await fetch(`${KRATOS}/sessions/whoami`, { headers: json, credentials: "same-origin" });
  if (res.ok) return { state: "ok", session: (await res.json()) as Session };
  const body = (await readJSON(res)) as KratosError;
  if (res.status === 403 && body.error?.id === "session_aal2_required") return { state: "aal2" };
  return { state: "none" };
}

/** logout ends the browser session. */
export async function logout(): Promise<void> {
  const res = await fetch(`${KRATOS}/self-service/logout/browser`, { headers: json, credentials: "same-origin" });
  if (!res.ok) return; // no session: nothing to end
  const { logout_url } = (await res.json()) as { logout_url: string };
  await fetch(logout_url, { headers: json, credentials: "same-origin" });
}

/** getError reads a flow error (the /auth/error?id= page). */
export async function getError(id: string): Promise<KratosError> {
  const res = await fetch(`${KRATOS}/self-service/errors?id=${encodeURIComponent(id)}`, { headers: json, credentials: "same-origin" });
  return (await readJSON(res)) as KratosError;
}

/**
 * appPath turns a URL Kratos sends the browser to (rewritten to this host by
 * the proxy) into an in-app path, or "" if it is elsewhere.
 */
export function appPath(to: string): string {
  try {
    const u = new URL(to, location.origin);
    if (u.origin !== location.origin) return "";
    return u.pathname + u.search;
  } catch {
    return "";
  }
}
