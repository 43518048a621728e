// Disable and enable a record (the API's /disable and /enable). A disabled record leaves the
// default lists and cannot be changed until it is enabled again; nothing is deleted. Disabling
// is also the first of erasure's two steps (records/Erase.tsx offers the second). The change is
// sent with the version shown (If-Match), so a record someone else changed meanwhile is refused
// (412) rather than disabled unseen.
import { useEffect, useId, useRef, useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../api/client";
import { ApiError, errorMessage } from "../api/problem";

type Resource = "cases" | "tracing_requests" | "incidents";

interface Viewer {
  permissions?: string[] | null;
}

/**
 * Who is offered the action: a holder of <resource>:disable (which also enables), on a record
 * held on the server (not one registered on this device only), while online and not editing.
 */
export function mayChangeState(me: Viewer | undefined, resource: Resource, rec: Record<string, unknown>, offline = false): boolean {
  return !!me?.permissions?.includes(`${resource}:disable`) && rec._local !== true && !offline;
}

interface Props<R> {
  resource: Resource;
  id: string;
  /** the record as shown: record_state false when disabled */
  enabled: boolean;
  /** the shown version's ETag, sent as If-Match */
  etag: string;
  /** whether the person may disable and enable (mayChangeState) */
  mayChange: boolean;
  /** called with the record and its ETag once the server changed it */
  onChanged: (record: R, etag: string, enabled: boolean) => void;
}

export function RecordState<R extends { version: number }>({ resource, id, enabled, etag, mayChange, onChanged }: Props<R>) {
  const { t } = useLingui();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const ids = useId();
  useEffect(() => {
    if (confirming) title.current?.focus();
  }, [confirming]);

  const send = async (action: "disable" | "enable") => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.POST(`/api/v2/${resource}/{id}/${action}` as "/api/v2/cases/{id}/disable", {
        params: { path: { id }, header: { "If-Match": etag } },
      });
      const rec = (data(res) as { data: R }).data;
      setConfirming(false);
      onChanged(rec, res.response.headers.get("ETag") ?? `"${rec.version}"`, action === "enable");
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 412
          ? t`Someone changed this record meanwhile. Reload the page to see their changes, then try again.`
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const failure = error && (
    <p role="alert" className="notice notice-error" data-testid="record-state-error">
      {error}
    </p>
  );

  if (!enabled) {
    return (
      <div className="stack" data-testid="record-disabled">
        <p className="notice notice-warning" role="status">
          <Trans>This record is disabled: it is left out of the lists and nobody can change it until it is enabled again.</Trans>
        </p>
        {mayChange && (
          <div className="actions">
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => void send("enable")} data-action="enable">
              <Trans>Enable the record</Trans>
            </button>
          </div>
        )}
        {failure}
      </div>
    );
  }
  if (!mayChange) return null;
  if (!confirming) {
    return (
      <button type="button" ref={opener} className="button button-secondary" data-action="disable" onClick={() => setConfirming(true)}>
        <Trans>Disable the record</Trans>
      </button>
    );
  }
  return (
    <section role="dialog" aria-modal="false" aria-labelledby={`${ids}-title`} className="card stack" data-testid="disable-dialog">
      <h2 id={`${ids}-title`} ref={title} tabIndex={-1}>
        <Trans>Disable this record?</Trans>
      </h2>
      <p>
        <Trans>It leaves the lists and nobody can change it until it is enabled again. Nothing is deleted: it can be enabled at any time.</Trans>
      </p>
      {failure}
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setConfirming(false);
            setError(undefined);
            requestAnimationFrame(() => opener.current?.focus());
          }}
        >
          <Trans>Cancel</Trans>
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void send("disable")} data-action="confirm-disable">
          <Trans>Disable the record</Trans>
        </button>
      </div>
    </section>
  );
}
