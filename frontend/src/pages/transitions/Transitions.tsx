// /transitions: the "Transfers and referrals" queue (GET /api/v2/transitions):
// what is addressed to me (or, for a manager, to the people I manage) and what
// I (or they) sent; filters by direction, type and status kept in the URL;
// each item links to its case and offers the answers the API says I may give
// (accept, reject with a reason, mark a referral done, revoke what I sent).
// Rules in transitions.ts; the API decides and its refusals are shown as it
// words them.
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/problem";
import { Status } from "../../components/Field";
import { Allowed, LoadError, Loading, PageHeader, Pager } from "../admin/common";
import { TransitionCard, useTransitionLabels } from "../cases/TransitionCard";
import { answersOf, queueQuery, QUEUE_STATUSES, QUEUE_TYPES, segment, type QueueAnswer, type QueuedTransition, type QueueSearch, type QueueType } from "./transitions";
import "../../styles/records.css";

const PER = 20;

/** TransitionQueue: /transitions. */
export default function TransitionQueue() {
  const { t } = useLingui();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as QueueSearch;
  const q = queueQuery(search, PER);
  const labels = useTransitionLabels();
  const qc = useQueryClient();
  const [status, setStatus] = useState<string>();
  const go = (next: QueueSearch) =>
    navigate({ to: "/transitions", search: Object.fromEntries(Object.entries({ ...search, ...next }).filter(([, v]) => v !== undefined && v !== "")) as never });
  const query = useQuery({
    queryKey: ["transition-queue", q],
    staleTime: 0,
    queryFn: async () => data(await api.GET("/api/v2/transitions", { params: { query: q } })),
  });
  const rows = query.data?.data ?? [];
  const total = query.data?.metadata.total ?? 0;
  const statusNames: Record<string, string> = { pending: labels.status.in_progress, accepted: labels.status.accepted, rejected: labels.status.rejected, done: labels.status.done, revoked: labels.status.revoked };
  return (
    <Allowed permission="transitions:read">
      <div className="page">
        <PageHeader title={t`Transfers and referrals`} />
        <div className="tabs" role="group" aria-label={t`Direction`}>
          <button type="button" className={`button button-small${q.direction === "in" ? "" : " button-secondary"}`} aria-pressed={q.direction === "in"} data-direction="in" onClick={() => void go({ direction: undefined, page: undefined })}>
            <Trans>Sent to me</Trans>
          </button>
          <button type="button" className={`button button-small${q.direction === "out" ? "" : " button-secondary"}`} aria-pressed={q.direction === "out"} data-direction="out" onClick={() => void go({ direction: "out", page: undefined })}>
            <Trans>Sent by me</Trans>
          </button>
        </div>
        <p className="muted">
          {q.direction === "in" ? (
            <Trans>Addressed to you, or to the people you manage, newest first.</Trans>
          ) : (
            <Trans>Sent by you, or by the people you manage, newest first.</Trans>
          )}
        </p>
        <Status message={status} />
        <form className="filters" aria-label={t`Filter the transfers and referrals`} onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="queue-type">
              <Trans>Type</Trans>
            </label>
            <select id="queue-type" value={q.type ?? ""} onChange={(e) => void go({ type: e.target.value || undefined, page: undefined })}>
              <option value="">{t`All types`}</option>
              {QUEUE_TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {labels.type[ty]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="queue-status">
              <Trans>Status</Trans>
            </label>
            <select id="queue-status" value={q.status} onChange={(e) => void go({ status: e.target.value === "pending" ? undefined : e.target.value, page: undefined })}>
              {QUEUE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusNames[s]}
                </option>
              ))}
            </select>
          </div>
        </form>
        {query.isLoading && <Loading />}
        {query.error && <LoadError error={query.error} />}
        {query.data && (
          <>
            <p className="muted" data-testid="queue-total">
              <Plural value={total} one="# transfer or referral" other="# transfers and referrals" />
            </p>
            {!rows.length && (
              <p className="muted" data-testid="queue-empty">
                <Trans>Nothing with these filters.</Trans>
              </p>
            )}
            <ol className="transition-list">
              {rows.map((tr) => (
                <QueueItem
                  key={tr.id}
                  tr={tr}
                  onAnswered={(m) => {
                    setStatus(m);
                    void qc.invalidateQueries({ queryKey: ["transition-queue"] });
                    void qc.invalidateQueries({ queryKey: ["dashboards"] });
                    void qc.invalidateQueries({ queryKey: ["transitions", tr.record_id] });
                  }}
                />
              ))}
            </ol>
            <Pager page={q.page} per={PER} total={total} onPage={(p) => void go({ page: p > 1 ? String(p) : undefined })} />
          </>
        )}
      </div>
    </Allowed>
  );
}

function QueueItem({ tr, onAnswered }: { tr: QueuedTransition; onAnswered: (message: string) => void }) {
  const labels = useTransitionLabels();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const shortId = tr.short_id;
  const send = async (status: QueueAnswer, notes?: string) => {
    setError(undefined);
    setBusy(true);
    try {
      const seg = segment[tr.type as QueueType] as "referrals";
      data(
        await api.PATCH(`/api/v2/cases/{id}/${seg}/{transition_id}`, {
          params: { path: { id: tr.record_id, transition_id: tr.id } },
          body: { data: notes ? { status, rejected_reason: notes } : { status } },
        }),
      );
      onAnswered(`${labels.type[tr.type]} (${shortId}): ${labels.answered[status]}`);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return (
    <TransitionCard
      tr={tr}
      answers={answersOf(tr)}
      busy={busy}
      error={error}
      data-case={tr.short_id}
      onAnswer={send}
      head={
        <>
          {" · "}
          <Link to="/cases/$id" params={{ id: tr.record_id }}>
            <Trans>
              Case <bdi dir="ltr">{shortId}</bdi>
            </Trans>
          </Link>
          {tr.name && (
            <>
              {" "}
              · <bdi dir="auto">{tr.name}</bdi>
            </>
          )}
        </>
      }
    />
  );
}
