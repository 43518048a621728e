// Matching review (docs/matching.md, "Review"): the queue of potential matches
// (/matching: label and status filters, most probable first), the potential
// matches of one case or of one tracing request's traces (tabs on the record
// pages), and the side-by-side comparison of a case and a trace with the
// decision: confirm or reject, with a note. Values of fields the role may not
// read never reach the app (the API removes them).
import { useId, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import { useSession } from "../../app/session";
import { can } from "../../app/queries";
import { Status } from "../../components/Field";
import { Allowed, LoadError, Loading, PageHeader, Pager, localName, useFormatDate } from "../admin/common";
import { useModules, useRecordConfig, type Field, type RecordConfig } from "../../records/config";
import { formatValue, LocationPicker } from "../../records/Widgets";
import { comparisonNames, levelNames } from "../../matching/labels";
import { comparisonRows, percent, signedWeight, splitField, summary, type ComparisonRow, type PotentialMatch, type Strength } from "../../matching/compare";
import "../../styles/matching.css";

const PER = 20;

const strengthNames: Record<Strength, MessageDescriptor> = {
  missing: msg`Does not count`,
  strong_for: msg`Strongly for`,
  for: msg`For`,
  neutral: msg`Hardly counts`,
  against: msg`Against`,
  strong_against: msg`Strongly against`,
};

const labelNames: Record<string, MessageDescriptor> = { likely: msg`Likely`, possible: msg`Possible`, unlikely: msg`Unlikely` };
const statusNames: Record<string, MessageDescriptor> = { pending: msg`To review`, confirmed: msg`Confirmed`, rejected: msg`Rejected`, closed: msg`Closed` };

/** useFieldFormat formats a compared value with the field's label and options (case and tracing request forms). */
function useFieldFormat() {
  const { i18n, t } = useLingui();
  const caseModule = useModules("case").data?.[0]?.unique_id;
  const trModule = useModules("tracing_request").data?.[0]?.unique_id;
  const caseConfig = useRecordConfig("case", caseModule).data;
  const trConfig = useRecordConfig("tracing_request", trModule).data;
  const find = (name: string): Field | undefined => {
    const [head, rest] = splitField(name);
    for (const c of [caseConfig, trConfig, ...[caseConfig, trConfig]]) {
      if (!c) continue;
      if (rest) {
        const sub = c.fields.get(head);
        const f = c.nested.get(sub?.subform_section_unique_id ?? "")?.fields?.find((x) => x.name === rest);
        if (f) return f;
      } else if (c.fields.has(name)) return c.fields.get(name);
    }
    // A trace's own fields live in the tracing request's subform.
    for (const c of [trConfig, caseConfig] as (RecordConfig | undefined)[]) {
      for (const n of c?.nested.values() ?? []) {
        const f = n.fields?.find((x) => x.name === (rest ?? head));
        if (f) return f;
      }
    }
    return undefined;
  };
  const lookups = caseConfig?.lookups ?? trConfig?.lookups ?? new Map();
  return {
    label: (name: string) => localName(find(name)?.display_name, i18n.locale) || name,
    value: (name: string, v: unknown) => formatValue(find(name), v, lookups, i18n.locale, t`Yes`, t`No`),
  };
}

/** MatchingQueue: /matching. */
export default function MatchingQueue() {
  const { t, i18n } = useLingui();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as Record<string, string | undefined>;
  const page = Math.max(1, Number(search.page) || 1);
  const label = search.label ?? "";
  const status = search.status ?? "pending";
  const location = search.location ?? "";
  const agency = search.agency ?? "";
  const { me } = useSession();
  const go = (next: Record<string, string | undefined>) =>
    navigate({ to: "/matching", search: Object.fromEntries(Object.entries({ ...search, ...next }).filter(([, v]) => v !== undefined)) as never });
  const query = useQuery({
    queryKey: ["potential_matches", "queue", page, label, status, location, agency],
    queryFn: async () =>
      data(
        await api.GET("/api/v2/potential_matches", {
          params: { query: { page, per: PER, ...(label ? { label: label as never } : {}), ...(status !== "all" ? { status: status as never } : {}), ...(location ? { location } : {}), ...(agency ? { agency } : {}) } },
        }),
      ),
  });
  const rows = query.data?.data ?? [];
  const total = query.data?.metadata.total ?? 0;
  return (
    <Allowed permission="potential_matches:read">
      <div className="page">
        <PageHeader title={t`Potential matches`} />
        <p className="muted">
          <Trans>Cases that may be the child a tracing request seeks, the most probable first. Compare them and confirm or reject each.</Trans>
        </p>
        <form className="filters" aria-label={t`Filter the potential matches`} onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="match-label">
              <Trans>Label</Trans>
            </label>
            <select id="match-label" value={label} onChange={(e) => go({ label: e.target.value || undefined, page: undefined })}>
              <option value="">{t`Any label`}</option>
              {Object.entries(labelNames).map(([k, m]) => (
                <option key={k} value={k}>
                  {i18n._(m)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="match-status">
              <Trans>Status</Trans>
            </label>
            <select id="match-status" value={status} onChange={(e) => go({ status: e.target.value, page: undefined })}>
              {Object.entries(statusNames).map(([k, m]) => (
                <option key={k} value={k}>
                  {i18n._(m)}
                </option>
              ))}
              <option value="all">{t`Any status`}</option>
            </select>
          </div>
          <AgencyFilter value={agency} list={can(me, "agencies:read")} onChange={(v) => go({ agency: v || undefined, page: undefined })} />
          <fieldset className="field match-location">
            <legend>
              <Trans>Case's current location (or within it)</Trans>
            </legend>
            <LocationPicker id="match-location" field={{ location_admin_level: 5 }} value={location || undefined} set={(v) => go({ location: (v as string | undefined) || undefined, page: undefined })} />
          </fieldset>
        </form>
        {query.isLoading && <Loading />}
        {query.error && <LoadError error={query.error} />}
        {query.data && (
          <>
            <p role="status" className="muted" data-testid="match-total">
              <Plural value={total} one="# potential match" other="# potential matches" />
            </p>
            <MatchList matches={rows} empty={<Trans>No potential match with these filters.</Trans>} show="both" />
            <Pager page={page} per={PER} total={total} onPage={(p) => go({ page: p > 1 ? String(p) : undefined })} />
          </>
        )}
      </div>
    </Allowed>
  );
}

/**
 * AgencyFilter: the agency owning the cases (its unique_id): a select of the
 * agencies with agencies:read, else typed (applied when the field is left or
 * Enter is pressed, not at every key).
 */
function AgencyFilter({ value, list, onChange }: { value: string; list: boolean; onChange: (v: string) => void }) {
  const { t, i18n } = useLingui();
  const agencies = useQuery({
    queryKey: ["agencies", "filter"],
    enabled: list,
    staleTime: 5 * 60_000,
    queryFn: async () => data(await api.GET("/api/v2/agencies", { params: { query: { per: 1000 } as never } })).data ?? [],
  });
  const [typed, setTyped] = useState(value);
  if (list && agencies.data) {
    return (
      <div className="field">
        <label htmlFor="match-agency">
          <Trans>Agency of the case</Trans>
        </label>
        <select id="match-agency" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t`Any agency`}</option>
          {agencies.data.map((a) => (
            <option key={a.unique_id} value={a.unique_id}>
              {localName(a.name, i18n.locale) || a.unique_id}
            </option>
          ))}
        </select>
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor="match-agency">
        <Trans>Agency of the case (its identifier)</Trans>
      </label>
      <input
        id="match-agency"
        dir="ltr"
        maxLength={100}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onBlur={() => typed.trim() !== value && onChange(typed.trim())}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            onChange(typed.trim());
          }
        }}
      />
    </div>
  );
}

/** CaseMatches: the potential matches of one case (a tab of the case page). */
export function CaseMatches({ caseId }: { caseId: string }) {
  const query = useQuery({
    queryKey: ["potential_matches", "case", caseId],
    queryFn: async () => data(await api.GET("/api/v2/cases/{id}/potential_matches", { params: { path: { id: caseId } } })),
  });
  if (query.isLoading) return <Loading />;
  if (query.error) return <LoadError error={query.error} />;
  return <MatchList matches={query.data?.data ?? []} empty={<Trans>No tracing request seems to seek this child.</Trans>} show="trace" />;
}

/** TracingRequestMatches: each trace (child sought) of a tracing request with its potential matches. */
export function TracingRequestMatches({ tracingRequestId }: { tracingRequestId: string }) {
  const { t } = useLingui();
  const traces = useQuery({
    queryKey: ["traces", tracingRequestId],
    queryFn: async () => data(await api.GET("/api/v2/tracing_requests/{id}/traces", { params: { path: { id: tracingRequestId } } })),
  });
  if (traces.isLoading) return <Loading />;
  if (traces.error) return <LoadError error={traces.error} />;
  const list = (traces.data?.data ?? []) as Record<string, unknown>[];
  if (!list.length) return <p className="muted">{t`This tracing request seeks no child yet: add one to find potential matches.`}</p>;
  return (
    <>
      {list.map((tr, i) => {
        const id = String(tr.unique_id ?? tr.id ?? "");
        const name = ["name_first", "name_middle", "name_last"].map((f) => tr[f]).filter((x) => typeof x === "string" && x).join(" ");
        return (
          <section key={id} className="trace-matches" aria-labelledby={`trace-${id}`}>
            <h2 id={`trace-${id}`}>
              <Trans>Child sought {i + 1}</Trans>
              {name && (
                <>
                  : <span dir="auto">{name}</span>
                </>
              )}
            </h2>
            <TraceMatches tracingRequestId={tracingRequestId} traceId={id} />
          </section>
        );
      })}
    </>
  );
}

function TraceMatches({ tracingRequestId, traceId }: { tracingRequestId: string; traceId: string }) {
  const query = useQuery({
    queryKey: ["potential_matches", "trace", traceId],
    queryFn: async () =>
      data(await api.GET("/api/v2/tracing_requests/{id}/traces/{trace_id}/potential_matches", { params: { path: { id: tracingRequestId, trace_id: traceId } } })),
  });
  if (query.isLoading) return <Loading />;
  if (query.error) return <LoadError error={query.error} />;
  return <MatchList matches={query.data?.data ?? []} empty={<Trans>No registered case seems to be this child yet.</Trans>} show="case" />;
}

/** MatchList: one card per potential match; "Compare" opens the side-by-side view in the card. */
function MatchList({ matches, empty, show }: { matches: PotentialMatch[]; empty: React.ReactNode; show: "case" | "trace" | "both" }) {
  const [open, setOpen] = useState<string>();
  if (!matches.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="match-list">
      {matches.map((m) => (
        <MatchCard key={m.id} match={m} show={show} open={open === m.id} onToggle={() => setOpen(open === m.id ? undefined : m.id)} />
      ))}
    </ul>
  );
}

function MatchCard({ match: m, show, open, onToggle }: { match: PotentialMatch; show: "case" | "trace" | "both"; open: boolean; onToggle: () => void }) {
  const { i18n, t } = useLingui();
  const panel = useId();
  return (
    <li className={`card match-card match-${m.label}`} data-testid="potential-match">
      <div className="match-head">
        <p className="match-probability">
          <strong className="match-percent" dir="ltr">
            {percent(m.probability, i18n.locale)}
          </strong>{" "}
          <span className={`badge badge-match-${m.label}`}>{i18n._(labelNames[m.label] ?? msg`Unlikely`)}</span>{" "}
          <span className={`badge badge-status-${m.status}`}>{i18n._(statusNames[m.status] ?? msg`Closed`)}</span>
        </p>
        <p className="match-links">
          {show !== "trace" && (
            <Link to="/cases/$id" params={{ id: m.case_id }}>
              <Trans>
                Case <code dir="ltr">{m.case_short_id}</code>
              </Trans>
            </Link>
          )}
          {show !== "case" && (
            <Link to="/tracing-requests/$id" params={{ id: m.tracing_request_id }}>
              <Trans>Tracing request</Trans>
            </Link>
          )}
        </p>
        <button type="button" className="button button-secondary" aria-expanded={open} aria-controls={panel} onClick={onToggle}>
          {open ? t`Hide the comparison` : t`Compare`}
        </button>
      </div>
      {open && (
        <div id={panel}>
          <MatchReview match={m} />
        </div>
      )}
    </li>
  );
}

/** MatchReview: the per-field comparison, side by side, and the decision. */
export function MatchReview({ match: m }: { match: PotentialMatch }) {
  const { i18n, t } = useLingui();
  const { me } = useSession();
  const fmt = useFieldFormat();
  const date = useFormatDate();
  const rows = comparisonRows(m.comparisons, fmt.value);
  const counts = summary(rows);
  return (
    <div className="match-review">
      <p className="muted">
        <Trans>
          {counts.agree} comparisons speak for this match, {counts.disagree} against; {counts.missing} could not be made.
        </Trans>
      </p>
      <table className="comparison-table">
        <caption className="visually-hidden">{t`Comparison of the case and the child sought`}</caption>
        <thead>
          <tr>
            <th scope="col">{t`Compared`}</th>
            <th scope="col">{t`Registered case`}</th>
            <th scope="col">{t`Child sought`}</th>
            <th scope="col">{t`Result`}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <ComparisonLine key={r.comparison} row={r} label={fmt.label} />
          ))}
        </tbody>
      </table>
      <p className="muted small">
        <Trans>
          Probability {percent(m.probability, i18n.locale)}, match weight {signedWeight(m.weight, i18n.locale)} bits (a brother or sister would explain{" "}
          {signedWeight(m.family_adjustment, i18n.locale)} of it). Found {date(m.matched_at)}.
        </Trans>
      </p>
      {m.status === "pending" && can(me, "potential_matches:review") ? (
        <Decision match={m} />
      ) : (
        m.status !== "pending" && (
          <p className="notice notice-info">
            {i18n._(statusNames[m.status] ?? msg`Closed`)}
            {m.reviewed_at && <> · {date(m.reviewed_at)}</>}
            {m.reviewed_by && (
              <>
                {" "}
                · <span dir="ltr">{m.reviewed_by}</span>
              </>
            )}
            {m.note && (
              <>
                {" "}
                · <span dir="auto">{m.note}</span>
              </>
            )}
          </p>
        )
      )}
    </div>
  );
}

function Values({ values, label }: { values: ComparisonRow["caseValues"]; label: (f: string) => string }) {
  if (!values.length) return <span className="muted">—</span>;
  return (
    <ul className="compared-values">
      {values.map((v) => (
        <li key={v.field}>
          <span className="compared-field">{label(v.field)}:</span> <span dir="auto">{v.text}</span>
        </li>
      ))}
    </ul>
  );
}

function ComparisonLine({ row: r, label }: { row: ComparisonRow; label: (f: string) => string }) {
  const { i18n, t } = useLingui();
  return (
    <tr className={`strength-${r.strength}`} data-comparison={r.comparison}>
      <th scope="row">{comparisonNames[r.comparison] ? i18n._(comparisonNames[r.comparison]) : r.comparison}</th>
      <td data-label={t`Registered case`}>
        <Values values={r.caseValues} label={label} />
      </td>
      <td data-label={t`Child sought`}>
        <Values values={r.traceValues} label={label} />
      </td>
      <td data-label={t`Result`}>
        <span className="level">{levelNames[r.level] ? i18n._(levelNames[r.level]) : r.level}</span>
        <br />
        <span className={`strength strength-${r.strength}`}>
          {i18n._(strengthNames[r.strength])}
          {r.strength !== "missing" && (
            <>
              {" "}
              <span dir="ltr">({t`weight ${signedWeight(r.weight, i18n.locale)}`})</span>
            </>
          )}
        </span>
      </td>
    </tr>
  );
}

function Decision({ match: m }: { match: PotentialMatch }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const noteId = useId();
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string>();
  const review = useMutation({
    mutationFn: async (action: "confirm" | "reject") =>
      data(await api.PATCH("/api/v2/potential_matches/{id}", { params: { path: { id: m.id } }, body: { data: { action, note: note.trim() || undefined } } })),
    onSuccess: (res, action) => {
      setDone(action === "confirm" ? t`Confirmed: the case is this child.` : t`Rejected: this case will not be proposed again for this child.`);
      void qc.invalidateQueries({ queryKey: ["potential_matches"] });
      return res;
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) void qc.invalidateQueries({ queryKey: ["potential_matches"] });
    },
  });
  return (
    <form className="match-decision" aria-label={t`Decision`} onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={noteId}>{t`Note (why you decide so)`}</label>
        <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} dir="auto" />
      </div>
      {review.error && (
        <p role="alert" className="notice notice-error">
          {review.error instanceof ApiError && review.error.status === 409 ? t`Someone reviewed this match meanwhile; the list is reloaded.` : t`The decision was not saved.`} <span dir="auto">{errorMessage(review.error)}</span>
        </p>
      )}
      <Status message={done} />
      <div className="actions">
        <button type="button" className="button" disabled={review.isPending || !!done} onClick={() => review.mutate("confirm")}>
          {t`Confirm the match`}
        </button>
        <button type="button" className="button button-secondary" disabled={review.isPending || !!done} onClick={() => review.mutate("reject")}>
          {t`Reject`}
        </button>
      </div>
    </form>
  );
}
