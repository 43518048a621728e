// Files chosen while registering or editing, kept on the device until the
// server has them (docs/frontend.md "Session 19"). Only when the person keeps
// an offline copy: then they go into the device's encrypted store (the offline
// database's meta store, sealed with the data key like every other row,
// src/offline/crypto.ts), each file's bytes in its own row ("upload:<key>")
// and a list of what is kept without the bytes ("uploads"). A reload of the
// registration page puts them back on its fields; after the record exists
// and the network is back, sendKept hands them to the upload queue (one
// after another per field, the record page shows their progress) and forgets
// each one the server took or refused for good. Without an offline copy
// nothing is kept: the page warns before it is left (useWarnBeforeLeaving).
import type { Db } from "../offline/db";
import { entryFor } from "../offline/outbox";
import { getMeta, setMeta } from "../offline/sync";
import { sendPending, type PendingFile, type PendingKeeper, type PendingUploads } from "./pending";
import type { FileNote } from "./uploads";
import type { QueueTarget, UploadQueue } from "./uploadQueue";

/** What is said of a kept file (its bytes are kept apart). */
export interface KeptFile {
  key: string;
  resource: string;
  recordId: string;
  field: string;
  name: string;
  type: string;
  lastModified: number;
  note: FileNote;
  /** chosen on a registration form whose record is not registered yet: not sent */
  draft?: boolean;
}

const LIST = "uploads";
const bytesKey = (key: string) => `upload:${key}`;

/** kept lists every kept file, in the order chosen. */
export async function kept(db: Db): Promise<KeptFile[]> {
  return (await getMeta<KeptFile[]>(db, LIST)) ?? [];
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** keepFile keeps a chosen file (the bytes first: a listed file always has them). */
export async function keepFile(db: Db, target: QueueTarget, field: string, key: string, file: File, note: FileNote = {}, draft = false): Promise<void> {
  await setMeta(db, bytesKey(key), toBase64(new Uint8Array(await file.arrayBuffer())));
  const entry: KeptFile = { key, resource: target.resource, recordId: target.recordId, field, name: file.name, type: file.type, lastModified: file.lastModified, note, ...(draft ? { draft } : {}) };
  await setMeta(db, LIST, [...(await kept(db)).filter((k) => k.key !== key), entry]);
}

/** describeKept changes what is said of a kept file. */
export async function describeKept(db: Db, key: string, note: FileNote): Promise<void> {
  const list = await kept(db);
  if (!list.some((k) => k.key === key)) return;
  await setMeta(db, LIST, list.map((k) => (k.key === key ? { ...k, note: { ...k.note, ...note } } : k)));
}

/** forgetKept removes kept files (from the list first, then their bytes). */
export async function forgetKept(db: Db, ...keys: string[]): Promise<void> {
  if (!keys.length) return;
  const drop = new Set(keys);
  await setMeta(db, LIST, (await kept(db)).filter((k) => !drop.has(k.key)));
  for (const k of keys) await db.delete("meta", bytesKey(k));
}

/** keptFile reads a kept file back as a File (undefined when its bytes are gone). */
export async function keptFile(db: Db, k: KeptFile): Promise<File | undefined> {
  const b64 = await getMeta<string>(db, bytesKey(k.key));
  return b64 === undefined ? undefined : new File([fromBase64(b64)], k.name, { type: k.type, lastModified: k.lastModified });
}

/** keptFor reads a record's kept files with their bytes, in the order chosen. */
export async function keptFor(db: Db, recordId: string): Promise<{ kept: KeptFile; file: File }[]> {
  const out: { kept: KeptFile; file: File }[] = [];
  for (const k of (await kept(db)).filter((x) => x.recordId === recordId)) {
    const file = await keptFile(db, k);
    if (file) out.push({ kept: k, file });
  }
  return out;
}

/**
 * settleKept waits for a field's queued files to be done, then forgets those
 * the server took or refused for good; a file that failed for want of the
 * network (or storage) stays kept, for the next sendKept.
 */
export async function settleKept(db: Db, queue: UploadQueue, recordId: string, field: string, keys: string[], done: Promise<void>): Promise<void> {
  await done.catch(() => undefined);
  const left = queue.field(recordId, field);
  const forget = keys.filter((key) => {
    const u = left.find((x) => x.key === key);
    return !u || (u.state === "failed" && u.error?.kind !== "network" && u.error?.kind !== "storage");
  });
  // A refused file stays on the field (in memory) with its reason; the device forgets it.
  await forgetKept(db, ...forget);
}

/**
 * sendKept queues every kept file whose record exists on the server (not
 * waiting in the outbox to be created) and that the queue does not hold yet;
 * it answers how many it queued. Each field's files go in the order chosen.
 */
export async function sendKept(db: Db, queue: UploadQueue, waiting: (recordId: string) => Promise<boolean> = async (id) => (await entryFor(db, id))?.kind === "create"): Promise<number> {
  const groups = new Map<string, KeptFile[]>();
  const settled: Promise<void>[] = [];
  for (const k of await kept(db)) {
    if (k.draft) continue;
    const held = queue.field(k.recordId, k.field).find((u) => u.key === k.key);
    if (held?.state === "failed" && (held.error?.kind === "network" || held.error?.kind === "storage")) {
      // Failed while the network was gone, still on the page: sent again.
      const target = { resource: k.resource, recordId: k.recordId };
      settled.push(settleKept(db, queue, k.recordId, k.field, [k.key], queue.retry(target, k.field, k.key)));
    }
    if (held) continue;
    const g = `${k.recordId}\u0000${k.field}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  let n = settled.length;
  for (const list of groups.values()) {
    const { resource, recordId, field } = list[0];
    if (await waiting(recordId)) continue;
    const files: { file: File; note: FileNote; key: string }[] = [];
    for (const k of list) {
      const file = await keptFile(db, k);
      if (file) files.push({ file, note: k.note, key: k.key });
    }
    // (Checked again: the page may have queued them meanwhile.)
    const fresh = files.filter((f) => !queue.field(recordId, field).some((u) => u.key === f.key));
    files.splice(0, files.length, ...fresh);
    if (!files.length) continue;
    n += files.length;
    const done = queue.add({ resource, recordId }, field, files);
    settled.push(
      settleKept(
        db,
        queue,
        recordId,
        field,
        files.map((f) => f.key),
        done,
      ),
    );
  }
  await Promise.all(settled);
  return n;
}

/**
 * deviceKeeper keeps a registration's files on the device under the
 * record's id (known before the create: the client's UUID), as drafts:
 * sendKept leaves them until releaseDrafts says the record was registered.
 */
export function deviceKeeper(open: () => Promise<Db>, target: QueueTarget): PendingKeeper {
  return {
    add: async (f) => keepFile(await open(), target, f.field, f.key, f.file, f.note, true),
    describe: async (key, note) => describeKept(await open(), key, note),
    remove: async (key) => forgetKept(await open(), key),
  };
}

/** releaseDrafts marks a record's draft files as ready to send: the record is registered (online, or in the outbox). */
export async function releaseDrafts(db: Db, recordId: string): Promise<void> {
  const list = await kept(db);
  if (!list.some((k) => k.recordId === recordId && k.draft)) return;
  await setMeta(db, LIST, list.map((k) => (k.recordId === recordId ? { ...k, draft: undefined } : k)));
}

/** restorePending reads a registration's kept files back as the form's pending files. */
export async function restorePending(db: Db, recordId: string): Promise<PendingFile[]> {
  return (await keptFor(db, recordId)).map(({ kept: k, file }) => ({ key: k.key, field: k.field, file, note: k.note }));
}

/**
 * sendRegistered hands a registration's files to the queue once its record
 * exists; files kept on the device stop being drafts (a reload from here on
 * leaves them to sendKept) and are forgotten as the server takes them.
 */
export async function sendRegistered(queue: UploadQueue, target: QueueTarget, pending: PendingUploads, open?: () => Promise<Db>): Promise<void> {
  if (!open || !pending.keeper) {
    await Promise.all(sendPending(queue, target, pending.all()));
    return;
  }
  await pending.settled();
  const files = pending.all();
  const fields = [...new Set(files.map((f) => f.field))];
  // Queued first, then released: sendKept skips what the queue holds.
  const done = fields.map((field) => ({ field, keys: files.filter((f) => f.field === field).map((f) => f.key), done: queue.add(target, field, files.filter((f) => f.field === field)) }));
  const db = await open();
  await releaseDrafts(db, target.recordId);
  await Promise.all(done.map((d) => settleKept(db, queue, target.recordId, d.field, d.keys, d.done)));
}
