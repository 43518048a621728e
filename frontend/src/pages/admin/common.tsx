// Building blocks of the administration screens: page header, lists that
// are tables on a desktop and cards on a phone, paging, names by language.
import { useId, type ReactNode } from "react";
import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { useSession } from "../../app/session";
import { can } from "../../app/queries";
import { useTimeZone } from "../../app/timeZone";
import { ApiError, errorMessage } from "../../api/problem";
import { isSupported, localeNames } from "../../i18n";
import { reasonText, type ReportKind } from "./importReasons";

export function PageHeader({ title, actions }: { title: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

/** Allowed renders children only when the role has permission, else says it may not. */
export function Allowed({ permission, children }: { permission: string; children: ReactNode }) {
  const { me } = useSession();
  if (!can(me, permission)) return <NotAllowed />;
  return <>{children}</>;
}

/** NotAllowed is the page a role without the permission sees. */
export function NotAllowed() {
  return (
    <div className="page">
      <p role="alert" className="notice notice-error">
        <Trans>Your role does not allow this page.</Trans>
      </p>
    </div>
  );
}

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** the card's title on a phone */
  primary?: boolean;
}

/**
 * DataList shows rows as a table on wide screens and as cards on narrow ones
 * (each layout hidden by CSS in the other, so assistive technology meets one).
 */
export function DataList<T>({ rows, columns, rowKey, caption, empty }: { rows: T[]; columns: Column<T>[]; rowKey: (r: T) => string; caption: string; empty?: ReactNode }) {
  if (!rows.length) {
    return <p className="muted">{empty ?? <Trans>Nothing here yet.</Trans>}</p>;
  }
  const primary = columns.find((c) => c.primary) ?? columns[0];
  return (
    <>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c, i) => (
                  <td key={i}>{c.cell(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="data-cards" aria-label={caption}>
        {rows.map((r) => (
          <li key={rowKey(r)} className="data-card">
            <div className="data-card-title">{primary.cell(r)}</div>
            <dl>
              {columns
                .filter((c) => c !== primary)
                .map((c, i) => (
                  <div key={i} className="data-card-row">
                    <dt>{c.header}</dt>
                    <dd>{c.cell(r)}</dd>
                  </div>
                ))}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}

export function Pager({ page, per, total, onPage }: { page: number; per: number; total: number; onPage: (p: number) => void }) {
  const { t } = useLingui();
  const pages = Math.max(1, Math.ceil(total / per));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t`Pages`}>
      <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        <Trans>Previous</Trans>
      </button>
      <span aria-live="polite">
        <Trans>
          Page {page} of {pages}
        </Trans>
      </span>
      <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        <Trans>Next</Trans>
      </button>
    </nav>
  );
}

/** localName picks a name in the active language, else English, else any. */
export function localName(names: Record<string, string> | undefined, locale: string): string {
  if (!names) return "";
  return names[locale] || names.en || Object.values(names)[0] || "";
}

export function useLocalName() {
  const { i18n } = useLingui();
  return (names: Record<string, string> | undefined) => localName(names, i18n.locale);
}

/** useFormatDate formats an instant in the locale and the person's time zone (app/timeZone.ts). */
export function useFormatDate() {
  const { i18n } = useLingui();
  const timeZone = useTimeZone();
  return (iso: string | undefined | null) => (iso ? i18n.date(iso, { dateStyle: "medium", timeStyle: "short", timeZone }) : "—");
}

/** useFormatDay formats a date without a time (YYYY-MM-DD) in the locale, as the server's UTC day. */
export function useFormatDay() {
  const { i18n } = useLingui();
  return (day: string | undefined | null) => (day ? i18n.date(`${day.slice(0, 10)}T00:00:00Z`, { dateStyle: "medium", timeZone: "UTC" }) : "—");
}

export function Loading() {
  return (
    <p role="status" className="muted">
      <Trans>Loading…</Trans>
    </p>
  );
}

export function LoadError({ error }: { error: unknown }) {
  return (
    <p role="alert" className="notice notice-error">
      <Trans>This could not be loaded.</Trans>{" "}
      <span dir="auto" lang={error instanceof ApiError ? error.lang : undefined}>
        {errorMessage(error)}
      </span>
    </p>
  );
}

/** compact drops the languages left empty from a name-by-language map. */
export function compact(names: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(names ?? {}).filter(([, v]) => v.trim() !== ""));
}

/** recentImports lists the imports started from this browser under key (there is no list operation). */
export function recentImports(key: string): { id: string; filename: string }[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "[]");
  } catch {
    return [];
  }
}

/** rememberImport keeps an import's id at the head of the browser's five latest under key. */
export function rememberImport(key: string, id: string, filename: string) {
  try {
    const list = [{ id, filename }, ...recentImports(key).filter((r) => r.id !== id)].slice(0, 5);
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    /* storage unavailable */
  }
}

/** languageName names a language tag in the app's language ("sw" → "Swahili"), and in its own when the app has it. */
export function languageName(tag: string, uiLocale: string): string {
  if (isSupported(tag)) return localeNames[tag];
  try {
    return new Intl.DisplayNames([uiLocale], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

type ImportStatus = "queued" | "running" | "succeeded" | "failed";

/** ImportHeading names an import's file with its status (the import report pages). */
export function ImportHeading({ filename, status }: { filename: string; status: ImportStatus }) {
  const { t } = useLingui();
  const labels: Record<ImportStatus, string> = { queued: t`Waiting to start`, running: t`Running`, succeeded: t`Finished`, failed: t`Failed` };
  return (
    <h2 id="import-status">
      <span dir="auto">{filename}</span>{" "}
      <span className={status === "failed" ? "badge badge-off" : status === "succeeded" ? "badge" : "badge badge-failed"}>{labels[status]}</span>
    </h2>
  );
}

/** ImportFailed says an import failed as a whole, with the server's reason (English). */
export function ImportFailed({ failure }: { failure?: string }) {
  return (
    <div role="alert" className="notice notice-error">
      <p>
        <Trans>The import failed and nothing was applied.</Trans>
      </p>
      {failure && (
        <p lang="en" dir="ltr">
          {failure}
        </p>
      )}
    </div>
  );
}

/** OutcomeFilter is the row of buttons that filters an import's report by outcome (undefined: all). */
export function OutcomeFilter<O extends string>({ options, current, onChoose, label }: { options: readonly (O | undefined)[]; current?: O; onChoose: (o?: O) => void; label: (o?: O) => ReactNode }) {
  const { t } = useLingui();
  return (
    <div className="segmented" role="group" aria-label={t`Show`}>
      {options.map((o) => (
        <button
          key={o ?? "all"}
          type="button"
          className={o === current ? "button button-small" : "button button-small button-secondary"}
          aria-pressed={o === current}
          onClick={() => onChoose(o)}
          data-outcome={o ?? "all"}
        >
          {label(o)}
        </button>
      ))}
    </div>
  );
}

/** ImportProgress is an import's progress: what is settled of the whole, in words (label) and as a bar (none while queued). */
export function ImportProgress({ label, done, total, queued }: { label: ReactNode; done: number; total: number; queued: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <progress id={id} max={Math.max(1, total)} value={queued ? undefined : done} />
    </div>
  );
}

/**
 * ReportReason is an import report's reason: worded by its code in the app's language, else the server's English
 * reason marked as such (after unknown, e.g. the column at fault).
 */
export function ReportReason({ kind, code, params, reason, unknown }: { kind: ReportKind; code?: string; params?: Record<string, string>; reason?: string; unknown?: (english: string) => ReactNode }) {
  if (!reason && !code) return <>—</>;
  const r = reasonText(kind, code, params, reason);
  if (!r.lang) return <>{r.text}</>;
  return <>{unknown ? unknown(r.text) : <span lang="en" dir="ltr">{r.text}</span>}</>;
}

/** How often a running import's progress is asked for. */
const POLL_MS = 1000;

interface ImportLike {
  id: string;
  filename: string;
  status: ImportStatus;
}

/** An import with one page of its report, as the API answers. */
interface ReportAnswer<I> {
  data: I;
  metadata: { total: number };
}

/** The place in an import's report, from the URL: the outcome shown (undefined: all) and the page. */
export interface ReportSearch<O extends string> {
  outcome?: O;
  page?: number | string;
}

function importRunning(imp: ImportLike): boolean {
  return imp.status === "queued" || imp.status === "running";
}

/**
 * useImportReport reads the import of the page's id with one page of its report (outcome and page from the URL),
 * asking again every second until it has run; it remembers the import among the browser's recent ones (recentKey) and
 * calls succeeded each time it reads it succeeded (caches to invalidate). go moves to another outcome or page.
 */
export function useImportReport<I extends ImportLike, O extends string>({
  queryKey,
  route,
  recentKey,
  outcomes,
  fetch,
  succeeded,
}: {
  queryKey: string;
  route: string;
  recentKey: string;
  outcomes: readonly O[];
  fetch: (id: string, page: number, outcome?: O) => Promise<ReportAnswer<I>>;
  succeeded: () => void;
}) {
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as ReportSearch<O>;
  const navigate = useNavigate();
  const page = Number(search.page) || 1;
  const outcome = outcomes.includes(search.outcome as O) ? search.outcome : undefined;
  const report = useQuery({
    queryKey: [queryKey, id, outcome ?? "", page],
    queryFn: async () => {
      const r = await fetch(id, page, outcome);
      rememberImport(recentKey, r.data.id, r.data.filename);
      if (r.data.status === "succeeded") succeeded();
      return r;
    },
    refetchInterval: (q) => (q.state.data && !importRunning(q.state.data.data) ? false : POLL_MS),
  });
  const go = (s: ReportSearch<O>) => void navigate({ to: route as never, params: { id } as never, search: s as never });
  return { report, page, outcome, go };
}

/**
 * ImportReportPage is an import's page: its heading and status card (status: what the kind of import says about it),
 * then, once it succeeded, the report under heading (report: filter and entries) with its pager.
 */
export function ImportReportPage<I extends ImportLike>({
  title,
  again,
  before,
  query,
  per,
  page,
  onPage,
  status,
  heading,
  report,
}: {
  title: ReactNode;
  again: string;
  before?: ReactNode;
  query: UseQueryResult<ReportAnswer<I>>;
  per: number;
  page: number;
  onPage: (p: number) => void;
  status: (imp: I) => ReactNode;
  heading: ReactNode;
  report: (imp: I) => ReactNode;
}) {
  const imp = query.data?.data;
  return (
    <div className="page">
      <PageHeader
        title={title}
        actions={
          <Link to={again as never} className="button button-secondary">
            <Trans>Import another file</Trans>
          </Link>
        }
      />
      {before}
      {query.isLoading && <Loading />}
      {query.error && <LoadError error={query.error} />}
      {imp && (
        <>
          <section className="card stack" aria-labelledby="import-status" data-status={imp.status}>
            <ImportHeading filename={imp.filename} status={imp.status} />
            {status(imp)}
          </section>
          {imp.status === "succeeded" && (
            <section aria-labelledby="import-report" className="stack">
              <h2 id="import-report">{heading}</h2>
              {report(imp)}
              <Pager page={page} per={per} total={query.data?.metadata.total ?? 0} onPage={onPage} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
