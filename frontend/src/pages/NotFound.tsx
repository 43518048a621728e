import { Link } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";

export function NotFound() {
  return (
    <div className="page">
      <h1>
        <Trans>Page not found</Trans>
      </h1>
      <p>
        <Trans>This page does not exist, or not yet: new screens are added as the system grows.</Trans>
      </p>
      <p>
        <Link to="/">
          <Trans>Go to the home page</Trans>
        </Link>
      </p>
    </div>
  );
}
