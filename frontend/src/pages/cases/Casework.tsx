// The casework screens of a case (docs/workflows.md "Approvals, flags,
// close/reopen"): its flags (add with a reason and an optional date,
// resolve), its approvals (status per type, request, history; a manager's
// approve/reject), close and reopen with a reason; and the managers' queue
// of approval requests (/approvals, from GET /approvals with server-side
// filters). The rules of what is
// offered are in casework.ts; the API decides, and its refusals are shown as
// it words them.
import { useId, useRef, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type CurrentUser } from "../../api/client";
import { ApiError, errorMessage, mapProblem } from "../../api/problem";
import { checkNote, noteBody, rowOrder } from "../../records/notes";
import type { Row } from "../../records/patch";
import { useSession } from "../../app/session";
import { can } from "../../app/queries";
import { Status } from "../../components/Field";
import { DateField } from "../../components/DateField";
import { Allowed, LoadError, Loading, PageHeader, Pager, useFormatDate } from "../admin/common";
import { activeFirst, answersApprovals, approvalQueueQuery, approvalStatuses, APPROVAL_TYPES, type ApprovalQueueSearch, caseworkActions, checkText, closureBlocked, mayAddNote, mayAnswer, type Approval, type ApprovalStatus, type ApprovalType, type Flag, type InputProblem } from "./casework";
import { viewer } from "./Workflow";
import { FlagDetails } from "./FlagDetails";
import "../../styles/records.css";

export function useApprovalLabels() {
  const { t } = useLingui();
  const type: Record<ApprovalType, string> = {
    assessment: t`Assessment`,
    case_plan: t`Case plan`,
    closure: t`Closure`,
    action_plan: t`Action plan`,
    gbv_closure: t`GBV closure`,
  };
  const status: Record<ApprovalStatus, string> = { requested: t`Awaiting approval`, approved: t`Approved`, rejected: t`Rejected` };
  return { type, status };
}

function useProblemText() {
  const { t } = useLingui();
  return (p: InputProblem | undefined) => (p === "required" ? t`Give a reason: it is required.` : p === "too-long" ? t`At most 2000 characters.` : undefined);
}

/** ApprovalBadges: the case's approval statuses and "Flagged", for the case's header. */
export function CaseBadges({ record }: { record: Record<string, unknown> }) {
  const labels = useApprovalLabels();
  const statuses = approvalStatuses(record);
  return (
    <p className="case-badges" data-testid="case-badges">
      {record.flagged === true && (
        <span className="badge badge-flag">
          <Trans>Flagged</Trans>
        </span>
      )}
      {statuses.map(({ type, status }) => (
        <span key={type} className={`badge badge-${status === "approved" ? "on" : status === "rejected" ? "off" : "pending"}`} data-approval={type} data-status={status}>
          {labels.type[type]}: {labels.status[status]}
        </span>
      ))}
    </p>
  );
}

/** CaseworkPanel: flags, approvals, close and reopen of a case. */
export function CaseworkPanel({ caseId, record, moduleApprovals, referral, onChanged }: { caseId: string; record: Record<string, unknown>; moduleApprovals?: string[]; referral: boolean; onChanged: (message: string) => void }) {
  const { me } = useSession();
  const actions = caseworkActions(viewer(me), record, moduleApprovals, referral);
  return (
    <div className="casework">
      <Notes caseId={caseId} record={record} canAdd={mayAddNote(viewer(me), record)} onChanged={onChanged} />
      <Flags caseId={caseId} canAdd={actions.flag} canResolve={actions.unflag} onChanged={onChanged} />
      <Approvals caseId={caseId} me={me} record={record} request={actions.request} onChanged={onChanged} />
      {(actions.close || actions.reopen) && <CloseReopen caseId={caseId} reopen={actions.reopen} blocked={actions.close && closureBlocked(record, moduleApprovals)} onChanged={onChanged} />}
    </div>
  );
}

const NOTE_FIELDS = ["data.note_subject", "data.field_notes_subform_fields"];

/** Notes: the case's notes (newest first, author and date set by the server) and "Add a note". */
function Notes({ caseId, record, canAdd, onChanged }: { caseId: string; record: Record<string, unknown>; canAdd: boolean; onChanged: (m: string) => void }) {
  const { t } = useLingui();
  const date = useFormatDate();
  const rows = (record.notes_section as Row[] | undefined) ?? [];
  const byId = new Map(rows.map((r) => [r.unique_id, r]));
  const list = rowOrder("notes_section", rows).map((id) => byId.get(id)!);
  const [subject, setSubject] = useState("");
  const [text, setText] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const subjectRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (checkNote(text)) {
      setFieldErrors({ "data.field_notes_subform_fields": t`Write the note: it is required.` });
      return textRef.current?.focus();
    }
    setFieldErrors({});
    setBusy(true);
    try {
      data(await api.POST("/api/v2/cases/{id}/notes", { params: { path: { id: caseId } }, body: noteBody(subject, text) }));
      setSubject("");
      setText("");
      onChanged(t`Note added.`);
    } catch (err) {
      if (err instanceof ApiError) {
        const m = mapProblem(err.problem, NOTE_FIELDS);
        setFieldErrors(m.fields);
        setError(m.form.join(" ") || (Object.keys(m.fields).length ? t`Please check the note.` : err.message));
        if (m.fields["data.note_subject"]) subjectRef.current?.focus();
        else if (m.fields["data.field_notes_subform_fields"]) textRef.current?.focus();
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };
  const subjectError = fieldErrors["data.note_subject"];
  const textError = fieldErrors["data.field_notes_subform_fields"];
  return (
    <section className="card casework-section" aria-labelledby={`${ids}-notes`} data-testid="notes">
      <h2 id={`${ids}-notes`}>
        <Trans>Notes</Trans>
      </h2>
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      {!list.length && (
        <p className="muted">
          <Trans>No note yet.</Trans>
        </p>
      )}
      <ul className="note-list">
        {list.map((n) => (
          <li key={n.unique_id} className="note" data-note={n.unique_id}>
            {typeof n.note_subject === "string" && n.note_subject && (
              <p>
                <strong dir="auto">{n.note_subject}</strong>
              </p>
            )}
            <p dir="auto" className="note-text">
              {String(n.field_notes_subform_fields ?? "")}
            </p>
            <p className="muted">
              <Trans>
                By <bdi dir="ltr">{String(n.note_created_by ?? "—")}</bdi>, {date(n.notes_date as string | undefined)}
              </Trans>
            </p>
          </li>
        ))}
      </ul>
      {canAdd && (
        <form onSubmit={(e) => void add(e)} noValidate data-testid="add-note">
          <h3>
            <Trans>Add a note</Trans>
          </h3>
          <div className="field">
            <label htmlFor={`${ids}-subject`}>
              <Trans>Subject</Trans>
            </label>
            <input id={`${ids}-subject`} ref={subjectRef} name="note_subject" dir="auto" value={subject} onChange={(e) => setSubject(e.target.value)} aria-invalid={subjectError ? true : undefined} aria-describedby={subjectError ? `${ids}-subject-error` : undefined} />
            {subjectError && (
              <p id={`${ids}-subject-error`} className="field-error" role="alert">
                {subjectError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-text`}>
              <Trans>Note (required)</Trans>
            </label>
            <textarea id={`${ids}-text`} ref={textRef} name="field_notes_subform_fields" dir="auto" rows={4} required value={text} onChange={(e) => setText(e.target.value)} aria-invalid={textError ? true : undefined} aria-describedby={textError ? `${ids}-text-error` : undefined} />
            {textError && (
              <p id={`${ids}-text-error`} className="field-error" role="alert">
                {textError}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              <Trans>Add the note</Trans>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Flags({ caseId, canAdd, canResolve, onChanged }: { caseId: string; canAdd: boolean; canResolve: boolean; onChanged: (m: string) => void }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const problem = useProblemText();
  const flags = useQuery({
    queryKey: ["flags", caseId],
    staleTime: 0,
    queryFn: async () => data(await api.GET("/api/v2/cases/{id}/flags", { params: { path: { id: caseId } } })).data ?? [],
  });
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState("");
  const [on, setOn] = useState("");
  const [msgError, setMsgError] = useState<string>();
  const [error, setError] = useState<string>();
  const [resolving, setResolving] = useState<string>();
  const [why, setWhy] = useState("");
  const [whyError, setWhyError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const msgRef = useRef<HTMLTextAreaElement>(null);
  const whyRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  const after = (m: string) => {
    void qc.invalidateQueries({ queryKey: ["flags", caseId] });
    onChanged(m);
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const p = problem(checkText(message));
    setMsgError(p);
    if (p) return msgRef.current?.focus();
    setBusy(true);
    try {
      data(await api.POST("/api/v2/cases/{id}/flags", { params: { path: { id: caseId } }, body: { data: on ? { message: message.trim(), date: on } : { message: message.trim() } } }));
      setAdding(false);
      setMessage("");
      setOn("");
      after(t`Flag added.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const resolve = async (e: FormEvent, f: Flag) => {
    e.preventDefault();
    setError(undefined);
    const p = problem(checkText(why));
    setWhyError(p);
    if (p) return whyRef.current?.focus();
    setBusy(true);
    try {
      data(await api.PATCH("/api/v2/cases/{id}/flags/{flag_id}", { params: { path: { id: caseId, flag_id: f.id } }, body: { data: { unflag_message: why.trim() } } }));
      setResolving(undefined);
      setWhy("");
      after(t`Flag resolved.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const list = activeFirst(flags.data ?? []);
  return (
    <section className="card casework-section" aria-labelledby={`${ids}-flags`} data-testid="flags">
      <h2 id={`${ids}-flags`}>
        <Trans>Flags</Trans>
      </h2>
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      {flags.isLoading && <Loading />}
      {flags.error && <LoadError error={flags.error} />}
      {flags.data && !list.length && (
        <p className="muted">
          <Trans>No flag.</Trans>
        </p>
      )}
      <ul className="flag-list">
        {list.map((f) => (
          <li key={f.id} className={`flag${f.removed ? " flag-resolved" : ""}`} data-flag={f.removed ? "resolved" : "active"}>
            <p>
              <span className={`badge badge-${f.removed ? "off" : "flag"}`}>{f.removed ? t`Resolved` : t`Flagged`}</span> <span dir="auto">{f.message}</span>
            </p>
            <FlagDetails flag={f} />
            {!f.removed && canResolve && resolving !== f.id && (
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => {
                  setResolving(f.id);
                  setWhy("");
                  setWhyError(undefined);
                  requestAnimationFrame(() => whyRef.current?.focus());
                }}
              >
                <Trans>Resolve</Trans>
              </button>
            )}
            {resolving === f.id && (
              <form noValidate onSubmit={(e) => void resolve(e, f)}>
                <div className="field">
                  <label htmlFor={`${ids}-why`}>
                    <Trans>Why is it resolved?</Trans>
                  </label>
                  <textarea id={`${ids}-why`} ref={whyRef} value={why} aria-invalid={whyError ? true : undefined} aria-describedby={whyError ? `${ids}-why-error` : undefined} onChange={(e) => setWhy(e.target.value)} />
                  {whyError && (
                    <p id={`${ids}-why-error`} className="field-error" role="alert">
                      {whyError}
                    </p>
                  )}
                </div>
                <div className="actions">
                  <button type="submit" className="button button-small" disabled={busy}>
                    <Trans>Resolve the flag</Trans>
                  </button>
                  <button type="button" className="button button-small button-secondary" onClick={() => setResolving(undefined)}>
                    <Trans>Cancel</Trans>
                  </button>
                </div>
              </form>
            )}
          </li>
        ))}
      </ul>
      {canAdd && !adding && (
        <button
          type="button"
          className="button button-secondary"
          data-action="flag"
          onClick={() => {
            setAdding(true);
            requestAnimationFrame(() => msgRef.current?.focus());
          }}
        >
          <Trans>Flag this case</Trans>
        </button>
      )}
      {adding && (
        <form noValidate onSubmit={(e) => void add(e)} className="casework-form">
          <div className="field">
            <label htmlFor={`${ids}-msg`}>
              <Trans>Why is this case flagged?</Trans>
              <span className="required">
                {" "}
                <span aria-hidden="true">*</span>
                <span className="visually-hidden">
                  <Trans>(required)</Trans>
                </span>
              </span>
            </label>
            <textarea id={`${ids}-msg`} ref={msgRef} dir="auto" value={message} aria-invalid={msgError ? true : undefined} aria-describedby={msgError ? `${ids}-msg-error` : undefined} onChange={(e) => setMessage(e.target.value)} />
            {msgError && (
              <p id={`${ids}-msg-error`} className="field-error" role="alert">
                {msgError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-date`} id={`${ids}-date-label`}>
              <Trans>Date (optional)</Trans>
            </label>
            <DateField id={`${ids}-date`} labelId={`${ids}-date-label`} value={on} onChange={setOn} />
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              <Trans>Add the flag</Trans>
            </button>
            <button type="button" className="button button-secondary" onClick={() => setAdding(false)}>
              <Trans>Cancel</Trans>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function useApprovals(caseId: string) {
  return useQuery({
    queryKey: ["approvals", caseId],
    staleTime: 0,
    queryFn: async () => data(await api.GET("/api/v2/cases/{id}/approvals", { params: { path: { id: caseId } } })).data ?? [],
  });
}

async function answerApproval(caseId: string, type: ApprovalType, status: ApprovalStatus, notes: string): Promise<Approval> {
  return data(
    await api.PATCH("/api/v2/cases/{id}/approvals/{approval_id}", {
      params: { path: { id: caseId, approval_id: type } },
      body: { data: notes.trim() ? { approval_status: status, notes: notes.trim() } : { approval_status: status } },
    }),
  ).data;
}

function Approvals({ caseId, me, record, request, onChanged }: { caseId: string; me: CurrentUser | undefined; record: Record<string, unknown>; request: ApprovalType[]; onChanged: (m: string) => void }) {
  const { t } = useLingui();
  const labels = useApprovalLabels();
  const date = useFormatDate();
  const qc = useQueryClient();
  const list = useApprovals(caseId);
  const [type, setType] = useState<ApprovalType | "">("");
  const [notes, setNotes] = useState("");
  const [typeError, setTypeError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const statuses = approvalStatuses(record);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!type) {
      setTypeError(t`Choose what is to be approved.`);
      document.getElementById(`${ids}-type`)?.focus();
      return;
    }
    setTypeError(undefined);
    setBusy(true);
    try {
      const a = await answerApproval(caseId, type, "requested", notes);
      setType("");
      setNotes("");
      void qc.invalidateQueries({ queryKey: ["approvals", caseId] });
      onChanged(t`Approval of the ${labels.type[a.approval_type]} requested.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card casework-section" aria-labelledby={`${ids}-approvals`} data-testid="approvals">
      <h2 id={`${ids}-approvals`}>
        <Trans>Approvals</Trans>
      </h2>
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      {statuses.length ? (
        <dl className="changes approval-statuses">
          {statuses.map(({ type: ty, status }) => (
            <div key={ty} data-approval={ty} data-status={status}>
              <dt>{labels.type[ty]}</dt>
              <dd>
                <span className={`badge badge-${status === "approved" ? "on" : status === "rejected" ? "off" : "pending"}`}>{labels.status[status]}</span>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">
          <Trans>No approval requested yet.</Trans>
        </p>
      )}
      {request.length > 0 && (
        <form noValidate onSubmit={(e) => void submit(e)} className="casework-form">
          <div className="field">
            <label htmlFor={`${ids}-type`}>
              <Trans>Request approval of</Trans>
            </label>
            <select id={`${ids}-type`} value={type} aria-invalid={typeError ? true : undefined} aria-describedby={typeError ? `${ids}-type-error` : undefined} onChange={(e) => setType(e.target.value as ApprovalType)}>
              <option value="">{t`Choose…`}</option>
              {request.map((ty) => (
                <option key={ty} value={ty}>
                  {labels.type[ty]}
                </option>
              ))}
            </select>
            {typeError && (
              <p id={`${ids}-type-error`} className="field-error" role="alert">
                {typeError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-notes`}>
              <Trans>Notes for the manager (optional)</Trans>
            </label>
            <textarea id={`${ids}-notes`} dir="auto" value={notes} onChange={(e) => setNotes(e.target.value)} />
          </div>
          <button type="submit" className="button" disabled={busy} data-action="request-approval">
            <Trans>Request approval</Trans>
          </button>
        </form>
      )}
      {list.isLoading && <Loading />}
      {list.error && <LoadError error={list.error} />}
      {!!list.data?.length && (
        <>
          <h3>
            <Trans>Approval history</Trans>
          </h3>
          <ol className="approval-list">
            {list.data.map((a) => (
              <li key={a.id} className="card" data-approval={a.approval_type} data-status={a.approval_status}>
                <p>
                  <strong>{labels.type[a.approval_type]}</strong> <span className={`badge badge-${a.approval_status === "approved" ? "on" : a.approval_status === "rejected" ? "off" : "pending"}`}>{labels.status[a.approval_status]}</span>
                </p>
                <p className="muted">
                  <Trans>
                    Requested by <bdi dir="ltr">{a.requested_by}</bdi>, {date(a.requested_at)}
                  </Trans>
                  {a.notes && (
                    <>
                      {": "}
                      <span dir="auto">{a.notes}</span>
                    </>
                  )}
                </p>
                {a.approved_by && (
                  <p className="muted">
                    <Trans>
                      Answered by <bdi dir="ltr">{a.approved_by}</bdi>, {date(a.answered_at ?? "")}
                    </Trans>
                    {a.approval_notes && (
                      <>
                        {": "}
                        <span dir="auto">{a.approval_notes}</span>
                      </>
                    )}
                  </p>
                )}
                {mayAnswer(viewer(me), a) && (
                  <AnswerForm
                    caseId={caseId}
                    type={a.approval_type}
                    onDone={(m) => {
                      void qc.invalidateQueries({ queryKey: ["approvals", caseId] });
                      onChanged(m);
                    }}
                  />
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** AnswerForm: approve or reject a pending request, with a comment (required to reject). */
function AnswerForm({ caseId, type, onDone }: { caseId: string; type: ApprovalType; onDone: (message: string) => void }) {
  const { t } = useLingui();
  const ids = useId();
  const [notes, setNotes] = useState("");
  const [notesError, setNotesError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const answer = async (status: "approved" | "rejected") => {
    setError(undefined);
    if (status === "rejected" && !notes.trim()) {
      setNotesError(t`Say why you reject it.`);
      ref.current?.focus();
      return;
    }
    setNotesError(undefined);
    setBusy(true);
    try {
      await answerApproval(caseId, type, status, notes);
      setNotes("");
      onDone(status === "approved" ? t`Approved.` : t`Rejected.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate className="approval-answer" onSubmit={(e) => e.preventDefault()}>
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-c`}>
          <Trans>Comment (required to reject)</Trans>
        </label>
        <textarea id={`${ids}-c`} ref={ref} dir="auto" value={notes} aria-invalid={notesError ? true : undefined} aria-describedby={notesError ? `${ids}-c-error` : undefined} onChange={(e) => setNotes(e.target.value)} />
        {notesError && (
          <p id={`${ids}-c-error`} className="field-error" role="alert">
            {notesError}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="button" className="button button-small" disabled={busy} data-answer="approved" onClick={() => void answer("approved")}>
          <Trans>Approve</Trans>
        </button>
        <button type="button" className="button button-small button-danger" disabled={busy} data-answer="rejected" onClick={() => void answer("rejected")}>
          <Trans>Reject</Trans>
        </button>
      </div>
    </form>
  );
}

function CloseReopen({ caseId, reopen, blocked, onChanged }: { caseId: string; reopen: boolean; blocked: boolean; onChanged: (m: string) => void }) {
  const { t } = useLingui();
  const problem = useProblemText();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const p = problem(checkText(reason));
    setReasonError(p);
    if (p) return ref.current?.focus();
    setBusy(true);
    try {
      const body = { params: { path: { id: caseId } }, body: { data: { reason: reason.trim() } } };
      data(reopen ? await api.POST("/api/v2/cases/{id}/reopen", body) : await api.POST("/api/v2/cases/{id}/close", body));
      setOpen(false);
      setReason("");
      onChanged(reopen ? t`Case reopened.` : t`Case closed.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card casework-section" aria-labelledby={`${ids}-h`} data-testid="close-reopen">
      <h2 id={`${ids}-h`}>{reopen ? <Trans>Reopen the case</Trans> : <Trans>Close the case</Trans>}</h2>
      <div role="alert" className={error ? "notice notice-error" : "visually-hidden"}>
        {error && <span dir="auto">{error}</span>}
      </div>
      {blocked && (
        <p className="notice notice-info">
          <Trans>This case needs an approved closure before it can be closed: request the closure's approval above.</Trans>
        </p>
      )}
      {!open ? (
        <button
          type="button"
          className="button button-secondary"
          data-action={reopen ? "reopen" : "close"}
          onClick={() => {
            setOpen(true);
            requestAnimationFrame(() => ref.current?.focus());
          }}
        >
          {reopen ? <Trans>Reopen…</Trans> : <Trans>Close…</Trans>}
        </button>
      ) : (
        <form noValidate onSubmit={(e) => void submit(e)} className="casework-form">
          <div className="field">
            <label htmlFor={`${ids}-r`}>{reopen ? <Trans>Why is the case reopened?</Trans> : <Trans>Why is the case closed?</Trans>}</label>
            <textarea id={`${ids}-r`} ref={ref} dir="auto" value={reason} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? `${ids}-r-error` : undefined} onChange={(e) => setReason(e.target.value)} />
            {reasonError && (
              <p id={`${ids}-r-error`} className="field-error" role="alert">
                {reasonError}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              {reopen ? <Trans>Reopen the case</Trans> : <Trans>Close the case</Trans>}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
              <Trans>Cancel</Trans>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/**
 * ApprovalQueue: /approvals, the pending requests the signed-in manager may
 * answer (GET /approvals?to_answer=true), or with ?show=all (Home's "Pending
 * approvals", and the only list for a role that answers none) every pending
 * request on the cases they see; newest first; filters by type and case in
 * the URL (?show=&type=&record=&page=). Approve or reject where the API says
 * the person may.
 */
export function ApprovalQueue() {
  const { t } = useLingui();
  const { me } = useSession();
  const labels = useApprovalLabels();
  const date = useFormatDate();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as ApprovalQueueSearch;
  const per = 20;
  const answers = answersApprovals(me?.permissions);
  const q = approvalQueueQuery(search, per, answers);
  const mine = q.to_answer === true;
  const [status, setStatus] = useState<string>();
  const [answering, setAnswering] = useState<string>();
  const go = (next: ApprovalQueueSearch) =>
    navigate({ to: "/approvals", search: Object.fromEntries(Object.entries({ ...search, ...next }).filter(([, v]) => v !== undefined && v !== "")) as never });
  const query = useQuery({
    queryKey: ["approval-queue", q],
    staleTime: 0,
    enabled: can(me, "approvals:read"),
    queryFn: async () => data(await api.GET("/api/v2/approvals", { params: { query: q } })),
  });
  const rows = query.data?.data ?? [];
  const total = query.data?.metadata.total ?? 0;
  const shortOfRecord = rows[0]?.short_id;
  return (
    <Allowed permission="approvals:read">
      <div className="page">
        <PageHeader title={mine ? t`Approvals to answer` : t`Pending approvals`} />
        <Status message={status} />
        {answers && (
          <div className="tabs" role="group" aria-label={t`Which requests`}>
            <button type="button" className={`button button-small${mine ? "" : " button-secondary"}`} aria-pressed={mine} data-show="mine" onClick={() => void go({ show: undefined, page: undefined })}>
              <Trans>To answer</Trans>
            </button>
            <button type="button" className={`button button-small${mine ? " button-secondary" : ""}`} aria-pressed={!mine} data-show="all" onClick={() => void go({ show: "all", page: undefined })}>
              <Trans>All pending</Trans>
            </button>
          </div>
        )}
        <p className="muted">
          {mine ? (
            <Trans>The requests you may approve or reject, newest first.</Trans>
          ) : (
            <Trans>Every request awaiting an answer on the cases you see, newest first.</Trans>
          )}
        </p>
        <form className="filters" aria-label={t`Filter the approval requests`} onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="approval-type">
              <Trans>Approval type</Trans>
            </label>
            <select id="approval-type" value={q.approval_type ?? ""} onChange={(e) => void go({ type: e.target.value || undefined, page: undefined })}>
              <option value="">{t`All types`}</option>
              {APPROVAL_TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {labels.type[ty]}
                </option>
              ))}
            </select>
          </div>
          {q.record && (
            <p className="filter-record">
              {shortOfRecord ? (
                <Trans>
                  Only case <bdi dir="ltr">{shortOfRecord}</bdi>
                </Trans>
              ) : (
                <Trans>Only one case</Trans>
              )}{" "}
              <button type="button" className="button button-small button-secondary" data-action="all-cases" onClick={() => void go({ record: undefined, page: undefined })}>
                <Trans>All cases</Trans>
              </button>
            </p>
          )}
        </form>
        {query.isLoading && <Loading />}
        {query.error && <LoadError error={query.error} />}
        {query.data && !rows.length && (
          <p className="muted" data-testid="queue-empty">
            {mine ? <Trans>No approval request awaits you.</Trans> : <Trans>No approval request is pending.</Trans>}
          </p>
        )}
        <ol className="approval-queue">
          {rows.map((a) => {
            const key = a.id;
            const type = a.approval_type;
            const shortId = a.short_id;
            return (
              <li key={key} className="card" data-case={shortId} data-approval={type}>
                <p>
                  <strong>{labels.type[type] ?? type}</strong> ·{" "}
                  <Link to="/cases/$id" params={{ id: a.record_id }}>
                    <Trans>
                      Case <code dir="ltr">{shortId}</code>
                    </Trans>
                  </Link>
                  {a.name && (
                    <>
                      {" "}
                      · <bdi dir="auto">{a.name}</bdi>
                    </>
                  )}{" "}
                  · <Trans>requested {date(a.requested_at)}</Trans>
                </p>
                <p className="muted">
                  <Trans>
                    By <bdi dir="ltr">{a.requested_by}</bdi>
                  </Trans>
                  {a.notes && (
                    <>
                      {": "}
                      <span dir="auto">{a.notes}</span>
                    </>
                  )}
                </p>
                {!a.may_answer ? null : answering === key ? (
                  <AnswerForm
                    caseId={a.record_id}
                    type={type}
                    onDone={(m) => {
                      setAnswering(undefined);
                      setStatus(`${labels.type[type]} (${shortId}): ${m}`);
                      void qc.invalidateQueries({ queryKey: ["approval-queue"] });
                      void qc.invalidateQueries({ queryKey: ["dashboards"] });
                      void qc.invalidateQueries({ queryKey: ["approvals", a.record_id] });
                    }}
                  />
                ) : (
                  <button type="button" className="button button-small" data-action="answer" onClick={() => setAnswering(key)}>
                    <Trans>Approve or reject…</Trans>
                  </button>
                )}
              </li>
            );
          })}
        </ol>
        <Pager page={q.page} per={per} total={total} onPage={(p) => void go({ page: p > 1 ? String(p) : undefined })} />
      </div>
    </Allowed>
  );
}
