// The layout of every signed-in page: checks the session, then shows the shell.
import { useEffect } from "react";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { useLingui } from "@lingui/react";
import { activate, isSupported, storedLocale } from "../i18n";
import { AuthLayout } from "./AuthLayout";
import { SessionProvider, useSession } from "./session";
import { Shell, useSignOut } from "./Shell";

function Gate() {
  const { session } = useSession();
  const { i18n } = useLingui();
  const navigate = useNavigate();
  const href = useRouterState({ select: (s) => s.location.href });
  const signOut = useSignOut();

  useEffect(() => {
    if (session.state === "signed-out") {
      void navigate({ to: "/auth/login", search: { return_to: href }, replace: true });
    }
  }, [session.state, href, navigate]);

  // The account's language applies unless this browser chose another.
  const accountLocale = session.state === "ok" ? session.me.locale : undefined;
  useEffect(() => {
    if (accountLocale && !storedLocale() && isSupported(accountLocale) && accountLocale !== i18n.locale) void activate(accountLocale);
  }, [accountLocale, i18n.locale]);

  switch (session.state) {
    case "loading":
    case "signed-out":
      return (
        <p className="loading" role="status">
          <Trans>Loading…</Trans>
        </p>
      );
    case "ended":
      return (
        <AuthLayout title={<Trans>Your session has ended</Trans>}>
          <p data-testid="session-ended">
            {session.reason === "expired" ? (
              <Trans>For your security, a session lasts at most 12 hours. Sign in again to continue.</Trans>
            ) : (
              <Trans>For your security, you were signed out after 30 minutes without activity, or your session was ended. Sign in again to continue.</Trans>
            )}
          </p>
          <p>
            <a className="button" href={`/auth/login?return_to=${encodeURIComponent(href)}`}>
              <Trans>Sign in again</Trans>
            </a>
          </p>
        </AuthLayout>
      );
    case "refused":
      return (
        <AuthLayout title={<Trans>You cannot use this country instance yet</Trans>}>
          <p data-testid="access-refused">
            <Trans>
              Either your account is not a member of this country instance, or your role requires a second factor. If your role requires
              one, set up an authenticator app in your account settings, then sign in again.
            </Trans>
          </p>
          <p className="muted" dir="auto">
            {session.detail}
          </p>
          <div className="actions">
            <Link className="button" to="/auth/settings">
              <Trans>Set up an authenticator app</Trans>
            </Link>
            <button type="button" className="button button-secondary" onClick={() => void signOut()}>
              <Trans>Sign out</Trans>
            </button>
          </div>
        </AuthLayout>
      );
    case "ok":
      return (
        <Shell>
          <Outlet />
        </Shell>
      );
  }
}

export function AppLayout() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}
