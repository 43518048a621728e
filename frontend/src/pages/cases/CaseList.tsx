// A record list (GET /api/v2/cases, /tracing_requests): a table on desktops, cards on phones;
// exact totals and pages; sort; the filters of filters.ts; empty and error
// states. The list's state lives in the URL's search, so a case opened from
// it and closed again comes back to the same page.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { useSession } from "../../app/session";
import { can } from "../../app/queries";
import { DateField } from "../../components/DateField";
import { Allowed, DataList, LoadError, Loading, PageHeader, Pager, useFormatDate } from "../admin/common";
import { toQuery } from "./filters";
import { BulkAssign } from "./BulkAssign";
import { toggleSelection } from "./workflow";
import { OfflinePanel, useOnline } from "../../offline/OfflinePanel";
import { offlineActive } from "../../offline/runtime";
import { caseKind, incidentKind, recordName, tracingRequestKind, type RecordKind } from "./kinds";

const PER = 20;

export type RecordRow = Record<string, unknown> & { id: string; short_id: string; status: string; updated_at: string };

export default function CaseList() {
  return <RecordList kind={caseKind} />;
}

export function TracingRequestList() {
  return <RecordList kind={tracingRequestKind} />;
}

export function IncidentList() {
  return <RecordList kind={incidentKind} />;
}

function RecordList({ kind }: { kind: RecordKind }) {
  const caseFilters = kind.filters;
  const { t, i18n } = useLingui();
  const { me } = useSession();
  const online = useOnline();
  const date = useFormatDate();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as Record<string, string | undefined>;
  const page = Math.max(1, Number(search.page) || 1);
  const orderBy = search.order_by || "updated_at";
  const order = search.order === "asc" ? "asc" : "desc";
  const applied: Record<string, string> = Object.fromEntries(caseFilters.map((f) => [f.param, search[f.param] ?? ""]));
  const [draft, setDraft] = useState<Record<string, string>>(applied);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [full, setFull] = useState(false);
  const bulk = kind.type === "case" && can(me, "cases:assign");
  const go = (next: Record<string, string | undefined>) =>
    navigate({ to: kind.path, search: Object.fromEntries(Object.entries({ ...search, ...next }).filter(([, v]) => v)) as never });

  const query = useQuery({
    queryKey: [kind.resource, page, orderBy, order, applied],
    queryFn: async () =>
      data(
        await api.GET(`/api/v2/${kind.resource}` as "/api/v2/cases", {
          // A phonetic search without a chosen order is ranked best first by the API.
          params: { query: { page, per: PER, ...(search.order_by || applied.search_as !== "phonetic" || !applied.query ? { order_by: orderBy, order } : {}), ...toQuery(caseFilters, applied) } as never },
        }),
      ),
  });
  const rows = (query.data?.data ?? []) as RecordRow[];
  const total = query.data?.metadata.total ?? 0;
  const statusLabel: Record<string, string> = { open: t`Open`, closed: t`Closed` };
  return (
    <Allowed permission={`${kind.resource}:read`}>
      <div className="page">
        <PageHeader
          title={i18n._(kind.title)}
          actions={
            can(me, `${kind.resource}:write`) && (
              <Link to={`${kind.path}/new`} className="button">
                {i18n._(kind.register)}
              </Link>
            )
          }
        />
        {kind.type === "case" && me && <OfflinePanel me={me} />}
        {kind.type !== "case" && !online && offlineActive() && (
          <p className="notice notice-info" data-testid="offline-list-notice">
            <Trans>You are offline: this list shows the records kept on this device. Filters and search do not apply.</Trans>
          </p>
        )}
        <form
          className="filters"
          aria-label={t`Filter and sort the list`}
          onSubmit={(e) => {
            e.preventDefault();
            go({ ...draft, page: undefined });
          }}
        >
          {caseFilters.map((f) => {
            const id = `filter-${f.param}`;
            return (
              <div className="field" key={f.param}>
                <label htmlFor={id} id={`${id}-label`}>
                  {i18n._(f.label)}
                </label>
                {f.kind === "select" ? (
                  <select id={id} value={draft[f.param] ?? ""} onChange={(e) => setDraft({ ...draft, [f.param]: e.target.value })}>
                    {f.choices?.map((c) => (
                      <option key={c.value} value={c.value}>
                        {i18n._(c.label)}
                      </option>
                    ))}
                  </select>
                ) : f.kind === "date" ? (
                  <DateField id={id} labelId={`${id}-label`} value={draft[f.param] ?? ""} onChange={(v) => setDraft({ ...draft, [f.param]: v })} />
                ) : (
                  <input id={id} type="search" value={draft[f.param] ?? ""} onChange={(e) => setDraft({ ...draft, [f.param]: e.target.value })} />
                )}
              </div>
            );
          })}
          <div className="field">
            <label htmlFor="sort-by">
              <Trans>Sort by</Trans>
            </label>
            <select id="sort-by" value={orderBy} onChange={(e) => go({ order_by: e.target.value, page: undefined })}>
              {kind.orders.map((o) => (
                <option key={o.value} value={o.value}>
                  {i18n._(o.label)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sort-order">
              <Trans>Order</Trans>
            </label>
            <select id="sort-order" value={order} onChange={(e) => go({ order: e.target.value, page: undefined })}>
              <option value="desc">{t`Descending`}</option>
              <option value="asc">{t`Ascending`}</option>
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="button">
              <Trans>Apply filters</Trans>
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                const cleared = Object.fromEntries(caseFilters.map((f) => [f.param, ""]));
                setDraft(cleared);
                go({ ...Object.fromEntries(caseFilters.map((f) => [f.param, undefined])), page: undefined });
              }}
            >
              <Trans>Clear</Trans>
            </button>
          </div>
        </form>
        {query.isLoading && <Loading />}
        {query.error && <LoadError error={query.error} />}
        {query.data && (
          <>
            <p role="status" className="muted" data-testid="case-total">
              {kind.total(total)}
            </p>
            {bulk && (
              <BulkAssign
                ids={[...selected]}
                full={full}
                onClear={() => {
                  setSelected(new Set());
                  setFull(false);
                }}
              />
            )}
            <DataList<RecordRow>
              caption={i18n._(kind.title)}
              rows={rows}
              rowKey={(r) => r.id}
              empty={
                Object.values(applied).some(Boolean) ? (
                  <Trans>No case matches these filters.</Trans>
                ) : (
                  kind.empty
                )
              }
              columns={[
                ...(bulk
                  ? [
                      {
                        header: <span className="visually-hidden">{t`Select`}</span>,
                        cell: (r: RecordRow) => (
                          <input
                            type="checkbox"
                            className="select-row"
                            aria-label={t`Select ${recordName(kind, r) || r.short_id}`}
                            checked={selected.has(r.id)}
                            onChange={() => {
                              const { next, full: isFull } = toggleSelection(selected, r.id);
                              setSelected(next);
                              setFull(isFull);
                            }}
                          />
                        ),
                      },
                    ]
                  : []),
                {
                  header: <Trans>Name and ID</Trans>,
                  primary: true,
                  cell: (r) => (
                    <Link to={`${kind.path}/$id`} params={{ id: r.id }}>
                      <span dir="auto">{recordName(kind, r) || t`(no name)`}</span> <code dir="ltr">{r.short_id}</code>
                      {r._local === true && (
                        <>
                          {" "}
                          <span className="badge badge-pending">
                            <Trans>not sent yet</Trans>
                          </span>
                        </>
                      )}
                    </Link>
                  ),
                },
                { header: <Trans>Age</Trans>, cell: (r) => (typeof r.age === "number" ? i18n.number(r.age) : "—") },
                { header: <Trans>Status</Trans>, cell: (r) => (
                    <>
                      <span className={`badge badge-${r.status === "closed" ? "off" : "on"}`}>{statusLabel[r.status] ?? r.status}</span>
                      {r.flagged === true && (
                        <>
                          {" "}
                          <span className="badge badge-flag" data-testid="flagged">
                            <Trans>Flagged</Trans>
                          </span>
                        </>
                      )}
                    </>
                  ),
                },
                { header: <Trans>Owner</Trans>, cell: (r) => <span dir="ltr">{String(r.owned_by ?? "")}</span> },
                { header: <Trans>Last changed</Trans>, cell: (r) => date(r.updated_at) },
              ]}
            />
            <Pager page={page} per={PER} total={total} onPage={(p) => go({ page: p > 1 ? String(p) : undefined })} />
          </>
        )}
      </div>
    </Allowed>
  );
}
