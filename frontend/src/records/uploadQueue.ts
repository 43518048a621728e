// The uploads of a record's files, outside React: each upload field's files
// on their way (progress, refusal, retry) are kept here by record and field,
// so that files handed over from the registration form are sent at once
// even while their field's section is not on screen, the field shows them
// when it is, and the record page can say how many are on their way or
// failed. A failed upload keeps its file in memory for "Try again".
import { retryable, uploadError, uploadPath, type FileNote, type Upload, type UploadError } from "./uploads";

/** Where a record's files go. */
export interface QueueTarget {
  resource: string;
  recordId: string;
}

/** What sends one file (records/uploads.ts send, or a stand-in in tests). */
export type Sender = (path: string, file: File, onProgress: (sent: number) => void) => { done: Promise<{ status: number; body: unknown }> };

const keyOf = (recordId: string, field: string) => `${recordId}\u0000${field}`;

/**
 * UploadQueue sends files one after another per field (the server appends
 * each id to the field in order) and keeps each field's state. onUploaded is
 * called after each file the server took (the page reads the record again).
 */
export class UploadQueue {
  private state = new Map<string, Upload[]>();
  private listeners = new Set<() => void>();
  private chains = new Map<string, Promise<void>>();
  /** version changes with every change of any field's state (a snapshot for useSyncExternalStore). */
  version = 0;

  constructor(
    private send: Sender,
    private onUploaded: (target: QueueTarget, field: string) => void,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** field: the files of a field on their way or failed (the same array until it changes). */
  field(recordId: string, field: string): Upload[] {
    return this.state.get(keyOf(recordId, field)) ?? EMPTY;
  }

  /** summary: how many files of a record are on their way, and the fields with failures. */
  summary(recordId: string): { uploading: number; failed: { field: string; count: number }[] } {
    let uploading = 0;
    const failed: { field: string; count: number }[] = [];
    for (const [k, list] of this.state) {
      const [rid, field] = k.split("\u0000");
      if (rid !== recordId) continue;
      uploading += list.filter((u) => u.state === "uploading").length;
      const n = list.filter((u) => u.state === "failed").length;
      if (n) failed.push({ field, count: n });
    }
    return { uploading, failed };
  }

  /** unsent counts the files of any record on their way, or failed and kept for "Try again". */
  unsent(): number {
    let n = 0;
    for (const list of this.state.values()) n += list.filter((u) => u.state === "uploading" || (u.state === "failed" && u.file && retryable(u.error))).length;
    return n;
  }

  /** refuse shows a file refused before sending (its type), with no retry. */
  refuse(recordId: string, field: string, file: File, error: UploadError) {
    this.put(recordId, field, [...this.field(recordId, field), { key: crypto.randomUUID(), name: file.name, size: file.size, sent: 0, state: "failed", error }]);
  }

  /** add queues files for a field; each is sent after the ones before it (key: the device's kept copy's, records/keptFiles.ts). */
  add(target: QueueTarget, field: string, files: readonly { file: File; note?: FileNote; key?: string }[]): Promise<void> {
    const ups: Upload[] = files.map(({ file, note, key }) => ({ key: key ?? crypto.randomUUID(), name: file.name, size: file.size, sent: 0, state: "uploading", file, note }));
    if (!ups.length) return this.chains.get(keyOf(target.recordId, field)) ?? Promise.resolve();
    this.put(target.recordId, field, [...this.field(target.recordId, field), ...ups]);
    return this.chain(target, field, ups.map((u) => u.key));
  }

  /** retry sends a failed file again (when its file is kept). */
  retry(target: QueueTarget, field: string, key: string): Promise<void> {
    const u = this.field(target.recordId, field).find((x) => x.key === key);
    if (!u?.file || u.state !== "failed") return Promise.resolve();
    this.update(target.recordId, field, key, { state: "uploading", sent: 0, error: undefined });
    return this.chain(target, field, [key]);
  }

  /** dismiss forgets a failed file. */
  dismiss(recordId: string, field: string, key: string) {
    this.put(
      recordId,
      field,
      this.field(recordId, field).filter((x) => x.key !== key),
    );
  }

  private chain(target: QueueTarget, field: string, keys: string[]): Promise<void> {
    const k = keyOf(target.recordId, field);
    const next = (this.chains.get(k) ?? Promise.resolve()).then(async () => {
      for (const key of keys) await this.sendOne(target, field, key);
    });
    this.chains.set(k, next);
    return next;
  }

  private async sendOne(target: QueueTarget, field: string, key: string) {
    const u = this.field(target.recordId, field).find((x) => x.key === key);
    if (!u?.file) return;
    const res = await this.send(uploadPath(target.resource, target.recordId, field, u.name, u.note), u.file, (sent) => this.update(target.recordId, field, key, { sent })).done;
    if (res.status === 201) {
      this.dismiss(target.recordId, field, key);
      this.onUploaded(target, field);
    } else {
      this.update(target.recordId, field, key, { state: "failed", error: uploadError(res.status, res.body as never) });
    }
  }

  private update(recordId: string, field: string, key: string, u: Partial<Upload>) {
    this.put(
      recordId,
      field,
      this.field(recordId, field).map((x) => (x.key === key ? { ...x, ...u } : x)),
    );
  }

  private put(recordId: string, field: string, list: Upload[]) {
    const k = keyOf(recordId, field);
    if (list.length) this.state.set(k, list);
    else this.state.delete(k);
    this.version++;
    for (const fn of this.listeners) fn();
  }
}

const EMPTY: Upload[] = [];

