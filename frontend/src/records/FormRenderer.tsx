// The record form, rendered from the tenant's configuration: form groups
// and their sections as navigation, one section at a time, every field type
// (Widgets.tsx), subforms with rows added and removed by unique_id, display
// conditions applied as people type. Loaded lazily with the record pages.
import { useCallback, useEffect, useRef } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { localName, useFormatDate } from "../pages/admin/common";
import type { Field, Form, RecordConfig } from "./config";
import type { Row } from "./patch";
import { useSelect, useSelectField, type Place, type RecordStore } from "./store";
import { getter, sectionOf, shown } from "./validate";
import { rowOrder, SERVER_WRITTEN_SUBFORMS } from "./notes";
import { domId, Widget } from "./Widgets";
import "../styles/records.css";

interface Ctx {
  config: RecordConfig;
  store: RecordStore;
  readOnly: boolean;
}

export function RecordForm({ config, store, readOnly, section, onSection }: Ctx & { section?: string; onSection: (id: string) => void }) {
  const { i18n, t } = useLingui();
  const active = config.forms.find((f) => f.unique_id === section) ?? config.forms[0];
  // Editing, a form the role reads but does not write is still shown as values.
  const formReadOnly = (id: string) => !readOnly && config.readOnly.has(id);
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [active?.unique_id]);
  if (!active) {
    return (
      <p className="muted">
        <Trans>Your role reads no form of this record.</Trans>
      </p>
    );
  }
  return (
    <div className="record-form">
      <nav className="sections" aria-label={t`Form sections`}>
        {config.groups.map((g) => (
          <div key={g.id} className="section-group">
            <h2 className="section-group-name">{localName(g.name, i18n.locale)}</h2>
            <ul>
              {g.forms.map((f) => (
                <li key={f.unique_id}>
                  <button
                    type="button"
                    className="section-link"
                    data-section={f.unique_id}
                    aria-current={f.unique_id === active.unique_id ? "step" : undefined}
                    onClick={() => onSection(f.unique_id)}
                  >
                    {localName(f.name, i18n.locale)}
                    {formReadOnly(f.unique_id) && (
                      <span className="badge section-read-only">
                        <Trans>read only</Trans>
                      </span>
                    )}
                    <SectionErrors store={store} config={config} form={f} />
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <section className="section" aria-labelledby={`section-${active.unique_id}`}>
        <h2 id={`section-${active.unique_id}`} ref={heading} tabIndex={-1}>
          {localName(active.name, i18n.locale)}
        </h2>
        {localName(active.description, i18n.locale) && <p className="muted">{localName(active.description, i18n.locale)}</p>}
        {formReadOnly(active.unique_id) && (
          <p className="notice notice-info" data-testid="form-read-only">
            <Trans>Your role may read this form but not change it.</Trans>
          </p>
        )}
        <div className="fields">
          {(active.fields ?? []).map((f) => (
            <FieldView key={f.name} field={f} place={{ field: f.name }} ctx={{ config, store, readOnly: readOnly || config.readOnly.has(active.unique_id) }} />
          ))}
        </div>
      </section>
    </div>
  );
}

/** SectionErrors marks a section that holds errors (so a person finds them). */
function SectionErrors({ store, config, form }: { store: RecordStore; config: RecordConfig; form: Form }) {
  const n = useSelect(
    store,
    useCallback((s: RecordStore) => Object.keys(s.errors).filter((k) => sectionOf(config, k) === form.unique_id).length, [config, form.unique_id]),
  );
  if (!n) return null;
  return (
    <span className="badge badge-denied section-errors">
      <Trans>{n} to fix</Trans>
    </span>
  );
}

function FieldView({ field, place, ctx }: { field: Field; place: Place; ctx: Ctx }) {
  const { config, store, readOnly } = ctx;
  // Only a field with a display condition listens to the record (a keystroke asks it again); the others are shown or not for good.
  const isShown = useSelect(
    store,
    useCallback(
      (s: RecordStore) => shown(field, getter(config, s.values, place.sub, place.sub ? s.row(place.sub, place.row!) : undefined)),
      [config, field, place.sub, place.row],
    ),
    field.display_conditions != null,
  );
  if (!isShown) return null;
  if (readOnly && field.hide_on_view_page) return null;
  const cls = field.mobile_visible === false ? "field-slot desktop-only" : "field-slot";
  if (field.type === "subform") {
    return (
      <div className={cls}>
        <Subform field={field} ctx={ctx} />
      </div>
    );
  }
  const get = (name: string) => getter(config, store.values, place.sub, place.sub ? store.row(place.sub, place.row!) : undefined)(name);
  return (
    <div className={cls}>
      <Widget field={field} place={place} store={store} lookups={config.lookups} readOnly={readOnly} get={get} estimated={config.fields.get("estimated")?.type === "tick_box"} />
    </div>
  );
}

function Subform({ field, ctx: outer }: { field: Field; ctx: Ctx }) {
  // A server-written subform (the case's notes) is never offered for editing.
  const server = SERVER_WRITTEN_SUBFORMS.get(field.name);
  const ctx = server ? { ...outer, readOnly: true } : outer;
  const { config, store, readOnly } = ctx;
  const { i18n, t } = useLingui();
  const date = useFormatDate();
  const nested = config.nested.get(field.subform_section_unique_id ?? "");
  const ids = useSelect(
    store,
    useCallback((s: RecordStore) => rowOrder(field.name, s.values[field.name] as Row[] | undefined).join(" "), [field.name]),
  );
  const error = useSelectField(
    store,
    field.name,
    useCallback((s: RecordStore) => s.errors[field.name], [field.name]),
  );
  const rows = ids ? ids.split(" ") : [];
  const label = localName(field.display_name, i18n.locale) || field.name;
  const max = field.subform_max_rows ?? 100;
  const id = domId({ field: field.name });
  return (
    <fieldset className="subform" id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {!rows.length && (
        <p className="muted">
          <Trans>No entries yet.</Trans>
        </p>
      )}
      {rows.map((row, i) => (
        <fieldset key={row} className="subform-row" data-row={row}>
          <legend>
            <Trans>
              {label}: entry {i + 1}
            </Trans>
          </legend>
          {server && !nested?.fields?.some((f) => f.name === server.author) && (
            <p className="muted subform-row-meta" data-testid="row-author">
              <Trans>
                By <span dir="ltr">{String(store.row(field.name, row)?.[server.author] ?? "—")}</span>, {date(store.row(field.name, row)?.[server.date] as string | undefined)}
              </Trans>
            </p>
          )}
          <div className="fields">
            {(nested?.fields ?? []).map((f) => (
              <FieldView key={f.name} field={f} place={{ field: f.name, sub: field.name, row }} ctx={ctx} />
            ))}
          </div>
          {!readOnly && (
            <button type="button" className="button button-secondary button-small" onClick={() => store.removeRow(field.name, row)}>
              <Trans>Remove entry {i + 1}</Trans>
            </button>
          )}
        </fieldset>
      ))}
      {!readOnly && (
        <button
          type="button"
          className="button button-secondary"
          data-add-row={field.name}
          disabled={rows.length >= max}
          onClick={() => {
            const rowId = store.addRow(field.name);
            requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-row="${rowId}"] input, [data-row="${rowId}"] select, [data-row="${rowId}"] textarea`)?.focus());
          }}
        >
          {t`Add an entry to ${label}`}
        </button>
      )}
    </fieldset>
  );
}

/**
 * focusError opens the section of an error's field and moves focus to it
 * (the first error after a refused save, so a person lands where to fix).
 */
export function focusError(config: RecordConfig, key: string | undefined, onSection: (id: string) => void) {
  if (!key) return;
  const s = sectionOf(config, key);
  if (s) onSection(s);
  const [top, rest] = key.split("[");
  const place: Place = rest ? { sub: top, row: rest.split("]")[0], field: rest.split("].")[1] ?? top } : { field: top };
  const target = rest && !rest.includes("].") ? { field: top } : place;
  requestAnimationFrame(() => requestAnimationFrame(() => (document.getElementById(domId(target)) as HTMLElement | null)?.focus()));
}

/** ErrorSummary lists the errors with a way to each field (switching section first). */
export function ErrorSummary({ store, config, onSection, form }: { store: RecordStore; config: RecordConfig; onSection: (id: string) => void; form: string[] }) {
  const { i18n } = useLingui();
  const errors = useSelect(
    store,
    useCallback((s: RecordStore) => s.errors, []),
  );
  const keys = Object.keys(errors);
  if (!keys.length && !form.length) return <div role="alert" className="visually-hidden" />;
  const labelOf = (key: string) => {
    const [top, rest] = key.split("[");
    const f = config.fields.get(top);
    const name = localName(f?.display_name, i18n.locale) || top;
    if (!rest) return name;
    const sub = rest.split("].")[1];
    const nested = config.nested.get(f?.subform_section_unique_id ?? "");
    const nf = nested?.fields?.find((x) => x.name === sub);
    return `${name} › ${localName(nf?.display_name, i18n.locale) || sub}`;
  };
  return (
    <div role="alert" className="notice notice-error error-summary">
      <p>
        <strong>
          <Trans>Please check these fields:</Trans>
        </strong>
      </p>
      {form.map((m) => (
        <p key={m}>{m}</p>
      ))}
      <ul>
        {keys.map((k) => (
          <li key={k}>
            <button
              type="button"
              className="link-button"
              onClick={() => focusError(config, k, onSection)}
            >
              {labelOf(k)}: {errors[k]}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
