// One transition as a card, the same on the case's Transitions tab and in the
// "Transfers and referrals" queue: type and status, from and to (user and
// agency), when it was sent, the service, access role, notes, a consent
// override and the answer; then the answers the viewer may give, reject
// asking for a reason. Focus goes to the reason when rejecting and back to
// the Reject button when the reason is cancelled.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { localName, useFormatDate } from "../admin/common";
import { pending, type Answer, type Transition, type TransitionType } from "./workflow";

/** useTransitionLabels: the words for transition types, statuses, actions and answers. */
export function useTransitionLabels() {
  const { t } = useLingui();
  const type: Record<Transition["type"], string> = {
    assign: t`Assignment`,
    referral: t`Referral`,
    transfer: t`Transfer`,
    transfer_request: t`Transfer request`,
    close: t`Case closed`,
    reopen: t`Case reopened`,
  };
  const status: Record<Transition["status"], string> = {
    in_progress: t`Pending`,
    accepted: t`Accepted`,
    rejected: t`Rejected`,
    done: t`Done`,
    revoked: t`Revoked`,
  };
  const action: Record<TransitionType, string> = {
    assign: t`Assign`,
    referral: t`Refer`,
    transfer: t`Transfer`,
    transfer_request: t`Request a transfer`,
  };
  const answer: Record<Answer, string> = { accepted: t`Accept`, rejected: t`Reject`, done: t`Mark as done`, revoked: t`Revoke` };
  const answered: Record<Answer, string> = {
    accepted: t`Accepted.`,
    rejected: t`Rejected.`,
    done: t`Marked as done.`,
    revoked: t`Revoked.`,
  };
  return { type, status, action, answer, answered };
}

/**
 * Detail is one row of a transition's details: its label and its value. A
 * value with a direction of its own (dir) is isolated inside the row, which
 * keeps the page's: it starts where its label does (an email under an Arabic
 * label sits on the right, reading left to right).
 */
function Detail({ name, label, dir, children }: { name: string; label: ReactNode; dir?: "ltr" | "auto"; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-detail={name}>{dir ? <bdi dir={dir}>{children}</bdi> : children}</dd>
    </div>
  );
}

/** The fields a card shows: a case's transition and a queued one both have them. */
export type TransitionFacts = Omit<Transition, "updated_at">;

/**
 * TransitionCard renders one transition. head adds to its first line (the
 * queue's link to the case); serviceName names a service (else its id); error
 * is the API's refusal of the latest answer;
 * onAnswer sends an answer (with the reason of a rejection) and resolves
 * true when the API took it (the reason form then closes).
 */
export function TransitionCard({
  tr,
  answers,
  busy,
  head,
  serviceName = (id) => id,
  error,
  onAnswer,
  ...rest
}: {
  tr: TransitionFacts;
  answers: Answer[];
  busy: boolean;
  head?: ReactNode;
  serviceName?: (id: string) => string;
  /** The API's refusal of the latest answer, announced in the card. */
  error?: string;
  onAnswer: (answer: Answer, reason?: string) => Promise<boolean>;
} & Record<`data-${string}`, string | undefined>) {
  const { t, i18n } = useLingui();
  const ids = useId();
  // The access role by its name in the app's language (the server sends the
  // names: the viewer may not read roles); its id when the role is gone.
  const roleName = localName(tr.authorized_role_name, i18n.locale);
  const labels = useTransitionLabels();
  const date = useFormatDate();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  // Where focus goes after the reason form opens or closes (never lost to the page).
  const focusNext = useRef<"reason" | "reject">(undefined);
  useEffect(() => {
    if (focusNext.current === "reason") reasonRef.current?.focus();
    if (focusNext.current === "reject") rejectRef.current?.focus();
    focusNext.current = undefined;
  }, [rejecting]);
  const open = pending(tr);
  const closeReason = () => {
    focusNext.current = "reject";
    setRejecting(false);
    setReason("");
    setReasonError(undefined);
  };
  return (
    <li className={`card transition${open ? " transition-pending" : ""}`} data-transition={tr.type} data-status={tr.status} {...rest}>
      <p className="transition-head">
        <strong>{labels.type[tr.type] ?? tr.type}</strong>{" "}
        <span className={`badge badge-${open ? "pending" : tr.status === "rejected" || tr.status === "revoked" ? "off" : "on"}`}>{labels.status[tr.status]}</span>
        {head}
      </p>
      <dl className="changes">
        <Detail name="from" label={<Trans>From</Trans>}>
          <bdi dir="ltr">{tr.transitioned_by}</bdi>
          {tr.transitioned_from_agency && <> ({tr.transitioned_from_agency})</>}
        </Detail>
        <Detail name="to" label={<Trans>To</Trans>}>
          {tr.transitioned_to ? <bdi dir="ltr">{tr.transitioned_to}</bdi> : <Trans>the agency's managers</Trans>}
          {tr.transitioned_to_agency && <> ({tr.transitioned_to_agency})</>}
        </Detail>
        <Detail name="sent" label={<Trans>Sent</Trans>}>{date(tr.created_at)}</Detail>
        {tr.service && (
          <Detail name="service" label={<Trans>Service</Trans>} dir="auto">
            {serviceName(tr.service)}
          </Detail>
        )}
        {tr.type === "referral" && tr.authorized_role_unique_id && (
          <Detail name="role" label={<Trans>Access role</Trans>} dir={roleName ? "auto" : "ltr"}>
            {roleName || tr.authorized_role_unique_id}
          </Detail>
        )}
        {tr.notes && (
          <Detail name="notes" label={<Trans>Notes</Trans>} dir="auto">
            {tr.notes}
          </Detail>
        )}
        {tr.consent_overridden && (
          <Detail name="consent" label={<Trans>Consent overridden</Trans>} dir="auto">
            {tr.consent_override_reason}
          </Detail>
        )}
        {tr.responded_at && (
          <Detail name="answered" label={<Trans>Answered</Trans>}>
            {date(tr.responded_at)} · <bdi dir="ltr">{tr.responded_by}</bdi>
            {tr.rejected_reason ? (
              <>
                {" · "}
                <bdi dir="auto">{tr.rejected_reason}</bdi>
              </>
            ) : null}
          </Detail>
        )}
      </dl>
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      {answers.length > 0 && !rejecting && (
        <div className="actions">
          {answers.map((a) => (
            <button
              key={a}
              ref={a === "rejected" ? rejectRef : undefined}
              type="button"
              className={`button button-small${a === "rejected" || a === "revoked" ? " button-secondary" : ""}`}
              data-answer={a}
              disabled={busy}
              onClick={() => {
                if (a === "rejected") {
                  focusNext.current = "reason";
                  setRejecting(true);
                } else void onAnswer(a);
              }}
            >
              {labels.answer[a]}
            </button>
          ))}
        </div>
      )}
      {rejecting && (
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) {
              setReasonError(t`Say why you reject it.`);
              reasonRef.current?.focus();
              return;
            }
            void onAnswer("rejected", reason.trim()).then((ok) => {
              if (!ok) return;
              setRejecting(false);
              setReason("");
            });
          }}
        >
          <div className="field">
            <label htmlFor={`${ids}-why`}>
              <Trans>Reason for rejecting</Trans>
            </label>
            <textarea
              id={`${ids}-why`}
              ref={reasonRef}
              dir="auto"
              maxLength={2000}
              value={reason}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${ids}-why-error` : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
            {reasonError && (
              <p id={`${ids}-why-error`} className="field-error" role="alert">
                {reasonError}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="button button-small button-danger" data-answer="confirm-reject" disabled={busy}>
              <Trans>Reject</Trans>
            </button>
            <button type="button" className="button button-small button-secondary" onClick={closeReason}>
              <Trans>Cancel</Trans>
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
