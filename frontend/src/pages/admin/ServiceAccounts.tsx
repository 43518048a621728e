// Service accounts (integration clients) and their API keys; a new key is
// shown once.
import { useState } from "react";
import { Link, useParams } from "@tanstack/react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type APIKey, type ServiceAccount } from "../../api/client";
import { can } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, SelectField, Status, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { Allowed, DataList, LoadError, Loading, PageHeader, useFormatDate, useLocalName } from "./common";
import { keys, useAgencies, useRoles } from "./queries";

function useServiceAccounts() {
  return useQuery({ queryKey: keys.serviceAccounts, queryFn: async () => data(await api.GET("/api/v2/service_accounts")).data ?? [] });
}

interface NewValues {
  name: string;
  role_unique_id: string;
  agency_unique_id: string;
}

export function ServiceAccountList() {
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const accounts = useServiceAccounts();
  const roles = useRoles();
  const agencies = useAgencies();
  const name = useLocalName();
  const date = useFormatDate();
  const [creating, setCreating] = useState(false);
  const [saved, setSaved] = useState<string>();
  const writable = can(me, "service_accounts:write");
  const form = useApiForm<NewValues>({ defaultValues: { name: "", role_unique_id: "", agency_unique_id: "" } }, ["name", "role_unique_id", "agency_unique_id"]);
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    const ok = await form.run(async () => {
      data(await api.POST("/api/v2/service_accounts", { body: v }));
      await qc.invalidateQueries({ queryKey: keys.serviceAccounts });
    });
    if (ok) {
      setCreating(false);
      form.reset();
      setSaved(t`The service account is created. Issue it an API key.`);
    }
  });
  return (
    <Allowed permission="service_accounts:read">
      <div className="page">
        <PageHeader
          title={<Trans>Service accounts</Trans>}
          actions={writable && (
            <button type="button" className="button" onClick={() => setCreating(true)}>
              <Trans>New service account</Trans>
            </button>
          )}
        />
        <p className="muted">
          <Trans>Other systems call the API as a service account, with an API key. A service account acts with its role and agency, like a user.</Trans>
        </p>
        <Status message={saved} />
        {creating && (roles.data && agencies.data ? (
          <section className="card" aria-labelledby="sa-form">
            <h2 id="sa-form">
              <Trans>New service account</Trans>
            </h2>
            <form className="stack form" onSubmit={onSubmit} noValidate>
              <FormErrors errors={form.formErrors} />
              <TextField label={<Trans>Name</Trans>} dir="auto" registration={register("name", { required: t`Enter a name.` })} error={formState.errors.name} />
              <SelectField
                label={<Trans>Role</Trans>}
                hint={<Trans>Roles that require a second factor cannot be used: a key cannot give one.</Trans>}
                registration={register("role_unique_id", { required: t`Choose a role.` })}
                error={formState.errors.role_unique_id}
                options={[{ value: "", label: t`Choose a role` }, ...roles.data.filter((r) => !r.mfa_required).map((r) => ({ value: r.unique_id, label: name(r.name) }))]}
              />
              <SelectField
                label={<Trans>Agency</Trans>}
                registration={register("agency_unique_id", { required: t`Choose an agency.` })}
                error={formState.errors.agency_unique_id}
                options={[{ value: "", label: t`Choose an agency` }, ...agencies.data.filter((a) => !a.disabled).map((a) => ({ value: a.unique_id, label: name(a.name) }))]}
              />
              <div className="actions">
                <button type="submit" className="button" disabled={formState.isSubmitting}>
                  <Trans>Create the service account</Trans>
                </button>
                <button type="button" className="button button-secondary" onClick={() => setCreating(false)}>
                  <Trans>Cancel</Trans>
                </button>
              </div>
            </form>
          </section>
        ) : <Loading />)}
        {accounts.isLoading && <Loading />}
        {accounts.error && <LoadError error={accounts.error} />}
        {accounts.data && (
          <DataList<ServiceAccount>
            caption={t`Service accounts`}
            rows={accounts.data}
            rowKey={(a) => a.id}
            columns={[
              { header: <Trans>Name</Trans>, primary: true, cell: (a) => <Link to="/admin/service-accounts/$id" params={{ id: a.id }} dir="auto">{a.name}</Link> },
              { header: <Trans>Role</Trans>, cell: (a) => name(roles.data?.find((r) => r.unique_id === a.role_unique_id)?.name) || a.role_unique_id },
              { header: <Trans>Agency</Trans>, cell: (a) => name(agencies.data?.find((g) => g.unique_id === a.agency_unique_id)?.name) || a.agency_unique_id },
              { header: <Trans>Created</Trans>, cell: (a) => date(a.created_at) },
            ]}
          />
        )}
      </div>
    </Allowed>
  );
}

interface KeyValues {
  name: string;
  expires_on: string;
}

export function ServiceAccountKeys() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const date = useFormatDate();
  const accounts = useServiceAccounts();
  const account = accounts.data?.find((a) => a.id === id);
  const apiKeys = useQuery({
    queryKey: keys.apiKeys(id),
    queryFn: async () => data(await api.GET("/api/v2/service_accounts/{id}/api_keys", { params: { path: { id } } })).data ?? [],
  });
  const [newKey, setNewKey] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [copied, setCopied] = useState(false);
  const writable = can(me, "service_accounts:write");
  const form = useApiForm<KeyValues>({ defaultValues: { name: "", expires_on: "" } }, ["name", "expires_at"]);
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(undefined);
    await form.run(async () => {
      const body = { name: v.name, ...(v.expires_on ? { expires_at: new Date(v.expires_on + "T23:59:59Z").toISOString() } : {}) };
      const r = data(await api.POST("/api/v2/service_accounts/{id}/api_keys", { params: { path: { id } }, body }));
      setNewKey(r.key);
      setCopied(false);
      form.reset();
      await qc.invalidateQueries({ queryKey: keys.apiKeys(id) });
    });
  });
  const revoke = async (k: APIKey) => {
    await form.run(async () => {
      const r = await api.DELETE("/api/v2/service_accounts/{id}/api_keys/{key_id}", { params: { path: { id, key_id: k.id } } });
      if (!r.response.ok) data(r as never);
      setSaved(t`The key is revoked: it stops working at once.`);
      await qc.invalidateQueries({ queryKey: keys.apiKeys(id) });
    });
  };
  return (
    <Allowed permission="service_accounts:read">
      <div className="page">
        <PageHeader title={<span dir="auto">{account?.name ?? <Trans>Service account</Trans>}</span>} />
        <Status message={saved} />
        {newKey && (
          <section className="card card-key" aria-labelledby="new-key" data-testid="new-key">
            <h2 id="new-key">
              <Trans>Your new API key</Trans>
            </h2>
            <p>
              <strong>
                <Trans>Copy it now and store it safely: it is shown only once.</Trans>
              </strong>
            </p>
            <p>
              <code className="secret" dir="ltr">
                {newKey}
              </code>
            </p>
            <div className="actions">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void navigator.clipboard?.writeText(newKey).then(() => setCopied(true))}
              >
                {copied ? <Trans>Copied</Trans> : <Trans>Copy the key</Trans>}
              </button>
              <button type="button" className="button" onClick={() => setNewKey(undefined)}>
                <Trans>I have stored it</Trans>
              </button>
            </div>
          </section>
        )}
        {writable && (
          <section className="card" aria-labelledby="issue-key">
            <h2 id="issue-key">
              <Trans>Issue an API key</Trans>
            </h2>
            <form className="stack form" onSubmit={onSubmit} noValidate>
              <FormErrors errors={form.formErrors} />
              <TextField label={<Trans>Key name</Trans>} hint={<Trans>e.g. production, test</Trans>} dir="auto" registration={register("name", { required: t`Enter a name.` })} error={formState.errors.name} />
              <TextField label={<Trans>Expires on (optional)</Trans>} type="date" registration={register("expires_on")} error={formState.errors.expires_on} />
              <div className="actions">
                <button type="submit" className="button" disabled={formState.isSubmitting}>
                  <Trans>Issue the key</Trans>
                </button>
              </div>
            </form>
          </section>
        )}
        <h2>
          <Trans>Keys</Trans>
        </h2>
        {apiKeys.isLoading && <Loading />}
        {apiKeys.error && <LoadError error={apiKeys.error} />}
        {apiKeys.data && (
          <DataList<APIKey>
            caption={t`Keys`}
            rows={apiKeys.data}
            rowKey={(k) => k.id}
            columns={[
              { header: <Trans>Name</Trans>, primary: true, cell: (k) => <span dir="auto">{k.name}</span> },
              { header: <Trans>Starts with</Trans>, cell: (k) => <code dir="ltr">{k.prefix}…</code> },
              { header: <Trans>Created</Trans>, cell: (k) => date(k.created_at) },
              { header: <Trans>Expires</Trans>, cell: (k) => (k.expires_at ? date(k.expires_at) : t`Never`) },
              { header: <Trans>Last used</Trans>, cell: (k) => (k.last_used_at ? date(k.last_used_at) : t`Never`) },
              {
                header: <Trans>Status</Trans>,
                cell: (k) =>
                  k.revoked_at ? (
                    <span className="badge badge-off">{t`Revoked`}</span>
                  ) : writable ? (
                    <button type="button" className="button button-small button-danger" onClick={() => void revoke(k)}>
                      <Trans>Revoke</Trans>
                    </button>
                  ) : (
                    <span className="badge">{t`Active`}</span>
                  ),
              },
            ]}
          />
        )}
        <p>
          <Link to="/admin/service-accounts">
            <Trans>Back to service accounts</Trans>
          </Link>
        </p>
      </div>
    </Allowed>
  );
}
