// "Delete permanently": the erasure of a disabled record, confirmed in a dialog that asks why
// (a reason from a list, and optionally the reference of the request). No free text: the
// reason stays in the audit log, which is never erased.
import { useEffect, useId, useRef, useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { api } from "../api/client";
import { ApiError, errorMessage, type Problem } from "../api/problem";
import { eraseBody, eraseReasons, type EraseReason } from "./erase";

interface Props {
  resource: "cases" | "tracing_requests" | "incidents";
  id: string;
  /** called once the record is erased */
  onErased: () => void;
}

/** useEraseReasons words the erasure reasons in the app's language (the dialog, the audit log). */
export function useEraseReasons(): Record<EraseReason, string> {
  const { t } = useLingui();
  return {
    registered_by_mistake: t`Registered by mistake`,
    erasure_request: t`A request to erase the person's data`,
    duplicate: t`A duplicate of another record`,
    other: t`Another reason`,
  };
}

export function EraseRecord({ resource, id, onErased }: Props) {
  const { t } = useLingui();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [reference, setReference] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const ids = useId();
  const labels = useEraseReasons();
  useEffect(() => {
    if (open) title.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    setError(undefined);
    requestAnimationFrame(() => opener.current?.focus());
  };
  const body = eraseBody(reason, reference);
  const referenceBad = reference.trim() !== "" && eraseBody("other", reference) === undefined;

  const erase = async () => {
    if (!body) return;
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.DELETE(`/api/v2/${resource}/{id}` as "/api/v2/cases/{id}", { params: { path: { id } }, body });
      if (!res.response.ok) throw new ApiError(res.response.status, (res.error ?? {}) as Problem, res.response.headers.get("Content-Language") ?? undefined);
      onErased();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button type="button" ref={opener} className="button button-danger" data-action="erase" onClick={() => setOpen(true)}>
        <Trans>Delete permanently</Trans>
      </button>
    );
  }
  return (
    <section role="dialog" aria-modal="false" aria-labelledby={`${ids}-title`} className="card stack" data-testid="erase-dialog">
      <h2 id={`${ids}-title`} ref={title} tabIndex={-1}>
        <Trans>Delete this record permanently?</Trans>
      </h2>
      <p className="notice notice-warning">
        <Trans>
          The record, its change log, its files, its traces and potential matches, its referrals and transfers, its flags and alerts are deleted for good. This cannot be undone. The audit
          log keeps who deleted which record, when, and the reason.
        </Trans>
      </p>
      <div className="field">
        <label htmlFor={`${ids}-reason`}>
          <Trans>Reason</Trans>
        </label>
        <select id={`${ids}-reason`} value={reason} required onChange={(e) => setReason(e.target.value)} data-testid="erase-reason">
          <option value="">{t`Choose a reason`}</option>
          {eraseReasons.map((r) => (
            <option key={r} value={r}>
              {labels[r]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-reference`}>
          <Trans>Reference of the request (optional)</Trans>
        </label>
        <input
          id={`${ids}-reference`}
          dir="ltr"
          value={reference}
          maxLength={64}
          aria-invalid={referenceBad || undefined}
          aria-describedby={`${ids}-reference-help`}
          onChange={(e) => setReference(e.target.value)}
          data-testid="erase-reference"
        />
        <p id={`${ids}-reference-help`} className={referenceBad ? "field-error" : "muted"}>
          <Trans>A ticket or request number, e.g. DPO-2026-041: letters, digits and . _ / - only, never a name.</Trans>
        </p>
      </div>
      {error && (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={close}>
          <Trans>Cancel</Trans>
        </button>
        <button type="button" className="button button-danger" disabled={!body || busy} onClick={() => void erase()} data-action="confirm-erase">
          <Trans>Delete permanently</Trans>
        </button>
      </div>
    </section>
  );
}
