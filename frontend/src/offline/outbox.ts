// The outbox: writes made without a connection, kept in IndexedDB and sent in
// order when the connection is back (docs/frontend.md "Offline").
// - A case registered offline is a "create" entry with the client's UUID: the
//   API answers a replayed create with the same id and body as the first, so
//   sending it twice (an answer lost on the way back) never makes two cases.
// - Edits of one record are one "edit" entry: the version the person started
//   from (base) and their data now; sent as a merge (X-Base-Version), so
//   others' changes to other fields are kept, and a field both changed is a
//   409 with the conflicts, kept on the entry for the conflict view.
// - An edit of a case registered offline changes the create's body.
// - Cases, tracing requests (their traces are rows of the record) and
//   incidents alike: an entry names its resource (session 18).
import type { Client } from "openapi-fetch";
import type { paths } from "../api/schema";
import { diff, type Conflict, type Data, type Shape } from "../records/patch";
import { Db, stores } from "./db";

export type Api = Client<paths>;

/** The record resources kept on the device, as the API names them (/api/v2/<resource>). */
export const resources = ["cases", "tracing_requests", "incidents"] as const;
export type Resource = (typeof resources)[number];

/**
 * A record as kept on the device. `_resource`: which API resource it is (kept
 * with it; not a form field, so never sent). `_local`: registered offline, not
 * on the server yet.
 */
export type LocalRecord = Data & { id: string; version: number; updated_at?: string; short_id?: string; _resource?: Resource; _local?: boolean };

/** resourceOf: a kept record's resource (records kept before it was noted are cases). */
export function resourceOf(r: LocalRecord): Resource {
  return r._resource ?? "cases";
}

export type EntryState = "pending" | "conflict" | "failed";

interface EntryBase {
  seq?: number;
  resource: Resource;
  id: string;
  /** when the entry was last changed (ISO) */
  at: string;
  state: EntryState;
  shape: Shape;
  /** why the server refused it (state failed) */
  problem?: string;
}

export interface CreateEntry extends EntryBase {
  kind: "create";
  module_id: string;
  body: Data;
}

export interface EditEntry extends EntryBase {
  kind: "edit";
  /** the record as the server had it when the person started editing */
  base: LocalRecord;
  /** the record's data as the person left it */
  values: Data;
  /** diff(base, values): the merge request's body */
  patch: Data;
  /** the server's conflicts (state conflict) */
  conflicts?: Conflict[];
}

export type Entry = CreateEntry | EditEntry;

function createBody(values: Data, shape: Shape): Data {
  const body = diff({}, values, shape);
  for (const [k, v] of Object.entries(body)) if (v === null) delete body[k];
  return body;
}

/** outbox lists the pending writes in the order they were made. */
export async function outbox(db: Db): Promise<Entry[]> {
  const all = await db.all<Entry>(stores.outbox);
  return all.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

/** entryFor answers the outbox entry of a record, if any. */
export async function entryFor(db: Db, id: string): Promise<Entry | undefined> {
  return (await outbox(db)).find((e) => e.id === id);
}

/**
 * queueCreate keeps a record registered offline: the local copy (shown in the
 * list and on its page) and a create entry.
 */
export async function queueCreate(db: Db, p: { resource?: Resource; id: string; module_id: string; values: Data; shape: Shape; now?: Date }): Promise<LocalRecord> {
  const at = (p.now ?? new Date()).toISOString();
  const resource = p.resource ?? "cases";
  const body = createBody(p.values, p.shape);
  const rec: LocalRecord = { ...body, id: p.id, module_id: p.module_id, short_id: "", version: 0, status: "open", record_state: true, created_at: at, updated_at: at, _resource: resource, _local: true };
  const existing = await entryFor(db, p.id);
  await db.put(stores.records, rec);
  const entry: CreateEntry = { kind: "create", resource, id: p.id, module_id: p.module_id, body, shape: p.shape, state: "pending", at };
  if (existing) await db.put(stores.outbox, { ...entry, seq: existing.seq });
  else await db.add(stores.outbox, entry);
  return rec;
}

/**
 * queueEdit keeps an edit made offline. base is the record the person
 * started from (the device's copy, which may already hold an earlier offline
 * edit), values what they saved. One entry per record: a second edit changes
 * the first's data and keeps its base (the server's version).
 */
export async function queueEdit(db: Db, p: { resource?: Resource; base: LocalRecord; values: Data; shape: Shape; now?: Date }): Promise<LocalRecord> {
  const at = (p.now ?? new Date()).toISOString();
  const id = p.base.id;
  const existing = await entryFor(db, id);
  const values: Data = { ...p.values };
  const resource = p.resource ?? resourceOf(p.base);
  const rec: LocalRecord = { ...(values as LocalRecord), id, version: p.base.version, updated_at: at, _resource: resource };
  if (existing?.kind === "create") {
    await db.put(stores.records, rec);
    await db.put(stores.outbox, { ...existing, body: createBody(values, existing.shape), at } satisfies CreateEntry);
    return rec;
  }
  const serverBase = existing?.kind === "edit" ? existing.base : p.base;
  const patch = diff(serverBase, values, p.shape);
  if (!Object.keys(patch).length) {
    // Edited back to the server's version: nothing to send.
    if (existing?.seq !== undefined) await db.delete(stores.outbox, existing.seq);
    await db.put(stores.records, { ...serverBase, _resource: resource });
    return serverBase;
  }
  const entry: EditEntry = { kind: "edit", resource, id, base: serverBase, values, patch, shape: p.shape, state: existing?.state === "conflict" ? "conflict" : "pending", conflicts: existing?.kind === "edit" ? existing.conflicts : undefined, at };
  await db.put(stores.records, rec);
  if (existing) await db.put(stores.outbox, { ...entry, seq: existing.seq });
  else await db.add(stores.outbox, entry);
  return rec;
}

/** settle removes a record's entry (its change reached the server another way, e.g. the conflict view) and keeps rec, the server's answer, as a record of that resource. */
export async function settle(db: Db, id: string, rec?: LocalRecord, resource?: Resource): Promise<void> {
  const e = await entryFor(db, id);
  if (e?.seq !== undefined) await db.delete(stores.outbox, e.seq);
  if (rec) await db.put(stores.records, { ...rec, _resource: resource ?? e?.resource ?? resourceOf(rec) });
}

/** The outcome of a replay. */
export interface ReplayResult {
  sent: number;
  conflicts: number;
  failed: number;
  /** the network failed: the rest waits for the next replay */
  offline: boolean;
}

type Problem = { detail?: string; title?: string; conflicts?: Conflict[]; errors?: { message?: string; location?: string }[] };

function problemText(status: number, p: Problem | undefined): string {
  const details = (p?.errors ?? []).map((e) => [e.location, e.message].filter(Boolean).join(": ")).join("; ");
  return [String(status), p?.detail || p?.title, details].filter(Boolean).join(" · ");
}

/**
 * replay sends the pending entries in order. Sent entries leave the outbox
 * and their records take the server's answer; a merge that collides is kept
 * as a conflict (the record's page opens the conflict view); a refusal is
 * kept as failed with the server's reason. A network error stops the replay.
 * Entries in conflict or failed are not sent again here.
 */
export async function replay(db: Db, client: Api): Promise<ReplayResult> {
  const out: ReplayResult = { sent: 0, conflicts: 0, failed: 0, offline: false };
  for (const e of await outbox(db)) {
    if (e.state !== "pending") continue;
    try {
      if (e.kind === "create") {
        const res = await client.POST(`/api/v2/${e.resource}` as "/api/v2/cases", { body: { data: { ...e.body, id: e.id, module_id: e.module_id } } as never });
        if (res.response.ok) {
          await settle(db, e.id, (res.data as { data: LocalRecord }).data, e.resource);
          out.sent++;
          continue;
        }
        if (res.response.status === 409) {
          // The id is taken with another body: our first send got through and
          // the case was edited offline since. Send the edits as a merge on it.
          const got = await client.GET(`/api/v2/${e.resource}/{id}` as "/api/v2/cases/{id}", { params: { path: { id: e.id } } });
          if (got.response.ok) {
            const base = (got.data as { data: LocalRecord }).data;
            const values = { ...e.body, id: e.id, module_id: e.module_id };
            const edit: EditEntry = { kind: "edit", resource: e.resource, id: e.id, base, values, patch: diff(base, values, e.shape), shape: e.shape, state: "pending", at: e.at, seq: e.seq };
            await db.put(stores.outbox, edit);
            const r = await sendEdit(db, client, edit);
            out[r]++;
            continue;
          }
        }
        await db.put(stores.outbox, { ...e, state: "failed", problem: problemText(res.response.status, res.error as Problem) });
        out.failed++;
      } else {
        const r = await sendEdit(db, client, e);
        out[r]++;
      }
    } catch (err) {
      if (err instanceof TypeError) {
        out.offline = true;
        return out;
      }
      throw err;
    }
  }
  return out;
}

async function sendEdit(db: Db, client: Api, e: EditEntry): Promise<"sent" | "conflicts" | "failed"> {
  if (!Object.keys(e.patch).length) {
    await settle(db, e.id);
    return "sent";
  }
  const res = await client.PATCH(`/api/v2/${e.resource}/{id}` as "/api/v2/cases/{id}", {
    params: { path: { id: e.id }, header: { "X-Base-Version": String(e.base.version) } as never },
    body: { data: e.patch } as never,
  });
  if (res.response.ok) {
    await settle(db, e.id, (res.data as { data: LocalRecord }).data, e.resource);
    return "sent";
  }
  const p = res.error as Problem | undefined;
  if (res.response.status === 409 && p?.conflicts?.length) {
    await db.put(stores.outbox, { ...e, state: "conflict", conflicts: p.conflicts } satisfies EditEntry);
    return "conflicts";
  }
  await db.put(stores.outbox, { ...e, state: "failed", problem: problemText(res.response.status, p) } satisfies EditEntry);
  return "failed";
}

/** retry sends a failed entry again at the next replay. */
export async function retry(db: Db, seq: number): Promise<void> {
  const e = await db.get<Entry>(stores.outbox, seq);
  if (e) await db.put(stores.outbox, { ...e, state: "pending", problem: undefined });
}

/** discard drops an entry and puts back the server's version of its record (an unsent registration disappears). */
export async function discard(db: Db, seq: number): Promise<void> {
  const e = await db.get<Entry>(stores.outbox, seq);
  if (!e) return;
  await db.delete(stores.outbox, seq);
  if (e.kind === "create") await db.delete(stores.records, e.id);
  else await db.put(stores.records, { ...e.base, _resource: e.resource });
}

