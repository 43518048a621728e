// Lookups admin: the option lists fields take their options from. Each
// lookup's name and values (identifier, label per language, disabled), in
// order; a value records use is disabled, not removed. Saved in one request
// (values replace the whole list); problems shown at the value they name.
import { useState } from "react";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Lookup } from "../../api/client";
import { ApiError } from "../../api/problem";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, Status } from "../../components/Field";
import { isSupported } from "../../i18n";
import { Allowed, compact, DataList, LoadError, Loading, PageHeader, useLocalName } from "./common";
import { OptionsEditor, TextsField } from "./FieldEditor";
import { configKeys, useLookups } from "./Forms";

export function LookupList() {
  const { t } = useLingui();
  const { me } = useSession();
  const lookups = useLookups();
  const name = useLocalName();
  const [q, setQ] = useState("");
  const rows = (lookups.data ?? []).filter((l) => !q || l.unique_id.includes(q.toLowerCase()) || Object.values(l.name).some((n) => n.toLowerCase().includes(q.toLowerCase())));
  return (
    <Allowed permission="lookups:read">
      <div className="page">
        <PageHeader
          title={<Trans>Lookups</Trans>}
          actions={
            can(me, "lookups:write") && (
              <Link to="/admin/lookups/$id" params={{ id: "new" }} className="button">
                <Trans>New lookup</Trans>
              </Link>
            )
          }
        />
        <div className="field">
          <label htmlFor="lookup-q">
            <Trans>Find a lookup</Trans>
          </label>
          <input id="lookup-q" type="search" dir="auto" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        {lookups.isLoading && <Loading />}
        {lookups.error && <LoadError error={lookups.error} />}
        {lookups.data && (
          <DataList<Lookup>
            caption={t`Lookups`}
            rows={rows}
            rowKey={(l) => l.unique_id}
            columns={[
              {
                header: <Trans>Name</Trans>,
                primary: true,
                cell: (l) => (
                  <Link to="/admin/lookups/$id" params={{ id: l.unique_id }} dir="auto">
                    {name(l.name) || l.unique_id}
                  </Link>
                ),
              },
              { header: <Trans>Identifier</Trans>, cell: (l) => <code dir="ltr">{l.unique_id}</code> },
              {
                header: <Trans>Values</Trans>,
                cell: (l) => (
                  <span dir="auto">
                    {(l.values ?? [])
                      .slice(0, 4)
                      .map((v) => name(v.display_text) || v.id)
                      .join(", ")}
                    {(l.values ?? []).length > 4 ? " …" : ""}
                  </span>
                ),
              },
            ]}
          />
        )}
      </div>
    </Allowed>
  );
}

export function EditLookup() {
  const { id } = useParams({ strict: false }) as { id: string };
  const isNew = id === "new";
  const lookup = useQuery({ queryKey: [...configKeys.lookups, id], enabled: !isNew, queryFn: async () => data(await api.GET("/api/v2/lookups/{id}", { params: { path: { id } } })).data });
  const name = useLocalName();
  return (
    <Allowed permission="lookups:read">
      <div className="page">
        {lookup.isLoading && <Loading />}
        {lookup.error && <LoadError error={lookup.error} />}
        {(isNew || lookup.data) && (
          <>
            <PageHeader title={isNew ? <Trans>New lookup</Trans> : <span dir="auto">{name(lookup.data!.name) || lookup.data!.unique_id}</span>} />
            <LookupEditor lookup={isNew ? undefined : lookup.data} key={id} />
          </>
        )}
      </div>
    </Allowed>
  );
}

function LookupEditor({ lookup }: { lookup?: Lookup }) {
  const { t } = useLingui();
  const { me } = useSession();
  const settings = useSystemSettings();
  const locales = (settings.data?.locales ?? ["en"]).filter(isSupported) as string[];
  const qc = useQueryClient();
  const navigate = useNavigate();
  const writable = can(me, "lookups:write");
  const [uid, setUid] = useState(lookup?.unique_id ?? "lookup-");
  const [names, setNames] = useState<Record<string, string>>(lookup?.name ?? {});
  const [values, setValues] = useState(lookup?.values ?? []);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setSaved(undefined);
    setProblems({});
    const clean = values.map((v) => ({ id: v.id.trim(), display_text: compact(v.display_text), ...(v.disabled ? { disabled: true } : {}) }));
    try {
      if (lookup) {
        const stored = data(await api.PATCH("/api/v2/lookups/{id}", { params: { path: { id: lookup.unique_id } }, body: { name: compact(names), values: clean } })).data;
        qc.setQueryData([...configKeys.lookups, lookup.unique_id], stored);
        setValues(stored.values ?? []);
        setSaved(t`The lookup is saved.`);
        await qc.invalidateQueries({ queryKey: configKeys.lookups, exact: true });
      } else {
        const r = data(await api.POST("/api/v2/lookups", { body: { unique_id: uid.trim(), name: compact(names), values: clean } })).data;
        await qc.invalidateQueries({ queryKey: configKeys.lookups });
        await navigate({ to: "/admin/lookups/$id", params: { id: r.unique_id } });
      }
    } catch (e) {
      if (e instanceof ApiError) {
        const out: Record<string, string> = {};
        for (const d of e.problem.errors ?? []) {
          const key = (d.location ?? "").replace(/^body\.?/, "");
          out[key] = out[key] ? `${out[key]} ${d.message}` : (d.message ?? "");
        }
        if (!e.problem.errors?.length) out[""] = e.message;
        setProblems(out);
      } else setProblems({ "": String(e) });
    } finally {
      setBusy(false);
    }
  };
  const at = (p: string) =>
    Object.entries(problems)
      .filter(([k]) => k === p || k.startsWith(`${p}.`))
      .map(([, v]) => v)
      .join(" ") || undefined;
  const valueErrors: Record<number, string> = {};
  for (const [k, v] of Object.entries(problems)) {
    const m = /^values\[(\d+)\]/.exec(k);
    if (m) valueErrors[Number(m[1])] = valueErrors[Number(m[1])] ? `${valueErrors[Number(m[1])]} ${v}` : v;
  }
  const rest = Object.entries(problems).filter(([k]) => !/^(unique_id|name)(\.|$)/.test(k) && !/^values\[\d+\]/.test(k));
  return (
    <form
      className="stack form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p>
        <Link to="/admin/lookups">
          <Trans>Back to lookups</Trans>
        </Link>
      </p>
      <Status message={saved} />
      <FormErrors errors={rest.map(([k, v]) => (k && k !== "values" ? `${k}: ${v}` : v))} />
      <fieldset className="stack plain" disabled={!writable}>
        {lookup ? (
          <p className="muted">
            <code dir="ltr">{lookup.unique_id}</code>
          </p>
        ) : (
          <div className="field">
            <label htmlFor="lookup-uid">
              <Trans>Identifier</Trans>
            </label>
            <input id="lookup-uid" name="unique_id" dir="ltr" value={uid} onChange={(e) => setUid(e.target.value)} aria-describedby="lookup-uid-hint" aria-invalid={at("unique_id") ? true : undefined} />
            <p id="lookup-uid-hint" className="field-hint">
              <Trans>Starts with lookup-, e.g. lookup-risk-level. It cannot change later.</Trans>
            </p>
            {at("unique_id") && <p className="field-error">{at("unique_id")}</p>}
          </div>
        )}
        <TextsField legend={<Trans>Name, in each language</Trans>} name="name" value={names} onChange={setNames} locales={locales} error={at("name")} />
        <p className="field-hint">
          <Trans>A value that records use cannot be removed: disable it instead (records keep it, new ones cannot choose it).</Trans>
        </p>
        <OptionsEditor legend={<Trans>Values</Trans>} name="values" value={values} onChange={setValues} locales={locales} errors={valueErrors} error={problems.values} />
        {writable && (
          <div className="actions">
            <button type="submit" className="button" disabled={busy} aria-busy={busy}>
              {lookup ? <Trans>Save the lookup</Trans> : <Trans>Create the lookup</Trans>}
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
