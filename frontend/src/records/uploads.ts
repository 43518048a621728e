// Uploads of the form renderer's photo, audio and document fields
// (docs/attachments.md): what a field accepts, the request each file makes
// (the body is the file, what describes it in the query), its progress, and
// the API's refusals turned into what the person reads at the field.
import type { components } from "../api/schema";
import type { Problem } from "../api/problem";
import { diff, type Data, type Shape } from "./patch";

export type Attachment = components["schemas"]["Attachment"];
export type UploadKind = "photo" | "audio" | "document";

/** kindOf: the attachment kind of an upload field type. */
export function kindOf(fieldType: string): UploadKind | undefined {
  switch (fieldType) {
    case "photo_upload_box":
      return "photo";
    case "audio_upload_box":
      return "audio";
    case "document_upload_box":
      return "document";
  }
  return undefined;
}

/** The media types each kind accepts (records.KindTypes on the server). */
const kindTypes: Record<UploadKind, string[]> = {
  photo: ["image/jpeg", "image/png", "image/heic", "image/heif", "image/webp"],
  audio: ["audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac", "audio/ogg", "audio/wav", "audio/x-wav", "audio/webm", "audio/amr", "audio/amr-wb", "audio/3gpp", "video/3gpp"],
  document: [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/jpeg",
    "image/png",
    "image/heic",
    "image/heif",
    "image/webp",
  ],
};

/** accept: the file input's accept attribute (a photo field opens the camera on a phone with capture). */
export function accept(kind: UploadKind): string {
  if (kind === "photo") return "image/*";
  if (kind === "audio") return "audio/*";
  return [".pdf", ".docx", ".xlsx", "image/*"].join(",");
}

/**
 * typeAccepted: a pre-check before sending: false only when the browser
 * names a type the kind does not take (an empty type is left to the server,
 * which sniffs the content).
 */
export function typeAccepted(kind: UploadKind, type: string): boolean {
  if (!type) return true;
  return kindTypes[kind].includes(type.toLowerCase());
}

/** What the person says about a file (the API's optional description and date, YYYY-MM-DD). */
export interface FileNote {
  description?: string;
  date?: string;
}

/** uploadPath: the create-<type>-attachment request for a file, with its description and date when given. */
export function uploadPath(resource: string, recordId: string, field: string, fileName: string, note: FileNote = {}): string {
  const q = new URLSearchParams({ field_name: field, file_name: safeName(fileName) });
  const description = note.description?.trim();
  if (description) q.set("description", description);
  if (note.date) q.set("date", note.date);
  return `/api/v2/${resource}/${encodeURIComponent(recordId)}/attachments?${q}`;
}

/** safeName: the file name the API accepts (no path, no control characters, at most 255). */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return ([...base].slice(0, 255).join("") || "file").replace(/^\.+$/, "file");
}

/** The state of one file on its way. */
export interface Upload {
  key: string;
  name: string;
  size: number;
  /** bytes sent */
  sent: number;
  state: "uploading" | "done" | "failed";
  error?: UploadError;
  /** the file and what was said of it, kept while it may be retried */
  file?: File;
  note?: FileNote;
}

/** Why an upload failed, for the screen to word. */
export type UploadError =
  | { kind: "too-large" }
  | { kind: "type"; detected?: string }
  | { kind: "too-many" }
  | { kind: "closed" }
  | { kind: "storage" }
  | { kind: "network" }
  | { kind: "other"; message: string };

/** retryable: a refusal that may pass when the same file is sent again (not its size, type, or a disabled record). */
export function retryable(e: UploadError | undefined): boolean {
  return !!e && e.kind !== "too-large" && e.kind !== "type" && e.kind !== "closed";
}

/** percent of an upload sent, 0..100. */
export function percent(u: Upload): number {
  if (u.state === "done") return 100;
  if (!u.size) return 0;
  return Math.min(100, Math.floor((u.sent / u.size) * 100));
}

/**
 * uploadError reads the API's answer to an upload: 413 too large for the
 * field's kind (the tenant's limit), 422 on the Content-Type (declared or
 * detected type refused), 422 on field_name with a limit's words (too many),
 * 409 a disabled record, 503 no storage configured; else the problem's text.
 */
export function uploadError(status: number, problem: Partial<Problem> | undefined): UploadError {
  if (status === 0) return { kind: "network" };
  if (status === 413) return { kind: "too-large" };
  if (status === 503) return { kind: "storage" };
  if (status === 409) return { kind: "closed" };
  const details = problem?.errors ?? [];
  if (status === 422) {
    const ct = details.find((d) => d.location === "header.Content-Type");
    if (ct) {
      // api/attachments.go: params.detected (code file_type); the message is
      // worded in the caller's language, so it is read only as a fallback
      // from an older server ('... the content is "application/pdf")').
      const m = /the content is "([\w.+-]+\/[\w.+-]+)"/i.exec(ct.message ?? "");
      return { kind: "type", detected: ct.params?.detected || m?.[1] };
    }
    // A limit's code (max_items); the English words only from an older server.
    if (details.some((d) => d.code === "max_items" || (!d.code && /attachments|at most|limit/i.test(d.message ?? "")))) return { kind: "too-many" };
  }
  const message = details.map((d) => d.message).filter(Boolean).join("; ") || problem?.detail || problem?.title || String(status);
  return { kind: "other", message };
}

/** byField keeps a record's attachments of one field, in the order the field lists them (the first photo is the one shown). */
export function byField(all: readonly Attachment[], field: string, ids: unknown): Attachment[] {
  const mine = all.filter((a) => a.field_name === field);
  if (!Array.isArray(ids)) return mine;
  const pos = new Map(ids.map((id, i) => [String(id), i]));
  return [...mine].sort((a, b) => (pos.get(a.id) ?? 1e9) - (pos.get(b.id) ?? 1e9));
}

/** formatSize: bytes in the locale's format (KB, MB). */
export function formatSize(bytes: number, locale: string): string {
  const nf = (n: number, d: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: d }).format(n);
  if (bytes < 1024) return `${nf(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024, 0)} KB`;
  return `${nf(bytes / (1024 * 1024), 1)} MB`;
}

/**
 * send uploads one file with progress (XMLHttpRequest: fetch reports no
 * upload progress). The body is the file itself; its Content-Type the
 * browser's type or application/octet-stream (the server then sniffs).
 */
export function send(path: string, file: Blob, onProgress: (sent: number) => void): { done: Promise<{ status: number; body: unknown }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ status: number; body: unknown }>((resolve) => {
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    const finish = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onload = finish;
    xhr.onerror = () => resolve({ status: 0, body: undefined });
    xhr.onabort = () => resolve({ status: 0, body: undefined });
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** uploadFields: the names of a configuration's photo, audio and document fields. */
export function uploadFields(config: { fields: ReadonlyMap<string, { name: string; type: string }> }): Set<string> {
  return new Set([...config.fields.values()].filter((f) => kindOf(f.type)).map((f) => f.name));
}

/**
 * rebaseOnUploads: while a record is being edited, an upload or removal
 * makes a new version on the server. When the new version differs from the
 * one the edit started from only in upload fields, the edit moves onto it:
 * answers the upload fields' new values for the form's data (so the save
 * neither sends them nor meets a 412). Else undefined: the edit keeps its
 * version and the save merges as with anyone else's change.
 */
export function rebaseOnUploads(base: Data, current: Data, shape: Shape, uploadFields: ReadonlySet<string>): Data | undefined {
  const changed = Object.keys(diff(base, current, shape));
  if (!changed.length || changed.some((f) => !uploadFields.has(f))) return undefined;
  return Object.fromEntries(changed.map((f) => [f, current[f]]));
}
