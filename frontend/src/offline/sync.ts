// Keeping the device's copy current, and answering the record screens from it
// without a connection (docs/frontend.md "Offline").
// - syncRecords pulls the records of one resource (cases, tracing requests
//   with their traces, incidents) the person may see with the sync API
//   (order_by=updated_at asc, updated_since, then each full page's cursor);
//   a record with a pending write keeps the person's version. A resource the
//   person may not list (403) is left out.
// - prefetchConfig asks for what the case screens need to render offline
//   (modules, the case forms of each module, lookups, all locations), through
//   the client, whose offline middleware stores the answers.
// - localAnswer builds the answer to a GET from the device's copy.
import { Db, stores } from "./db";
import { outbox, resourceOf, resources, type Api, type LocalRecord, type Resource } from "./outbox";

/** PER: records asked per sync page. */
export const PER = 200;

export interface Meta {
  key: string;
  value: unknown;
}

export async function getMeta<T>(db: Db, key: string): Promise<T | undefined> {
  return (await db.get<Meta>(stores.meta, key))?.value as T | undefined;
}

export async function setMeta(db: Db, key: string, value: unknown): Promise<void> {
  await db.put(stores.meta, { key, value });
}

/** syncRecords pulls what changed in a resource since its last sync; it answers how many records came. */
export async function syncRecords(db: Db, client: Api, resource: Resource = "cases", now = () => new Date()): Promise<number> {
  const started = now().toISOString();
  const sinceKey = `since:${resource}`;
  let since = await getMeta<string>(db, sinceKey);
  let cursor: string | undefined;
  let n = 0;
  for (;;) {
    const query: Record<string, unknown> = { order_by: "updated_at", order: "asc", per: PER };
    if (since) query.updated_since = since;
    if (cursor) query.cursor = cursor;
    const res = await client.GET(`/api/v2/${resource}` as "/api/v2/cases", { params: { query: query as never } });
    if (res.response.status === 403) return n; // not this person's to list
    if (!res.response.ok || !res.data) throw new Error(`sync ${resource}: ${res.response.status}`);
    const recs = ((res.data.data ?? []) as LocalRecord[]).map((r) => ({ ...r, _resource: resource }));
    const pending = new Set((await outbox(db)).map((e) => e.id));
    await db.put(stores.records, ...recs.filter((r) => !pending.has(r.id)));
    n += recs.length;
    const last = recs.at(-1)?.updated_at;
    const next = res.data.metadata?.cursor;
    if (recs.length < PER || !next) {
      if (last) since = last;
      break;
    }
    cursor = next;
  }
  if (since) await setMeta(db, sinceKey, since);
  await setMeta(db, "last_synced", started);
  return n;
}

/** prefetchConfig reads what the case screens need offline; the offline middleware keeps the answers. */
export async function prefetchConfig(db: Db, client: Api): Promise<void> {
  await client.GET("/api/v2/users/me");
  await client.GET("/api/v2/system_settings");
  await client.GET("/api/v2/lookups");
  const mods = await client.GET("/api/v2/modules");
  for (const m of mods.data?.data ?? []) {
    for (const t of ["case", "tracing_request", "incident"] as const) {
      if (!m.associated_record_types?.includes(t)) continue;
      await client.GET("/api/v2/forms", { params: { query: { record_type: t, module_id: m.unique_id } } });
    }
  }
  const all: unknown[] = [];
  for (let page = 1; page <= 50; page++) {
    const res = await client.GET("/api/v2/locations", { params: { query: { disabled: false, per: 1000, page } as never } });
    const rows = res.data?.data ?? [];
    all.push(...rows);
    if (rows.length < 1000) break;
  }
  await setMeta(db, "locations", all);
}

type Loc = { code: string; parent_code?: string; admin_level: number; disabled?: boolean; name?: Record<string, string> };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "X-Cpims-Offline": "1" } });
}

/** recordPath and listPath: the record reads answered from the device (resource, id). */
export const recordPath = new RegExp(`^/api/v2/(${resources.join("|")})/([0-9a-f-]{36})$`);
const listPath = new RegExp(`^/api/v2/(${resources.join("|")})$`);

/**
 * localAnswer answers a GET from the device's copy, or undefined when the
 * device has nothing for it. url is the request's URL.
 */
export async function localAnswer(db: Db, url: URL): Promise<Response | undefined> {
  const path = url.pathname;
  const m = recordPath.exec(path);
  if (m) {
    let rec = await db.get<LocalRecord>(stores.records, m[2]);
    if (rec && resourceOf(rec) !== m[1]) rec = undefined;
    return rec ? new Response(JSON.stringify({ data: rec }), { status: 200, headers: { "Content-Type": "application/json", "X-Cpims-Offline": "1", ETag: `"${rec.version}"` } }) : undefined;
  }
  const list = listPath.exec(path);
  if (list) return json(listLocal((await db.all<LocalRecord>(stores.records)).filter((r) => resourceOf(r) === list[1]), url.searchParams));
  if (path === "/api/v2/locations" || path.startsWith("/api/v2/locations/")) {
    const locs = await getMeta<Loc[]>(db, "locations");
    if (!locs) return undefined;
    if (path !== "/api/v2/locations") {
      const code = decodeURIComponent(path.slice("/api/v2/locations/".length));
      const loc = locs.find((l) => l.code === code);
      if (!loc) return undefined;
      const byCode = new Map(locs.map((l) => [l.code, l]));
      const hierarchy: string[] = [];
      for (let l: Loc | undefined = loc; l && hierarchy.length < 20; l = l.parent_code ? byCode.get(l.parent_code) : undefined) hierarchy.unshift(l.code);
      return json({ data: { ...loc, hierarchy } });
    }
    const q = url.searchParams;
    const parent = q.get("parent");
    const level = q.get("admin_level");
    const rows = locs.filter((l) => (parent ? l.parent_code === parent : level !== null ? String(l.admin_level) === level : true) && (q.get("disabled") !== "false" || !l.disabled));
    return json({ data: rows, metadata: { total: rows.length, per: rows.length, page: 1 } });
  }
  const kept = await db.get<{ url: string; body: unknown }>(stores.responses, path + url.search);
  return kept ? json(kept.body) : undefined;
}

/**
 * listLocal pages the device's records of one resource like the API: enabled records, ordered
 * by order_by (updated_at by default), newest first unless order=asc. Other
 * filters do not apply offline (the list says so).
 */
export function listLocal(recs: LocalRecord[], q: URLSearchParams) {
  const page = Math.max(1, Number(q.get("page")) || 1);
  const per = Math.min(1000, Math.max(1, Number(q.get("per")) || 20));
  const by = q.get("order_by") || "updated_at";
  const dir = q.get("order") === "asc" ? 1 : -1;
  const key = (r: LocalRecord) => {
    const v = r[by];
    return typeof v === "number" ? v : typeof v === "string" ? v : "";
  };
  const rows = recs
    .filter((r) => r.record_state !== false)
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1) * dir;
    });
  return { data: rows.slice((page - 1) * per, page * per), metadata: { total: rows.length, per, page } };
}
