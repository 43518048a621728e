// "Erase a record": the system administrator, who reads no records, erases one that a
// caseworker or case manager disabled and asked to be erased. It is found by the short id the
// person asking reads on its page (get-<type>-erasure, under <resource>:erase); the screen shows
// only which record it is and who disabled it when, never the child's data, then the erasure
// dialog (records/Erase.tsx) asks the reason. docs/records.md "erasure", docs/frontend.md.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { api } from "../../api/client";
import { ApiError, errorMessage, type Problem } from "../../api/problem";
import { useSession } from "../../app/session";
import { EraseRecord } from "../../records/Erase";
import { erasableBy, erasureRef, type ErasableResource } from "../../records/erase";
import { NotAllowed, PageHeader, useFormatDate } from "./common";

interface Found {
  id: string;
  record_type: string;
  short_id: string;
  disabled_at?: string;
  disabled_by?: string;
}

export default function EraseRecordPage() {
  const { me } = useSession();
  const resources = erasableBy(me);
  if (!resources.length) return <NotAllowed />;
  return <EraseByID resources={resources} />;
}

/** EraseByID finds a disabled record of one of resources by its id and offers its erasure. */
export function EraseByID({ resources }: { resources: ErasableResource[] }) {
  const { t } = useLingui();
  const date = useFormatDate();
  const ids = useId();
  const [resource, setResource] = useState<ErasableResource>(resources[0]);
  const [typed, setTyped] = useState("");
  const [refError, setRefError] = useState<string>();
  const [refused, setRefused] = useState<string>();
  const [found, setFound] = useState<Found & { resource: ErasableResource }>();
  const [erased, setErased] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const foundTitle = useRef<HTMLHeadingElement>(null);
  // Found: focus moves to what was found, so a screen reader reads it before the erasure button.
  useEffect(() => {
    if (found) foundTitle.current?.focus();
  }, [found]);
  const typeName: Record<ErasableResource, string> = { cases: t`Case`, tracing_requests: t`Tracing request`, incidents: t`Incident` };
  const notFound: Record<ErasableResource, string> = {
    cases: t`No case has this ID. Check the ID and the record type with the person who asked.`,
    tracing_requests: t`No tracing request has this ID. Check the ID and the record type with the person who asked.`,
    incidents: t`No incident has this ID. Check the ID and the record type with the person who asked.`,
  };
  const badRef = t`Enter the record's ID as shown on its page (7 letters and digits), or its full ID.`;

  const find = async (e: FormEvent) => {
    e.preventDefault();
    setFound(undefined);
    setRefused(undefined);
    setErased(undefined);
    const ref = erasureRef(typed);
    if (!ref) {
      setRefError(badRef);
      input.current?.focus();
      return;
    }
    setRefError(undefined);
    setBusy(true);
    try {
      const res = await api.GET(`/api/v2/${resource}/{id}/erasure` as "/api/v2/cases/{id}/erasure", { params: { path: { id: ref } } });
      if (res.data) {
        setFound({ ...res.data.data, resource });
        return;
      }
      const status = res.response.status;
      const problem = (res.error ?? {}) as Problem;
      if (status === 409 && problem.code === "record_enabled") {
        setRefused(t`This record is not disabled, so it cannot be erased. Ask the person who manages it to disable it first, then find it again.`);
      } else if (status === 404) {
        setRefused(notFound[resource]);
      } else if (status === 422) {
        setRefError(badRef);
      } else {
        throw new ApiError(status, problem, res.response.headers.get("Content-Language") ?? undefined);
      }
    } catch (err) {
      setRefused(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title={<Trans>Erase a record</Trans>} />
      <p className="muted">
        <Trans>
          A record registered by mistake, a duplicate, or one whose erasure was asked for is erased for good here, once the person who manages it has disabled it. Ask them for the ID
          shown on the record's page. You see which record it is and who disabled it, never the child's data.
        </Trans>
      </p>
      <div role="status" className={erased ? "notice notice-success" : "visually-hidden"} data-testid="erased">
        {erased}
      </div>
      <form className="card stack form" onSubmit={(e) => void find(e)} noValidate aria-labelledby={`${ids}-find`}>
        <h2 id={`${ids}-find`}>
          <Trans>Find the record</Trans>
        </h2>
        <div className="field">
          <label htmlFor={`${ids}-type`}>
            <Trans>Record type</Trans>
          </label>
          <select id={`${ids}-type`} value={resource} onChange={(e) => setResource(e.target.value as ErasableResource)} data-testid="erase-type">
            {resources.map((r) => (
              <option key={r} value={r}>
                {typeName[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-ref`}>
            <Trans>Record ID</Trans>
          </label>
          <input
            id={`${ids}-ref`}
            ref={input}
            dir="ltr"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            value={typed}
            aria-invalid={refError ? true : undefined}
            aria-describedby={`${ids}-ref-hint${refError ? ` ${ids}-ref-error` : ""}`}
            onChange={(e) => setTyped(e.target.value)}
            data-testid="erase-ref"
          />
          <p id={`${ids}-ref-hint`} className="field-hint">
            <Trans>e.g. 4k7m2qx, as shown beside the record's name</Trans>
          </p>
          {refError && (
            <p id={`${ids}-ref-error`} className="field-error">
              {refError}
            </p>
          )}
        </div>
        {refused && (
          <p role="alert" className="notice notice-error" data-testid="erase-refused">
            {refused}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={busy} data-action="find-erasable">
            <Trans>Find</Trans>
          </button>
        </div>
      </form>
      {found && (
        <section className="card stack" aria-labelledby={`${ids}-found`} data-testid="erasable">
          <h2 id={`${ids}-found`} ref={foundTitle} tabIndex={-1}>
            <Trans>Disabled record found</Trans>
          </h2>
          <dl className="facts">
            <div>
              <dt>
                <Trans>Record type</Trans>
              </dt>
              <dd>{typeName[found.resource]}</dd>
            </div>
            <div>
              <dt>
                <Trans>Record ID</Trans>
              </dt>
              <dd>
                <code dir="ltr">{found.short_id}</code>
              </dd>
            </div>
            <div>
              <dt>
                <Trans>Disabled on</Trans>
              </dt>
              <dd>{date(found.disabled_at)}</dd>
            </div>
            <div>
              <dt>
                <Trans>Disabled by</Trans>
              </dt>
              <dd>
                <span dir="ltr">{found.disabled_by || "—"}</span>
              </dd>
            </div>
          </dl>
          <div className="actions">
            <EraseRecord
              key={found.id}
              resource={found.resource}
              id={found.id}
              onErased={() => {
                const what = `${typeName[found.resource]} ${found.short_id}`;
                setFound(undefined);
                setTyped("");
                setErased(t`Erased: ${what}. The audit log keeps who erased it, when, and the reason.`);
              }}
            />
          </div>
        </section>
      )}
    </div>
  );
}
