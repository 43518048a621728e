// A time zone field: the IANA zones the browser knows, searched by typing
// (a native datalist: the browser filters it as the person types a city or a
// region), and the choice of the instance's default (an empty value). The
// API validates the name (a 422 at the field); the field shows the time it is
// now in the zone typed, so a person sees at once whether it is theirs.
import { useId, useMemo, type ReactNode } from "react";
import type { FieldError, UseFormRegisterReturn, UseFormReturn } from "react-hook-form";
import { Trans, useLingui } from "@lingui/react/macro";
import { isKnownZone, timeZones, zoneLabel } from "../app/timeZone";

export interface TimeZoneFieldProps {
  label: ReactNode;
  registration: UseFormRegisterReturn;
  error?: FieldError | string;
  /** the value typed (the form's watch of the field) */
  value: string;
  /** puts the field back on the instance's default (sets the value to "") */
  onDefault?: () => void;
  /** the instance's default zone, named in the hint; absent for the instance's own field */
  instanceZone?: string;
  disabled?: boolean;
}

export function TimeZoneField({ label, registration, error, value, onDefault, instanceZone, disabled }: TimeZoneFieldProps) {
  const { i18n } = useLingui();
  const id = useId();
  const list = useMemo(() => timeZones().map((z) => ({ z, label: zoneLabel(z, i18n.locale) })), [i18n.locale]);
  const message = typeof error === "string" ? error : error?.message;
  const typed = value.trim();
  const shown = typed || instanceZone || "";
  const now = shown && isKnownZone(shown) ? i18n.date(new Date(), { timeStyle: "short", timeZone: shown }) : "";
  const instance = instanceZone ?? "";
  return (
    <div className="field" data-field="time_zone">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        dir="ltr"
        list={`${id}-zones`}
        autoComplete="off"
        spellCheck={false}
        placeholder={instanceZone || "Africa/Nairobi"}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${id}-hint${message ? ` ${id}-error` : ""}`}
        disabled={disabled}
        {...registration}
      />
      <datalist id={`${id}-zones`}>
        {list.map((o) => (
          <option key={o.z} value={o.z}>
            {o.label}
          </option>
        ))}
      </datalist>
      <p id={`${id}-hint`} className="field-hint">
        {onDefault && !typed ? (
          <Trans>
            The instance&apos;s default: <bdi dir="ltr">{instance}</bdi>. Type a city or a region to choose another zone.
          </Trans>
        ) : (
          <Trans>Type a city or a region, e.g. Nairobi or America/Bogota, and choose from the list.</Trans>
        )}{" "}
        {now && (
          <span data-testid="zone-now">
            <Trans>It is {now} there now.</Trans>
          </span>
        )}
      </p>
      {message && (
        <p id={`${id}-error`} className="field-error">
          {message}
        </p>
      )}
      {onDefault && typed && (
        <button type="button" className="button button-small button-secondary" onClick={onDefault} disabled={disabled}>
          <Trans>Use the instance&apos;s default ({instance})</Trans>
        </button>
      )}
    </div>
  );
}

/** The forms a person's own zone is part of: a time_zone value, "" for the instance's default. */
type ZoneValues = { time_zone: string };

/**
 * PersonTimeZone is a person's own time zone in a form that holds it as
 * time_zone (the invitation, the user form, the account settings): "Time
 * zone", the instance's default named when empty, and the way back to it.
 */
export function PersonTimeZone<T extends ZoneValues>({ form, instanceZone }: { form: UseFormReturn<T>; instanceZone?: string }) {
  // UseFormReturn is invariant in its values: every T here has time_zone.
  const f = form as unknown as UseFormReturn<ZoneValues>;
  return (
    <TimeZoneField
      label={<Trans>Time zone</Trans>}
      registration={f.register("time_zone")}
      value={f.watch("time_zone") ?? ""}
      onDefault={() => f.setValue("time_zone", "", { shouldDirty: true })}
      instanceZone={instanceZone}
      error={f.formState.errors.time_zone}
    />
  );
}
