// Translations: export a language's texts as a gettext PO file (every
// configuration label and every text of the web app, or only those still
// missing), and import a translated file. One file covers both the
// configuration's labels and the app's texts (docs/translations.md); the
// import runs in the background: its page shows the progress, then the
// counts and every entry's outcome with the reason.
import { useId, useState } from "react";
import { Link, useNavigate } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Schemas } from "../../api/client";
import { ApiError, errorMessage, mapProblem } from "../../api/problem";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors } from "../../components/Field";
import { FileInput } from "../../components/FileInput";
import { Allowed, DataList, ImportFailed, ImportProgress, ImportReportPage, languageName, OutcomeFilter, PageHeader, recentImports, rememberImport, ReportReason, useFormatDate, useImportReport } from "./common";

type TranslationImport = Schemas["TranslationImportReport"];
type ReportEntry = Schemas["ReportEntry"];
export type Outcome = ReportEntry["outcome"];

const PER = 100;
const recentKey = "cpims.translationImports";
export const outcomes: Outcome[] = ["applied", "unchanged", "skipped", "unknown", "stale", "invalid"];

/** textKind tells what a PO entry's context addresses: a web app text, or which kind of configuration label. */
export function textKind(context: string): "ui" | "form" | "lookup" | "module" | "location" | "other" {
  const kind = context.split(":")[0];
  return kind === "ui" || kind === "form" || kind === "lookup" || kind === "module" || kind === "location" ? kind : "other";
}

/** filenameOf reads the file name of a Content-Disposition header, else gives a fallback. */
export function filenameOf(disposition: string | null, fallback: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? "");
  return m ? decodeURIComponent(m[1]) : fallback;
}

function useOutcomeLabel() {
  const { t } = useLingui();
  const labels: Record<Outcome, string> = {
    applied: t`Applied`,
    unchanged: t`Unchanged`,
    skipped: t`Skipped (not translated or fuzzy)`,
    unknown: t`Unknown (no such text)`,
    stale: t`Stale (the source text changed)`,
    invalid: t`Invalid`,
  };
  return (o: Outcome) => labels[o] ?? o;
}

function useKindLabel() {
  const { t } = useLingui();
  const labels = { ui: t`Web app text`, form: t`Form label`, lookup: t`Lookup`, module: t`Module`, location: t`Location`, other: t`Other` };
  return (context: string) => labels[textKind(context)];
}

export default function Translations() {
  const { me } = useSession();
  return (
    <Allowed permission="translations:read">
      <div className="page">
        <PageHeader title={<Trans>Translations</Trans>} />
        <p>
          <Trans>
            One PO file per language holds every label of the configuration (forms, fields, options, lookups, modules, locations) and every text
            of the web app. Translators work on it with Poedit, Weblate, Crowdin or any gettext tool.
          </Trans>
        </p>
        <ExportTranslations />
        {can(me, "translations:write") && <ImportTranslations />}
      </div>
    </Allowed>
  );
}

function ExportTranslations() {
  const { t, i18n } = useLingui();
  const settings = useSystemSettings();
  const id = useId();
  const locales = settings.data?.locales ?? [];
  const def = settings.data?.default_locale;
  const [locale, setLocale] = useState<string>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const chosen = locale ?? locales.find((l) => l !== def) ?? locales[0] ?? "";
  const download = async () => {
    setBusy(true);
    setErrors([]);
    try {
      const r = await api.GET("/api/v2/translations/{locale}", { params: { path: { locale: chosen }, query: missing ? { missing: true } : {} }, parseAs: "text" });
      if (r.error !== undefined || typeof r.data !== "string") throw new ApiError(r.response.status, (r.error ?? {}) as never, r.response.headers.get("Content-Language") ?? undefined);
      const url = URL.createObjectURL(new Blob([r.data], { type: "text/x-gettext-translation;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameOf(r.response.headers.get("Content-Disposition"), `${chosen}.po`);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      setErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card stack" aria-labelledby="export-translations">
      <h2 id="export-translations">
        <Trans>Export a language</Trans>
      </h2>
      <FormErrors errors={errors} />
      <div className="field">
        <label htmlFor={`${id}-locale`}>
          <Trans>Language</Trans>
        </label>
        <select id={`${id}-locale`} value={chosen} onChange={(e) => setLocale(e.target.value)}>
          {locales.map((l) => (
            <option key={l} value={l}>
              {languageName(l, i18n.locale)} ({l}){l === def ? ` · ${t`default language`}` : ""}
            </option>
          ))}
        </select>
      </div>
      <div className="field-check">
        <input id={`${id}-missing`} type="checkbox" checked={missing} onChange={(e) => setMissing(e.target.checked)} />
        <label htmlFor={`${id}-missing`}>
          <Trans>Only the texts not translated yet</Trans>
        </label>
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={() => void download()} disabled={busy || !chosen} aria-busy={busy}>
          <Trans>Download the PO file</Trans>
        </button>
      </div>
    </section>
  );
}

function ImportTranslations() {
  const { t, i18n } = useLingui();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const settings = useSystemSettings();
  const id = useId();
  const [file, setFile] = useState<File>();
  const [locale, setLocale] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const missingFile = t`Choose a PO file.`;
  const targets = (settings.data?.locales ?? []).filter((l) => l !== settings.data?.default_locale);
  const upload = async () => {
    setErrors([]);
    setFieldErrors({});
    if (!file) {
      setFieldErrors({ file: missingFile });
      return;
    }
    setBusy(true);
    try {
      const body = new FormData();
      body.append("file", file, file.name);
      if (locale) body.append("locale", locale);
      const r = data(await api.POST("/api/v2/translations/imports", { body: body as never }));
      rememberImport(recentKey, r.data.id, r.data.filename);
      await qc.invalidateQueries({ queryKey: ["translation_imports"] });
      await navigate({ to: "/admin/translations/imports/$id", params: { id: r.data.id } });
    } catch (err) {
      if (err instanceof ApiError) {
        const mapped = mapProblem(err.problem, ["file", "locale"]);
        // The language may be refused as the query's or the form's.
        const q = (err.problem.errors ?? []).find((d) => d.location === "query.locale");
        // The server words why a file cannot be read (the line at fault) in English only.
        // The server words why a file cannot be read (the line at fault) in English only: it is shown
        // isolated after the app's own sentence.
        setFieldErrors({ ...mapped.fields, ...(q ? { locale: q.message ?? "" } : {}) });
        const rest = mapped.form.filter((m) => !q || !m.startsWith("query.locale"));
        setErrors(rest.length || Object.keys(mapped.fields).length || q ? rest : [err.message]);
      } else {
        setErrors([errorMessage(err)]);
      }
    } finally {
      setBusy(false);
    }
  };
  const fileReason = fieldErrors.file;
  const localeError = fieldErrors.locale;
  return (
    <section className="card stack" aria-labelledby="import-translations">
      <h2 id="import-translations">
        <Trans>Import a translated file</Trans>
      </h2>
      <p>
        <Trans>
          Each translated entry is applied where it is valid; the report lists every entry with its outcome. Untranslated and fuzzy entries change
          nothing, and a translation of a text that changed since the export is not applied: export again.
        </Trans>
      </p>
      <form
        className="stack form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        <FormErrors errors={errors} />
        <div className="field">
          <label htmlFor={`${id}-file`}>
            <Trans>PO file</Trans>
          </label>
          <FileInput
            id={`${id}-file`}
            name="file"
            accept=".po,.pot,text/x-gettext-translation,text/x-po"
            invalid={!!fileReason}
            describedBy={fileReason ? `${id}-file-error` : undefined}
            onFile={setFile}
          />
          {fileReason && (
            <p id={`${id}-file-error`} className="field-error">
              {fileReason === missingFile ? (
                fileReason
              ) : (
                <>
                  <Trans>This file cannot be imported:</Trans>{" "}
                  <bdi lang="en" dir="ltr">
                    {fileReason}
                  </bdi>
                </>
              )}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-locale`}>
            <Trans>The file's language</Trans>
          </label>
          <select
            id={`${id}-locale`}
            value={locale}
            onChange={(e) => setLocale(e.target.value)}
            aria-invalid={localeError ? true : undefined}
            aria-describedby={localeError ? `${id}-locale-error` : undefined}
          >
            <option value="">{t`As the file says`}</option>
            {targets.map((l) => (
              <option key={l} value={l}>
                {languageName(l, i18n.locale)} ({l})
              </option>
            ))}
          </select>
          {localeError && (
            <p id={`${id}-locale-error`} className="field-error">
              {localeError}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            <Trans>Import the file</Trans>
          </button>
        </div>
      </form>
      <RecentTranslationImports />
    </section>
  );
}

function RecentTranslationImports() {
  const list = recentImports(recentKey);
  if (!list.length) return null;
  return (
    <div>
      <h3>
        <Trans>Your recent imports</Trans>
      </h3>
      <ul>
        {list.map((r) => (
          <li key={r.id}>
            <Link to="/admin/translations/imports/$id" params={{ id: r.id }} dir="auto">
              {r.filename}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function TranslationImportReport() {
  const { t, i18n } = useLingui();
  const qc = useQueryClient();
  const date = useFormatDate();
  const outcomeLabel = useOutcomeLabel();
  const kindLabel = useKindLabel();
  const { report, page, outcome, go } = useImportReport<TranslationImport, Outcome>({
    queryKey: "translation_imports",
    route: "/admin/translations/imports/$id",
    recentKey,
    outcomes,
    fetch: async (id, page, outcome) =>
      data(await api.GET("/api/v2/translations/imports/{id}", { params: { path: { id }, query: { page, per: PER, ...(outcome ? { outcome } : {}) } } })),
    // Labels and the app's own texts may have changed.
    succeeded: () => void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "translation_imports" }),
  });
  const imp = report.data?.data;
  const count = (o: Outcome) => (imp ? imp[o] : 0);
  const done = imp ? (imp.status === "succeeded" ? imp.entries_total : imp.entries_done) : 0;
  const settled = i18n.number(done);
  const total = i18n.number(imp?.entries_total ?? 0);
  const started = imp ? date(imp.started_at ?? imp.created_at) : "";
  const language = imp ? languageName(imp.locale, i18n.locale) : "";
  const locale = imp?.locale;
  const version = imp?.configuration_version;
  const all = i18n.number(imp?.entries_total ?? 0);
  return (
    <Allowed permission="translations:write">
      <ImportReportPage<TranslationImport>
        title={<Trans>Translations import</Trans>}
        again="/admin/translations"
        query={report}
        per={PER}
        page={page}
        onPage={(p) => go({ outcome, page: p })}
        status={(imp) => (
          <>
            <p>
              <Trans>
                Language: {language} ({locale}) · started {started}
              </Trans>
            </p>
            <ImportProgress
              label={
                <Trans>
                  {settled} of {total} entries
                </Trans>
              }
              done={done}
              total={imp.entries_total}
              queued={imp.status === "queued"}
            />
            {imp.status === "failed" && <ImportFailed failure={imp.failure} />}
            {imp.status === "succeeded" && (
              <>
                <div role="status">
                  <dl className="outcome-counts" data-testid="import-counts">
                    {outcomes.map((o) => (
                      <div key={o} data-outcome={o}>
                        <dt>{outcomeLabel(o)}</dt>
                        <dd>{i18n.number(count(o))}</dd>
                      </div>
                    ))}
                  </dl>
                </div>
                {imp.configuration_version !== undefined && (
                  <p className="muted">
                    <Trans>Configuration version after the import: {version}</Trans>
                  </p>
                )}
              </>
            )}
          </>
        )}
        heading={<Trans>Entry by entry</Trans>}
        report={(imp) => (
          <>
            <OutcomeFilter
              options={[undefined, ...outcomes]}
              current={outcome}
              onChoose={(o) => go({ outcome: o })}
              label={(o) => (o ? `${outcomeLabel(o)} (${i18n.number(count(o))})` : t`All entries (${all})`)}
            />
            <DataList<ReportEntry>
              caption={t`Entries of the file`}
              rows={imp.report ?? []}
              rowKey={(r) => String(r.line)}
              empty={<Trans>No entries.</Trans>}
              columns={[
                { header: <Trans>Line</Trans>, primary: true, cell: (r) => <LineNumber line={r.line} /> },
                {
                  header: <Trans>Text</Trans>,
                  cell: (r) => (
                    <>
                      {kindLabel(r.context)}{" "}
                      <code dir="ltr" className="report-context">
                        {r.context}
                      </code>
                    </>
                  ),
                },
                {
                  header: <Trans>Outcome</Trans>,
                  cell: (r) => <span className={r.outcome === "invalid" || r.outcome === "stale" ? "badge badge-off" : r.outcome === "applied" ? "badge" : "badge badge-neutral"}>{outcomeLabel(r.outcome)}</span>,
                },
                {
                  header: <Trans>Reason</Trans>,
                  cell: (r) => <ReportReason kind="translations" code={r.reason_code} params={r.reason_params} reason={r.reason} />,
                },
              ]}
            />
          </>
        )}
      />
    </Allowed>
  );
}

function LineNumber({ line }: { line: number }) {
  return <Trans>Line {line}</Trans>;
}
