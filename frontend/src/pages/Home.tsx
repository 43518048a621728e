// Home: my overdue and upcoming tasks (each a link to its case), my unread
// alerts, and my dashboard counts (GET /api/v2/tasks, /alerts, /dashboards;
// each only when the role has its permission). Cards stack on a phone and
// form a grid on a desktop.
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { Link } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data } from "../api/client";
import { useSession } from "../app/session";
import { can } from "../app/queries";
import { LoadError, Loading, useFormatDate } from "./admin/common";
import { alertLabel, daysFromToday, pendingCounts, riskEntries, taskLabels, type Alert, type Task } from "./home";
import type { QueueSearch } from "./transitions/transitions";

const PER = 10;

export default function Home() {
  const { me } = useSession();
  const name = me?.full_name ?? "";
  return (
    <div className="page">
      <h1>
        <Trans>Welcome, {name}</Trans>
      </h1>
      <div className="home-grid">
        {can(me, "tasks:read") && <Tasks due="overdue" />}
        {can(me, "tasks:read") && <Tasks due="upcoming" />}
        {can(me, "alerts:read") && <Alerts />}
        {can(me, "dashboards:read") && <Counts />}
        {can(me, "users:read") && (
          <section className="card" aria-labelledby="admin-start">
            <h2 id="admin-start">
              <Trans>Administration</Trans>
            </h2>
            <p>
              <Trans>You can already manage the people who use this country instance.</Trans>
            </p>
            <p>
              <Link to="/admin/users" className="button">
                <Trans>Manage users</Trans>
              </Link>
            </p>
          </section>
        )}
      </div>
    </div>
  );
}

function Tasks({ due }: { due: "overdue" | "upcoming" }) {
  const { t, i18n } = useLingui();
  const query = useQuery({
    queryKey: ["tasks", due],
    queryFn: async () => data(await api.GET("/api/v2/tasks", { params: { query: { due, per: PER } } })),
  });
  const tasks = (query.data?.data ?? []) as Task[];
  const total = query.data?.metadata.total ?? 0;
  const id = `tasks-${due}`;
  return (
    <section className="card" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{due === "overdue" ? t`Overdue tasks` : t`Upcoming tasks`}</h2>
      {query.isLoading && <Loading />}
      {query.error && <LoadError error={query.error} />}
      {query.data && tasks.length === 0 && (
        <p className="muted">{due === "overdue" ? t`Nothing is overdue.` : t`Nothing is due.`}</p>
      )}
      {tasks.length > 0 && (
        <ul className="home-list">
          {tasks.map((task) => {
            const days = daysFromToday(task.due_date);
            const date = i18n.date(task.due_date.slice(0, 10) + "T00:00:00Z", { dateStyle: "medium", timeZone: "UTC" });
            return (
              <li key={`${task.type}-${task.case_id}-${task.row_id ?? ""}`}>
                <Link to="/cases/$id" params={{ id: task.case_id }}>
                  <span className="home-item-title">
                    {i18n._(taskLabels[task.type] ?? { id: task.type })} · <bdi>{task.short_id}</bdi>
                  </span>
                </Link>
                <span className={task.overdue ? "home-item-meta overdue" : "home-item-meta muted"}>
                  {task.overdue ? (
                    <Plural value={-days} one={`due ${date}, # day late`} other={`due ${date}, # days late`} />
                  ) : days === 0 ? (
                    <Trans>due today</Trans>
                  ) : (
                    <Plural value={days} one={`due ${date}, in # day`} other={`due ${date}, in # days`} />
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {total > tasks.length && (
        <p className="muted">
          <Plural value={total - tasks.length} one="and # more" other="and # more" />
        </p>
      )}
    </section>
  );
}

function Alerts() {
  const { t, i18n } = useLingui();
  const when = useFormatDate();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ["alerts"],
    queryFn: async () => data(await api.GET("/api/v2/alerts", { params: { query: { per: PER } } })),
  });
  const read = useMutation({
    mutationFn: async (recordID?: string) => data(await api.POST("/api/v2/alerts/read", { body: { data: recordID ? { record_id: recordID } : {} } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["alerts"] }),
  });
  const alerts = (query.data?.data ?? []) as Alert[];
  const total = query.data?.metadata.total ?? 0;
  return (
    <section className="card" aria-labelledby="alerts" data-testid="alerts">
      <h2 id="alerts">
        <Trans>Alerts</Trans>
      </h2>
      {query.isLoading && <Loading />}
      {query.error && <LoadError error={query.error} />}
      {query.data && alerts.length === 0 && (
        <p className="muted">
          <Trans>No new alerts.</Trans>
        </p>
      )}
      {alerts.length > 0 && (
        <>
          <ul className="home-list">
            {alerts.map((a) => (
              <li key={a.id}>
                {a.record_type === "case" ? (
                  <Link to="/cases/$id" params={{ id: a.record_id }}>
                    <span className="home-item-title">
                      {alertLabel(a.type, (d) => i18n._(d))} · <bdi>{a.short_id}</bdi>
                    </span>
                  </Link>
                ) : (
                  <span className="home-item-title">
                    {alertLabel(a.type, (d) => i18n._(d))} · <bdi>{a.short_id}</bdi>
                  </span>
                )}
                <span className="home-item-meta muted">
                  <bdi>{a.actor}</bdi> · {when(a.at)}
                  {a.fields && a.fields.length > 0 && <> · <bdi>{a.fields.join(", ")}</bdi></>}
                </span>
              </li>
            ))}
          </ul>
          {total > alerts.length && (
            <p className="muted">
              <Plural value={total - alerts.length} one="and # more" other="and # more" />
            </p>
          )}
          <button type="button" className="button button-secondary" disabled={read.isPending} onClick={() => read.mutate(undefined)}>
            {t`Mark all as read`}
          </button>
          {read.error && <LoadError error={read.error} />}
        </>
      )}
    </section>
  );
}

function Counts() {
  const { t, i18n } = useLingui();
  const { me } = useSession();
  const query = useQuery({
    queryKey: ["dashboards"],
    queryFn: async () => data(await api.GET("/api/v2/dashboards")).data,
  });
  const d = query.data;
  const riskLabel: Record<string, string> = { high: t`High risk`, medium: t`Medium risk`, low: t`Low risk`, none: t`No risk level` };
  return (
    <section className="card" aria-labelledby="counts" data-testid="counts">
      <h2 id="counts">
        <Trans>My figures</Trans>
      </h2>
      {query.isLoading && <Loading />}
      {query.error && <LoadError error={query.error} />}
      {d && (
        <dl className="counts">
          <Count label={t`Open cases`} value={d.open_cases} testid="count-open" />
          {riskEntries(d.open_cases_by_risk).map(([risk, n]) => (
            <Count key={risk} label={riskLabel[risk] ?? risk} value={n} sub />
          ))}
          <Count label={t`New this week`} value={d.new_cases_this_week} />
          <Count label={t`Flagged`} value={d.flagged_cases} to="/flags" testid="count-flagged" />
          <Count label={t`Overdue tasks`} value={d.overdue_tasks} />
          {pendingCounts(d, { transitions: can(me, "transitions:read"), approvals: can(me, "approvals:read") }).map((c) => (
            <Count key={c.testid} label={i18n._(c.label)} value={c.value} to={c.to} search={c.search} testid={c.testid} />
          ))}
        </dl>
      )}
    </section>
  );
}

function Count({ label, value, sub, testid, to, search }: { label: string; value: number; sub?: boolean; testid?: string; to?: string; search?: QueueSearch }) {
  return (
    <div className={sub ? "count count-sub" : "count"} data-testid={testid}>
      <dt>
        {to ? (
          <Link to={to} search={search as never}>
            {label}
          </Link>
        ) : (
          label
        )}
      </dt>
      <dd>{value}</dd>
    </div>
  );
}
