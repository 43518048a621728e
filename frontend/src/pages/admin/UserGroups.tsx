// User groups: a case manager supervises the records of their groups.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type UserGroup } from "../../api/client";
import { can } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, Status, TextArea, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { Allowed, DataList, LoadError, Loading, PageHeader } from "./common";
import { keys, useGroups } from "./queries";

interface Values {
  unique_id: string;
  name: string;
  description: string;
}

function GroupForm({ group, onDone }: { group?: UserGroup; onDone: (message: string) => void }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const form = useApiForm<Values>(
    { defaultValues: { unique_id: group?.unique_id ?? "usergroup-", name: group?.name ?? "", description: group?.description ?? "" } },
    ["unique_id", "name", "description"],
  );
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    const ok = await form.run(async () => {
      if (group) data(await api.PATCH("/api/v2/user_groups/{id}", { params: { path: { id: group.id } }, body: { name: v.name, description: v.description } }));
      else data(await api.POST("/api/v2/user_groups", { body: v }));
      await qc.invalidateQueries({ queryKey: keys.groups });
    });
    if (ok) onDone(group ? t`The group is saved.` : t`The group is created.`);
  });
  return (
    <form className="stack form" onSubmit={onSubmit} noValidate>
      <FormErrors errors={form.formErrors} />
      {!group && <TextField label={<Trans>Identifier</Trans>} dir="ltr" hint={<Trans>Starts with usergroup-, e.g. usergroup-nairobi.</Trans>} registration={register("unique_id", { required: true })} error={formState.errors.unique_id} />}
      <TextField label={<Trans>Name</Trans>} dir="auto" registration={register("name", { required: t`Enter a name.` })} error={formState.errors.name} />
      <TextArea label={<Trans>Description</Trans>} dir="auto" registration={register("description")} error={formState.errors.description} />
      <div className="actions">
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          {group ? <Trans>Save the group</Trans> : <Trans>Create the group</Trans>}
        </button>
      </div>
    </form>
  );
}

export default function UserGroups() {
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const groups = useGroups();
  const [editing, setEditing] = useState<UserGroup | "new">();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string[]>([]);
  const writable = can(me, "user_groups:write");
  const toggle = async (g: UserGroup) => {
    setError([]);
    const r = await api.PATCH("/api/v2/user_groups/{id}", { params: { path: { id: g.id } }, body: { disabled: !g.disabled } });
    if (r.error) setError([r.error.detail ?? ""]);
    else setSaved(g.disabled ? t`The group is enabled.` : t`The group is disabled.`);
    await qc.invalidateQueries({ queryKey: keys.groups });
  };
  return (
    <Allowed permission="user_groups:read">
      <div className="page">
        <PageHeader
          title={<Trans>User groups</Trans>}
          actions={writable && (
            <button type="button" className="button" onClick={() => setEditing("new")}>
              <Trans>New group</Trans>
            </button>
          )}
        />
        <Status message={saved} />
        <FormErrors errors={error} />
        {editing && (
          <section className="card" aria-labelledby="group-form">
            <h2 id="group-form">{editing === "new" ? <Trans>New group</Trans> : editing.name}</h2>
            <GroupForm group={editing === "new" ? undefined : editing} key={editing === "new" ? "new" : editing.id} onDone={(m) => { setSaved(m); setEditing(undefined); }} />
          </section>
        )}
        {groups.isLoading && <Loading />}
        {groups.error && <LoadError error={groups.error} />}
        {groups.data && (
          <DataList<UserGroup>
            caption={t`User groups`}
            rows={groups.data}
            rowKey={(g) => g.id}
            columns={[
              { header: <Trans>Name</Trans>, primary: true, cell: (g) => <span dir="auto">{g.name}</span> },
              { header: <Trans>Description</Trans>, cell: (g) => <span dir="auto">{g.description}</span> },
              { header: <Trans>Status</Trans>, cell: (g) => (g.disabled ? <span className="badge badge-off">{t`Disabled`}</span> : <span className="badge">{t`Active`}</span>) },
              ...(writable
                ? [{
                    header: <Trans>Actions</Trans>,
                    cell: (g: UserGroup) => (
                      <span className="actions">
                        <button type="button" className="button button-small button-secondary" onClick={() => setEditing(g)}>
                          <Trans>Edit</Trans>
                        </button>
                        <button type="button" className="button button-small button-secondary" onClick={() => void toggle(g)}>
                          {g.disabled ? <Trans>Enable</Trans> : <Trans>Disable</Trans>}
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
