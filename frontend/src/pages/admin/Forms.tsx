// Forms admin: the forms of each record type by form group, a new form, and
// the form editor (labels per language, modules, order, and the fields: add,
// edit every attribute, reorder, hide), saved in one PATCH whose problems are
// shown at the field and attribute they name (body.fields[3].display_conditions).
import { useState } from "react";
import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Field, type Form, type Lookup } from "../../api/client";
import { ApiError } from "../../api/problem";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, Status } from "../../components/Field";
import { cleanField, formProblems, move, newField, type FormProblems } from "../../config/fields";
import { isSupported } from "../../i18n";
import { Allowed, compact, LoadError, Loading, PageHeader, useLocalName } from "./common";
import { FieldEditor, TextsField, useTypeLabel } from "./FieldEditor";

export const recordTypes = ["case", "tracing_request", "incident"] as const;
export type RecordType = (typeof recordTypes)[number];

export const configKeys = {
  forms: (rt?: string) => ["forms", rt ?? "all"] as const,
  form: (id: string) => ["forms", "one", id] as const,
  lookups: ["lookups"] as const,
  modules: ["modules"] as const,
};

export function useRecordTypeLabel() {
  const { t } = useLingui();
  const labels: Record<string, string> = { case: t`Cases`, tracing_request: t`Tracing requests`, incident: t`Incidents` };
  return (rt: string) => labels[rt] ?? rt;
}

export function useForms(recordType?: string) {
  return useQuery({
    queryKey: configKeys.forms(recordType),
    queryFn: async () => data(await api.GET("/api/v2/forms", { params: { query: recordType ? { record_type: recordType as RecordType } : {} } })).data ?? [],
  });
}

export function useLookups() {
  return useQuery({ queryKey: configKeys.lookups, queryFn: async () => data(await api.GET("/api/v2/lookups")).data ?? [] });
}

function useModules() {
  return useQuery({ queryKey: configKeys.modules, queryFn: async () => data(await api.GET("/api/v2/modules")).data ?? [] });
}

function useLocales() {
  const settings = useSystemSettings();
  return (settings.data?.locales ?? ["en"]).filter(isSupported) as string[];
}

export function FormList() {
  const { t } = useLingui();
  const { me } = useSession();
  const search = useSearch({ strict: false }) as { record_type?: string };
  const navigate = useNavigate();
  const rt = recordTypes.includes(search.record_type as RecordType) ? (search.record_type as RecordType) : "case";
  const forms = useForms(rt);
  const name = useLocalName();
  const rtLabel = useRecordTypeLabel();
  const groups = new Map<string, { name: Record<string, string> | undefined; forms: Form[] }>();
  for (const f of forms.data ?? []) {
    const key = f.is_nested ? "~nested" : (f.form_group_id ?? "");
    if (!groups.has(key)) groups.set(key, { name: f.is_nested ? undefined : f.form_group_name, forms: [] });
    groups.get(key)!.forms.push(f);
  }
  return (
    <Allowed permission="forms:read">
      <div className="page">
        <PageHeader
          title={<Trans>Forms</Trans>}
          actions={
            can(me, "forms:write") && (
              <Link to="/admin/forms/new" search={{ record_type: rt } as never} className="button">
                <Trans>New form</Trans>
              </Link>
            )
          }
        />
        <div className="segmented" role="group" aria-label={t`Record type`}>
          {recordTypes.map((r) => (
            <button key={r} type="button" className={r === rt ? "button button-small" : "button button-small button-secondary"} aria-pressed={r === rt} onClick={() => void navigate({ to: "/admin/forms", search: { record_type: r } as never })}>
              {rtLabel(r)}
            </button>
          ))}
        </div>
        {forms.isLoading && <Loading />}
        {forms.error && <LoadError error={forms.error} />}
        {[...groups.entries()].map(([key, g]) => (
          <section key={key} className="card" aria-labelledby={`group-${key}`}>
            <h2 id={`group-${key}`} dir="auto">
              {key === "~nested" ? <Trans>Subform rows</Trans> : name(g.name) || key || <Trans>No group</Trans>}
            </h2>
            <ul className="form-list">
              {g.forms.map((f) => (
                <li key={f.unique_id}>
                  <Link to="/admin/forms/$id" params={{ id: f.unique_id }} dir="auto">
                    {name(f.name) || f.unique_id}
                  </Link>{" "}
                  <code dir="ltr" className="muted">
                    {f.unique_id}
                  </code>{" "}
                  <span className="muted">{t`${(f.fields ?? []).length} fields`}</span> {f.visible === false && <span className="badge badge-off">{t`Hidden`}</span>}{" "}
                  {f.core_form && <span className="badge">{t`Core`}</span>}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Allowed>
  );
}

export function NewForm() {
  const { t } = useLingui();
  const search = useSearch({ strict: false }) as { record_type?: string };
  const navigate = useNavigate();
  const qc = useQueryClient();
  const locales = useLocales();
  const modules = useModules();
  const rtLabel = useRecordTypeLabel();
  const name = useLocalName();
  const [rt, setRt] = useState<RecordType>(recordTypes.includes(search.record_type as RecordType) ? (search.record_type as RecordType) : "case");
  const [uid, setUid] = useState("");
  const [names, setNames] = useState<Record<string, string>>({});
  const [mods, setMods] = useState<string[]>([]);
  const [nested, setNested] = useState(false);
  const [problems, setProblems] = useState<FormProblems>({ fields: {}, other: {} });
  const [busy, setBusy] = useState(false);
  const available = (modules.data ?? []).filter((m) => (m.associated_record_types ?? []).includes(rt));
  const chosen = mods.length ? mods : available.map((m) => m.unique_id);
  const create = async () => {
    setBusy(true);
    setProblems({ fields: {}, other: {} });
    try {
      const r = data(await api.POST("/api/v2/forms", { body: { unique_id: uid.trim(), parent_form: rt, module_ids: chosen, name: compact(names), is_nested: nested, core_form: false, order: 0, order_form_group: 0, fields: [] } })).data;
      await qc.invalidateQueries({ queryKey: ["forms"] });
      await navigate({ to: "/admin/forms/$id", params: { id: r.unique_id } });
    } catch (e) {
      setProblems(e instanceof ApiError ? formProblems(e.problem) : { fields: {}, other: { "": String(e) } });
    } finally {
      setBusy(false);
    }
  };
  const other = problems.other;
  const known = ["unique_id", "name", "module_ids"];
  const rest = Object.entries(other).filter(([k]) => !known.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`)));
  const at = (p: string) => Object.entries(other).filter(([k]) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`)).map(([, v]) => v).join(" ") || undefined;
  return (
    <Allowed permission="forms:write">
      <div className="page">
        <PageHeader title={<Trans>New form</Trans>} />
        <form
          className="stack form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <FormErrors errors={rest.map(([k, v]) => (k ? `${k}: ${v}` : v))} />
          <div className="field">
            <label htmlFor="form-rt">
              <Trans>Record type</Trans>
            </label>
            <select id="form-rt" name="parent_form" value={rt} onChange={(e) => setRt(e.target.value as RecordType)}>
              {recordTypes.map((r) => (
                <option key={r} value={r}>
                  {rtLabel(r)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="form-uid">
              <Trans>Identifier</Trans>
            </label>
            <input id="form-uid" name="unique_id" dir="ltr" value={uid} onChange={(e) => setUid(e.target.value)} aria-describedby="form-uid-hint" aria-invalid={at("unique_id") ? true : undefined} />
            <p id="form-uid-hint" className="field-hint">
              <Trans>Lower-case letters, digits and underscores, e.g. health_assessment. It cannot change later.</Trans>
            </p>
            {at("unique_id") && <p className="field-error">{at("unique_id")}</p>}
          </div>
          <TextsField legend={<Trans>Name, in each language</Trans>} name="name" value={names} onChange={setNames} locales={locales} error={at("name")} />
          <fieldset className="field">
            <legend>
              <Trans>Modules</Trans>
            </legend>
            {available.map((m) => (
              <div key={m.unique_id} className="field-check">
                <input type="checkbox" id={`mod-${m.unique_id}`} name="module_ids" value={m.unique_id} checked={chosen.includes(m.unique_id)} onChange={(e) => setMods(e.target.checked ? [...chosen, m.unique_id] : chosen.filter((x) => x !== m.unique_id))} />
                <label htmlFor={`mod-${m.unique_id}`} dir="auto">
                  {name(m.name)}
                </label>
              </div>
            ))}
            {at("module_ids") && <p className="field-error">{at("module_ids")}</p>}
          </fieldset>
          <div className="field field-check">
            <input type="checkbox" id="form-nested" name="is_nested" checked={nested} onChange={(e) => setNested(e.target.checked)} />
            <label htmlFor="form-nested">
              <Trans>The rows of a subform (not shown on its own)</Trans>
            </label>
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              <Trans>Create the form</Trans>
            </button>
            <Link to="/admin/forms" search={{ record_type: rt } as never} className="button button-secondary">
              {t`Cancel`}
            </Link>
          </div>
        </form>
      </div>
    </Allowed>
  );
}

export function EditForm() {
  const { id } = useParams({ strict: false }) as { id: string };
  const form = useQuery({ queryKey: configKeys.form(id), queryFn: async () => data(await api.GET("/api/v2/forms/{id}", { params: { path: { id } } })).data });
  const name = useLocalName();
  return (
    <Allowed permission="forms:read">
      <div className="page">
        {form.isLoading && <Loading />}
        {form.error && <LoadError error={form.error} />}
        {form.data && (
          <>
            <PageHeader title={<span dir="auto">{name(form.data.name) || form.data.unique_id}</span>} />
            <FormEditor form={form.data} key={form.data.unique_id} />
          </>
        )}
      </div>
    </Allowed>
  );
}

function FormEditor({ form }: { form: Form }) {
  const { t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const locales = useLocales();
  const name = useLocalName();
  const typeLabel = useTypeLabel();
  const rtLabel = useRecordTypeLabel();
  const siblings = useForms(form.parent_form);
  const lookups = useLookups();
  const modules = useModules();
  const writable = can(me, "forms:write");
  const [draft, setDraft] = useState<Form>(() => ({ ...form, fields: form.fields ?? [] }));
  // Stable keys of the fields while they move, and which ones are new (their name may still change).
  const [ids, setIds] = useState<number[]>(() => (form.fields ?? []).map((_, i) => i));
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number>();
  const [problems, setProblems] = useState<FormProblems>({ fields: {}, other: {} });
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fields = draft.fields ?? [];
  const setFields = (fs: Field[]) => setDraft({ ...draft, fields: fs });
  const set = (patch: Partial<Form>) => setDraft({ ...draft, ...patch });

  // Fields a condition may read: the record's fields on its other forms, and this form's others.
  const recordFields = (siblings.data ?? []).filter((f) => f.unique_id !== form.unique_id && !f.is_nested).flatMap((f) => f.fields ?? []);
  const othersOf = (i: number) => [...fields.filter((_, j) => j !== i), ...recordFields];
  const reorder = (i: number, delta: number) => {
    setFields(move(fields, i, delta));
    setIds(move(ids, i, delta));
    setOpen(open === i ? i + delta : open === i + delta ? i : open);
  };
  const nestedForms = (siblings.data ?? []).filter((f) => f.is_nested).map((f) => ({ unique_id: f.unique_id, name: f.name }));

  const save = async () => {
    setBusy(true);
    setSaved(undefined);
    setProblems({ fields: {}, other: {} });
    try {
      const body = {
        name: compact(draft.name),
        description: compact(draft.description),
        form_group_id: draft.form_group_id?.trim() || undefined,
        form_group_name: compact(draft.form_group_name),
        module_ids: draft.module_ids ?? [],
        order: Number(draft.order) || 0,
        order_form_group: Number(draft.order_form_group) || 0,
        visible: draft.visible !== false,
        fields: fields.map(cleanField),
      };
      const stored = data(await api.PATCH("/api/v2/forms/{id}", { params: { path: { id: form.unique_id } }, body })).data;
      // The editor goes on from what the server stored (canonical); the other screens reload.
      qc.setQueryData(configKeys.form(form.unique_id), stored);
      setDraft({ ...stored, fields: stored.fields ?? [] });
      setIds((stored.fields ?? []).map((_, i) => i));
      setFresh(new Set());
      setSaved(t`The form is saved. New records use it at once.`);
      await qc.invalidateQueries({ queryKey: configKeys.forms(form.parent_form) });
      await qc.invalidateQueries({ queryKey: configKeys.forms() });
    } catch (e) {
      const p = e instanceof ApiError ? formProblems(e.problem) : { fields: {}, other: { "": String(e) } };
      setProblems(p);
      const first = Object.keys(p.fields).map(Number).sort((a, b) => a - b)[0];
      if (first !== undefined) setOpen(first);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!window.confirm(t`Delete the form ${name(form.name) || form.unique_id}? Roles lose their access to it.`)) return;
    setProblems({ fields: {}, other: {} });
    const r = await api.DELETE("/api/v2/forms/{id}", { params: { path: { id: form.unique_id } } });
    if (r.error) {
      setProblems({ fields: {}, other: { "": r.error.detail ?? "" } });
      return;
    }
    await qc.invalidateQueries({ queryKey: ["forms"] });
    await navigate({ to: "/admin/forms", search: { record_type: form.parent_form } as never });
  };

  const other = problems.other;
  const at = (p: string) =>
    Object.entries(other)
      .filter(([k]) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`))
      .map(([, v]) => v)
      .join(" ") || undefined;
  const known = ["name", "description", "form_group_id", "form_group_name", "module_ids", "order", "order_form_group"];
  const rest = Object.entries(other).filter(([k]) => !known.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`)));
  const fieldCount = Object.keys(problems.fields).length;
  const available = (modules.data ?? []).filter((m) => (m.associated_record_types ?? []).includes(form.parent_form));
  return (
    <form
      className="stack form form-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p>
        <Link to="/admin/forms" search={{ record_type: form.parent_form } as never}>
          <Trans>Back to forms</Trans>
        </Link>
      </p>
      <p className="muted">
        <code dir="ltr">{form.unique_id}</code> · {rtLabel(form.parent_form)}
        {form.is_nested && <> · {t`Subform rows`}</>}
        {form.core_form && <> · {t`Core form: may be changed, not deleted`}</>}
      </p>
      <Status message={saved} />
      <FormErrors errors={[...rest.map(([k, v]) => (k ? `${k}: ${v}` : v)), ...(fieldCount ? [t`Some fields have problems: they are marked below.`] : [])]} />
      <fieldset className="stack plain" disabled={!writable}>
        <TextsField legend={<Trans>Name, in each language</Trans>} name="name" value={draft.name} onChange={(v) => set({ name: v })} locales={locales} error={at("name")} />
        <details>
          <summary>
            <Trans>Description, group, modules and order</Trans>
          </summary>
          <div className="stack">
            <TextsField legend={<Trans>Description</Trans>} name="description" long value={draft.description} onChange={(v) => set({ description: v })} locales={locales} error={at("description")} />
            <div className="field">
              <label htmlFor="form-group-id">
                <Trans>Form group identifier</Trans>
              </label>
              <input id="form-group-id" name="form_group_id" dir="ltr" value={draft.form_group_id ?? ""} onChange={(e) => set({ form_group_id: e.target.value })} />
              {at("form_group_id") && <p className="field-error">{at("form_group_id")}</p>}
            </div>
            <TextsField legend={<Trans>Form group name</Trans>} name="form_group_name" value={draft.form_group_name} onChange={(v) => set({ form_group_name: v })} locales={locales} error={at("form_group_name")} />
            <fieldset className="field">
              <legend>
                <Trans>Modules</Trans>
              </legend>
              {available.map((m) => (
                <div key={m.unique_id} className="field-check">
                  <input
                    type="checkbox"
                    id={`mod-${m.unique_id}`}
                    checked={(draft.module_ids ?? []).includes(m.unique_id)}
                    onChange={(e) => set({ module_ids: e.target.checked ? [...(draft.module_ids ?? []), m.unique_id] : (draft.module_ids ?? []).filter((x) => x !== m.unique_id) })}
                  />
                  <label htmlFor={`mod-${m.unique_id}`} dir="auto">
                    {name(m.name)}
                  </label>
                </div>
              ))}
              {at("module_ids") && <p className="field-error">{at("module_ids")}</p>}
            </fieldset>
            <div className="row">
              <div className="field">
                <label htmlFor="form-order-group">
                  <Trans>Group's place</Trans>
                </label>
                <input id="form-order-group" type="number" dir="ltr" value={draft.order_form_group} onChange={(e) => set({ order_form_group: Number(e.target.value) })} />
              </div>
              <div className="field">
                <label htmlFor="form-order">
                  <Trans>Place in its group</Trans>
                </label>
                <input id="form-order" type="number" dir="ltr" value={draft.order} onChange={(e) => set({ order: Number(e.target.value) })} />
              </div>
            </div>
            <div className="field field-check">
              <input type="checkbox" id="form-visible" checked={draft.visible !== false} onChange={(e) => set({ visible: e.target.checked })} />
              <label htmlFor="form-visible">
                <Trans>Visible (unticked: the whole form is hidden)</Trans>
              </label>
            </div>
          </div>
        </details>

        <section aria-labelledby="fields-heading" className="stack">
          <h2 id="fields-heading">
            <Trans>Fields</Trans>
          </h2>
          {at("fields") && <p className="field-error">{at("fields")}</p>}
          <ol className="field-list">
            {fields.map((f, i) => {
              const p = problems.fields[i];
              const label = name(f.display_name) || f.name;
              return (
                <li key={ids[i]} className={p ? "field-item has-problem" : "field-item"} data-field={f.name}>
                  <div className="field-summary">
                    <div>
                      <strong dir="auto" className={f.visible === false ? "muted" : undefined}>
                        {label}
                      </strong>{" "}
                      <code dir="ltr" className="muted">
                        {f.name}
                      </code>
                      <div className="muted">
                        {typeLabel(f.type)}
                        {f.required && <> · {t`required`}</>}
                        {f.display_conditions !== undefined && <> · {t`shown when a condition holds`}</>}
                        {f.visible === false && (
                          <>
                            {" "}
                            <span className="badge badge-off">{t`Hidden`}</span>
                          </>
                        )}
                        {p && (
                          <>
                            {" "}
                            <span className="badge badge-off">{t`Has problems`}</span>
                          </>
                        )}
                      </div>
                    </div>
                    <div className="actions">
                      <button type="button" className="button button-small button-secondary" aria-expanded={open === i} onClick={() => setOpen(open === i ? undefined : i)}>
                        {open === i ? t`Close` : t`Edit`}
                        <span className="visually-hidden"> {label}</span>
                      </button>
                      <button type="button" className="button button-small button-secondary" aria-label={t`Move ${label} up`} disabled={i === 0} onClick={() => reorder(i, -1)}>
                        ↑
                      </button>
                      <button type="button" className="button button-small button-secondary" aria-label={t`Move ${label} down`} disabled={i === fields.length - 1} onClick={() => reorder(i, 1)}>
                        ↓
                      </button>
                      <button type="button" className="button button-small button-secondary" onClick={() => setFields(fields.map((x, j) => (j === i ? { ...x, visible: x.visible === false } : x)))}>
                        {f.visible === false ? t`Show` : t`Hide`}
                        <span className="visually-hidden"> {label}</span>
                      </button>
                    </div>
                  </div>
                  {p && open !== i && <p className="field-error">{Object.values(p).join(" ")}</p>}
                  {open === i && (
                    <FieldEditor
                      field={f}
                      isNew={fresh.has(ids[i])}
                      onChange={(nf) => setFields(fields.map((x, j) => (j === i ? nf : x)))}
                      others={othersOf(i)}
                      lookups={(lookups.data ?? []) as Lookup[]}
                      nested={nestedForms}
                      locales={locales}
                      errors={p}
                    />
                  )}
                </li>
              );
            })}
          </ol>
          <div className="actions">
            <button
              type="button"
              className="button button-secondary"
              data-testid="add-field"
              onClick={() => {
                const key = Math.max(-1, ...ids) + 1;
                setFresh(new Set(fresh).add(key));
                setIds([...ids, key]);
                setFields([...fields, newField(fields)]);
                setOpen(fields.length);
              }}
            >
              <Trans>Add a field</Trans>
            </button>
          </div>
        </section>
        {writable && (
          <div className="actions sticky-actions">
            <button type="submit" className="button" disabled={busy} aria-busy={busy}>
              <Trans>Save the form</Trans>
            </button>
            {!form.core_form && (
              <button type="button" className="button button-secondary button-danger-text" onClick={() => void remove()}>
                <Trans>Delete the form</Trans>
              </button>
            )}
          </div>
        )}
      </fieldset>
    </form>
  );
}
