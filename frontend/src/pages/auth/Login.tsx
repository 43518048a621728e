// Sign-in: password, then, when the account has one, the second factor
// (authenticator app code, or a recovery code).
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Trans, useLingui } from "@lingui/react/macro";
import { useQueryClient } from "@tanstack/react-query";
import { AuthLayout } from "../../app/AuthLayout";
import { KratosForm, Messages } from "../../kratos/KratosForm";
import { createFlow, whoami, appPath } from "../../kratos/client";
import { useFlow, useGo } from "../../kratos/useFlow";
import { FlowFailure } from "./FlowFailure";

export interface LoginSearch {
  flow?: string;
  aal?: string;
  refresh?: string;
  return_to?: string;
  signed_out?: string;
}

/** safeReturn keeps return_to only when it is a path of this site. */
export function safeReturn(to: string | undefined): string {
  if (!to) return "/";
  const p = appPath(to);
  return p && !p.startsWith("/auth/") && !p.startsWith("/.ory/") ? p : "/";
}

export default function Login() {
  const search = useSearch({ strict: false }) as LoginSearch;
  const navigate = useNavigate();
  const go = useGo();
  const qc = useQueryClient();
  const { t } = useLingui();
  // The second factor's flow, on this page, keeping where to go afterwards (return_to is ours, not Kratos').
  const toSecondFactor = async (): Promise<boolean> => {
    const next = await createFlow("login", { aal: "aal2" });
    if (next.kind !== "flow") return false;
    await navigate({ to: "/auth/login", search: { flow: next.flow.id, return_to: search.return_to }, replace: true });
    return true;
  };
  const { flow, failure, submit } = useFlow({
    kind: "login",
    flowId: search.flow,
    create: { aal: search.aal, refresh: search.refresh },
    search: search as Record<string, unknown>,
    // A right password of an account with a second factor: Kratos asks for the aal2 login flow.
    onRedirect: async (to) => {
      const u = new URL(to, location.origin);
      return u.pathname.endsWith("/self-service/login/browser") && u.searchParams.get("aal") === "aal2" && (await toSecondFactor());
    },
    onSession: async (_r, current) => {
      const w = await whoami();
      if (w.state === "aal2" && (await toSecondFactor())) return;
      qc.removeQueries({ queryKey: ["me"] });
      if (current?.return_to && appPath(current.return_to).startsWith("/auth/settings")) {
        go(current.return_to);
        return;
      }
      await navigate({ to: safeReturn(search.return_to), replace: true });
    },
    onError: (e) => {
      // Already signed in (e.g. a second tab): go on to the app.
      if (e.error?.id === "session_already_available") {
        void navigate({ to: safeReturn(search.return_to), replace: true });
        return true;
      }
    },
  });

  const secondFactor = flow?.requested_aal === "aal2";
  const groups = flow ? flow.ui.nodes.map((n) => n.group) : [];
  return (
    <AuthLayout title={secondFactor ? <Trans>Second factor</Trans> : <Trans>Sign in</Trans>}>
      {search.signed_out && !flow?.ui.messages?.length && (
        <p role="status" className="notice notice-info">
          <Trans>You are signed out.</Trans>
        </p>
      )}
      {failure && <FlowFailure failure={failure} />}
      {!flow && !failure && (
        <p role="status">
          <Trans>Loading…</Trans>
        </p>
      )}
      {flow && (
        <>
          <Messages messages={flow.ui.messages} />
          {secondFactor ? (
            <>
              <p>
                <Trans>Your account is protected by a second factor. Enter the 6-digit code your authenticator app shows now.</Trans>
              </p>
              {groups.includes("totp") && <KratosForm flow={flow} group="totp" onSubmit={submit} autoFocus />}
              {groups.includes("lookup_secret") && (
                <details className="alt-method">
                  <summary>
                    <Trans>Use a recovery code instead</Trans>
                  </summary>
                  <KratosForm flow={flow} group="lookup_secret" onSubmit={submit} />
                </details>
              )}
            </>
          ) : (
            <>
              <KratosForm flow={flow} group="password" onSubmit={submit} labels={{ identifier: t`Email address` }} autoFocus />
              <p>
                <Link to="/auth/recovery">
                  <Trans>Forgot your password?</Trans>
                </Link>
              </p>
            </>
          )}
        </>
      )}
    </AuthLayout>
  );
}
