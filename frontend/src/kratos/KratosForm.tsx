// Renders one group of a Kratos flow as an accessible form: labels and
// messages in the user's language (by Kratos message id), errors tied to
// their inputs and announced, the QR code and recovery codes as images and
// lists. Submits JSON through onSubmit.
import { useId, useState, type FormEvent } from "react";
import { useLingui } from "@lingui/react";
import { translate } from "./messages";
import { bodyFromForm, isInput, isSubmit, nodesFor } from "./nodes";
import type { Flow, UiNode, UiText } from "./types";

export interface KratosFormProps {
  flow: Flow;
  group: string;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  /** label overrides by input name (e.g. "identifier" on the sign-in page) */
  labels?: Record<string, string>;
  /** the first visible input gets focus */
  autoFocus?: boolean;
}

export function Messages({ messages }: { messages: UiText[] | undefined }) {
  const { i18n } = useLingui();
  const errors = (messages ?? []).filter((m) => m.type === "error");
  const infos = (messages ?? []).filter((m) => m.type !== "error");
  return (
    <>
      <div role="alert" className={errors.length ? "notice notice-error" : "visually-hidden"}>
        {errors.map((m) => (
          <p key={m.id + m.text} data-message-id={m.id}>
            {translate(i18n, m)}
          </p>
        ))}
      </div>
      <div role="status" className={infos.length ? "notice notice-info" : "visually-hidden"}>
        {infos.map((m) => (
          <p key={m.id + m.text} data-message-id={m.id}>
            {translate(i18n, m)}
          </p>
        ))}
      </div>
    </>
  );
}

function NodeView({ node, labels, autoFocus }: { node: UiNode; labels?: Record<string, string>; autoFocus: boolean }) {
  const { i18n } = useLingui();
  const uid = useId();
  const a = node.attributes;
  const label = (a.name && labels?.[a.name]) || translate(i18n, node.meta.label);
  const errors = node.messages.filter((m) => m.type === "error");
  if (a.node_type === "img") {
    return <img className="kratos-qr" src={a.src} width={a.width} height={a.height} alt={label} />;
  }
  if (a.node_type === "text") {
    const secrets = (a.text?.context as { secrets?: UiText[] } | undefined)?.secrets;
    return (
      <div className="kratos-text">
        {label && <p>{label}</p>}
        {secrets ? (
          <ul className="codes" aria-label={label}>
            {secrets.map((s) => (
              <li key={s.text}>
                <code>{translate(i18n, s)}</code>
              </li>
            ))}
          </ul>
        ) : (
          <code className="secret" id={a.id} dir="ltr">
            {a.text?.text}
          </code>
        )}
      </div>
    );
  }
  if (a.node_type === "a") {
    return <a href={a.href}>{translate(i18n, a.title)}</a>;
  }
  if (!isInput(node) || !a.name) return null;
  if (a.type === "hidden") {
    return <input type="hidden" name={a.name} value={String(a.value ?? "")} />;
  }
  if (isSubmit(node)) {
    return (
      <button
        type="submit"
        name={a.name}
        value={String(a.value ?? "")}
        disabled={a.disabled}
        className={/_(unlink|disable)$/.test(a.name) || a.name === "email" || a.name === "resend" ? "button button-secondary" : "button"}
      >
        {label}
      </button>
    );
  }
  const id = `kratos-${a.name.replace(/\W/g, "-")}-${uid}`;
  const errId = `${id}-error`;
  if (a.type === "checkbox") {
    return (
      <div className="field field-check">
        <input id={id} type="checkbox" name={a.name} defaultChecked={a.value === true} aria-describedby={errors.length ? errId : undefined} />
        <label htmlFor={id}>{label}</label>
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={a.name}
        type={a.type === "email" ? "email" : a.type === "password" ? "password" : a.type === "number" ? "text" : a.type || "text"}
        inputMode={a.name === "totp_code" || a.name === "code" ? "numeric" : undefined}
        defaultValue={typeof a.value === "string" ? a.value : undefined}
        required={a.required}
        disabled={a.disabled}
        autoComplete={a.autocomplete ?? (a.name === "identifier" ? "username" : a.name === "totp_code" ? "one-time-code" : undefined)}
        pattern={a.pattern}
        autoFocus={autoFocus}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={errors.length ? errId : undefined}
        dir={a.type === "email" || a.name === "identifier" ? "ltr" : undefined}
      />
      {errors.length > 0 && (
        <p id={errId} className="field-error">
          {errors.map((m) => translate(i18n, m)).join(" ")}
        </p>
      )}
    </div>
  );
}

export function KratosForm({ flow, group, onSubmit, labels, autoFocus }: KratosFormProps) {
  const [busy, setBusy] = useState(false);
  const nodes = nodesFor(flow.ui.nodes, group).filter((n) => n.attributes.node_type !== "script");
  const firstInput = nodes.find((n) => isInput(n) && n.attributes.type !== "hidden" && !isSubmit(n));
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const native = e.nativeEvent as SubmitEvent;
    const btn = native.submitter as HTMLButtonElement | null;
    const fallback = nodes.find(isSubmit);
    const submitter = btn?.name
      ? { name: btn.name, value: btn.value }
      : fallback?.attributes.name
        ? { name: fallback.attributes.name, value: String(fallback.attributes.value ?? "") }
        : null;
    setBusy(true);
    try {
      await onSubmit(bodyFromForm(nodes, new FormData(e.currentTarget), submitter, group));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack kratos-form" data-group={group} onSubmit={submit} aria-busy={busy} noValidate>
      {nodes.map((n, i) => (
        <NodeView key={`${n.group}-${n.attributes.name ?? n.attributes.id ?? i}-${String(n.attributes.value ?? "")}`} node={n} labels={labels} autoFocus={!!autoFocus && n === firstInput} />
      ))}
    </form>
  );
}
