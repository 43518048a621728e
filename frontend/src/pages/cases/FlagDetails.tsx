// Who flagged a record and when, and who resolved it: one rendering for the
// case's Casework tab and the flags screen. Emails are isolated (<bdi>) so
// that Arabic text around them does not reorder them.
import { Trans } from "@lingui/react/macro";
import { useFormatDate, useFormatDay } from "../admin/common";

/** The flag fields FlagDetails shows (cases' and the flags list's flags both have them). */
export type FlagFacts = {
  flagged_by: string;
  created_at: string;
  date?: string | null;
  removed?: boolean;
  removed_by?: string | null;
  removed_at?: string | null;
  unflag_message?: string | null;
};

/** FlagDetails renders a flag's author, time, optional date and resolution. */
export function FlagDetails({ flag: f }: { flag: FlagFacts }) {
  const date = useFormatDate();
  const day = useFormatDay();
  return (
    <>
      <p className="muted">
        <Trans>
          By <bdi dir="ltr">{f.flagged_by}</bdi>, {date(f.created_at)}
        </Trans>
        {f.date && (
          <>
            {" · "}
            <Trans>Date: {day(f.date)}</Trans>
          </>
        )}
      </p>
      {f.removed && (
        <p className="muted">
          <Trans>
            Resolved by <bdi dir="ltr">{f.removed_by}</bdi>, {date(f.removed_at ?? "")}: <span dir="auto">{f.unflag_message}</span>
          </Trans>
        </p>
      )}
    </>
  );
}
