// The words for a session that ended by a limit: the lifespan Kratos is
// configured with (12 hours in production) or the server's idle limit, not constants.
import { Plural, Trans } from "@lingui/react/macro";
import { IDLE_LIMIT_MS, lifespanParts } from "./sessionEnd";

/** The production lifespan, said when Kratos did not tell (infra/kratos/config/kratos.yml session.lifespan). */
const DEFAULT_LIFESPAN_MS = 12 * 3_600_000;

/**
 * ExpiredMessage says that a session's lifespan is over, in the unit the
 * configured lifespan is a whole number of (sessionEnd.ts lifespanParts),
 * with the language's plural forms.
 */
export function ExpiredMessage({ lifespan }: { lifespan?: number }) {
  const { unit, n } = lifespanParts(lifespan ?? DEFAULT_LIFESPAN_MS);
  if (unit === "hour")
    return (
      <Trans>
        For your security, a session lasts at most <Plural value={n} one="# hour" other="# hours" />. Sign in again to continue.
      </Trans>
    );
  if (unit === "minute")
    return (
      <Trans>
        For your security, a session lasts at most <Plural value={n} one="# minute" other="# minutes" />. Sign in again to continue.
      </Trans>
    );
  return (
    <Trans>
      For your security, a session lasts at most <Plural value={n} one="# second" other="# seconds" />. Sign in again to continue.
    </Trans>
  );
}

/**
 * IdleMessage says that a session ended after the server's idle limit
 * (idleLimit, ms: get-system-settings' session_idle_timeout_seconds, 30
 * minutes unless configured), worded as ExpiredMessage words a lifespan.
 */
export function IdleMessage({ idleLimit }: { idleLimit?: number }) {
  const { unit, n } = lifespanParts(idleLimit ?? IDLE_LIMIT_MS);
  if (unit === "hour")
    return (
      <Trans>
        For your security, you were signed out after <Plural value={n} one="# hour" other="# hours" /> without activity. Sign in again to continue where you were.
      </Trans>
    );
  if (unit === "minute")
    return (
      <Trans>
        For your security, you were signed out after <Plural value={n} one="# minute" other="# minutes" /> without activity. Sign in again to continue where you were.
      </Trans>
    );
  return (
    <Trans>
      For your security, you were signed out after <Plural value={n} one="# second" other="# seconds" /> without activity. Sign in again to continue where you were.
    </Trans>
  );
}
