import { Link } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import type { KratosError } from "../../kratos/types";

/** FlowFailure says a sign-in page could not be shown, and offers a way back. */
export function FlowFailure({ failure }: { failure: KratosError & { status?: number } }) {
  return (
    <div role="alert" className="notice notice-error">
      <p>
        {failure.status === 429 ? (
          <Trans>Too many attempts from your address. Wait a minute, then try again.</Trans>
        ) : failure.status && failure.status >= 500 ? (
          <Trans>The sign-in service is not reachable. Try again shortly.</Trans>
        ) : (
          <Trans>This page cannot be shown. Start again from the sign-in page.</Trans>
        )}
      </p>
      <p>
        <Link to="/auth/login">
          <Trans>Go to the sign-in page</Trans>
        </Link>
      </p>
    </div>
  );
}
