// The upload fields (photo, audio, document) of the form renderer. A file is
// uploaded at once through the attachments API (its own call, not part of
// the record's PATCH: the server appends the attachment's id to the field
// and bumps the record's version), on a saved record, also while it is being
// edited (the editor then moves onto the new version: CaseRecord.tsx). While
// registering, files are chosen, described and kept (records/pending.ts) and
// sent right after the create. Uploads run in records/uploadQueue.ts, so a
// field shows its files' progress and refusals whenever it is on screen.
import { createContext, useContext, useId, useState, useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../api/client";
import { errorMessage } from "../api/problem";
import type { Db } from "../offline/db";
import { db, locked, offlineActive } from "../offline/runtime";
import { keepFile, settleKept } from "./keptFiles";
import { useWarnBeforeLeaving } from "./leaving";
import { queryClient, readAgain } from "../app/queries";
import { localName } from "../pages/admin/common";
import { DateField } from "../components/DateField";
import type { Field, RecordConfig } from "./config";
import type { PendingFile, PendingUploads } from "./pending";
import { UploadQueue, type QueueTarget } from "./uploadQueue";
import { accept, byField, formatSize, kindOf, percent, retryable, send, typeAccepted, uploadError, type Attachment, type FileNote, type UploadError } from "./uploads";

/** What upload fields need of the record around them; absent while registering. */
export interface UploadTarget {
  resource: "cases" | "tracing_requests" | "incidents";
  recordType: string;
  recordId: string;
  /** files may be added and removed now (write permission, an enabled record, not editing) */
  canChange: boolean;
  /** the record is being edited: uploads wait until it is saved or cancelled */
  editing: boolean;
}

export const UploadTargetContext = createContext<UploadTarget | undefined>(undefined);

/** The registration's files, kept until the record exists (absent on a saved record). */
export const PendingUploadsContext = createContext<PendingUploads | undefined>(undefined);

const typeOfResource: Record<string, string> = { cases: "case", tracing_requests: "tracing_request", incidents: "incident" };

/** The app's uploads: after each file the server took, the record, its attachments and history are read again. */
export const uploadQueue = new UploadQueue(send, (target: QueueTarget) => {
  void readAgain(queryClient, ["attachments", target.recordId], ["record", typeOfResource[target.resource], target.recordId], ["history", target.recordId]);
});

function useQueued(recordId: string | undefined, field: string) {
  return useSyncExternalStore(uploadQueue.subscribe, () => (recordId ? uploadQueue.field(recordId, field) : NONE));
}
const NONE: never[] = [];

/** useAttachments lists a record's attachments (one request for all its upload fields). */
export function useAttachments(target: UploadTarget | undefined) {
  return useQuery({
    queryKey: ["attachments", target?.recordId],
    enabled: !!target,
    staleTime: 0,
    queryFn: async () =>
      data(await api.GET(`/api/v2/${target!.resource}/{id}/attachments` as "/api/v2/cases/{id}/attachments", { params: { path: { id: target!.recordId } } })).data ?? [],
  });
}

/** useDownloadLink reads an attachment's short-lived download link. */
function useDownloadLink(target: UploadTarget, a: Attachment, enabled: boolean) {
  return useQuery({
    queryKey: ["attachment", a.id],
    enabled,
    staleTime: 60_000,
    queryFn: async () =>
      data(
        await api.GET(`/api/v2/${target.resource}/{id}/attachments/{attachment_id}` as "/api/v2/cases/{id}/attachments/{attachment_id}", {
          params: { path: { id: target.recordId, attachment_id: a.id } },
        }),
      ).data,
  });
}

function useUploadErrorText() {
  const { t } = useLingui();
  return (e: UploadError): string => {
    switch (e.kind) {
      case "too-large":
        return t`This file is too large for this field.`;
      case "type":
        return e.detected ? t`This kind of file is not accepted here (the file is ${`\u2068${e.detected}\u2069`}).` : t`This kind of file is not accepted here.`;
      case "too-many":
        return t`This field holds no more files: remove one first.`;
      case "closed":
        return t`Files cannot be added to a disabled record.`;
      case "storage":
        return t`File storage is not available: try again later.`;
      case "network":
        return t`The upload was interrupted: check the connection and try again.`;
      default:
        return e.message;
    }
  };
}

/**
 * queueKept queues a saved record's files; with an offline copy each is kept
 * on the device first (encrypted) and forgotten once the server has it, so a
 * file the network lost is sent after a reload too (records/keptFiles.ts).
 */
async function queueKept(target: QueueTarget, field: string, files: { file: File; note: FileNote; key: string }[]) {
  if (!files.length) return;
  if (!offlineActive() || locked()) {
    await uploadQueue.add(target, field, files);
    return;
  }
  let d: Db | undefined;
  try {
    d = await db();
    for (const f of files) await keepFile(d, target, field, f.key, f.file, f.note);
  } catch {
    d = undefined; // not kept (quota): sent from memory only
  }
  const done = uploadQueue.add(target, field, files);
  if (d) await settleKept(d, uploadQueue, target.recordId, field, files.map((f) => f.key), done);
  else await done;
}

/** UploadField: a photo, audio or document field. */
export function UploadField({ field, value }: { field: Field; value: unknown }) {
  const { i18n, t } = useLingui();
  const target = useContext(UploadTargetContext);
  const pending = useContext(PendingUploadsContext);
  const kind = kindOf(field.type) ?? "document";
  const label = localName(field.display_name, i18n.locale) || field.name;
  const headingId = useId();
  const inputId = useId();
  const errorId = useId();
  const list = useAttachments(target);
  const uploads = useQueued(target?.recordId, field.name);
  const [note, setNote] = useState<FileNote>({});
  const [error, setError] = useState<string>();
  const [removing, setRemoving] = useState<string>();
  const errorText = useUploadErrorText();

  if (!target) {
    if (pending) return <PendingField field={field} label={label} pending={pending} />;
    return (
      <div className="field field-readonly">
        <span className="field-label">{label}</span>
        <span className="muted">
          <Trans>Register the record first, then add files here.</Trans>
        </span>
      </div>
    );
  }
  const files = byField(list.data ?? [], field.name, value);

  const add = (picked: File[]) => {
    setError(undefined);
    if (!picked.length) return;
    for (const f of picked.filter((f) => !typeAccepted(kind, f.type))) uploadQueue.refuse(target.recordId, field.name, f, { kind: "type", detected: f.type });
    const files = picked.filter((f) => typeAccepted(kind, f.type)).map((file) => ({ file, note, key: crypto.randomUUID() }));
    setNote({});
    void queueKept(target, field.name, files);
  };

  const remove = async (a: Attachment) => {
    setError(undefined);
    setRemoving(a.id);
    try {
      const res = await api.DELETE(`/api/v2/${target.resource}/{id}/attachments/{attachment_id}` as "/api/v2/cases/{id}/attachments/{attachment_id}", {
        params: { path: { id: target.recordId, attachment_id: a.id } },
      });
      if (!res.response.ok) throw uploadError(res.response.status, res.error as never);
      void queryClient.invalidateQueries({ queryKey: ["attachments", target.recordId] });
      void queryClient.invalidateQueries({ queryKey: ["record", target.recordType, target.recordId] });
      void queryClient.invalidateQueries({ queryKey: ["history", target.recordId] });
    } catch (e) {
      setError(errorText((e as UploadError).kind ? (e as UploadError) : { kind: "other", message: errorMessage(e) }));
    } finally {
      setRemoving(undefined);
    }
  };

  const failed = uploads.filter((u) => u.state === "failed");
  return (
    <div className="field upload-field" role="group" aria-labelledby={headingId} data-upload={field.name}>
      <span className="field-label" id={headingId}>
        {label}
      </span>
      {list.isLoading && (
        <p className="muted">
          <Trans>Loading…</Trans>
        </p>
      )}
      {files.length === 0 && !list.isLoading && !uploads.length && (
        <p className="muted">
          <Trans>No file yet.</Trans>
        </p>
      )}
      <ul className="upload-list">
        {files.map((a, i) => (
          <AttachmentItem key={a.id} target={target} attachment={a} photo={kind === "photo"} first={i === 0} onRemove={target.canChange ? () => void remove(a) : undefined} busy={removing === a.id} />
        ))}
      </ul>
      {uploads
        .filter((u) => u.state === "uploading")
        .map((u) => (
          <p key={u.key} className="upload-progress" data-uploading={u.name}>
            <label>
              <span dir="auto">{u.name}</span> <progress max={100} value={percent(u)} aria-label={t`Uploading ${u.name}`} /> {i18n.number(percent(u) / 100, { style: "percent" })}
            </label>
          </p>
        ))}
      <div role="alert" id={errorId} className={failed.length || error ? "field-error" : "visually-hidden"}>
        {failed.map((u) => (
          <p key={u.key} data-failed={u.name}>
            <span dir="auto">{u.name}</span>: {errorText(u.error!)}{" "}
            {u.file && target.canChange && retryable(u.error) && (
              <button type="button" className="link-button" onClick={() => void uploadQueue.retry(target, field.name, u.key)}>
                <Trans>Try again</Trans>
              </button>
            )}{" "}
            <button type="button" className="link-button" onClick={() => uploadQueue.dismiss(target.recordId, field.name, u.key)}>
              <Trans>Dismiss</Trans>
            </button>
          </p>
        ))}
        {error && <p>{error}</p>}
      </div>
      {target.canChange && (
        <>
          <details className="upload-describe">
            <summary>
              <Trans>Describe the next file (optional)</Trans>
            </summary>
            <FileNoteInputs note={note} onChange={(n) => setNote({ ...note, ...n })} />
          </details>
          <p className="upload-add">
            {kind === "photo" && <Picker id={`${inputId}-camera`} capture accept={accept(kind)} describedBy={failed.length || error ? errorId : undefined} onFiles={add} label={t`Take a photo`} />}
            <Picker
              id={inputId}
              accept={accept(kind)}
              describedBy={failed.length || error ? errorId : undefined}
              onFiles={add}
              label={kind === "photo" ? t`Choose a photo` : kind === "audio" ? t`Add a recording` : t`Add a document`}
            />
          </p>
        </>
      )}
    </div>
  );
}

/** FileNoteInputs: a file's description and date, as the API takes them. */
function FileNoteInputs({ note, onChange }: { note: FileNote; onChange: (n: FileNote) => void }) {
  const ids = useId();
  return (
    <div className="upload-note">
      <div className="field">
        <label htmlFor={`${ids}-d`}>
          <Trans>Description</Trans>
        </label>
        <input id={`${ids}-d`} data-note="description" dir="auto" maxLength={1000} value={note.description ?? ""} onChange={(e) => onChange({ description: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-t`} id={`${ids}-t-label`}>
          <Trans>Date taken or issued</Trans>
        </label>
        <DateField id={`${ids}-t`} labelId={`${ids}-t-label`} value={note.date ?? ""} onChange={(v) => onChange({ date: v || undefined })} />
      </div>
    </div>
  );
}

/** PendingField: an upload field while registering: files chosen and described now, sent right after the record is registered. */
function PendingField({ field, label, pending }: { field: Field; label: string; pending: PendingUploads }) {
  const { i18n, t } = useLingui();
  const kind = kindOf(field.type) ?? "document";
  const headingId = useId();
  const inputId = useId();
  const errorId = useId();
  const errorText = useUploadErrorText();
  useSyncExternalStore(pending.subscribe, pending.all);
  const files = pending.byField(field.name);
  const [refused, setRefused] = useState<File[]>([]);
  const add = (picked: File[]) => setRefused(pending.add(field.name, kind, picked));
  return (
    <div className="field upload-field" role="group" aria-labelledby={headingId} data-upload={field.name}>
      <span className="field-label" id={headingId}>
        {label}
      </span>
      <p className="muted">
        {files.length ? (
          <Plural value={files.length} one="# file will be uploaded when the record is registered." other="# files will be uploaded when the record is registered." />
        ) : (
          <Trans>Files chosen here are uploaded when the record is registered.</Trans>
        )}{" "}
        {pending.keeper && !pending.keepFailed ? (
          <span data-kept="device">
            <Trans>They are kept on this device, encrypted, until they are sent: a reload keeps them.</Trans>
          </span>
        ) : (
          files.length > 0 && (
            <strong data-kept="page">
              <Trans>They are kept in this page only: reloading or leaving it before registering loses them.</Trans>
            </strong>
          )
        )}
      </p>
      <ul className="upload-list">
        {files.map((f: PendingFile) => (
          <li key={f.key} className="upload-item upload-pending" data-pending={f.file.name}>
            <span className="upload-name" dir="auto">
              {f.file.name}
            </span>{" "}
            <span className="muted" dir="ltr">
              {formatSize(f.file.size, i18n.locale)}
            </span>{" "}
            <button type="button" className="link-button" onClick={() => pending.remove(f.key)} aria-label={t`Remove ${f.file.name}`}>
              <Trans>Remove</Trans>
            </button>
            <FileNoteInputs note={f.note} onChange={(n) => pending.describe(f.key, n)} />
          </li>
        ))}
      </ul>
      <div role="alert" id={errorId} className={refused.length ? "field-error" : "visually-hidden"}>
        {refused.map((f, i) => (
          <p key={i}>
            <span dir="auto">{f.name}</span>: {errorText({ kind: "type", detected: f.type })}
          </p>
        ))}
      </div>
      <p className="upload-add">
        {kind === "photo" && <Picker id={`${inputId}-camera`} capture accept={accept(kind)} describedBy={refused.length ? errorId : undefined} onFiles={add} label={t`Take a photo`} />}
        <Picker
          id={inputId}
          accept={accept(kind)}
          describedBy={refused.length ? errorId : undefined}
          onFiles={add}
          label={kind === "photo" ? t`Choose a photo` : kind === "audio" ? t`Add a recording` : t`Add a document`}
        />
      </p>
    </div>
  );
}

/** UploadSummary: on a record's page, how many of its files are on their way, and the fields where one failed (a button opens each). */
export function UploadSummary({ recordId, config, onField }: { recordId: string; config: RecordConfig; onField: (field: string) => void }) {
  const { i18n } = useLingui();
  useSyncExternalStore(uploadQueue.subscribe, () => uploadQueue.version);
  const s = uploadQueue.summary(recordId);
  // Files on their way (or to try again) are in this page only without an offline copy.
  useWarnBeforeLeaving(() => (!offlineActive() || locked()) && uploadQueue.unsent() > 0);
  if (!s.uploading && !s.failed.length) return null;
  const name = (f: string) => localName(config.fields.get(f)?.display_name, i18n.locale) || f;
  return (
    <div className="notice notice-info" data-testid="upload-summary">
      {s.uploading > 0 && (
        <p role="status">
          <Plural value={s.uploading} one="Uploading # file…" other="Uploading # files…" />
        </p>
      )}
      {s.failed.map(({ field, count }) => (
        <p key={field} role="alert">
          <Plural value={count} one="# file could not be uploaded:" other="# files could not be uploaded:" />{" "}
          <button type="button" className="link-button" onClick={() => onField(field)}>
            {name(field)}
          </button>
        </p>
      ))}
    </div>
  );
}

function AttachmentItem({ target, attachment: a, photo, first, onRemove, busy }: { target: UploadTarget; attachment: Attachment; photo: boolean; first: boolean; onRemove?: () => void; busy: boolean }) {
  const { i18n, t } = useLingui();
  const [open, setOpen] = useState(false);
  const showImage = photo && a.content_type.startsWith("image/") && a.content_type !== "image/heic" && a.content_type !== "image/heif";
  const link = useDownloadLink(target, a, showImage || open);
  const url = link.data?.download_url;
  return (
    <li className="upload-item" data-attachment={a.file_name}>
      {showImage && url && <img className={first ? "upload-thumb upload-thumb-main" : "upload-thumb"} src={url} alt={t`Photo: ${a.file_name}`} />}
      <span className="upload-name" dir="auto">
        {a.file_name}
      </span>{" "}
      <span className="muted" dir="ltr">
        {formatSize(a.size, i18n.locale)}
      </span>{" "}
      {a.description && (
        <span className="upload-description" dir="auto">
          {a.description}
        </span>
      )}{" "}
      {a.date && <span className="muted">{i18n.date(`${a.date}T00:00:00Z`, { dateStyle: "medium", timeZone: "UTC" })}</span>}{" "}
      {url ? (
        <a href={url} rel="noopener noreferrer">
          <Trans>Download</Trans>
        </a>
      ) : (
        <button type="button" className="link-button" onClick={() => setOpen(true)}>
          <Trans>Get the file</Trans>
        </button>
      )}
      {onRemove && (
        <button type="button" className="link-button" onClick={onRemove} disabled={busy} aria-label={t`Remove ${a.file_name}`}>
          <Trans>Remove</Trans>
        </button>
      )}
    </li>
  );
}

/** Picker: a file input (visually hidden, focusable) with its label styled as a button; capture opens the phone's camera. */
function Picker({ id, label, accept: types, capture, describedBy, onFiles }: { id: string; label: string; accept: string; capture?: boolean; describedBy?: string; onFiles: (f: File[]) => void }) {
  return (
    <>
      <input
        id={id}
        className="visually-hidden"
        type="file"
        multiple={!capture}
        accept={types}
        {...(capture ? { capture: "environment" as const } : {})}
        aria-describedby={describedBy}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = "";
        }}
      />
      <label htmlFor={id} className="button button-secondary">
        {label}
      </label>{" "}
    </>
  );
}
