// The words for a session that ended by a limit: the lifespan Kratos is
// configured with (12 hours in production) or the server's idle limit, not constants.
import { Plural, Trans } from "@lingui/react/macro";
import { plural } from "@lingui/core/macro";
import { IDLE_LIMIT_MS, lifespanParts, rememberedLimits } from "./sessionEnd";

/** The production lifespan, said when Kratos did not tell (infra/kratos/config/kratos.yml session.lifespan). */
const DEFAULT_LIFESPAN_MS = 12 * 3_600_000;

/** durationPhrase words a limit ("12 hours", "30 minutes", "90 seconds") with the language's plural forms. */
export function durationPhrase(ms: number): string {
  const { unit, n } = lifespanParts(ms);
  if (unit === "hour") return plural(n, { one: "# hour", other: "# hours" });
  if (unit === "minute") return plural(n, { one: "# minute", other: "# minutes" });
  return plural(n, { one: "# second", other: "# seconds" });
}

/**
 * SessionLimits says both limits of a session, as last seen on this browser
 * while signed in (sessionEnd.ts rememberLimits), else the defaults: for the
 * pages shown without a session (the offline unlock page).
 */
export function SessionLimits() {
  const seen = rememberedLimits();
  const most = durationPhrase(seen.lifespan ?? DEFAULT_LIFESPAN_MS);
  const idle = durationPhrase(seen.idleLimit ?? IDLE_LIMIT_MS);
  return (
    <Trans>
      A session lasts at most {most}, and ends after {idle} without activity.
    </Trans>
  );
}

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
