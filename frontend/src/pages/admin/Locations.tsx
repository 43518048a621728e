// Locations: the admin-level hierarchy (country, regions, districts, camps
// ...). Browse it level by level (a breadcrumb of ancestors, the children of
// the location open), search names in any language or codes, add, edit,
// move, disable or delete a location, and import a CSV or HXL file
// (LocationImport.tsx). The browsing state is in the URL, so the back button
// and links work.
import { useState } from "react";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Location } from "../../api/client";
import { can, useSystemSettings } from "../../app/queries";
import { useSession } from "../../app/session";
import { CheckField, FormErrors, SelectField, Status, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { isSupported, localeNames } from "../../i18n";
import { Allowed, compact, DataList, LoadError, Loading, PageHeader, Pager, useLocalName } from "./common";

const PER = 50;
export const LEVELS = [0, 1, 2, 3, 4, 5] as const;

/** The page's state, in the URL. */
export interface LocationSearch {
  /** the location open (its children are listed); none: the whole hierarchy */
  at?: string;
  q?: string;
  level?: number | string;
  /** "enabled", "disabled" or none (both) */
  status?: string;
  page?: number | string;
}

export const locationKeys = {
  all: ["locations"] as const,
  list: (f: Record<string, unknown>) => ["locations", "list", f] as const,
  one: (code: string) => ["locations", "one", code] as const,
};

export function useLevelLabel() {
  const { t } = useLingui();
  return (level: number) => (level === 0 ? t`Country (level 0)` : t`Level ${level}`);
}

function fetchLocation(code: string) {
  return async () => data(await api.GET("/api/v2/locations/{code}", { params: { path: { code } } })).data;
}

export default function LocationList() {
  const { t } = useLingui();
  const { me } = useSession();
  const search = useSearch({ strict: false }) as LocationSearch;
  const navigate = useNavigate();
  const name = useLocalName();
  const level = useLevelLabel();
  const writable = can(me, "locations:write");
  const page = Number(search.page) || 1;
  const levelFilter = search.level === undefined || search.level === "" ? undefined : Number(search.level);
  const filtered = !!search.q || levelFilter !== undefined || !!search.status;
  const [editing, setEditing] = useState<Location | "new">();
  const [notice, setNotice] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  const qc = useQueryClient();

  const current = useQuery({ queryKey: locationKeys.one(search.at ?? ""), enabled: !!search.at, queryFn: fetchLocation(search.at ?? "") });
  // Filters search below the open location (or everywhere); without filters, its children are listed.
  const query = {
    page,
    per: PER,
    ...(search.at ? (filtered ? { subtree: search.at } : { parent: search.at }) : {}),
    ...(search.q ? { query: search.q } : {}),
    ...(levelFilter !== undefined ? { admin_level: levelFilter } : {}),
    ...(search.status ? { disabled: search.status === "disabled" } : {}),
  };
  const list = useQuery({
    queryKey: locationKeys.list(query),
    queryFn: async () => data(await api.GET("/api/v2/locations", { params: { query } })),
  });

  const go = (s: LocationSearch) => void navigate({ to: "/admin/locations", search: s as never });
  const open = (code?: string) => {
    setEditing(undefined);
    setNotice(undefined);
    go({ at: code });
  };
  const refresh = () => qc.invalidateQueries({ queryKey: locationKeys.all });
  const toggle = async (l: Location) => {
    setErrors([]);
    const r = await api.PATCH("/api/v2/locations/{code}", { params: { path: { code: l.code } }, body: { disabled: !l.disabled } });
    if (r.error) setErrors([r.error.detail ?? ""]);
    else setNotice(l.disabled ? t`${name(l.name)} is enabled.` : t`${name(l.name)} is disabled: kept in existing records, not offered for new ones.`);
    await refresh();
  };
  const remove = async (l: Location) => {
    if (!window.confirm(t`Delete ${name(l.name)} (${l.code})? Only a location that nothing uses can be deleted.`)) return;
    setErrors([]);
    const r = await api.DELETE("/api/v2/locations/{code}", { params: { path: { code: l.code } } });
    if (r.error) {
      setErrors([r.error.detail ?? ""]);
      return;
    }
    setNotice(t`${name(l.name)} is deleted.`);
    if (search.at === l.code) open(l.parent_code);
    await refresh();
  };

  const depth = (l: Location) => (l.hierarchy?.length ?? 1) - (current.data?.hierarchy?.length ?? 0) - 1;
  return (
    <Allowed permission="locations:read">
      <div className="page">
        <PageHeader
          title={<Trans>Locations</Trans>}
          actions={
            writable && (
              <>
                <button type="button" className="button" onClick={() => setEditing("new")}>
                  <Trans>New location</Trans>
                </button>
                <Link to="/admin/locations/import" className="button button-secondary">
                  <Trans>Import a file</Trans>
                </Link>
              </>
            )
          }
        />
        <Breadcrumb at={current.data} onOpen={open} />
        <Status message={notice} />
        <FormErrors errors={errors} />
        {current.error && <LoadError error={current.error} />}
        {current.data && (
          <LocationFacts
            location={current.data}
            writable={writable}
            onEdit={() => setEditing(current.data)}
            onToggle={() => void toggle(current.data!)}
            onDelete={() => void remove(current.data!)}
          />
        )}
        {editing && (
          <section className="card" aria-labelledby="location-form">
            <h2 id="location-form">{editing === "new" ? <Trans>New location</Trans> : name(editing.name)}</h2>
            <LocationForm
              key={editing === "new" ? `new-${search.at ?? ""}` : editing.code}
              location={editing === "new" ? undefined : editing}
              parent={editing === "new" ? current.data : undefined}
              onDone={(l, created) => {
                setEditing(undefined);
                setNotice(created ? t`${name(l.name)} is added.` : t`${name(l.name)} is saved.`);
                void refresh();
              }}
              onCancel={() => setEditing(undefined)}
            />
          </section>
        )}
        <form
          className="filters"
          role="search"
          aria-label={t`Search locations`}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            go({ at: search.at, q: String(f.get("q") || "") || undefined, level: String(f.get("level") || "") || undefined, status: String(f.get("status") || "") || undefined });
          }}
        >
          <div className="field">
            <label htmlFor="location-q">
              <Trans>Name or code</Trans>
            </label>
            <input id="location-q" name="q" type="search" dir="auto" defaultValue={search.q ?? ""} key={`q-${search.q ?? ""}`} />
          </div>
          <div className="field">
            <label htmlFor="location-level">
              <Trans>Level</Trans>
            </label>
            <select id="location-level" name="level" defaultValue={levelFilter ?? ""} key={`l-${levelFilter ?? ""}`}>
              <option value="">{t`All levels`}</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {level(l)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="location-status">
              <Trans>Status</Trans>
            </label>
            <select id="location-status" name="status" defaultValue={search.status ?? ""} key={`s-${search.status ?? ""}`}>
              <option value="">{t`Enabled and disabled`}</option>
              <option value="enabled">{t`Enabled only`}</option>
              <option value="disabled">{t`Disabled only`}</option>
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="button">
              <Trans>Search</Trans>
            </button>
            {filtered && (
              <button type="button" className="button button-secondary" onClick={() => go({ at: search.at })}>
                <Trans>Clear</Trans>
              </button>
            )}
          </div>
        </form>
        {list.isLoading && <Loading />}
        {list.error && <LoadError error={list.error} />}
        {list.data && (
          <>
            <h2 className="list-heading" aria-live="polite">
              {filtered ? (
                <Trans>Found: {list.data.metadata.total}</Trans>
              ) : current.data ? (
                <Trans>Below {name(current.data.name)}: {list.data.metadata.total}</Trans>
              ) : (
                <Trans>The whole hierarchy: {list.data.metadata.total}</Trans>
              )}
            </h2>
            <DataList<Location>
              caption={t`Locations`}
              rows={list.data.data ?? []}
              rowKey={(l) => l.code}
              empty={filtered ? <Trans>No location matches.</Trans> : <Trans>No locations here yet.</Trans>}
              columns={[
                {
                  header: <Trans>Name</Trans>,
                  primary: true,
                  cell: (l) => (
                    <span className={`tree-name depth-${filtered ? 0 : Math.min(5, Math.max(0, depth(l)))}`}>
                      <Link to="/admin/locations" search={{ at: l.code } as never} dir="auto" onClick={() => setEditing(undefined)}>
                        {name(l.name) || l.code}
                      </Link>
                      {filtered && l.hierarchy && l.hierarchy.length > 1 && (
                        <span className="muted path" dir="ltr">
                          {" "}
                          {l.hierarchy.slice(0, -1).join(" › ")}
                        </span>
                      )}
                    </span>
                  ),
                },
                { header: <Trans>Code</Trans>, cell: (l) => <code dir="ltr">{l.code}</code> },
                {
                  header: <Trans>Level</Trans>,
                  cell: (l) => (
                    <>
                      {level(l.admin_level)}
                      {l.type && <span className="muted"> · {l.type}</span>}
                    </>
                  ),
                },
                {
                  header: <Trans>Status</Trans>,
                  cell: (l) => (l.disabled ? <span className="badge badge-off">{t`Disabled`}</span> : <span className="badge">{t`Enabled`}</span>),
                },
                ...(writable
                  ? [
                      {
                        header: <Trans>Actions</Trans>,
                        cell: (l: Location) => (
                          <span className="actions">
                            <button type="button" className="button button-small button-secondary" onClick={() => setEditing(l)}>
                              <Trans>Edit</Trans>
                            </button>
                            <button type="button" className="button button-small button-secondary" onClick={() => void toggle(l)}>
                              {l.disabled ? <Trans>Enable</Trans> : <Trans>Disable</Trans>}
                            </button>
                          </span>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            <Pager page={page} per={PER} total={list.data.metadata.total} onPage={(p) => go({ ...search, page: p })} />
          </>
        )}
      </div>
    </Allowed>
  );
}

/** Breadcrumb: "All locations" › the open location's ancestors › itself. */
function Breadcrumb({ at, onOpen }: { at?: Location; onOpen: (code?: string) => void }) {
  const { t } = useLingui();
  const name = useLocalName();
  const ancestors = (at?.hierarchy ?? []).slice(0, -1);
  const found = useQueries({
    queries: ancestors.map((code) => ({ queryKey: locationKeys.one(code), queryFn: fetchLocation(code), staleTime: 60_000 })),
  });
  return (
    <nav aria-label={t`Where you are in the hierarchy`} className="breadcrumb">
      <ol>
        <li>
          {at ? (
            <a href="/admin/locations" onClick={(e) => (e.preventDefault(), onOpen())}>
              <Trans>All locations</Trans>
            </a>
          ) : (
            <span aria-current="page">
              <Trans>All locations</Trans>
            </span>
          )}
        </li>
        {ancestors.map((code, i) => (
          <li key={code}>
            <a href={`/admin/locations?at=${encodeURIComponent(code)}`} dir="auto" onClick={(e) => (e.preventDefault(), onOpen(code))}>
              {name(found[i]?.data?.name) || code}
            </a>
          </li>
        ))}
        {at && (
          <li>
            <span aria-current="page" dir="auto">
              {name(at.name) || at.code}
            </span>
          </li>
        )}
      </ol>
    </nav>
  );
}

/** The open location: what it is, and what can be done with it. */
function LocationFacts({ location: l, writable, onEdit, onToggle, onDelete }: { location: Location; writable: boolean; onEdit: () => void; onToggle: () => void; onDelete: () => void }) {
  const level = useLevelLabel();
  const name = useLocalName();
  return (
    <section className="card" aria-labelledby="location-facts" data-testid="location-facts">
      <h2 id="location-facts" dir="auto">
        {name(l.name) || l.code}
      </h2>
      <dl className="facts">
        <div>
          <dt>
            <Trans>Code</Trans>
          </dt>
          <dd>
            <code dir="ltr">{l.code}</code>
          </dd>
        </div>
        <div>
          <dt>
            <Trans>Level</Trans>
          </dt>
          <dd>
            {level(l.admin_level)}
            {l.type && <span className="muted"> · {l.type}</span>}
          </dd>
        </div>
        <div>
          <dt>
            <Trans>Names</Trans>
          </dt>
          <dd>
            <ul className="names">
              {Object.entries(l.name).map(([lang, n]) => (
                <li key={lang}>
                  <span className="muted">{isSupported(lang) ? localeNames[lang] : lang}:</span>{" "}
                  <span lang={lang} dir="auto">
                    {n}
                  </span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>
            <Trans>Status</Trans>
          </dt>
          <dd>{l.disabled ? <Trans>Disabled: kept in existing records, not offered for new ones</Trans> : <Trans>Enabled</Trans>}</dd>
        </div>
      </dl>
      {writable && (
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={onEdit}>
            <Trans>Edit</Trans>
          </button>
          <button type="button" className="button button-secondary" onClick={onToggle}>
            {l.disabled ? <Trans>Enable</Trans> : <Trans>Disable</Trans>}
          </button>
          <button type="button" className="button button-secondary button-danger-text" onClick={onDelete}>
            <Trans>Delete</Trans>
          </button>
        </div>
      )}
    </section>
  );
}

interface Values {
  code: string;
  parent_code: string;
  admin_level: string;
  type: string;
  name: Record<string, string>;
  disabled: boolean;
}

/** LocationForm adds a location (under parent, when one is open) or changes one. */
function LocationForm({ location, parent, onDone, onCancel }: { location?: Location; parent?: Location; onDone: (l: Location, created: boolean) => void; onCancel: () => void }) {
  const { t } = useLingui();
  const settings = useSystemSettings();
  const level = useLevelLabel();
  const locales = (settings.data?.locales ?? ["en"]).filter(isSupported);
  const defaults: Values = location
    ? { code: location.code, parent_code: location.parent_code ?? "", admin_level: String(location.admin_level), type: location.type, name: { ...location.name }, disabled: location.disabled }
    : { code: "", parent_code: parent?.code ?? "", admin_level: String(Math.min(5, (parent?.admin_level ?? -1) + 1)), type: "", name: {}, disabled: false };
  const form = useApiForm<Values>({ defaultValues: defaults }, ["code", "parent_code", "admin_level", "type", "name", ...locales.map((l) => `name.${l}`), "disabled"]);
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    let saved: Location | undefined;
    const ok = await form.run(async () => {
      const common = { admin_level: Number(v.admin_level), type: v.type.trim(), name: compact(v.name), disabled: v.disabled };
      if (location) {
        saved = data(await api.PATCH("/api/v2/locations/{code}", { params: { path: { code: location.code } }, body: { ...common, parent_code: v.parent_code.trim() } })).data;
      } else {
        saved = data(await api.POST("/api/v2/locations", { body: { ...common, code: v.code.trim(), ...(v.parent_code.trim() ? { parent_code: v.parent_code.trim() } : {}) } })).data;
      }
    });
    if (ok && saved) onDone(saved, !location);
  });
  return (
    <form className="stack form" onSubmit={onSubmit} noValidate>
      <FormErrors errors={form.formErrors} />
      {!location && (
        <TextField
          label={<Trans>Code</Trans>}
          dir="ltr"
          hint={<Trans>Letters, digits or underscores, e.g. a P-code such as SO1101. It never changes: records refer to it.</Trans>}
          registration={register("code", { required: t`Enter a code.` })}
          error={formState.errors.code}
        />
      )}
      <TextField
        label={<Trans>Parent's code</Trans>}
        dir="ltr"
        hint={location ? <Trans>Change it to move this location and everything below it. Empty: a top-level location.</Trans> : <Trans>Empty: a top-level location (usually the country).</Trans>}
        registration={register("parent_code")}
        error={formState.errors.parent_code}
      />
      <SelectField
        label={<Trans>Admin level</Trans>}
        hint={<Trans>Below the parent's level; levels may be skipped.</Trans>}
        registration={register("admin_level")}
        options={LEVELS.map((l) => ({ value: String(l), label: level(l) }))}
        error={formState.errors.admin_level}
      />
      <TextField label={<Trans>Type</Trans>} dir="ltr" hint={<Trans>e.g. region, district, camp</Trans>} registration={register("type")} error={formState.errors.type} />
      <fieldset className="field">
        <legend>
          <Trans>Name, in each language</Trans>
        </legend>
        {locales.map((l) => (
          <TextField key={l} label={localeNames[l]} lang={l} dir="auto" registration={register(`name.${l}`)} error={formState.errors.name?.[l]} />
        ))}
        {typeof formState.errors.name?.message === "string" && <p className="field-error">{formState.errors.name.message}</p>}
      </fieldset>
      <CheckField label={<Trans>Disabled: not offered for new records</Trans>} registration={register("disabled")} />
      <div className="actions">
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          {location ? <Trans>Save the location</Trans> : <Trans>Add the location</Trans>}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          <Trans>Cancel</Trans>
        </button>
      </div>
    </form>
  );
}
