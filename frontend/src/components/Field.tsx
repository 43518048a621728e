// Form fields with a visible label, an optional hint, and an error tied to
// the input (aria-invalid, aria-describedby) so screen readers announce it.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { FieldError, UseFormRegisterReturn } from "react-hook-form";

interface Common {
  label: ReactNode;
  hint?: ReactNode;
  error?: FieldError | string;
  registration: UseFormRegisterReturn;
}

function describe(id: string, hint?: ReactNode, error?: FieldError | string) {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids || undefined;
}

function Extras({ id, hint, error }: { id: string; hint?: ReactNode; error?: FieldError | string }) {
  const message = typeof error === "string" ? error : error?.message;
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {message && (
        <p id={`${id}-error`} className="field-error">
          {message}
        </p>
      )}
    </>
  );
}

export function TextField({ label, hint, error, registration, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describe(id, hint, error)} {...rest} {...registration} />
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextArea({ label, hint, error, registration, ...rest }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describe(id, hint, error)} {...rest} {...registration} />
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({
  label,
  hint,
  error,
  registration,
  options,
  ...rest
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describe(id, hint, error)} {...rest} {...registration}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

export function CheckField({ label, hint, error, registration, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" aria-invalid={error ? true : undefined} aria-describedby={describe(id, hint, error)} {...rest} {...registration} />
      <label htmlFor={id}>{label}</label>
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

/** FormErrors shows the errors that belong to no field, announced when they appear. */
export function FormErrors({ errors }: { errors: string[] }) {
  return (
    <div role="alert" className={errors.length ? "notice notice-error" : "visually-hidden"}>
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

/** Status announces a success politely. */
export function Status({ message }: { message?: string }) {
  return (
    <div role="status" className={message ? "notice notice-success" : "visually-hidden"}>
      {message}
    </div>
  );
}
