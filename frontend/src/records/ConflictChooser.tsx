// The conflict view: a merge (PATCH with X-Base-Version) found fields changed
// both here and by someone else since this person started. For each one it
// shows the value they started from, the other person's and theirs, and lets
// them choose; their typing is kept until they have chosen.
import { useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { localName } from "../pages/admin/common";
import type { Field, RecordConfig } from "./config";
import { parsePath, type Choice, type Conflict } from "./patch";
import { formatValue } from "./Widgets";

/** conflictLabel names a conflict's path in the person's language. */
export function conflictLabel(config: RecordConfig, path: string, locale: string, entry: (n: string) => string): { label: string; field?: Field } {
  const p = parsePath(path);
  const f = config.fields.get(p.field);
  const name = localName(f?.display_name, locale) || p.field;
  if (!p.row) return { label: name, field: f };
  const nested = config.nested.get(f?.subform_section_unique_id ?? "");
  if (!p.rowField) return { label: `${name} › ${entry(p.row.slice(0, 8))}` };
  const nf = nested?.fields?.find((x) => x.name === p.rowField);
  return { label: `${name} › ${entry(p.row.slice(0, 8))} › ${localName(nf?.display_name, locale) || p.rowField}`, field: nf };
}

export function ConflictChooser({ config, conflicts, onResolve, busy }: { config: RecordConfig; conflicts: Conflict[]; onResolve: (choices: Record<string, Choice>) => void; busy?: boolean }) {
  const { i18n, t } = useLingui();
  const [choices, setChoices] = useState<Record<string, Choice>>(() => Object.fromEntries(conflicts.map((c) => [c.path, "yours" as Choice])));
  const show = (field: Field | undefined, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && (!field || field.type !== "date_range")) {
      // A whole subform row: its values, labelled.
      return Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== "unique_id")
        .map(([k, x]) => `${k}: ${formatValue(undefined, x, config.lookups, i18n.locale, t`Yes`, t`No`)}`)
        .join("; ") || "—";
    }
    return formatValue(field, v, config.lookups, i18n.locale, t`Yes`, t`No`);
  };
  return (
    <section className="conflicts notice notice-error" aria-labelledby="conflicts-title" data-testid="conflicts">
      <h2 id="conflicts-title" tabIndex={-1}>
        <Trans>Someone else changed this record while you were editing</Trans>
      </h2>
      <p>
        <Trans>Your other changes are kept. For each field below, choose which value to keep, then save.</Trans>
      </p>
      {conflicts.map((c) => {
        const { label, field } = conflictLabel(config, c.path, i18n.locale, (n) => t`entry ${n}`);
        const name = `conflict-${c.path}`;
        return (
          <fieldset key={c.path} className="conflict" data-path={c.path}>
            <legend>{label}</legend>
            {c.reason && <p className="muted">{c.reason}</p>}
            <dl className="conflict-values">
              <div>
                <dt>
                  <Trans>When you started</Trans>
                </dt>
                <dd dir="auto">{show(field, c.base)}</dd>
              </div>
            </dl>
            <div className="field-check">
              <input id={`${name}-theirs`} type="radio" name={name} checked={choices[c.path] === "theirs"} onChange={() => setChoices({ ...choices, [c.path]: "theirs" })} />
              <label htmlFor={`${name}-theirs`}>
                <Trans>Keep the other change:</Trans> <strong dir="auto" data-testid="theirs">{show(field, c.theirs)}</strong>
              </label>
            </div>
            <div className="field-check">
              <input id={`${name}-yours`} type="radio" name={name} checked={choices[c.path] === "yours"} onChange={() => setChoices({ ...choices, [c.path]: "yours" })} />
              <label htmlFor={`${name}-yours`}>
                <Trans>Keep mine:</Trans> <strong dir="auto" data-testid="yours">{show(field, c.yours)}</strong>
              </label>
            </div>
          </fieldset>
        );
      })}
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => onResolve(choices)}>
          <Trans>Save with these choices</Trans>
        </button>
      </div>
    </section>
  );
}
