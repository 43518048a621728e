// /flags: the flags of every record the person may read (GET /api/v2/flags:
// cases, tracing requests, incidents), newest first; filters by record type
// and state (active by default) kept in the URL; each flag links to its
// record, and is resolved here (with a reason) where the role flags that
// record type. Rules in flags.ts; the API decides and its refusals are shown
// as it words them.
import { useId, useRef, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useSession } from "../../app/session";
import { Status } from "../../components/Field";
import { Allowed, LoadError, Loading, PageHeader, Pager } from "../admin/common";
import { checkText } from "../cases/casework";
import { FlagDetails } from "../cases/FlagDetails";
import { flagQuery, flagState, mayResolve, readableTypes, recordPath, resourceOf, type Flag, type FlagRecordType, type FlagSearch } from "./flags";
import "../../styles/records.css";

const PER = 20;

function useTypeNames(): Record<FlagRecordType, string> {
  const { t } = useLingui();
  return { case: t`Case`, tracing_request: t`Tracing request`, incident: t`Incident` };
}

/** FlagList: /flags. */
export default function FlagList() {
  const { t } = useLingui();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as FlagSearch;
  const q = flagQuery(search, PER);
  const state = flagState(search.state);
  const types = readableTypes(me?.permissions);
  const names = useTypeNames();
  const qc = useQueryClient();
  const [status, setStatus] = useState<string>();
  const go = (next: FlagSearch) =>
    navigate({ to: "/flags", search: Object.fromEntries(Object.entries({ ...search, ...next }).filter(([, v]) => v !== undefined && v !== "")) as never });
  const query = useQuery({
    queryKey: ["flags", "all", q],
    staleTime: 0,
    queryFn: async () => data(await api.GET("/api/v2/flags", { params: { query: q } })),
  });
  const rows = query.data?.data ?? [];
  const total = query.data?.metadata.total ?? 0;
  return (
    <Allowed permission="cases:read">
      <div className="page">
        <PageHeader title={t`Flags`} />
        <p className="muted">
          <Trans>Flags on the cases, tracing requests and incidents you may read, newest first.</Trans>
        </p>
        <Status message={status} />
        <form className="filters" aria-label={t`Filter the flags`} onSubmit={(e) => e.preventDefault()}>
          {types.length > 1 && (
            <div className="field">
              <label htmlFor="flag-type">
                <Trans>Record type</Trans>
              </label>
              <select id="flag-type" value={q.record_type ?? ""} onChange={(e) => void go({ type: e.target.value || undefined, page: undefined })}>
                <option value="">{t`All record types`}</option>
                {types.map((ty) => (
                  <option key={ty} value={ty}>
                    {names[ty]}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="flag-state">
              <Trans>State</Trans>
            </label>
            <select id="flag-state" value={state} onChange={(e) => void go({ state: e.target.value === "active" ? undefined : e.target.value, page: undefined })}>
              <option value="active">{t`Active`}</option>
              <option value="resolved">{t`Resolved`}</option>
              <option value="all">{t`Active and resolved`}</option>
            </select>
          </div>
        </form>
        {query.isLoading && <Loading />}
        {query.error && <LoadError error={query.error} />}
        {query.data && (
          <>
            <p className="muted" data-testid="flag-total">
              <Plural value={total} one="# flag" other="# flags" />
            </p>
            {!rows.length && (
              <p className="muted">
                <Trans>No flag with these filters.</Trans>
              </p>
            )}
            <ul className="flag-list flag-list-all">
              {rows.map((f) => (
                <FlagItem
                  key={f.id}
                  flag={f}
                  typeName={names[f.record_type]}
                  canResolve={mayResolve(me?.permissions, f)}
                  onResolved={(m) => {
                    setStatus(m);
                    void qc.invalidateQueries({ queryKey: ["flags"] });
                    void qc.invalidateQueries({ queryKey: ["dashboards"] });
                    void qc.invalidateQueries({ queryKey: ["record", f.record_type, f.record_id] });
                  }}
                />
              ))}
            </ul>
            <Pager page={q.page} per={PER} total={total} onPage={(p) => void go({ page: p > 1 ? String(p) : undefined })} />
          </>
        )}
      </div>
    </Allowed>
  );
}

function FlagItem({ flag: f, typeName, canResolve, onResolved }: { flag: Flag; typeName: string; canResolve: boolean; onResolved: (message: string) => void }) {
  const { t } = useLingui();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [why, setWhy] = useState("");
  const [whyError, setWhyError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const shortId = f.short_id;

  const resolve = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const p = checkText(why);
    setWhyError(p === "required" ? t`Give a reason: it is required.` : p === "too-long" ? t`At most 2000 characters.` : undefined);
    if (p) return ref.current?.focus();
    setBusy(true);
    try {
      data(
        await api.PATCH(`/api/v2/${resourceOf(f.record_type)}/{id}/flags/{flag_id}` as "/api/v2/cases/{id}/flags/{flag_id}", {
          params: { path: { id: f.record_id, flag_id: f.id } },
          body: { data: { unflag_message: why.trim() } },
        }),
      );
      setOpen(false);
      setWhy("");
      onResolved(t`Flag on ${shortId} resolved.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String((err as Error)?.message ?? err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`card flag${f.removed ? " flag-resolved" : ""}`} data-flag={f.removed ? "resolved" : "active"} data-record={f.short_id}>
      <p>
        <span className={`badge badge-${f.removed ? "off" : "flag"}`}>{f.removed ? t`Resolved` : t`Flagged`}</span>{" "}
        <Link to={recordPath(f)}>
          {typeName} <bdi dir="ltr">{f.short_id}</bdi>
        </Link>
      </p>
      <p dir="auto">{f.message}</p>
      <FlagDetails flag={f} />
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      {canResolve && !open && (
        <button
          type="button"
          className="button button-small button-secondary"
          data-action="resolve"
          onClick={() => {
            setOpen(true);
            requestAnimationFrame(() => ref.current?.focus());
          }}
        >
          <Trans>Resolve</Trans>
        </button>
      )}
      {open && (
        <form noValidate onSubmit={(e) => void resolve(e)}>
          <div className="field">
            <label htmlFor={`${ids}-why`}>
              <Trans>Why is it resolved?</Trans>
            </label>
            <textarea id={`${ids}-why`} ref={ref} dir="auto" value={why} aria-invalid={whyError ? true : undefined} aria-describedby={whyError ? `${ids}-why-error` : undefined} onChange={(e) => setWhy(e.target.value)} />
            {whyError && (
              <p id={`${ids}-why-error`} className="field-error" role="alert">
                {whyError}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="button button-small" disabled={busy}>
              <Trans>Resolve the flag</Trans>
            </button>
            <button type="button" className="button button-small button-secondary" onClick={() => setOpen(false)}>
              <Trans>Cancel</Trans>
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
