// Bulk assignment from the case list (POST /api/v2/cases/assigns): the
// selected cases (at most 100) go to one receiver, all or none; the API's
// refusals (a case the caller cannot see, a receiver out of reach) are shown.
import { useId, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import { FormErrors, Status } from "../../components/Field";
import { BULK_ASSIGN_MAX, emptyForm, validateTransition, type FormProblem } from "./workflow";

export function BulkAssign({ ids, full, onClear }: { ids: string[]; full: boolean; onClear: () => void }) {
  const { t } = useLingui();
  const uid = useId();
  const qc = useQueryClient();
  const [to, setTo] = useState("");
  const [error, setError] = useState<string>();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const problemText: Record<FormProblem, string> = {
    "receiver-required": t`Enter the receiver's email.`,
    "receiver-email": t`Enter an email address, like name@example.org.`,
    "reason-required": "",
  };
  const submit = async () => {
    setFormErrors([]);
    setStatus(undefined);
    const p = validateTransition("assign", { ...emptyForm, transitioned_to: to }).transitioned_to;
    setError(p ? problemText[p] : undefined);
    if (p) {
      document.getElementById(`${uid}-to`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = data(await api.POST("/api/v2/cases/assigns", { body: { data: { ids, transitioned_to: to.trim() } } }));
      const n = res.data?.length ?? 0;
      setStatus(t`${n} of the selected cases assigned to ${to.trim()}.`);
      onClear();
      void qc.invalidateQueries({ queryKey: ["cases"] });
    } catch (err) {
      if (err instanceof ApiError) setFormErrors([err.message, ...(err.problem.errors ?? []).map((e) => e.message ?? "").filter(Boolean)]);
      else setFormErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card bulk-assign" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>
        <Trans>Assign the selected cases</Trans>
      </h2>
      <Status message={status} />
      <FormErrors errors={formErrors} />
      <p aria-live="polite" data-testid="selected-count">
        <Plural value={ids.length} _0="No case selected: tick the cases to assign." one="# case selected." other="# cases selected." />
        {full && (
          <>
            {" "}
            <strong>
              <Trans>At most {BULK_ASSIGN_MAX} cases at a time.</Trans>
            </strong>
          </>
        )}
      </p>
      {ids.length > 0 && (
        <form
          className="filters"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor={`${uid}-to`}>
              <Trans>Receiver (email)</Trans>
            </label>
            <input id={`${uid}-to`} type="email" value={to} aria-invalid={error ? true : undefined} aria-describedby={error ? `${uid}-error` : undefined} onChange={(e) => setTo(e.target.value)} />
            {error && (
              <p id={`${uid}-error`} className="field-error">
                {error}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              <Trans>Assign</Trans>
            </button>
            <button type="button" className="button button-secondary" onClick={onClear}>
              <Trans>Clear the selection</Trans>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
