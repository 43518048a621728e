// Users: the list (within the administrator's scope), invitations, and
// changes of role, agency, groups and status.
import { useState } from "react";
import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type User } from "../../api/client";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { CheckField, FormErrors, SelectField, Status, TextField } from "../../components/Field";
import { PersonTimeZone } from "../../components/TimeZoneField";
import { inviteBody, type InviteValues } from "./invite";
import { useApiForm } from "../../components/useApiForm";
import { localeNames, supportedLocales } from "../../i18n";
import { Allowed, DataList, LoadError, Loading, PageHeader, Pager, useLocalName } from "./common";
import { keys, useAgencies, useGroups, useRoles } from "./queries";
import { DeviceList } from "../../offline/Devices";

const PER = 20;

function useNames() {
  const roles = useRoles();
  const agencies = useAgencies();
  const groups = useGroups();
  const name = useLocalName();
  return {
    roles,
    agencies,
    groups,
    role: (id: string) => name(roles.data?.find((r) => r.unique_id === id)?.name) || id,
    agency: (id: string) => name(agencies.data?.find((a) => a.unique_id === id)?.name) || id,
    group: (id: string) => groups.data?.find((g) => g.unique_id === id)?.name || id,
  };
}

export function UserList() {
  const { t } = useLingui();
  const { me } = useSession();
  const [page, setPage] = useState(1);
  const users = useQuery({
    queryKey: keys.users(page),
    queryFn: async () => data(await api.GET("/api/v2/users", { params: { query: { page, per: PER } } })),
  });
  const n = useNames();
  return (
    <Allowed permission="users:read">
      <div className="page">
        <PageHeader
          title={<Trans>Users</Trans>}
          actions={
            can(me, "users:write") && (
              <Link to="/admin/users/new" className="button">
                <Trans>Invite a user</Trans>
              </Link>
            )
          }
        />
        {users.isLoading && <Loading />}
        {users.error && <LoadError error={users.error} />}
        {users.data && (
          <>
            <DataList<User>
              caption={t`Users`}
              rows={users.data.data ?? []}
              rowKey={(u) => u.id}
              columns={[
                {
                  header: <Trans>Name</Trans>,
                  primary: true,
                  cell: (u) => (
                    <Link to="/admin/users/$id" params={{ id: u.id }} dir="auto">
                      {u.full_name}
                    </Link>
                  ),
                },
                { header: <Trans>Email</Trans>, cell: (u) => <span dir="ltr">{u.email}</span> },
                { header: <Trans>Role</Trans>, cell: (u) => n.role(u.role_unique_id) },
                { header: <Trans>Agency</Trans>, cell: (u) => n.agency(u.agency_unique_id) },
                { header: <Trans>Status</Trans>, cell: (u) => (u.disabled ? <span className="badge badge-off">{t`Disabled`}</span> : <span className="badge">{t`Active`}</span>) },
              ]}
            />
            <Pager page={page} per={PER} total={users.data.metadata.total} onPage={setPage} />
          </>
        )}
      </div>
    </Allowed>
  );
}

export function InviteUser() {
  const { t } = useLingui();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const n = useNames();
  const name = useLocalName();
  const ready = !n.roles.isLoading && !n.agencies.isLoading && !n.groups.isLoading;
  const form = useApiForm<InviteValues>(
    { defaultValues: { locale: "en", time_zone: "", user_group_unique_ids: [] } },
    ["email", "full_name", "locale", "time_zone", "role_unique_id", "agency_unique_id", "user_group_unique_ids"],
  );
  const { register, formState } = form;
  const settings = useSystemSettings();
  const onSubmit = form.handleSubmit(async (v) => {
    const ok = await form.run(async () => {
      const u = data(await api.POST("/api/v2/users", { body: inviteBody(v) })).data;
      await qc.invalidateQueries({ queryKey: ["users"] });
      await navigate({ to: "/admin/users/$id", params: { id: u.id }, search: { invited: "1" } });
    });
    return ok;
  });
  return (
    <Allowed permission="users:write">
      <div className="page">
        <PageHeader title={<Trans>Invite a user</Trans>} />
        <p>
          <Trans>The person receives an email, in their language, with a code to choose their password. The code is valid for 72 hours.</Trans>
        </p>
        {!ready && <Loading />}
        {ready && <form className="stack form" onSubmit={onSubmit} noValidate>
          <FormErrors errors={form.formErrors} />
          <TextField label={<Trans>Full name</Trans>} registration={register("full_name", { required: t`Enter the person's name.` })} error={formState.errors.full_name} autoComplete="off" dir="auto" />
          <TextField label={<Trans>Email address</Trans>} type="email" dir="ltr" registration={register("email", { required: t`Enter an email address.` })} error={formState.errors.email} autoComplete="off" hint={<Trans>The invitation goes there; it is also their sign-in name.</Trans>} />
          <SelectField label={<Trans>Language</Trans>} registration={register("locale")} error={formState.errors.locale} options={supportedLocales.map((l) => ({ value: l, label: localeNames[l] }))} />
          <PersonTimeZone form={form} instanceZone={settings.data?.time_zone} />
          <SelectField
            label={<Trans>Role</Trans>}
            registration={register("role_unique_id", { required: t`Choose a role.` })}
            error={formState.errors.role_unique_id}
            options={[{ value: "", label: t`Choose a role` }, ...(n.roles.data ?? []).map((r) => ({ value: r.unique_id, label: name(r.name) }))]}
          />
          <SelectField
            label={<Trans>Agency</Trans>}
            registration={register("agency_unique_id", { required: t`Choose an agency.` })}
            error={formState.errors.agency_unique_id}
            options={[{ value: "", label: t`Choose an agency` }, ...(n.agencies.data ?? []).filter((a) => !a.disabled).map((a) => ({ value: a.unique_id, label: name(a.name) }))]}
          />
          <GroupChecks groups={n.groups.data ?? []} registration={register("user_group_unique_ids")} error={formState.errors.user_group_unique_ids?.message} />
          <div className="actions">
            <button type="submit" className="button" disabled={formState.isSubmitting}>
              <Trans>Send the invitation</Trans>
            </button>
            <Link to="/admin/users" className="button button-secondary">
              <Trans>Cancel</Trans>
            </Link>
          </div>
        </form>}
      </div>
    </Allowed>
  );
}

function GroupChecks({ groups, registration, error }: { groups: { unique_id: string; name: string; disabled: boolean }[]; registration: ReturnType<ReturnType<typeof useApiForm>["register"]>; error?: string }) {
  if (!groups.length) return null;
  return (
    <fieldset className="field">
      <legend>
        <Trans>User groups</Trans>
      </legend>
      {groups
        .filter((g) => !g.disabled)
        .map((g) => (
          <CheckField key={g.unique_id} label={g.name} value={g.unique_id} registration={registration} />
        ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** withCurrent keeps the current value selectable when the options could not be read. */
function withCurrent(options: { value: string; label: string }[], current: string) {
  return options.some((o) => o.value === current) ? options : [{ value: current, label: current }, ...options];
}

interface EditValues {
  full_name: string;
  locale: string;
  time_zone: string;
  role_unique_id: string;
  agency_unique_id: string;
  user_group_unique_ids: string[];
}

export function EditUser() {
  const { id } = useParams({ strict: false }) as { id: string };
  const user = useQuery({ queryKey: keys.user(id), queryFn: async () => data(await api.GET("/api/v2/users/{id}", { params: { path: { id } } })).data });
  const n = useNames();
  // Selects get their value when the form mounts: wait for their options.
  const ready = !n.roles.isLoading && !n.agencies.isLoading && !n.groups.isLoading;
  return (
    <Allowed permission="users:read">
      <div className="page">
        {(user.isLoading || !ready) && <Loading />}
        {user.error && <LoadError error={user.error} />}
        {user.data && ready && <EditUserForm user={user.data} key={user.data.id} />}
      </div>
    </Allowed>
  );
}

function EditUserForm({ user }: { user: User }) {
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const n = useNames();
  const name = useLocalName();
  const [saved, setSaved] = useState<string>();
  const invited = (useSearch({ strict: false }) as { invited?: string }).invited === "1";
  const writable = can(me, "users:write");
  const form = useApiForm<EditValues>(
    {
      defaultValues: {
        full_name: user.full_name,
        locale: user.locale,
        time_zone: user.time_zone ?? "",
        role_unique_id: user.role_unique_id,
        agency_unique_id: user.agency_unique_id,
        user_group_unique_ids: user.user_group_unique_ids ?? [],
      },
    },
    ["full_name", "locale", "time_zone", "role_unique_id", "agency_unique_id", "user_group_unique_ids"],
  );
  const { register, formState } = form;
  const settings = useSystemSettings();
  const save = async (body: Record<string, unknown>, message: string) => {
    setSaved(undefined);
    const ok = await form.run(async () => {
      const u = data(await api.PATCH("/api/v2/users/{id}", { params: { path: { id: user.id } }, body })).data;
      form.reset({
        full_name: u.full_name,
        locale: u.locale,
        time_zone: u.time_zone ?? "",
        role_unique_id: u.role_unique_id,
        agency_unique_id: u.agency_unique_id,
        user_group_unique_ids: u.user_group_unique_ids ?? [],
      });
      qc.setQueryData(keys.user(user.id), u);
      await qc.invalidateQueries({ queryKey: ["users"] });
    });
    if (ok) setSaved(message);
  };
  const onSubmit = form.handleSubmit((v) => save({ ...v, time_zone: v.time_zone.trim(), user_group_unique_ids: v.user_group_unique_ids || [] }, t`The changes are saved.`));
  const status = useMutation({
    mutationFn: (disabled: boolean) => save({ disabled }, disabled ? t`The account is disabled and its sessions are ended.` : t`The account is enabled again.`),
  });
  return (
    <>
      <PageHeader title={<span dir="auto">{user.full_name}</span>} />
      {invited && (
        <p role="status" className="notice notice-success">
          <Trans>The invitation is on its way to {user.email}.</Trans>
        </p>
      )}
      <Status message={saved} />
      <p className="muted" dir="ltr">
        {user.email}
      </p>
      <p>
        {user.disabled ? <span className="badge badge-off">{t`Disabled`}</span> : <span className="badge">{t`Active`}</span>}
      </p>
      <form className="stack form" onSubmit={onSubmit} noValidate>
        <FormErrors errors={form.formErrors} />
        <fieldset disabled={!writable} className="stack plain">
          <TextField label={<Trans>Full name</Trans>} registration={register("full_name", { required: t`Enter the person's name.` })} error={formState.errors.full_name} dir="auto" />
          <SelectField label={<Trans>Language</Trans>} registration={register("locale")} error={formState.errors.locale} options={supportedLocales.map((l) => ({ value: l, label: localeNames[l] }))} />
          <PersonTimeZone form={form} instanceZone={settings.data?.time_zone} />
          <SelectField label={<Trans>Role</Trans>} registration={register("role_unique_id")} error={formState.errors.role_unique_id} options={withCurrent((n.roles.data ?? []).map((r) => ({ value: r.unique_id, label: name(r.name) })), user.role_unique_id)} />
          <SelectField label={<Trans>Agency</Trans>} registration={register("agency_unique_id")} error={formState.errors.agency_unique_id} options={withCurrent((n.agencies.data ?? []).map((a) => ({ value: a.unique_id, label: name(a.name) })), user.agency_unique_id)} />
          <GroupChecks groups={n.groups.data ?? []} registration={register("user_group_unique_ids")} error={formState.errors.user_group_unique_ids?.message} />
          {writable && (
            <div className="actions">
              <button type="submit" className="button" disabled={formState.isSubmitting}>
                <Trans>Save changes</Trans>
              </button>
              {me?.id !== user.id && (
                <button type="button" className={user.disabled ? "button button-secondary" : "button button-danger"} onClick={() => status.mutate(!user.disabled)}>
                  {user.disabled ? <Trans>Enable the account</Trans> : <Trans>Disable the account</Trans>}
                </button>
              )}
            </div>
          )}
        </fieldset>
      </form>
      {can(me, "devices:read") && <DeviceList userId={user.id} canRevoke={can(me, "devices:write")} />}
      <p>
        <Link to="/admin/users">
          <Trans>Back to users</Trans>
        </Link>
      </p>
    </>
  );
}
