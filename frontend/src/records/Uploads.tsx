// The upload fields (photo, audio, document) of the form renderer. A file is
// uploaded at once through the attachments API (its own call, not part of
// the record's PATCH: the server appends the attachment's id to the field
// and bumps the record's version), so uploads are offered on a saved record
// while it is not being edited; the record is then read again.
import { createContext, useContext, useId, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../api/client";
import { localName } from "../pages/admin/common";
import type { Field } from "./config";
import { accept, byField, formatSize, kindOf, percent, send, typeAccepted, uploadError, uploadPath, type Attachment, type Upload, type UploadError } from "./uploads";

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
        return e.detected ? t`This kind of file is not accepted here (the file is ${e.detected}).` : t`This kind of file is not accepted here.`;
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

/** UploadField: a photo, audio or document field. */
export function UploadField({ field, value }: { field: Field; value: unknown }) {
  const { i18n, t } = useLingui();
  const target = useContext(UploadTargetContext);
  const kind = kindOf(field.type) ?? "document";
  const label = localName(field.display_name, i18n.locale) || field.name;
  const headingId = useId();
  const inputId = useId();
  const errorId = useId();
  const qc = useQueryClient();
  const list = useAttachments(target);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<string>();
  const [removing, setRemoving] = useState<string>();
  const errorText = useUploadErrorText();

  if (!target) {
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
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["attachments", target.recordId] });
    void qc.invalidateQueries({ queryKey: ["record", target.recordType, target.recordId] });
    void qc.invalidateQueries({ queryKey: ["history", target.recordId] });
  };
  const update = (key: string, u: Partial<Upload>) => setUploads((all) => all.map((x) => (x.key === key ? { ...x, ...u } : x)));

  const add = async (picked: File[]) => {
    setError(undefined);
    if (!picked.length) return;
    for (const file of picked) {
      const key = crypto.randomUUID();
      const up: Upload = { key, name: file.name, size: file.size, sent: 0, state: "uploading" };
      if (!typeAccepted(kind, file.type)) {
        setUploads((all) => [...all, { ...up, state: "failed", error: { kind: "type", detected: file.type } }]);
        continue;
      }
      setUploads((all) => [...all, up]);
      const res = await send(uploadPath(target.resource, target.recordId, field.name, file.name), file, (sent) => update(key, { sent })).done;
      if (res.status === 201) {
        update(key, { state: "done", sent: file.size });
        setUploads((all) => all.filter((x) => x.key !== key));
        refresh();
      } else {
        update(key, { state: "failed", error: uploadError(res.status, res.body as never) });
      }
    }
  };

  const remove = async (a: Attachment) => {
    setError(undefined);
    setRemoving(a.id);
    try {
      const res = await api.DELETE(`/api/v2/${target.resource}/{id}/attachments/{attachment_id}` as "/api/v2/cases/{id}/attachments/{attachment_id}", {
        params: { path: { id: target.recordId, attachment_id: a.id } },
      });
      if (!res.response.ok) throw uploadError(res.response.status, res.error as never);
      refresh();
    } catch (e) {
      setError(errorText((e as UploadError).kind ? (e as UploadError) : { kind: "other", message: String(e) }));
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
      {files.length === 0 && !list.isLoading && (
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
          <p key={u.key} className="upload-progress">
            <label>
              <span dir="auto">{u.name}</span> <progress max={100} value={percent(u)} aria-label={t`Uploading ${u.name}`} /> {i18n.number(percent(u) / 100, { style: "percent" })}
            </label>
          </p>
        ))}
      <div role="alert" id={errorId} className={failed.length || error ? "field-error" : "visually-hidden"}>
        {failed.map((u) => (
          <p key={u.key}>
            <span dir="auto">{u.name}</span>: {errorText(u.error!)}{" "}
            <button type="button" className="link-button" onClick={() => setUploads((all) => all.filter((x) => x.key !== u.key))}>
              <Trans>Dismiss</Trans>
            </button>
          </p>
        ))}
        {error && <p>{error}</p>}
      </div>
      {target.canChange ? (
        <p className="upload-add">
          {kind === "photo" && <Picker id={`${inputId}-camera`} capture accept={accept(kind)} describedBy={failed.length || error ? errorId : undefined} onFiles={(f) => void add(f)} label={t`Take a photo`} />}
          <Picker
            id={inputId}
            accept={accept(kind)}
            describedBy={failed.length || error ? errorId : undefined}
            onFiles={(f) => void add(f)}
            label={kind === "photo" ? t`Choose a photo` : kind === "audio" ? t`Add a recording` : t`Add a document`}
          />
        </p>
      ) : (
        target.editing && (
          <p className="muted">
            <Trans>Files are added and removed outside editing: save or cancel your changes first.</Trans>
          </p>
        )
      )}
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
