// Agencies: the organisations whose staff use the system.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Agency } from "../../api/client";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, Status, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { isSupported, localeNames } from "../../i18n";
import { Allowed, compact, DataList, LoadError, Loading, PageHeader, useLocalName } from "./common";
import { keys, useAgencies } from "./queries";

interface Values {
  unique_id: string;
  agency_code: string;
  name: Record<string, string>;
}

function AgencyForm({ agency, onDone }: { agency?: Agency; onDone: (message: string) => void }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const settings = useSystemSettings();
  const locales = (settings.data?.locales ?? ["en"]).filter(isSupported);
  const form = useApiForm<Values>(
    { defaultValues: { unique_id: agency?.unique_id ?? "agency-", agency_code: agency?.agency_code ?? "", name: agency?.name ?? {} } },
    ["unique_id", "agency_code", "name", ...locales.map((l) => `name.${l}`)],
  );
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    const ok = await form.run(async () => {
      if (agency) data(await api.PATCH("/api/v2/agencies/{id}", { params: { path: { id: agency.id } }, body: { name: compact(v.name) } }));
      else data(await api.POST("/api/v2/agencies", { body: { ...v, name: compact(v.name) } }));
      await qc.invalidateQueries({ queryKey: keys.agencies });
    });
    if (ok) onDone(agency ? t`The agency is saved.` : t`The agency is created.`);
  });
  return (
    <form className="stack form" onSubmit={onSubmit} noValidate>
      <FormErrors errors={form.formErrors} />
      {!agency && (
        <>
          <TextField label={<Trans>Identifier</Trans>} dir="ltr" hint={<Trans>Starts with agency-, e.g. agency-unicef.</Trans>} registration={register("unique_id", { required: true })} error={formState.errors.unique_id} />
          <TextField label={<Trans>Code</Trans>} dir="ltr" hint={<Trans>A short code, e.g. UNICEF.</Trans>} registration={register("agency_code", { required: t`Enter a code.` })} error={formState.errors.agency_code} />
        </>
      )}
      <fieldset className="field">
        <legend>
          <Trans>Name, in each language</Trans>
        </legend>
        {locales.map((l) => (
          <TextField key={l} label={localeNames[l]} lang={l} dir="auto" registration={register(`name.${l}`, { required: l === "en" ? t`Enter the English name.` : false })} error={formState.errors.name?.[l]} />
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          {agency ? <Trans>Save the agency</Trans> : <Trans>Create the agency</Trans>}
        </button>
      </div>
    </form>
  );
}

export default function Agencies() {
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const agencies = useAgencies();
  const name = useLocalName();
  const [editing, setEditing] = useState<Agency | "new">();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string[]>([]);
  const writable = can(me, "agencies:write");
  const toggle = async (a: Agency) => {
    setError([]);
    const r = await api.PATCH("/api/v2/agencies/{id}", { params: { path: { id: a.id } }, body: { disabled: !a.disabled } });
    if (r.error) setError([r.error.detail ?? ""]);
    else setSaved(a.disabled ? t`The agency is enabled.` : t`The agency is disabled.`);
    await qc.invalidateQueries({ queryKey: keys.agencies });
  };
  return (
    <Allowed permission="agencies:read">
      <div className="page">
        <PageHeader
          title={<Trans>Agencies</Trans>}
          actions={writable && (
            <button type="button" className="button" onClick={() => setEditing("new")}>
              <Trans>New agency</Trans>
            </button>
          )}
        />
        <Status message={saved} />
        <FormErrors errors={error} />
        {editing && (
          <section className="card" aria-labelledby="agency-form">
            <h2 id="agency-form">{editing === "new" ? <Trans>New agency</Trans> : name(editing.name)}</h2>
            <AgencyForm agency={editing === "new" ? undefined : editing} key={editing === "new" ? "new" : editing.id} onDone={(m) => { setSaved(m); setEditing(undefined); }} />
          </section>
        )}
        {agencies.isLoading && <Loading />}
        {agencies.error && <LoadError error={agencies.error} />}
        {agencies.data && (
          <DataList<Agency>
            caption={t`Agencies`}
            rows={agencies.data}
            rowKey={(a) => a.id}
            columns={[
              { header: <Trans>Name</Trans>, primary: true, cell: (a) => name(a.name) },
              { header: <Trans>Code</Trans>, cell: (a) => <code dir="ltr">{a.agency_code}</code> },
              { header: <Trans>Status</Trans>, cell: (a) => (a.disabled ? <span className="badge badge-off">{t`Disabled`}</span> : <span className="badge">{t`Active`}</span>) },
              ...(writable
                ? [{
                    header: <Trans>Actions</Trans>,
                    cell: (a: Agency) => (
                      <span className="actions">
                        <button type="button" className="button button-small button-secondary" onClick={() => setEditing(a)}>
                          <Trans>Edit</Trans>
                        </button>
                        <button type="button" className="button button-small button-secondary" onClick={() => void toggle(a)}>
                          {a.disabled ? <Trans>Enable</Trans> : <Trans>Disable</Trans>}
                        </button>
                      </span>
                    ),
                  }]
                : []),
            ]}
          />
        )}
      </div>
    </Allowed>
  );
}
