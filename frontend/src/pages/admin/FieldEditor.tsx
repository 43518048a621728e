// The field editor of the form editor: every attribute of a field
// (docs/configuration.md "Fields"), those of its type only, labels per
// language, options from a lookup or inline, and a display-condition builder.
// Controlled: the form editor holds the fields and saves them in one PATCH.
import { useId, useState, type ReactNode } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import type { Field, Lookup } from "../../api/client";
import { fromExpression, ops, toExpression, type Builder, type Clause, type Op } from "../../config/conditions";
import { attributesOf, fieldTypes, move, type FieldType } from "../../config/fields";
import { localeNames } from "../../i18n";
import { useLocalName } from "./common";

type Option = NonNullable<Field["option_strings_text"]>[number];
type Texts = Record<string, string>;

/** The words for field types, in the user's language. */
export function useTypeLabel() {
  const { t } = useLingui();
  const labels: Record<FieldType, string> = {
    text_field: t`Short text`,
    textarea: t`Long text`,
    select_box: t`Drop-down list`,
    radio_button: t`Radio buttons`,
    tick_box: t`Tick box`,
    numeric_field: t`Number`,
    date_field: t`Date`,
    date_range: t`Date range`,
    location: t`Location`,
    photo_upload_box: t`Photos`,
    audio_upload_box: t`Audio files`,
    document_upload_box: t`Documents`,
    subform: t`Subform (repeated rows)`,
    separator: t`Separator`,
    tally_field: t`Tally`,
    calculated: t`Calculated`,
  };
  return (type: FieldType) => labels[type] ?? type;
}

/** Err is an attribute's problem from the API, tied to its input. */
function Err({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="field-error" dir="auto">
      {message}
    </p>
  ) : null;
}

/** TextsField edits a translated text: one input per language. */
export function TextsField({ legend, value, onChange, locales, error, long, name }: { legend: ReactNode; value?: Texts; onChange: (t: Texts) => void; locales: string[]; error?: string; long?: boolean; name: string }) {
  const id = useId();
  return (
    <fieldset className="field" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {locales.map((l) => (
        <div className="field" key={l}>
          <label htmlFor={`${id}-${l}`}>{localeNames[l as keyof typeof localeNames] ?? l}</label>
          {long ? (
            <textarea id={`${id}-${l}`} name={`${name}.${l}`} lang={l} dir="auto" rows={2} value={value?.[l] ?? ""} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
          ) : (
            <input id={`${id}-${l}`} name={`${name}.${l}`} lang={l} dir="auto" value={value?.[l] ?? ""} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
          )}
        </div>
      ))}
      <Err id={`${id}-error`} message={error} />
    </fieldset>
  );
}

function Check({ label, checked, onChange, name }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; name: string }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

function NumberInput({ label, value, onChange, name, error, hint }: { label: ReactNode; value?: number; onChange: (v: number | undefined) => void; name: string; error?: string; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="number"
        dir="ltr"
        value={value ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <Err id={`${id}-error`} message={error} />
    </div>
  );
}

function Select({ label, value, onChange, name, options, error }: { label: ReactNode; value: string; onChange: (v: string) => void; name: string; options: { value: string; label: string }[]; error?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Err id={`${id}-error`} message={error} />
    </div>
  );
}

/** OptionsEditor edits a list of options (id, label per language, disabled): inline options, tallies, lookup values. */
export function OptionsEditor({ legend, value, onChange, locales, error, name, errors }: { legend: ReactNode; value: Option[]; onChange: (v: Option[]) => void; locales: string[]; error?: string; name: string; errors?: Record<number, string> }) {
  const { t } = useLingui();
  const label = useLocalName();
  const set = (i: number, o: Option) => onChange(value.map((x, j) => (j === i ? o : x)));
  return (
    <fieldset className="field options-editor">
      <legend>{legend}</legend>
      <ol className="option-list">
        {value.map((o, i) => (
          <li key={i} className="option-row" data-option={o.id}>
            <div className="row">
              <div className="field">
                <label htmlFor={`${name}-${i}-id`}>
                  <Trans>Identifier</Trans>
                </label>
                <input id={`${name}-${i}-id`} name={`${name}.${i}.id`} dir="ltr" value={o.id} onChange={(e) => set(i, { ...o, id: e.target.value })} aria-invalid={errors?.[i] ? true : undefined} />
              </div>
              {locales.map((l) => (
                <div className="field" key={l}>
                  <label htmlFor={`${name}-${i}-${l}`}>{localeNames[l as keyof typeof localeNames] ?? l}</label>
                  <input id={`${name}-${i}-${l}`} name={`${name}.${i}.display_text.${l}`} lang={l} dir="auto" value={o.display_text?.[l] ?? ""} onChange={(e) => set(i, { ...o, display_text: { ...o.display_text, [l]: e.target.value } })} />
                </div>
              ))}
            </div>
            <div className="actions">
              <Check name={`${name}.${i}.disabled`} label={<Trans>Disabled: not offered for new records</Trans>} checked={!!o.disabled} onChange={(d) => set(i, { ...o, disabled: d || undefined })} />
              <button type="button" className="button button-small button-secondary" aria-label={t`Move ${label(o.display_text) || o.id} up`} disabled={i === 0} onClick={() => onChange(move(value, i, -1))}>
                ↑
              </button>
              <button type="button" className="button button-small button-secondary" aria-label={t`Move ${label(o.display_text) || o.id} down`} disabled={i === value.length - 1} onClick={() => onChange(move(value, i, 1))}>
                ↓
              </button>
              <button type="button" className="button button-small button-secondary button-danger-text" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                <Trans>Remove</Trans>
              </button>
            </div>
            {errors?.[i] && <p className="field-error">{errors[i]}</p>}
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="button button-small button-secondary" data-testid={`${name}-add`} onClick={() => onChange([...value, { id: "", display_text: {} }])}>
          <Trans>Add an option</Trans>
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** The words for condition operators. */
export function useOpLabel() {
  const { t } = useLingui();
  const labels: Record<Op, string> = {
    eq: t`is`,
    in: t`is one of`,
    gt: t`is more than`,
    ge: t`is at least`,
    lt: t`is less than`,
    le: t`is at most`,
    exists: t`has a value`,
    missing: t`has no value`,
  };
  return (op: Op) => labels[op];
}

/**
 * ConditionBuilder edits a display condition: comparisons over the other
 * fields, joined by all or any; a condition it cannot show is edited as JSON.
 */
export function ConditionBuilder({ value, onChange, fields, lookups, error }: { value: unknown; onChange: (expr: unknown) => void; fields: Field[]; lookups: Lookup[]; error?: string }) {
  const { t } = useLingui();
  const opLabel = useOpLabel();
  const name = useLocalName();
  const id = useId();
  // The builder keeps what is typed (a trailing comma, a space); the expression is written from it.
  const [parsed, setParsed] = useState<Builder | undefined>(() => fromExpression(value));
  const [json, setJson] = useState(() => (parsed ? "" : JSON.stringify(value, null, 2)));
  const [jsonError, setJsonError] = useState<string>();
  const typeOf = (f: string) => fields.find((x) => x.name === f)?.type;
  const usable = fields.filter((f) => !["separator", "subform", "photo_upload_box", "audio_upload_box", "document_upload_box"].includes(f.type));
  const update = (b: Builder) => {
    setParsed(b);
    onChange(toExpression(b, typeOf));
  };

  if (!parsed) {
    return (
      <div className="field">
        <label htmlFor={`${id}-json`}>
          <Trans>Display condition (JSON)</Trans>
        </label>
        <textarea
          id={`${id}-json`}
          name="display_conditions_json"
          dir="ltr"
          rows={6}
          value={json}
          aria-invalid={jsonError || error ? true : undefined}
          onChange={(e) => {
            setJson(e.target.value);
            try {
              onChange(e.target.value.trim() ? JSON.parse(e.target.value) : undefined);
              setJsonError(undefined);
            } catch {
              setJsonError(t`This is not valid JSON.`);
            }
          }}
        />
        <Err id={`${id}-error`} message={jsonError ?? error} />
      </div>
    );
  }
  const b = parsed;
  const setClause = (i: number, c: Clause) => update({ ...b, clauses: b.clauses.map((x, j) => (j === i ? c : x)) });
  /** options offers a select's option ids as suggestions for its value. */
  const options = (field: string): { id: string; label: string }[] => {
    const f = fields.find((x) => x.name === field);
    if (!f) return [];
    const src = f.option_strings_source?.replace(/^lookup /, "");
    const list = src ? (lookups.find((l) => l.unique_id === src)?.values ?? []) : (f.option_strings_text ?? []);
    return list.map((o) => ({ id: o.id, label: name(o.display_text) }));
  };
  return (
    <fieldset className="field condition-builder" data-testid="condition-builder" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        <Trans>Show this field only when</Trans>
      </legend>
      {b.clauses.length === 0 && (
        <p className="field-hint">
          <Trans>Always shown.</Trans>
        </p>
      )}
      {b.clauses.length > 1 && (
        <Select
          label={<Trans>Combine</Trans>}
          name="display_conditions.join"
          value={b.join}
          onChange={(j) => update({ ...b, join: j as Builder["join"] })}
          options={[
            { value: "and", label: t`All of these hold` },
            { value: "or", label: t`Any of these holds` },
          ]}
        />
      )}
      {b.clauses.map((c, i) => {
        const opts = options(c.field);
        const kind = typeOf(c.field);
        return (
          <div key={i} className="row condition-row" data-clause={i}>
            <Select
              label={<Trans>Field</Trans>}
              name={`display_conditions.${i}.field`}
              value={c.field}
              onChange={(f) => setClause(i, { ...c, field: f })}
              options={[{ value: "", label: "—" }, ...usable.map((f) => ({ value: f.name, label: `${name(f.display_name) || f.name} (${f.name})` }))]}
            />
            <Select label={<Trans>Comparison</Trans>} name={`display_conditions.${i}.op`} value={c.op} onChange={(o) => setClause(i, { ...c, op: o as Op })} options={ops.map((o) => ({ value: o, label: opLabel(o) }))} />
            {c.op !== "exists" && c.op !== "missing" && (
              <div className="field">
                <label htmlFor={`${id}-${i}-value`}>{c.op === "in" ? <Trans>Values, separated by commas</Trans> : <Trans>Value</Trans>}</label>
                {kind === "tick_box" ? (
                  <select id={`${id}-${i}-value`} name={`display_conditions.${i}.value`} value={c.value} onChange={(e) => setClause(i, { ...c, value: e.target.value })}>
                    <option value="">—</option>
                    <option value="true">{t`ticked`}</option>
                    <option value="false">{t`not ticked`}</option>
                  </select>
                ) : (
                  <input
                    id={`${id}-${i}-value`}
                    name={`display_conditions.${i}.value`}
                    dir="auto"
                    list={opts.length ? `${id}-${i}-options` : undefined}
                    value={c.value}
                    onChange={(e) => setClause(i, { ...c, value: e.target.value })}
                  />
                )}
                {opts.length > 0 && (
                  <datalist id={`${id}-${i}-options`}>
                    {opts.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))}
                  </datalist>
                )}
              </div>
            )}
            <button type="button" className="button button-small button-secondary" onClick={() => update({ ...b, clauses: b.clauses.filter((_, j) => j !== i) })}>
              <Trans>Remove</Trans>
            </button>
          </div>
        );
      })}
      <div className="actions">
        <button type="button" className="button button-small button-secondary" data-testid="add-condition" onClick={() => update({ ...b, clauses: [...b.clauses, { field: usable[0]?.name ?? "", op: "eq", value: "" }] })}>
          <Trans>Add a condition</Trans>
        </button>
      </div>
      <Err id={`${id}-error`} message={error} />
    </fieldset>
  );
}

/**
 * FieldEditor edits one field. others: the record type's other fields (for
 * conditions and calculations); nested: the nested forms a subform may use.
 */
export function FieldEditor({
  field: f,
  isNew,
  onChange,
  others,
  lookups,
  nested,
  locales,
  errors = {},
}: {
  field: Field;
  isNew: boolean;
  onChange: (f: Field) => void;
  others: Field[];
  lookups: Lookup[];
  nested: { unique_id: string; name: Texts }[];
  locales: string[];
  errors?: Record<string, string>;
}) {
  const { t } = useLingui();
  const typeLabel = useTypeLabel();
  const name = useLocalName();
  const id = useId();
  const has = new Set(attributesOf(f.type));
  const set = (patch: Partial<Field>) => onChange({ ...f, ...patch });
  const source = f.option_strings_source ? "lookup" : "inline";
  return (
    <div className="stack field-editor" data-testid="field-editor">
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-name`}>
            <Trans>Field name (key in record data)</Trans>
          </label>
          <input
            id={`${id}-name`}
            name="name"
            dir="ltr"
            value={f.name}
            readOnly={!isNew}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={`${id}-name-hint${errors.name ? ` ${id}-name-error` : ""}`}
            onChange={(e) => set({ name: e.target.value })}
          />
          <p id={`${id}-name-hint`} className="field-hint">
            {isNew ? <Trans>Lower-case letters, digits and underscores. It cannot change once saved.</Trans> : <Trans>It cannot change: records hold values under it.</Trans>}
          </p>
          <Err id={`${id}-name-error`} message={errors.name} />
        </div>
        <Select label={<Trans>Type</Trans>} name="type" value={f.type} onChange={(v) => set({ type: v as FieldType })} options={fieldTypes.map((ty) => ({ value: ty, label: typeLabel(ty) }))} error={errors.type} />
      </div>
      <TextsField legend={<Trans>Label, in each language</Trans>} name="display_name" value={f.display_name} onChange={(v) => set({ display_name: v })} locales={locales} error={errors.display_name} />
      <details>
        <summary>
          <Trans>Help text and guiding questions</Trans>
        </summary>
        <TextsField legend={<Trans>Help text</Trans>} name="help_text" long value={f.help_text} onChange={(v) => set({ help_text: v })} locales={locales} error={errors.help_text} />
        <TextsField legend={<Trans>Guiding questions</Trans>} name="guiding_questions" long value={f.guiding_questions} onChange={(v) => set({ guiding_questions: v })} locales={locales} error={errors.guiding_questions} />
      </details>

      {(has.has("option_strings_source") || has.has("option_strings_text")) && (
        <fieldset className="field">
          <legend>
            <Trans>Options</Trans>
          </legend>
          <div className="segmented" role="radiogroup" aria-label={t`Where the options come from`}>
            <div className="field-check">
              <input type="radio" id={`${id}-src-lookup`} name={`${id}-source`} checked={source === "lookup"} onChange={() => set({ option_strings_source: `lookup ${lookups[0]?.unique_id ?? ""}`, option_strings_text: undefined })} />
              <label htmlFor={`${id}-src-lookup`}>
                <Trans>From a lookup</Trans>
              </label>
            </div>
            <div className="field-check">
              <input type="radio" id={`${id}-src-inline`} name={`${id}-source`} checked={source === "inline"} onChange={() => set({ option_strings_source: undefined, option_strings_text: f.option_strings_text ?? [] })} />
              <label htmlFor={`${id}-src-inline`}>
                <Trans>Listed here</Trans>
              </label>
            </div>
          </div>
          {source === "lookup" ? (
            <Select
              label={<Trans>Lookup</Trans>}
              name="option_strings_source"
              value={f.option_strings_source?.replace(/^lookup /, "") ?? ""}
              onChange={(v) => set({ option_strings_source: `lookup ${v}` })}
              options={lookups.map((l) => ({ value: l.unique_id, label: `${name(l.name)} (${l.unique_id})` }))}
              error={errors.option_strings_source}
            />
          ) : (
            <OptionsEditor legend={<Trans>Options listed here</Trans>} name="option_strings_text" value={f.option_strings_text ?? []} onChange={(v) => set({ option_strings_text: v })} locales={locales} error={errors.option_strings_text} />
          )}
          {has.has("multi_select") && <Check name="multi_select" label={<Trans>Several options may be chosen</Trans>} checked={!!f.multi_select} onChange={(v) => set({ multi_select: v })} />}
        </fieldset>
      )}
      {has.has("max_length") && <NumberInput label={<Trans>Longest text (characters)</Trans>} name="max_length" value={f.max_length} onChange={(v) => set({ max_length: v })} error={errors.max_length} hint={f.type === "textarea" ? t`Default 10000, at most 100000.` : t`Default 500, at most 10000.`} />}
      {has.has("id_field") && <Check name="id_field" label={<Trans>An identifier (exact ID search, duplicate checks)</Trans>} checked={!!f.id_field} onChange={(v) => set({ id_field: v })} />}
      {has.has("phone_number") && <Check name="phone_number" label={<Trans>A phone number</Trans>} checked={!!f.phone_number} onChange={(v) => set({ phone_number: v })} />}
      {has.has("tick_box_label") && <TextsField legend={<Trans>Text beside the box</Trans>} name="tick_box_label" value={f.tick_box_label} onChange={(v) => set({ tick_box_label: v })} locales={locales} error={errors.tick_box_label} />}
      {has.has("min_value") && (
        <div className="row">
          <NumberInput label={<Trans>Smallest value</Trans>} name="min_value" value={f.min_value} onChange={(v) => set({ min_value: v })} error={errors.min_value} />
          <NumberInput label={<Trans>Largest value</Trans>} name="max_value" value={f.max_value} onChange={(v) => set({ max_value: v })} error={errors.max_value} />
          <Check name="integer" label={<Trans>Whole numbers only</Trans>} checked={!!f.integer} onChange={(v) => set({ integer: v })} />
        </div>
      )}
      {has.has("date_validation") && (
        <div className="row">
          <Check name="date_include_time" label={<Trans>With the time</Trans>} checked={!!f.date_include_time} onChange={(v) => set({ date_include_time: v })} />
          <Check name="date_validation" label={<Trans>Not in the future</Trans>} checked={f.date_validation === "not_future_date"} onChange={(v) => set({ date_validation: v ? "not_future_date" : undefined })} />
        </div>
      )}
      {has.has("location_admin_level") && (
        <Select
          label={<Trans>Deepest admin level accepted</Trans>}
          name="location_admin_level"
          value={String(f.location_admin_level ?? 5)}
          onChange={(v) => set({ location_admin_level: v === "5" ? undefined : Number(v) })}
          options={[0, 1, 2, 3, 4, 5].map((level) => ({ value: String(level), label: level === 0 ? t`Country (level 0)` : t`Level ${level}` }))}
          error={errors.location_admin_level}
        />
      )}
      {has.has("max_attachments") && <NumberInput label={<Trans>Most files</Trans>} name="max_attachments" value={f.max_attachments} onChange={(v) => set({ max_attachments: v })} error={errors.max_attachments} hint={t`Default 10, at most 100.`} />}
      {has.has("subform_section_unique_id") && (
        <div className="row">
          <Select
            label={<Trans>Form of the rows</Trans>}
            name="subform_section_unique_id"
            value={f.subform_section_unique_id ?? ""}
            onChange={(v) => set({ subform_section_unique_id: v || undefined })}
            options={[{ value: "", label: "—" }, ...nested.map((n) => ({ value: n.unique_id, label: `${name(n.name)} (${n.unique_id})` }))]}
            error={errors.subform_section_unique_id}
          />
          <NumberInput label={<Trans>Most rows</Trans>} name="subform_max_rows" value={f.subform_max_rows} onChange={(v) => set({ subform_max_rows: v })} error={errors.subform_max_rows} />
          <div className="field">
            <label htmlFor={`${id}-sort`}>
              <Trans>Sort rows by (a field of the rows)</Trans>
            </label>
            <input id={`${id}-sort`} name="subform_sort_by" dir="ltr" value={f.subform_sort_by ?? ""} onChange={(e) => set({ subform_sort_by: e.target.value || undefined })} />
            <Err id={`${id}-sort-error`} message={errors.subform_sort_by} />
          </div>
        </div>
      )}
      {has.has("tally") && <OptionsEditor legend={<Trans>What is counted</Trans>} name="tally" value={f.tally ?? []} onChange={(v) => set({ tally: v })} locales={locales} error={errors.tally} />}
      {has.has("calculation") && (
        <fieldset className="field">
          <legend>
            <Trans>Calculation</Trans>
          </legend>
          <Select
            label={<Trans>Age in years from</Trans>}
            name="calculation.age_from"
            value={f.calculation?.age_from ?? ""}
            onChange={(v) => set({ calculation: v ? { age_from: v } : { sum: f.calculation?.sum ?? [] } })}
            options={[{ value: "", label: t`(not an age: a sum)` }, ...others.filter((o) => o.type === "date_field").map((o) => ({ value: o.name, label: `${name(o.display_name) || o.name} (${o.name})` }))]}
          />
          {!f.calculation?.age_from && (
            <fieldset className="field">
              <legend>
                <Trans>Sum of</Trans>
              </legend>
              {others
                .filter((o) => o.type === "numeric_field")
                .map((o) => (
                  <Check
                    key={o.name}
                    name={`calculation.sum.${o.name}`}
                    label={`${name(o.display_name) || o.name} (${o.name})`}
                    checked={!!f.calculation?.sum?.includes(o.name)}
                    onChange={(v) => set({ calculation: { sum: v ? [...(f.calculation?.sum ?? []), o.name] : (f.calculation?.sum ?? []).filter((s) => s !== o.name) } })}
                  />
                ))}
            </fieldset>
          )}
          <Err id={`${id}-calc-error`} message={errors.calculation} />
        </fieldset>
      )}

      <ConditionBuilder value={f.display_conditions} onChange={(e) => set({ display_conditions: e })} fields={others} lookups={lookups} error={errors.display_conditions} />

      <fieldset className="field">
        <legend>
          <Trans>Behaviour</Trans>
        </legend>
        <Check name="required" label={<Trans>Required when shown</Trans>} checked={!!f.required} onChange={(v) => set({ required: v })} />
        <Check name="visible" label={<Trans>Visible (unticked: hidden everywhere, data kept)</Trans>} checked={f.visible !== false} onChange={(v) => set({ visible: v })} />
        <Check name="editable" label={<Trans>Editable</Trans>} checked={f.editable !== false} onChange={(v) => set({ editable: v })} />
        <Check name="mobile_visible" label={<Trans>Shown on phones</Trans>} checked={f.mobile_visible !== false} onChange={(v) => set({ mobile_visible: v })} />
        <Check name="hide_on_view_page" label={<Trans>Hidden when viewing a record</Trans>} checked={!!f.hide_on_view_page} onChange={(v) => set({ hide_on_view_page: v })} />
        {has.has("matchable") && <Check name="matchable" label={<Trans>Compared by tracing matches</Trans>} checked={!!f.matchable} onChange={(v) => set({ matchable: v })} />}
        {has.has("filterable") && <Check name="filterable" label={<Trans>Offered as a list filter</Trans>} checked={!!f.filterable} onChange={(v) => set({ filterable: v })} />}
      </fieldset>
      {errors[""] && <p className="field-error">{errors[""]}</p>}
    </div>
  );
}
