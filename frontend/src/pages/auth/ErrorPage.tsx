import { useEffect, useState } from "react";
import { Link, useSearch } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { AuthLayout } from "../../app/AuthLayout";
import { getError } from "../../kratos/client";
import type { KratosError } from "../../kratos/types";

/** The page Kratos sends browsers to when a flow fails (/auth/error?id=). */
export default function ErrorPage() {
  const search = useSearch({ strict: false }) as { id?: string };
  const [err, setErr] = useState<KratosError>();
  useEffect(() => {
    if (search.id) void getError(search.id).then(setErr);
  }, [search.id]);
  return (
    <AuthLayout title={<Trans>Something went wrong</Trans>}>
      <div role="alert" className="notice notice-error">
        <p>
          <Trans>The sign-in service could not complete this step. Start again; if it happens again, tell your administrator.</Trans>
        </p>
        {err?.error?.message && (
          <p className="muted" dir="ltr">
            {err.error.message}
          </p>
        )}
      </div>
      <p>
        <Link to="/auth/login">
          <Trans>Go to the sign-in page</Trans>
        </Link>
      </p>
    </AuthLayout>
  );
}
