// Files chosen on the registration form before the record exists
// (docs/frontend.md "Session 18"). They are kept in memory (a File cannot be
// stored in sessionStorage) per upload field, each with the description and
// date the person gives; when the create succeeds they are queued
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

/**
 * PendingUploads holds the files of one registration. Components subscribe
 * (useSyncExternalStore) and read a field's files with byField.
 */
export class PendingUploads {
  private files: PendingFile[] = [];
  private listeners = new Set<() => void>();

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
    return refused;
  }

  /** describe changes what is said of one file. */
  describe(key: string, note: FileNote) {
    this.set(this.files.map((f) => (f.key === key ? { ...f, note: { ...f.note, ...note } } : f)));
  }

  remove(key: string) {
    this.set(this.files.filter((f) => f.key !== key));
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
