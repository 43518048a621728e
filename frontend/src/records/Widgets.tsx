// One widget per field type (docs/configuration.md "Fields"), each bound to
// its own value in the RecordStore. Labels are tied to inputs, errors to
// their input (aria-invalid, aria-describedby), required fields say so.
import { useCallback, useEffect, useId, useState, type ReactNode } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { DateField } from "../components/DateField";
import { localName } from "../pages/admin/common";
import { calculate, options, uploadTypes, useLocation, useLocations, type Field, type Lookup } from "./config";
import { placeKey, useSelect, useSelectField, type Place, type RecordStore } from "./store";
import { UploadField } from "./Uploads";
import { activeTimeZone, fromZoneInput, toZoneInput, useTimeZone } from "../app/timeZone";

export interface WidgetProps {
  field: Field;
  place: Place;
  store: RecordStore;
  lookups: Map<string, Lookup>;
  readOnly: boolean;
  /** the record's value getter for calculated fields (row first inside subforms) */
  get: (name: string) => unknown;
  /** the record has an "estimated" tick box (ticked when an age is entered instead of a date of birth) */
  estimated?: boolean;
}

/** domId: a stable element id of a place (also what an error summary links to). */
export function domId(p: Place): string {
  return "f-" + placeKey(p).replace(/[^A-Za-z0-9_-]/g, "_");
}

function useValue(store: RecordStore, place: Place) {
  return useSelectField(
    store,
    place.sub ?? place.field,
    useCallback((s: RecordStore) => s.get(place), [place.field, place.sub, place.row]), // eslint-disable-line react-hooks/exhaustive-deps
  );
}

function useError(store: RecordStore, place: Place) {
  const key = placeKey(place);
  return useSelectField(
    store,
    place.sub ?? place.field,
    useCallback((s: RecordStore) => s.errors[key], [key]),
  );
}

function Label({ field, htmlFor, id, as = "label" }: { field: Field; htmlFor?: string; id?: string; as?: "label" | "legend" }) {
  const { i18n } = useLingui();
  const text = localName(field.display_name, i18n.locale) || field.name;
  const req = field.required ? (
    <span className="required">
      {" "}
      <span aria-hidden="true">*</span>
      <span className="visually-hidden">
        <Trans>(required)</Trans>
      </span>
    </span>
  ) : null;
  if (as === "legend")
    return (
      <legend>
        {text}
        {req}
      </legend>
    );
  return (
    <label htmlFor={htmlFor} id={id}>
      {text}
      {req}
    </label>
  );
}

function Help({ id, field, error }: { id: string; field: Field; error?: string }) {
  const { i18n } = useLingui();
  const help = localName(field.help_text, i18n.locale);
  return (
    <>
      {help && (
        <p id={`${id}-hint`} className="field-hint">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

function aria(id: string, field: Field, error?: string, locale = "en") {
  const ids = [localName(field.help_text, locale) ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return { "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined, "aria-required": field.required || undefined };
}

/** formatValue shows a value as text in the person's language (view mode, history, conflicts). */
export function formatValue(field: Field | undefined, v: unknown, lookups: Map<string, Lookup>, locale: string, yes: string, no: string): string {
  if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) return "—";
  if (!field) return typeof v === "object" ? JSON.stringify(v) : String(v);
  const label = (id: unknown) => {
    const o = options(field, lookups).find((x) => x.id === id);
    return o ? localName(o.display_text, locale) : String(id);
  };
  switch (field.type) {
    case "select_box":
    case "radio_button":
      return Array.isArray(v) ? v.map(label).join(", ") : label(v);
    case "tick_box":
      return v ? yes : no;
    case "numeric_field":
    case "calculated":
      return typeof v === "number" ? new Intl.NumberFormat(locale).format(v) : String(v);
    case "date_field":
      return typeof v === "string" ? formatDate(v, locale) : String(v);
    case "date_range": {
      const r = v as { from?: string; to?: string };
      return `${r.from ? formatDate(r.from, locale) : "…"} – ${r.to ? formatDate(r.to, locale) : "…"}`;
    }
    case "tally_field":
      return Object.entries(v as Record<string, number>)
        .map(([k, n]) => `${localName(field.tally?.find((t) => t.id === k)?.display_text, locale) || k}: ${n}`)
        .join(", ");
    case "subform":
      return String((v as unknown[]).length);
  }
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function formatDate(v: string, locale: string): string {
  const d = v.length === 10 ? new Date(`${v}T00:00:00Z`) : new Date(v);
  if (isNaN(d.getTime())) return v;
  // A day is shown as it is; an instant in the person's time zone (app/timeZone.ts).
  return new Intl.DateTimeFormat(locale, v.length === 10 ? { dateStyle: "medium", timeZone: "UTC" } : { dateStyle: "medium", timeStyle: "short", timeZone: activeTimeZone() }).format(d);
}

/** Shown read-only: label and formatted value. */
function ReadOnlyValue({ field, value, lookups }: { field: Field; value: unknown; lookups: Map<string, Lookup> }) {
  const { i18n, t } = useLingui();
  const id = useId();
  return (
    <div className="field field-readonly">
      <span className="field-label" id={id}>
        {localName(field.display_name, i18n.locale) || field.name}
      </span>
      {/* The value sits where its label does (the page's direction) and keeps its own (bdi). */}
      <span aria-labelledby={id} className="field-value">
        <bdi dir="auto">{field.type === "location" && typeof value === "string" ? <LocationName code={value} /> : formatValue(field, value, lookups, i18n.locale, t`Yes`, t`No`)}</bdi>
      </span>
    </div>
  );
}

function LocationName({ code }: { code: string }) {
  const { i18n } = useLingui();
  const loc = useLocation(code);
  return <>{loc.data ? localName(loc.data.name, i18n.locale) : code}</>;
}

/** CalculatedValue follows the fields it is calculated from as they are typed (it listens to the record). */
function CalculatedValue({ field, store, get, lookups }: Pick<WidgetProps, "field" | "store" | "get" | "lookups">) {
  const v = useSelect(
    store,
    useCallback(() => calculate(field, get), [field, get]),
  );
  return <ReadOnlyValue field={field} value={v} lookups={lookups} />;
}

/** Widget renders one field (not subforms: see Subform in FormRenderer). */
export function Widget(props: WidgetProps) {
  const { field, store, place, lookups, readOnly, get } = props;
  const value = useValue(store, place);
  const error = useError(store, place);
  const { i18n, t } = useLingui();
  const id = domId(place);
  const set = (v: unknown) => store.set(place, v);
  const a = aria(id, field, error, i18n.locale);

  if (field.type === "separator") {
    return <h3 className="field-separator">{localName(field.display_name, i18n.locale)}</h3>;
  }
  if (field.type === "calculated") {
    return <CalculatedValue field={field} store={store} get={get} lookups={lookups} />;
  }
  if (uploadTypes.has(field.type)) {
    return <UploadField field={field} value={value} />;
  }
  if (readOnly || field.editable === false) {
    return <ReadOnlyValue field={field} value={value} lookups={lookups} />;
  }

  const wrap = (control: ReactNode) => (
    <div className="field">
      <Label field={field} htmlFor={id} id={`${id}-label`} />
      {control}
      <Help id={id} field={field} error={error} />
    </div>
  );

  switch (field.type) {
    case "text_field":
      return wrap(
        <input
          id={id}
          type={field.phone_number ? "tel" : "text"}
          dir="auto"
          maxLength={field.max_length ?? 500}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => set(e.target.value)}
          {...a}
        />,
      );
    case "textarea":
      return wrap(<textarea id={id} dir="auto" maxLength={field.max_length ?? 10000} value={typeof value === "string" ? value : ""} onChange={(e) => set(e.target.value)} {...a} />);
    case "numeric_field":
      return wrap(<NumberInput id={id} field={field} value={value} set={set} a={a} />);
    case "tick_box": {
      const label = localName(field.tick_box_label, i18n.locale) || localName(field.display_name, i18n.locale) || field.name;
      return (
        <div className="field field-check">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked ? true : undefined)} {...a} />
          <label htmlFor={id}>{label}</label>
          <Help id={id} field={field} error={error} />
        </div>
      );
    }
    case "select_box":
    case "radio_button": {
      const opts = options(field, lookups).filter((o) => !o.disabled || o.id === value || (Array.isArray(value) && value.includes(o.id)));
      if (field.multi_select && opts.length > MANY) {
        // A long list (nationalities, languages): a native multiple select (the phone's own picker).
        const list = Array.isArray(value) ? (value as string[]) : [];
        return wrap(
          <select
            id={id}
            multiple
            size={Math.min(8, opts.length)}
            value={list}
            onChange={(e) => {
              const picked = [...e.target.selectedOptions].map((o) => o.value);
              set(picked.length ? picked : undefined);
            }}
            {...a}
          >
            {opts.map((o) => (
              <option key={o.id} value={o.id}>
                {localName(o.display_text, i18n.locale)}
              </option>
            ))}
          </select>,
        );
      }
      if (field.multi_select) {
        const list = Array.isArray(value) ? (value as string[]) : [];
        return (
          <fieldset className="field choice-group" id={id} {...a} tabIndex={-1}>
            <Label field={field} as="legend" />
            {opts.map((o) => (
              <div className="field-check" key={o.id}>
                <input
                  id={`${id}-${o.id}`}
                  type="checkbox"
                  checked={list.includes(o.id)}
                  onChange={(e) => set(e.target.checked ? [...list, o.id] : list.filter((x) => x !== o.id))}
                />
                <label htmlFor={`${id}-${o.id}`}>{localName(o.display_text, i18n.locale)}</label>
              </div>
            ))}
            <Help id={id} field={field} error={error} />
          </fieldset>
        );
      }
      if (field.type === "radio_button") {
        return (
          <fieldset className="field choice-group" id={id} {...a} tabIndex={-1}>
            <Label field={field} as="legend" />
            {opts.map((o) => (
              <div className="field-check" key={o.id}>
                <input id={`${id}-${o.id}`} type="radio" name={id} checked={value === o.id} onChange={() => set(o.id)} />
                <label htmlFor={`${id}-${o.id}`}>{localName(o.display_text, i18n.locale)}</label>
              </div>
            ))}
            <Help id={id} field={field} error={error} />
          </fieldset>
        );
      }
      return wrap(
        <select id={id} value={typeof value === "string" ? value : ""} onChange={(e) => set(e.target.value || undefined)} {...a}>
          <option value="">{t`Not chosen`}</option>
          {opts.map((o) => (
            <option key={o.id} value={o.id}>
              {localName(o.display_text, i18n.locale)}
            </option>
          ))}
        </select>,
      );
    }
    case "date_field":
      return wrap(<DateInput id={id} field={field} value={value} set={set} a={a} store={store} place={place} estimated={props.estimated} />);
    case "date_range": {
      const r = (value && typeof value === "object" ? value : {}) as { from?: string; to?: string };
      const setPart = (k: "from" | "to", v: string) => {
        const next = { ...r, [k]: v || undefined };
        set(next.from || next.to ? next : undefined);
      };
      return (
        <fieldset className="field" id={id} {...a} tabIndex={-1}>
          <Label field={field} as="legend" />
          <div className="row">
            <div className="field">
              <label htmlFor={`${id}-from`} id={`${id}-from-label`}>
                <Trans>From</Trans>
              </label>
              <DateField id={`${id}-from`} labelId={`${id}-from-label`} value={r.from ?? ""} onChange={(v) => setPart("from", v)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`} id={`${id}-to-label`}>
                <Trans>To</Trans>
              </label>
              <DateField id={`${id}-to`} labelId={`${id}-to-label`} value={r.to ?? ""} onChange={(v) => setPart("to", v)} />
            </div>
          </div>
          <Help id={id} field={field} error={error} />
        </fieldset>
      );
    }
    case "tally_field": {
      const counts = (value && typeof value === "object" ? value : {}) as Record<string, number>;
      return (
        <fieldset className="field" id={id} {...a} tabIndex={-1}>
          <Label field={field} as="legend" />
          <div className="row">
            {(field.tally ?? []).map((o) => (
              <div className="field field-narrow" key={o.id}>
                <label htmlFor={`${id}-${o.id}`}>{localName(o.display_text, i18n.locale)}</label>
                <input
                  id={`${id}-${o.id}`}
                  type="number"
                  min={0}
                  step={1}
                  inputMode="numeric"
                  value={counts[o.id] ?? ""}
                  onChange={(e) => {
                    const n = e.target.value === "" ? undefined : Math.max(0, Math.trunc(Number(e.target.value)));
                    const next = { ...counts };
                    if (n === undefined || isNaN(n)) delete next[o.id];
                    else next[o.id] = n;
                    set(Object.keys(next).length ? next : undefined);
                  }}
                />
              </div>
            ))}
          </div>
          <Help id={id} field={field} error={error} />
        </fieldset>
      );
    }
    case "location":
      return (
        <fieldset className="field" id={id} {...a} tabIndex={-1}>
          <Label field={field} as="legend" />
          <LocationPicker id={id} field={field} value={typeof value === "string" ? value : undefined} set={set} />
          <Help id={id} field={field} error={error} />
        </fieldset>
      );
  }
  return <ReadOnlyValue field={field} value={value} lookups={lookups} />;
}

type Aria = ReturnType<typeof aria>;

/** Beyond this many options a multi-select is a list box, not a group of tick boxes. */
const MANY = 12;

/** NumberInput keeps what is typed ("1.", "-") while the record holds a number. */
function NumberInput({ id, field, value, set, a }: { id: string; field: Field; value: unknown; set: (v: unknown) => void; a: Aria }) {
  const [text, setText] = useState(typeof value === "number" ? String(value) : "");
  useEffect(() => {
    if (typeof value === "number" ? Number(text) !== value : text !== "" && value === undefined) setText(typeof value === "number" ? String(value) : "");
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <input
      id={id}
      type="number"
      inputMode={field.integer ? "numeric" : "decimal"}
      step={field.integer ? 1 : "any"}
      min={field.min_value ?? undefined}
      max={field.max_value ?? undefined}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const n = e.target.valueAsNumber;
        set(e.target.value === "" || isNaN(n) ? undefined : n);
      }}
      {...a}
    />
  );
}

/**
 * DateInput: a date, or a date-time (sent in RFC 3339, UTC). A date that an
 * age is calculated from also takes an age in years instead (an estimated
 * date of birth, 1 January of that year; the record's "estimated" tick box
 * is ticked when the form has one).
 */
function DateInput({ id, field, value, set, a, store, place, estimated }: { id: string; field: Field; value: unknown; set: (v: unknown) => void; a: Aria; store: RecordStore; place: Place; estimated?: boolean }) {
  const v = typeof value === "string" ? value : "";
  const ageSource = !place.sub && field.name === "date_of_birth";
  const [age, setAge] = useState("");
  // A date and time is typed in the person's time zone (app/timeZone.ts).
  const zone = useTimeZone();
  if (field.date_include_time) {
    return (
      <input
        id={id}
        type="datetime-local"
        value={v ? toZoneInput(v, zone) : ""}
        onChange={(e) => set(e.target.value ? fromZoneInput(e.target.value, zone) : undefined)}
        {...a}
      />
    );
  }
  return (
    <>
      <DateField id={id} labelId={`${id}-label`} value={v.slice(0, 10)} onChange={(iso) => set(iso || undefined)} aria={a} />
      {ageSource && (
        <div className="field field-inline">
          <label htmlFor={`${id}-age`}>
            <Trans>Or estimated age in years</Trans>
          </label>
          <input
            id={`${id}-age`}
            type="number"
            min={0}
            max={120}
            step={1}
            inputMode="numeric"
            value={age}
            onChange={(e) => {
              setAge(e.target.value);
              const n = e.target.valueAsNumber;
              if (isNaN(n) || n < 0) return;
              set(`${new Date().getUTCFullYear() - Math.trunc(n)}-01-01`);
              if (estimated) store.set({ field: "estimated" }, true);
            }}
          />
        </div>
      )}
    </>
  );
}

/**
 * LocationPicker: one select per level of the hierarchy, each listing the
 * enabled children of the location chosen above (a level at a time), down
 * to the field's deepest admin level. A stored value preselects its path.
 * Also the matching queue's location filter.
 */
export function LocationPicker({ id, field, value, set }: { id: string; field: Pick<Field, "location_admin_level">; value?: string; set: (v: unknown) => void }) {
  const current = useLocation(value);
  const maxLevel = field.location_admin_level ?? 5;
  const path = current.data?.hierarchy ?? (value ? [value] : []);
  // Levels shown: the roots, then the children of each chosen location.
  const chosen = value ? path : [];
  const parents: (string | undefined)[] = [undefined, ...chosen];
  return (
    <div className="location-picker">
      {parents.map((parent, i) => (
        <LocationLevel
          key={`${i}-${parent ?? ""}`}
          id={`${id}-${i}`}
          parent={parent}
          level={i}
          maxLevel={maxLevel}
          selected={chosen[i]}
          onChoose={(code) => set(code ?? parent)}
        />
      ))}
    </div>
  );
}

function LocationLevel({ id, parent, level, maxLevel, selected, onChoose }: { id: string; parent?: string; level: number; maxLevel: number; selected?: string; onChoose: (code?: string) => void }) {
  const { i18n, t } = useLingui();
  const list = useLocations(parent);
  const items = (list.data ?? []).filter((l) => l.admin_level <= maxLevel);
  if (parent && !list.isLoading && !items.length) return null;
  return (
    <div className="field">
      <label htmlFor={id}>{level === 0 ? t`Country or top level` : t`Within the level above`}</label>
      <select id={id} value={selected ?? ""} onChange={(e) => onChoose(e.target.value || undefined)}>
        <option value="">{list.isLoading ? t`Loading…` : t`Not chosen`}</option>
        {items.map((l) => (
          <option key={l.code} value={l.code}>
            {localName(l.name, i18n.locale)}
          </option>
        ))}
      </select>
    </div>
  );
}
