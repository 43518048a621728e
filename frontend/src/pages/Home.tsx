import { Trans } from "@lingui/react/macro";
import { Link } from "@tanstack/react-router";
import { useSession } from "../app/session";
import { can } from "../app/queries";

/** Home: a placeholder that says what is coming for caseworkers. */
export default function Home() {
  const { me } = useSession();
  const name = me?.full_name ?? "";
  return (
    <div className="page">
      <h1>
        <Trans>Welcome, {name}</Trans>
      </h1>
      <section className="card" aria-labelledby="coming">
        <h2 id="coming">
          <Trans>Coming soon for caseworkers</Trans>
        </h2>
        <p>
          <Trans>This is the first part of the case management app. Soon, this page will show:</Trans>
        </p>
        <ul>
          <li>
            <Trans>your overdue and upcoming tasks, and alerts about your cases;</Trans>
          </li>
          <li>
            <Trans>the case list, with search by name (across spellings), ID and phone number;</Trans>
          </li>
          <li>
            <Trans>registering a case, with a check for duplicates first;</Trans>
          </li>
          <li>
            <Trans>referrals, transfers, approvals, and family tracing.</Trans>
          </li>
        </ul>
      </section>
      {can(me, "users:read") && (
        <section className="card" aria-labelledby="admin-start">
          <h2 id="admin-start">
            <Trans>Administration</Trans>
          </h2>
          <p>
            <Trans>You can already manage the people who use this country instance.</Trans>
          </p>
          <p>
            <Link to="/admin/users" className="button">
              <Trans>Manage users</Trans>
            </Link>
          </p>
        </section>
      )}
    </div>
  );
}
