import { useEffect, useState } from "react";
import { Link, useSearch } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { AuthLayout } from "../../app/AuthLayout";
import { getError } from "../../kratos/client";
import type { KratosError } from "../../kratos/types";

/**
 * The page Kratos sends browsers to when a flow fails (/auth/error?id=): what
 * happened in the person's language (by Kratos' error id), Kratos' own
 * wording below for the administrator, and the way back.
 */
export default function ErrorPage() {
  const search = useSearch({ strict: false }) as { id?: string };
  const [err, setErr] = useState<KratosError>();
  useEffect(() => {
    if (search.id) void getError(search.id).then(setErr, () => setErr({ error: { code: 503 } }));
  }, [search.id]);
  const id = err?.error?.id;
  const signedIn = id === "session_already_available";
  return (
    <AuthLayout title={signedIn ? <Trans>You are already signed in</Trans> : <Trans>Something went wrong</Trans>}>
      <div role="alert" className={signedIn ? "notice notice-info" : "notice notice-error"} data-error-id={id ?? ""}>
        <p>
          {id === "security_csrf_violation" ? (
            <Trans>This page was open too long or in another window, so it could not be sent safely. Start again.</Trans>
          ) : id === "self_service_flow_return_to_forbidden" ? (
            <Trans>The link you followed would have taken you to another site after signing in, so it was stopped. Start again from the sign-in page.</Trans>
          ) : id === "self_service_flow_expired" ? (
            <Trans>This page expired. Start again.</Trans>
          ) : signedIn ? (
            <Trans>You are signed in already: continue to the app.</Trans>
          ) : err?.error?.code === 404 || !search.id ? (
            <Trans>This error is no longer known: it may be old, or the link is incomplete. Start again from the sign-in page.</Trans>
          ) : (
            <Trans>The sign-in service could not complete this step. Start again; if it happens again, tell your administrator.</Trans>
          )}
        </p>
        {err?.error?.message && (
          <p className="muted" dir="ltr" lang="en">
            {err.error.message}
          </p>
        )}
      </div>
      <p className="actions">
        {signedIn ? (
          <Link to="/" className="button">
            <Trans>Continue to the app</Trans>
          </Link>
        ) : (
          <Link to="/auth/login" className="button">
            <Trans>Go to the sign-in page</Trans>
          </Link>
        )}
      </p>
    </AuthLayout>
  );
}
