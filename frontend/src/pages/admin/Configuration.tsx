// Configuration export and import: download the whole configuration as one
// bundle (modules, lookups, forms, locations, roles' form access); import a
// bundle in two steps: a dry run lists every change, then applying it checks
// that nothing changed since (If-Match with the dry run's version).
import { useId, useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { useQueryClient } from "@tanstack/react-query";
import { api, data, type ConfigurationChange, type Schemas } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import { can } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, Status } from "../../components/Field";
import { FileInput } from "../../components/FileInput";
import { Allowed, DataList, PageHeader } from "./common";

type Bundle = Schemas["Bundle"];

/** bundleOf reads an export file: {"data": bundle} as exported, or a bare bundle. */
export function bundleOf(text: string): Bundle {
  const parsed = JSON.parse(text);
  const b = parsed && typeof parsed === "object" && "data" in parsed ? parsed.data : parsed;
  if (!b || typeof b !== "object" || b.format !== "cpims.configuration.v1") throw new Error("not a configuration bundle");
  return b as Bundle;
}

export default function Configuration() {
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const fileId = useId();
  const [exporting, setExporting] = useState(false);
  const [bundle, setBundle] = useState<Bundle>();
  const [filename, setFilename] = useState("");
  const [fileError, setFileError] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  const [plan, setPlan] = useState<{ version: number; changes: ConfigurationChange[] }>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setExporting(true);
    setErrors([]);
    try {
      const r = await api.GET("/api/v2/configuration", { parseAs: "text" });
      if (r.error || typeof r.data !== "string") throw new Error(t`The export failed.`);
      const version = (r.response.headers.get("ETag") ?? "").replace(/"/g, "");
      const url = URL.createObjectURL(new Blob([r.data], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `configuration-v${version || "current"}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (e) {
      setErrors([errorMessage(e)]);
    } finally {
      setExporting(false);
    }
  };

  const problems = (e: unknown) => {
    if (e instanceof ApiError) {
      const list = (e.problem.errors ?? []).map((d) => `${(d.location ?? "").replace(/^body\.data\.?/, "")}: ${d.message}`);
      setErrors(list.length ? [e.message, ...list] : [e.message]);
    } else setErrors([errorMessage(e)]);
  };

  const dryRun = async (b: Bundle) => {
    setBusy(true);
    setErrors([]);
    setPlan(undefined);
    setDone(undefined);
    try {
      const r = data(await api.POST("/api/v2/configuration", { params: { query: { dry_run: true } }, body: { data: b } })).data;
      setPlan({ version: r.configuration_version, changes: r.changes ?? [] });
    } catch (e) {
      problems(e);
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!bundle || !plan) return;
    setBusy(true);
    setErrors([]);
    try {
      const r = data(await api.POST("/api/v2/configuration", { params: { header: { "If-Match": `"${plan.version}"` } }, body: { data: bundle } })).data;
      setDone(t`The configuration is imported: version ${r.configuration_version}.`);
      setPlan(undefined);
      setBundle(undefined);
      await qc.invalidateQueries();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) setErrors([t`The configuration changed since the dry run. Check the changes again.`]);
      else problems(e);
    } finally {
      setBusy(false);
    }
  };

  const kind = useKindLabel();
  const op = useOpLabel();
  return (
    <Allowed permission="configuration:read">
      <div className="page">
        <PageHeader title={<Trans>Configuration</Trans>} />
        <Status message={done} />
        <FormErrors errors={errors} />
        <section className="card stack" aria-labelledby="export-heading">
          <h2 id="export-heading">
            <Trans>Export</Trans>
          </h2>
          <p>
            <Trans>One file with the modules, forms, lookups, locations and the roles' form access: to keep, to review, or to import into another instance.</Trans>
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => void download()} disabled={exporting} aria-busy={exporting}>
              <Trans>Download the configuration</Trans>
            </button>
          </div>
        </section>
        {can(me, "configuration:write") && (
          <section className="card stack" aria-labelledby="import-heading">
            <h2 id="import-heading">
              <Trans>Import</Trans>
            </h2>
            <p>
              <Trans>The file becomes the configuration: forms and lookups it lacks are removed, and the locations become its own. First the changes are listed; nothing changes until you apply them.</Trans>
            </p>
            <div className="field">
              <label htmlFor={fileId}>
                <Trans>Configuration file (JSON)</Trans>
              </label>
              <FileInput
                id={fileId}
                name="bundle"
                accept=".json,application/json"
                invalid={!!fileError}
                describedBy={fileError ? `${fileId}-error` : undefined}
                onFile={async (f) => {
                  setFileError(undefined);
                  setPlan(undefined);
                  setBundle(undefined);
                  setDone(undefined);
                  if (!f) return;
                  setFilename(f.name);
                  try {
                    const b = bundleOf(await f.text());
                    setBundle(b);
                    await dryRun(b);
                  } catch {
                    setFileError(t`This is not a configuration file exported by CPIMS+.`);
                  }
                }}
              />
              {fileError && (
                <p id={`${fileId}-error`} className="field-error">
                  {fileError}
                </p>
              )}
            </div>
            {busy && (
              <p role="status" className="muted">
                <Trans>Checking…</Trans>
              </p>
            )}
            {plan && (
              <div className="stack" data-testid="dry-run">
                <h3>
                  {plan.changes.length ? <Trans>What importing <bdi>{filename}</bdi> changes</Trans> : <Trans><bdi>{filename}</bdi> changes nothing.</Trans>}
                </h3>
                <DataList<ConfigurationChange>
                  caption={t`Changes`}
                  rows={plan.changes}
                  rowKey={(c) => `${c.kind}/${c.id}`}
                  empty={<Trans>No changes.</Trans>}
                  columns={[
                    { header: <Trans>Item</Trans>, primary: true, cell: (c) => <><span>{kind(c.kind)}</span> <code dir="ltr">{c.id}</code></> },
                    { header: <Trans>Change</Trans>, cell: (c) => <span className={c.op === "removed" ? "badge badge-off" : c.op === "added" ? "badge" : "badge badge-failed"}>{op(c.op)}</span> },
                    {
                      header: <Trans>Details</Trans>,
                      cell: (c) => (
                        <span dir="ltr" className="change-details">
                          {c.added?.length ? `+ ${c.added.join(", ")} ` : ""}
                          {c.removed?.length ? `− ${c.removed.join(", ")} ` : ""}
                          {c.changed?.length ? `~ ${c.changed.join(", ")} ` : ""}
                          {c.attributes?.length ? `(${c.attributes.join(", ")})` : ""}
                        </span>
                      ),
                    },
                  ]}
                />
                {plan.changes.length > 0 && (
                  <div className="actions">
                    <button type="button" className="button" onClick={() => void apply()} disabled={busy} data-testid="apply-import">
                      <Trans>Apply these changes</Trans>
                    </button>
                  </div>
                )}
              </div>
            )}
          </section>
        )}
      </div>
    </Allowed>
  );
}

function useKindLabel() {
  const { t } = useLingui();
  const labels: Record<string, string> = { module: t`Module`, lookup: t`Lookup`, form: t`Form`, role: t`Role`, location: t`Location` };
  return (k: string) => labels[k] ?? k;
}

function useOpLabel() {
  const { t } = useLingui();
  const labels: Record<string, string> = { added: t`added`, changed: t`changed`, removed: t`removed` };
  return (o: string) => labels[o] ?? o;
}
