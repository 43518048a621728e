// The case's workflow screens (docs/workflows.md): the transitions panel
// (who, when, type, status, to whom, service, notes; pending ones
// highlighted; the receiver's and the sender's answers), the actions menu
// by permission, and the form of an assignment, referral, transfer or
// transfer request with the case's consent state. The API decides; its
// refusals (403 protocol, 409 consent, 422 fields) are shown as it words them.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type CurrentUser } from "../../api/client";
import { ApiError, errorMessage, mapProblem } from "../../api/problem";
import { can } from "../../app/queries";
import { localName } from "../admin/common";
import { options, type RecordConfig } from "../../records/config";
import { TransitionCard, useTransitionLabels } from "./TransitionCard";
import {
  answersFor,
  availableActions,
  consentState,
  emptyForm,
  segment,
  transitionBody,
  validateTransition,
  type Answer,
  type CaseFacts,
  type FormProblem,
  type Transition,
  type TransitionForm,
  type TransitionType,
  type Viewer,
} from "./workflow";

/** viewer: the rules' view of the signed-in user. */
export function viewer(me: CurrentUser | undefined): Viewer {
  return { email: me?.email ?? "", permissions: me?.permissions ?? [] };
}

/** useTransitions loads a case's transitions (newest first). */
export function useTransitions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["transitions", id],
    enabled,
    staleTime: 0,
    queryFn: async () => data(await api.GET("/api/v2/cases/{id}/transitions", { params: { path: { id } } })).data ?? [],
  });
}

/** CaseActions: the transitions the viewer is offered, as buttons opening their form. */
export function CaseActions({ me, record, transitions, onOpen }: { me: CurrentUser | undefined; record: CaseFacts; transitions: Transition[]; onOpen: (t: TransitionType) => void }) {
  const labels = useTransitionLabels();
  const { t } = useLingui();
  const actions = availableActions(viewer(me), record, transitions);
  if (!actions.length) return null;
  return (
    <div className="actions workflow-actions" role="group" aria-label={t`Case actions`}>
      {actions.map((a) => (
        <button key={a} type="button" className="button button-secondary" data-action={a} onClick={() => onOpen(a)}>
          {labels.action[a]}
        </button>
      ))}
    </div>
  );
}

/** TransitionsPanel lists the case's transitions with the answers the viewer may give. */
export function TransitionsPanel({
  caseId,
  me,
  transitions,
  config,
  onAnswered,
}: {
  caseId: string;
  me: CurrentUser | undefined;
  transitions: Transition[];
  config: RecordConfig;
  onAnswered: (t: Transition) => void;
}) {
  const { i18n } = useLingui();
  const serviceName = (id: string) => localName(config.lookups.get(SERVICE_LOOKUP)?.values?.find((o) => o.id === id)?.display_text, i18n.locale) || id;
  const v = viewer(me);
  // The refusal of the latest answer, shown in the card answered.
  const [error, setError] = useState<{ id: string; message: string }>();
  const [busy, setBusy] = useState(false);

  const send = async (tr: Transition, status: Answer, notes?: string) => {
    setError(undefined);
    setBusy(true);
    try {
      const seg = segment[tr.type as TransitionType] as "referrals";
      const res = await api.PATCH(`/api/v2/cases/{id}/${seg}/{transition_id}`, {
        params: { path: { id: caseId, transition_id: tr.id } },
        body: { data: notes ? { status, rejected_reason: notes } : { status } },
      });
      onAnswered(data(res).data);
      return true;
    } catch (err) {
      setError({ id: tr.id, message: errorMessage(err) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!transitions.length) {
    return (
      <p className="muted">
        <Trans>No assignment, referral or transfer yet.</Trans>
      </p>
    );
  }
  return (
    <section className="transitions" aria-labelledby="transitions-title">
      <h2 id="transitions-title">
        <Trans>Transitions</Trans>
      </h2>
      <ol className="transition-list">
        {transitions.map((tr) => (
          <TransitionCard
            key={tr.id}
            tr={tr}
            answers={answersFor(v, tr)}
            busy={busy}
            error={error?.id === tr.id ? error.message : undefined}
            serviceName={serviceName}
            onAnswer={(a, reason) => send(tr, a, reason)}
          />
        ))}
      </ol>
    </section>
  );
}

/** The lookup of a referral's services (docs/workflows.md). */
const SERVICE_LOOKUP = "lookup-service-type";

/** The pickers that offer receivers (docs/workflows.md "Pickers"), guarded by the transition's own permission. */
const PICKERS: Partial<Record<TransitionType, { path: "/api/v2/users/assign-to" | "/api/v2/users/transfer-to" | "/api/v2/users/refer-to"; permission: string }>> = {
  assign: { path: "/api/v2/users/assign-to", permission: "cases:assign" },
  transfer: { path: "/api/v2/users/transfer-to", permission: "cases:transfer" },
  referral: { path: "/api/v2/users/refer-to", permission: "cases:refer" },
};

const FIELDS = ["transitioned_to", "transitioned_to_agency", "service", "authorized_role_unique_id", "notes", "consent_override_reason"] as const;

/**
 * TransitionForm: assign, refer, transfer or request a transfer of one case.
 * Receivers are suggested by the transition's picker (assign-to, transfer-to,
 * refer-to: scope and sharing protocol decide) and may still be typed; access
 * roles come from roles/referable.
 */
export function TransitionFormPanel({
  type,
  me,
  record,
  config,
  onClose,
  onDone,
}: {
  type: TransitionType;
  me: CurrentUser | undefined;
  record: Record<string, unknown> & { id: string };
  config: RecordConfig;
  onClose: () => void;
  onDone: (t: Transition) => void;
}) {
  const { t, i18n } = useLingui();
  const labels = useTransitionLabels();
  const uid = useId();
  const [form, setForm] = useState<TransitionForm>(emptyForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const v = viewer(me);
  const sharing = type === "referral" || type === "transfer";
  const consent = consentState(v, record);
  const picker = PICKERS[type];
  const users = useQuery({
    queryKey: ["users", "pick", type],
    enabled: picker !== undefined && can(me, picker.permission),
    queryFn: async () => (picker ? (data(await api.GET(picker.path)).data ?? []) : []),
  });
  const roles = useQuery({
    queryKey: ["roles", "referable"],
    enabled: type === "referral" && can(me, "cases:refer"),
    queryFn: async () => data(await api.GET("/api/v2/roles/referable")).data ?? [],
  });
  const services = options({ name: "service", type: "select_box", option_strings_source: `lookup ${SERVICE_LOOKUP}` } as never, config.lookups);
  const problemText: Record<FormProblem, string> = {
    "receiver-required": t`Enter the receiver's email.`,
    "receiver-email": t`Enter an email address, like name@example.org.`,
    "reason-required": t`Say why you share the case without consent.`,
  };
  const set = (k: keyof TransitionForm, value: string | boolean) => setForm((f) => ({ ...f, [k]: value }));
  const focus = (k: string) => document.getElementById(`${uid}-${k}`)?.focus();

  const submit = async () => {
    setFormErrors([]);
    const problems = validateTransition(type, form);
    const keys = Object.keys(problems);
    if (keys.length) {
      setErrors(Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, problemText[p as FormProblem]])));
      focus(keys[0]);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const res = await api.POST(`/api/v2/cases/{id}/${segment[type]}` as "/api/v2/cases/{id}/referrals", {
        params: { path: { id: record.id } },
        body: { data: transitionBody(type, form) },
      });
      onDone(data(res).data);
    } catch (err) {
      if (err instanceof ApiError) {
        const mapped = mapProblem(err.problem, FIELDS.map((f) => `data.${f}`));
        const fields = Object.fromEntries(Object.entries(mapped.fields).map(([k, m]) => [k.replace(/^data\./, ""), m]));
        setErrors(fields);
        setFormErrors(mapped.form.length || Object.keys(fields).length ? mapped.form : [err.message]);
        const first = Object.keys(fields)[0];
        if (first) focus(first);
      } else setFormErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof TransitionForm, label: ReactNode, input: (props: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode, hint?: ReactNode) => {
    const id = `${uid}-${k}`;
    const describedBy = [hint ? `${id}-hint` : "", errors[k] ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {input({ id, name: k, "aria-invalid": errors[k] ? true : undefined, "aria-describedby": describedBy })}
        {hint && (
          <p id={`${id}-hint`} className="field-hint">
            {hint}
          </p>
        )}
        {errors[k] && (
          <p id={`${id}-error`} className="field-error">
            {errors[k]}
          </p>
        )}
      </div>
    );
  };

  return (
    <section className="card transition-form" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} ref={titleRef} tabIndex={-1}>
        {labels.action[type]}
      </h2>
      <div role="alert" className={formErrors.length ? "notice notice-error" : "visually-hidden"}>
        {formErrors.map((e) => (
          <p key={e} dir="auto">
            {e}
          </p>
        ))}
      </div>
      {type === "transfer_request" && (
        <p className="muted">
          <Trans>
            The case's owner (<span dir="ltr">{String(record.owned_by ?? "")}</span>) receives the request and accepts or rejects it.
          </Trans>
        </p>
      )}
      {sharing && (
        <div className={`notice ${consent === "given" ? "notice-info" : "notice-warning"}`} data-consent={consent}>
          {consent === "given" ? (
            <Trans>Consent: the child or caregiver agreed to share the case with other organisations.</Trans>
          ) : (
            <>
              <p>
                <Trans>Consent: the case does not record agreement to share it with other organisations. Within your agency this does not matter; to another agency it is refused.</Trans>
              </p>
              {consent === "missing" && (
                <p>
                  <Trans>Your role may not override consent: record the consent on the case first, or ask a case manager.</Trans>
                </p>
              )}
            </>
          )}
        </div>
      )}
      <form
        className="stack form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {type !== "transfer_request" &&
          field(
            "transitioned_to",
            <Trans>Receiver (email)</Trans>,
            (p) => (
              <>
                <input {...p} type="email" autoComplete="off" list={users.data?.length ? `${uid}-users` : undefined} value={form.transitioned_to} onChange={(e) => set("transitioned_to", e.target.value)} />
                {users.data && (
                  <datalist id={`${uid}-users`}>
                    {users.data.map((u) => (
                      <option key={u.user_name} value={u.user_name}>
                        {u.full_name} · {localName(u.agency_name, i18n.locale)}
                      </option>
                    ))}
                  </datalist>
                )}
              </>
            ),
            <Trans>The person's user name: the email they sign in with.</Trans>,
          )}
        {sharing &&
          field(
            "transitioned_to_agency",
            <Trans>Receiver's agency (optional)</Trans>,
            (p) => <input {...p} type="text" dir="ltr" value={form.transitioned_to_agency} onChange={(e) => set("transitioned_to_agency", e.target.value)} />,
            <Trans>Its identifier, like agency-unicef; checked against the receiver's agency.</Trans>,
          )}
        {type === "referral" &&
          field("service", <Trans>Service</Trans>, (p) => (
            <select {...p} value={form.service} onChange={(e) => set("service", e.target.value)}>
              <option value="">{t`No particular service`}</option>
              {services
                .filter((o) => !o.disabled)
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {localName(o.display_text, i18n.locale)}
                  </option>
                ))}
            </select>
          ))}
        {type === "referral" &&
          field(
            "authorized_role_unique_id",
            <Trans>Access role</Trans>,
            (p) =>
              roles.data?.length ? (
                <select {...p} value={form.authorized_role_unique_id} onChange={(e) => set("authorized_role_unique_id", e.target.value)}>
                  <option value="">{t`The receiver's own role`}</option>
                  {roles.data.map((r) => (
                    <option key={r.unique_id} value={r.unique_id}>
                      {localName(r.name, i18n.locale)}
                    </option>
                  ))}
                </select>
              ) : (
                <input {...p} type="text" dir="ltr" value={form.authorized_role_unique_id} onChange={(e) => set("authorized_role_unique_id", e.target.value)} />
              ),
            <Trans>The receiver reads the case through this role's forms. Empty: their own role.</Trans>,
          )}
        {field("notes", <Trans>Notes</Trans>, (p) => <textarea {...p} value={form.notes} onChange={(e) => set("notes", e.target.value)} />)}
        {sharing && consent === "missing-override" && (
          <>
            <div className="field field-check">
              <input id={`${uid}-override`} type="checkbox" checked={form.override} onChange={(e) => set("override", e.target.checked)} />
              <label htmlFor={`${uid}-override`}>
                <Trans>Share without consent (override)</Trans>
              </label>
            </div>
            {form.override &&
              field("consent_override_reason", <Trans>Why share without consent</Trans>, (p) => (
                <textarea {...p} value={form.consent_override_reason} onChange={(e) => set("consent_override_reason", e.target.value)} />
              ), <Trans>Recorded on the transition and in the case's history.</Trans>)}
          </>
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t`Sending…` : labels.action[type]}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            <Trans>Cancel</Trans>
          </button>
        </div>
      </form>
    </section>
  );
}

/** useWorkflowRefresh: after a transition, the case, its transitions and history are read again. */
export function useWorkflowRefresh(id: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ["transitions", id] });
    void qc.invalidateQueries({ queryKey: ["record", "case", id] });
    void qc.invalidateQueries({ queryKey: ["history", id] });
    void qc.invalidateQueries({ queryKey: ["cases"] });
  };
}
