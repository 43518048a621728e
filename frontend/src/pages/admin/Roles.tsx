// Roles: permissions from the policy catalogue, record scope, form access,
// whether a second factor is required.
import { useState } from "react";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Role } from "../../api/client";
import { permissionCatalog } from "../../api/catalog";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { CheckField, FormErrors, Status, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { localeNames, isSupported } from "../../i18n";
import { Allowed, compact, DataList, LoadError, Loading, PageHeader, useLocalName } from "./common";
import { keys, useRoles } from "./queries";
import { recordTypes, useForms, useRecordTypeLabel } from "./Forms";
import { permissionText } from "./permissions";
import type { Form } from "../../api/client";

export function RoleList() {
  const { t } = useLingui();
  const { me } = useSession();
  const roles = useRoles();
  const name = useLocalName();
  const scope = useScopeLabel();
  return (
    <Allowed permission="roles:read">
      <div className="page">
        <PageHeader
          title={<Trans>Roles</Trans>}
          actions={can(me, "roles:write") && (
            <Link to="/admin/roles/new" className="button">
              <Trans>New role</Trans>
            </Link>
          )}
        />
        {roles.isLoading && <Loading />}
        {roles.error && <LoadError error={roles.error} />}
        {roles.data && (
          <DataList<Role>
            caption={t`Roles`}
            rows={roles.data}
            rowKey={(r) => r.id}
            columns={[
              { header: <Trans>Name</Trans>, primary: true, cell: (r) => <Link to="/admin/roles/$id" params={{ id: r.id }}>{name(r.name)}</Link> },
              { header: <Trans>Record scope</Trans>, cell: (r) => scope(r.record_scope) },
              { header: <Trans>Permissions</Trans>, cell: (r) => (r.permissions ?? []).length },
              { header: <Trans>Second factor</Trans>, cell: (r) => (r.mfa_required ? t`Required` : t`Optional`) },
            ]}
          />
        )}
      </div>
    </Allowed>
  );
}

function useScopeLabel() {
  const { t } = useLingui();
  const labels: Record<string, string> = {
    own: t`Own records (owned or assigned)`,
    group: t`Records of their user groups`,
    agency: t`Records of their agency`,
    all: t`All records`,
  };
  return (s: string) => labels[s] ?? s;
}

export function NewRole() {
  return (
    <Allowed permission="roles:write">
      <div className="page">
        <PageHeader title={<Trans>New role</Trans>} />
        <RoleFormWhenFormsKnown />
      </div>
    </Allowed>
  );
}

export function EditRole() {
  const { id } = useParams({ strict: false }) as { id: string };
  const roles = useRoles();
  const role = roles.data?.find((r) => r.id === id);
  const name = useLocalName();
  return (
    <Allowed permission="roles:read">
      <div className="page">
        {roles.isLoading && <Loading />}
        {roles.error && <LoadError error={roles.error} />}
        {role && (
          <>
            <PageHeader title={name(role.name)} />
            <RoleFormWhenFormsKnown role={role} key={role.id} />
          </>
        )}
      </div>
    </Allowed>
  );
}

interface RoleValues {
  unique_id: string;
  name: Record<string, string>;
  description: Record<string, string>;
  permissions: string[];
  record_scope: "own" | "group" | "agency" | "all";
  mfa_required: boolean;
  /** form unique_id → "" (no access), "r" or "rw" */
  form_access: Record<string, "" | "r" | "rw">;
}

/** RoleFormWhenFormsKnown waits for the forms (the form access checklist) before the role's form starts. */
function RoleFormWhenFormsKnown({ role }: { role?: Role }) {
  const forms = useForms();
  if (forms.isLoading) return <Loading />;
  return <RoleForm role={role} forms={(forms.data ?? []).filter((f) => !f.is_nested)} />;
}

function toValues(role: Role | undefined, forms: Form[]): RoleValues {
  return {
    unique_id: role?.unique_id ?? "role-",
    name: role?.name ?? {},
    description: role?.description ?? {},
    permissions: role?.permissions ?? [],
    record_scope: role?.record_scope ?? "own",
    mfa_required: role?.mfa_required ?? false,
    // Every form is listed: "" is no access.
    form_access: { ...Object.fromEntries(forms.map((f) => [f.unique_id, ""])), ...(role?.form_access ?? {}) } as RoleValues["form_access"],
  };
}

function RoleForm({ role, forms: listed }: { role?: Role; forms: Form[] }) {
  const { t, i18n } = useLingui();
  const { me } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const settings = useSystemSettings();
  const scope = useScopeLabel();
  const [saved, setSaved] = useState<string>();
  const writable = can(me, "roles:write");
  const locales = (settings.data?.locales ?? ["en"]).filter(isSupported);
  const form = useApiForm<RoleValues>(
    { defaultValues: toValues(role, listed) },
    ["unique_id", "name", ...locales.map((l) => `name.${l}`), "description", "permissions", "record_scope", "mfa_required", "form_access", ...Object.keys(role?.form_access ?? {}).map((k) => `form_access.${k}`), ...listed.map((f) => `form_access.${f.unique_id}`)],
  );
  const { register, formState } = form;
  const rtLabel = useRecordTypeLabel();
  const localName = useLocalName();
  // Forms the role lists that the list does not show (no permission to read forms) are kept as they are.
  const extra = Object.keys(role?.form_access ?? {}).filter((k) => !listed.some((f) => f.unique_id === k));
  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(undefined);
    const body = {
      name: compact(v.name),
      description: compact(v.description),
      permissions: v.permissions || [],
      record_scope: v.record_scope,
      mfa_required: v.mfa_required,
      form_access: Object.fromEntries(Object.entries(v.form_access ?? {}).filter(([, a]) => a === "r" || a === "rw")),
    };
    const ok = await form.run(async () => {
      if (role) {
        form.reset(toValues(data(await api.PATCH("/api/v2/roles/{id}", { params: { path: { id: role.id } }, body })).data, listed));
      } else {
        const r = data(await api.POST("/api/v2/roles", { body: { ...body, unique_id: v.unique_id } })).data;
        await qc.invalidateQueries({ queryKey: keys.roles });
        await navigate({ to: "/admin/roles/$id", params: { id: r.id } });
      }
      await qc.invalidateQueries({ queryKey: keys.roles });
    });
    if (ok && role) setSaved(t`The role is saved. It applies at each user's next request.`);
  });
  return (
    <form className="stack form" onSubmit={onSubmit} noValidate>
      <Status message={saved} />
      <FormErrors errors={form.formErrors} />
      <fieldset disabled={!writable} className="stack plain">
        {!role && (
          <TextField label={<Trans>Identifier</Trans>} dir="ltr" hint={<Trans>Starts with role-, e.g. role-field-officer. It cannot change later.</Trans>} registration={register("unique_id", { required: true })} error={formState.errors.unique_id} />
        )}
        <fieldset className="field">
          <legend>
            <Trans>Name, in each language</Trans>
          </legend>
          {locales.map((l) => (
            <TextField key={l} label={localeNames[l]} lang={l} dir="auto" registration={register(`name.${l}`, { required: l === "en" ? t`Enter the English name.` : false })} error={formState.errors.name?.[l]} />
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>
            <Trans>Record scope</Trans>
          </legend>
          {(["own", "group", "agency", "all"] as const).map((s) => (
            <div className="field-check" key={s}>
              <input type="radio" id={`scope-${s}`} value={s} {...register("record_scope")} />
              <label htmlFor={`scope-${s}`}>{scope(s)}</label>
            </div>
          ))}
        </fieldset>
        <CheckField label={<Trans>Require a second factor (authenticator app) to sign in</Trans>} registration={register("mfa_required")} />
        <fieldset className="field permissions" aria-describedby={formState.errors.permissions ? "perm-error" : undefined}>
          <legend>
            <Trans>Permissions</Trans>
          </legend>
          {permissionCatalog.map((res) => (
            <div key={res.resource} className="permission-group">
              <p className="permission-resource">
                <code dir="ltr">{res.resource}</code> <span className="muted">{permissionText(i18n, res.resource, res.description)}</span>
              </p>
              {res.actions.map((a) => (
                <CheckField
                  key={a.action}
                  value={`${res.resource}:${a.action}`}
                  label={
                    <>
                      <code dir="ltr">{a.action}</code> <span className="muted">{permissionText(i18n, `${res.resource}:${a.action}`, a.description)}</span>
                    </>
                  }
                  registration={register("permissions")}
                />
              ))}
            </div>
          ))}
          {formState.errors.permissions && (
            <p id="perm-error" className="field-error">
              {formState.errors.permissions.message}
            </p>
          )}
        </fieldset>
        <fieldset className="field form-access" data-testid="form-access">
          <legend>
            <Trans>Form access</Trans>
          </legend>
          <p className="field-hint">
            <Trans>Which forms the role reads, or reads and changes. Forms without access are hidden from it.</Trans>
          </p>
          {recordTypes.map((rt) => {
            const list = listed.filter((f) => f.parent_form === rt);
            if (!list.length) return null;
            return (
              <div key={rt} className="access-group">
                <p className="permission-resource">{rtLabel(rt)}</p>
                <div className="access-head" aria-hidden="true">
                  <span />
                  <span>{t`None`}</span>
                  <span>{t`Read`}</span>
                  <span>{t`Read and change`}</span>
                </div>
                {list.map((f) => {
                  const label = localName(f.name) || f.unique_id;
                  const err = formState.errors.form_access?.[f.unique_id]?.message;
                  return (
                    <div key={f.unique_id} role="radiogroup" aria-label={label} className="access-row" data-form={f.unique_id}>
                      <span dir="auto" className="access-name">
                        {label}
                      </span>
                      {(["", "r", "rw"] as const).map((a) => (
                        <label key={a} className="access-choice">
                          <input type="radio" value={a} {...register(`form_access.${f.unique_id}`)} />
                          <span className="access-label">{a === "" ? t`None` : a === "r" ? t`Read` : t`Read and change`}</span>
                        </label>
                      ))}
                      {err && <p className="field-error">{err}</p>}
                    </div>
                  );
                })}
              </div>
            );
          })}
          {extra.length > 0 && (
            <p className="field-hint" dir="ltr">
              {extra.map((k) => `${k}: ${role?.form_access?.[k]}`).join(", ")}
            </p>
          )}
          {typeof formState.errors.form_access?.message === "string" && <p className="field-error">{formState.errors.form_access.message}</p>}
        </fieldset>
        {writable && (
          <div className="actions">
            <button type="submit" className="button" disabled={formState.isSubmitting}>
              {role ? <Trans>Save the role</Trans> : <Trans>Create the role</Trans>}
            </button>
          </div>
        )}
      </fieldset>
      <p>
        <Link to="/admin/roles">
          <Trans>Back to roles</Trans>
        </Link>
      </p>
    </form>
  );
}
