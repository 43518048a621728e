// Importing locations from a CSV file (or an HXL-tagged one, as OCHA's
// common operational datasets): upload (checked at once: a file that cannot
// be imported is refused with the reason), then the import runs in the
// background; its page shows the progress, then the report of every row:
// applied, or invalid with the column at fault and why.
import { useId, useState } from "react";
import { Link, useNavigate } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data, type ImportReportRow, type LocationImport } from "../../api/client";
import { ApiError, errorMessage, mapProblem } from "../../api/problem";
import { useSystemSettings } from "../../app/queries";
import { FormErrors } from "../../components/Field";
import { FileInput } from "../../components/FileInput";
import { Allowed, DataList, ImportFailed, ImportProgress, ImportReportPage, OutcomeFilter, PageHeader, recentImports, ReportReason, useFormatDate, useImportReport } from "./common";
import { locationKeys } from "./Locations";

const PER = 100;

/** templateCSV is a file with the columns an import reads, for the instance's languages. */
export function templateCSV(locales: readonly string[], defaultLocale: string): string {
  const names = ["name", ...locales.filter((l) => l !== defaultLocale).map((l) => `name_${l.replace("-", "_").toLowerCase()}`)];
  const header = ["code", "parent_code", "admin_level", "type", ...names, "disabled"];
  const example = ["KE", "", "0", "country", "Kenya", ...names.slice(1).map(() => ""), "false"];
  return [header, example].map((r) => r.join(",")).join("\r\n") + "\r\n";
}

export function ImportLocations() {
  const { t } = useLingui();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const settings = useSystemSettings();
  const id = useId();
  const [file, setFile] = useState<File>();
  const [fieldError, setFieldError] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const download = () => {
    const csv = templateCSV(settings.data?.locales ?? ["en"], settings.data?.default_locale ?? "en");
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "locations-template.csv";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  const upload = async () => {
    setErrors([]);
    setFieldError(undefined);
    if (!file) {
      setFieldError(t`Choose a CSV file.`);
      return;
    }
    setBusy(true);
    try {
      const body = new FormData();
      body.append("file", file, file.name);
      const r = data(await api.POST("/api/v2/locations/import", { body: body as never }));
      await qc.invalidateQueries({ queryKey: ["location_imports"] });
      await navigate({ to: "/admin/locations/imports/$id", params: { id: r.data.id } });
    } catch (err) {
      if (err instanceof ApiError) {
        const mapped = mapProblem(err.problem, ["file"]);
        setFieldError(mapped.fields.file);
        setErrors(mapped.form.length || mapped.fields.file ? mapped.form : [err.message]);
      } else {
        setErrors([errorMessage(err)]);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Allowed permission="locations:write">
      <div className="page">
        <PageHeader title={<Trans>Import locations</Trans>} />
        <p>
          <Link to="/admin/locations">
            <Trans>Back to locations</Trans>
          </Link>
        </p>
        <section className="card stack" aria-labelledby="import-format">
          <h2 id="import-format">
            <Trans>The file</Trans>
          </h2>
          <p>
            <Trans>
              A CSV file saved as UTF-8, one location per row, with the columns <code dir="ltr">code</code>, <code dir="ltr">parent_code</code>,{" "}
              <code dir="ltr">admin_level</code> (0 for the country to 5), <code dir="ltr">type</code>, <code dir="ltr">name</code> and a{" "}
              <code dir="ltr">name_fr</code>, <code dir="ltr">name_ar</code> ... column per language, and <code dir="ltr">disabled</code>. Comma,
              semicolon or tab separated.
            </Trans>
          </p>
          <p>
            <Trans>
              A file with HXL hashtags (<code dir="ltr">#adm1+code</code>, <code dir="ltr">#adm1+name</code> ...), such as OCHA's common
              operational datasets, is read too.
            </Trans>
          </p>
          <p>
            <Trans>Every valid row is applied: new codes are added, known ones changed. Every invalid row is listed with the reason.</Trans>
          </p>
          <p>
            <button type="button" className="link-button" onClick={download}>
              <Trans>Download a template</Trans>
            </button>
          </p>
        </section>
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
            <label htmlFor={id}>
              <Trans>CSV file</Trans>
            </label>
            <FileInput
              id={id}
              name="file"
              accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
              invalid={!!fieldError}
              describedBy={fieldError ? `${id}-error` : `${id}-hint`}
              onFile={setFile}
            />
            <p id={`${id}-hint`} className="field-hint">
              <Trans>At most 20 MB and 200,000 rows.</Trans>
            </p>
            {fieldError && (
              <p id={`${id}-error`} className="field-error">
                {fieldError}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy} aria-busy={busy}>
              <Trans>Import the file</Trans>
            </button>
          </div>
        </form>
        <RecentImports />
      </div>
    </Allowed>
  );
}

/** RecentImports lists the imports started from this browser (their ids are remembered here). */
function RecentImports() {
  const ids = recentImports(recentKey);
  if (!ids.length) return null;
  return (
    <section aria-labelledby="recent-imports">
      <h2 id="recent-imports">
        <Trans>Your recent imports</Trans>
      </h2>
      <ul>
        {ids.map((r) => (
          <li key={r.id}>
            <Link to="/admin/locations/imports/$id" params={{ id: r.id }} dir="auto">
              {r.filename}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

const recentKey = "cpims.locationImports";

/** splitReason separates a report row's reason ("parent_code: no location has code X") into its column and the rest. */
export function splitReason(reason: string | undefined): { field?: string; text: string } {
  const m = /^([a-z_]+(?:\.[A-Za-z_-]+)?): (.*)$/s.exec(reason ?? "");
  return m ? { field: m[1], text: m[2] } : { text: reason ?? "" };
}

function useFieldLabel() {
  const { t } = useLingui();
  const labels: Record<string, string> = {
    code: t`Code`,
    parent_code: t`Parent's code`,
    admin_level: t`Admin level`,
    type: t`Type`,
    name: t`Name`,
    disabled: t`Disabled`,
  };
  return (field: string) => {
    const [base, lang] = field.split(".");
    const label = labels[base] ?? base;
    return lang ? `${label} (${lang})` : label;
  };
}

const reportOutcomes = ["invalid", "applied"] as const;

export function LocationImportReport() {
  const { t } = useLingui();
  const qc = useQueryClient();
  const date = useFormatDate();
  const fieldLabel = useFieldLabel();
  const { report, page, outcome, go } = useImportReport<LocationImport, (typeof reportOutcomes)[number]>({
    queryKey: "location_imports",
    route: "/admin/locations/imports/$id",
    recentKey,
    outcomes: reportOutcomes,
    fetch: async (id, page, outcome) =>
      data(await api.GET("/api/v2/locations/imports/{id}", { params: { path: { id }, query: { page, per: PER, ...(outcome ? { outcome } : {}) } } })),
    succeeded: () => void qc.invalidateQueries({ queryKey: locationKeys.all }),
  });
  const imp = report.data?.data;
  const started = imp ? date(imp.started_at ?? imp.created_at) : "";
  const finished = imp?.finished_at ? date(imp.finished_at) : "";
  const format = imp?.format === "hxl" ? "HXL" : "CSV";
  return (
    <Allowed permission="locations:write">
      <ImportReportPage<LocationImport>
        title={<Trans>Location import</Trans>}
        again="/admin/locations/import"
        before={
          <p>
            <Link to="/admin/locations">
              <Trans>Back to locations</Trans>
            </Link>
          </p>
        }
        query={report}
        per={PER}
        page={page}
        onPage={(p) => go({ outcome, page: p })}
        status={(imp) => (
          <>
            <Progress imp={imp} />
            {imp.status === "succeeded" && (
              <p role="status" className={imp.rows_invalid ? "notice notice-info" : "notice notice-success"} data-testid="import-summary">
                <Plural value={imp.rows_applied} one="# row applied" other="# rows applied" />
                {"; "}
                <Plural value={imp.rows_invalid} one="# row invalid" other="# rows invalid" />
              </p>
            )}
            {imp.status === "failed" && <ImportFailed failure={imp.failure} />}
            <p className="muted">
              <Trans>
                Started {started}, {format} file
              </Trans>
              {finished && (
                <>
                  {" · "}
                  <Trans>finished {finished}</Trans>
                </>
              )}
            </p>
          </>
        )}
        heading={<Trans>Row by row</Trans>}
        report={(imp) => (
          <>
            <OutcomeFilter
              options={[undefined, ...reportOutcomes]}
              current={outcome}
              onChoose={(o) => go({ outcome: o })}
              label={(o) =>
                o === "invalid" ? (
                  <Trans>Invalid ({imp.rows_invalid})</Trans>
                ) : o === "applied" ? (
                  <Trans>Applied ({imp.rows_applied})</Trans>
                ) : (
                  <Trans>All rows ({imp.rows_total})</Trans>
                )
              }
            />
            <DataList<ImportReportRow>
              caption={t`Rows of the file`}
              rows={imp.report ?? []}
              rowKey={(r) => String(r.row)}
              empty={<Trans>No rows.</Trans>}
              columns={[
                { header: <Trans>Row</Trans>, primary: true, cell: (r) => <Trans>Row {r.row}</Trans> },
                { header: <Trans>Code</Trans>, cell: (r) => <code dir="ltr">{r.code}</code> },
                {
                  header: <Trans>Outcome</Trans>,
                  cell: (r) => (r.outcome === "invalid" ? <span className="badge badge-off">{t`Invalid`}</span> : <span className="badge">{t`Applied`}</span>),
                },
                {
                  header: <Trans>Reason</Trans>,
                  cell: (r) => (
                    <ReportReason
                      kind="locations"
                      code={r.reason_code}
                      params={r.reason_params}
                      reason={r.reason}
                      unknown={(english) => {
                        // Without a code the server's reason names the column at fault first.
                        const { field, text } = splitReason(english);
                        return (
                          <>
                            {field && <strong>{fieldLabel(field)}: </strong>}
                            <span lang="en" dir="ltr">
                              {text}
                            </span>
                          </>
                        );
                      }}
                    />
                  ),
                },
              ]}
            />
          </>
        )}
      />
    </Allowed>
  );
}

/** Progress shows rows settled of rows in the file, as a bar and in words. */
function Progress({ imp }: { imp: LocationImport }) {
  const { i18n } = useLingui();
  const done = imp.status === "succeeded" ? imp.rows_total : imp.rows_done;
  const settled = i18n.number(done);
  const total = i18n.number(imp.rows_total);
  return (
    <ImportProgress
      label={
        <Trans>
          {settled} of {total} rows
        </Trans>
      }
      done={done}
      total={imp.rows_total}
      queued={imp.status === "queued"}
    />
  );
}
