// Files chosen on the registration form before the record exists
// (docs/frontend.md "Session 18"). They are kept in memory (a File cannot be
// stored in sessionStorage) per upload field, each with the description and
// date the person gives, and, when the person keeps an offline copy, on the
// device too (a PendingKeeper, records/keptFiles.ts: a reload puts them
// back); when the create succeeds they are queued
// (records/uploadQueue.ts) under the new record's id, and that record's page
// shows their progress, the refusals at the field, and "Try again".
import type { QueueTarget, UploadQueue } from "./uploadQueue";
import { typeAccepted, type FileNote, type UploadKind } from "./uploads";

/** A file waiting for its record. */
export interface PendingFile {
  key: string;
  field: string;
  file: File;
  note: FileNote;
}

/** PendingKeeper keeps a registration's files beyond the page (records/keptFiles.ts deviceKeeper). */
export interface PendingKeeper {
  add(f: PendingFile): Promise<void>;
  describe(key: string, note: FileNote): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * PendingUploads holds the files of one registration. Components subscribe
 * (useSyncExternalStore) and read a field's files with byField.
 */
export class PendingUploads {
  private files: PendingFile[] = [];
  private listeners = new Set<() => void>();
  /** a file could not be kept on the device (quota, a locked copy): the page holds it only */
  keepFailed = false;

  constructor(private k?: PendingKeeper) {}

  /** keeper: where the files are kept beyond the page, if anywhere. */
  get keeper(): PendingKeeper | undefined {
    return this.k;
  }

  /**
   * setKeeper starts keeping the files beyond the page (the device's copy was
   * unlocked after the form opened): the files chosen so far are kept too.
   */
  setKeeper(k: PendingKeeper) {
    if (this.k) return;
    this.k = k;
    for (const f of this.files) this.keep((x) => x.add(f));
    this.set([...this.files]);
  }

  /** restore puts files kept before a reload back, before those chosen since. */
  restore(files: readonly PendingFile[]) {
    const have = new Set(this.files.map((f) => f.key));
    this.set([...files.filter((f) => !have.has(f.key)), ...this.files]);
  }

  private kept: Promise<void> = Promise.resolve();

  /** keep runs the keeper's writes one after another (a description waits for its file's bytes). */
  private keep(write: (k: PendingKeeper) => Promise<void>) {
    const k = this.k;
    if (!k) return;
    this.kept = this.kept
      .then(() => write(k))
      .catch(() => {
        this.keepFailed = true;
        this.set([...this.files]);
      });
  }

  /** settled resolves when every write to the keeper so far is done. */
  settled(): Promise<void> {
    return this.kept;
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** all: every file, in the order chosen (a new array after each change). */
  all = () => this.files;

  /** byField: a field's files, in the order chosen. */
  byField(field: string): PendingFile[] {
    return this.files.filter((f) => f.field === field);
  }

  /**
   * add keeps the files a field's kind takes and answers those it refuses
   * (by the browser's type; an unknown type is left to the server).
   */
  add(field: string, kind: UploadKind, picked: readonly File[]): File[] {
    const refused = picked.filter((f) => !typeAccepted(kind, f.type));
    const kept = picked.filter((f) => typeAccepted(kind, f.type)).map((file) => ({ key: crypto.randomUUID(), field, file, note: {} }));
    if (kept.length) this.set([...this.files, ...kept]);
    for (const f of kept) this.keep((k) => k.add(f));
    return refused;
  }

  /** describe changes what is said of one file. */
  describe(key: string, note: FileNote) {
    this.set(this.files.map((f) => (f.key === key ? { ...f, note: { ...f.note, ...note } } : f)));
    this.keep((k) => k.describe(key, note));
  }

  remove(key: string) {
    this.set(this.files.filter((f) => f.key !== key));
    this.keep((k) => k.remove(key));
  }

  private set(files: PendingFile[]) {
    this.files = files;
    for (const fn of this.listeners) fn();
  }
}

/** sendPending queues a new record's files on its upload fields (the record page shows their progress). */
export function sendPending(queue: UploadQueue, target: QueueTarget, files: readonly PendingFile[]): Promise<void>[] {
  const fields = [...new Set(files.map((f) => f.field))];
  return fields.map((field) => queue.add(target, field, files.filter((f) => f.field === field)));
}
