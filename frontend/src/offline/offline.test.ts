// The outbox and sync logic. Storage stand-in: fake-indexeddb (an in-memory
// IndexedDB, test dependency only); the browser scenario e2e/offline.test.mjs
// runs the same code on Chromium's real IndexedDB against the real server.
// API stand-in: `server` below answers as docs/records.md specifies (replayed
// create by id, merge with X-Base-Version and its 409 conflicts, the sync
// list's updated_since and cursor); the real API is exercised by the browser
// scenario.
import { IDBFactory } from "fake-indexeddb";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { paths } from "../api/schema";
import { newKey } from "./crypto";
import { Db, stores } from "./db";
import { discard, entryFor, outbox, queueCreate, queueEdit, replay, retry, settle, type EditEntry, type LocalRecord } from "./outbox";
import { getMeta, listLocal, localAnswer, setMeta, syncRecords } from "./sync";
import type { Shape } from "../records/patch";

const shape: Shape = { fields: ["name_first", "name_last", "sex", "age", "family_details"], subforms: new Set(["family_details"]) };

type Rec = LocalRecord & { updated_at: string };
type Call = { method: string; path: string; headers: Headers; body?: { data: Record<string, unknown> } };

/** server is an in-memory stand-in of the records API's documented answers. */
function server() {
  const recs = new Map<string, Rec>();
  const history = new Map<string, Rec[]>(); // id -> every version
  const creates = new Map<string, string>(); // id -> body of the first create
  const types = new Map<string, string>(); // id -> resource (cases, tracing_requests, incidents)
  const calls: Call[] = [];
  let clock = Date.parse("2026-12-01T10:00:00Z");
  let down = false;
  const tick = () => new Date((clock += 1000)).toISOString();
  const put = (r: Rec) => {
    recs.set(r.id, r);
    history.set(r.id, [...(history.get(r.id) ?? []), r]);
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers } });
  const fetch = async (input: Request): Promise<Response> => {
    if (down) throw new TypeError("Failed to fetch");
    const url = new URL(input.url);
    const body = input.method === "GET" ? undefined : await input.json();
    calls.push({ method: input.method, path: url.pathname + url.search, headers: input.headers, body });
    const res = /^\/api\/v2\/(cases|tracing_requests|incidents)(?:\/(.+))?$/.exec(url.pathname);
    if (!res) return json(404, { title: "Not Found" });
    const resource = res[1];
    const m = res[2] ? [url.pathname, res[2]] : null;
    if (m && types.has(m[1]) && types.get(m[1]) !== resource) return json(404, { title: "Not Found" });
    if (input.method === "POST" && !m) {
      const d = body.data;
      types.set(d.id, resource);
      const key = JSON.stringify(d);
      if (creates.has(d.id)) return creates.get(d.id) === key ? json(201, { data: recs.get(d.id) }) : json(409, { title: "Conflict", detail: "the id is taken" });
      if (d.sex === "x") return json(422, { title: "Unprocessable Entity", errors: [{ location: "body.data.sex", message: "is not an option" }] });
      creates.set(d.id, key);
      const at = tick();
      put({ ...d, short_id: "S" + recs.size, version: 1, created_at: at, updated_at: at, record_state: true });
      return json(201, { data: recs.get(d.id) });
    }
    if (input.method === "PATCH" && m) {
      const cur = recs.get(m[1]);
      if (!cur) return json(404, { title: "Not Found" });
      const baseV = Number(input.headers.get("X-Base-Version"));
      const base = history.get(cur.id)!.find((r) => r.version === baseV)!;
      const conflicts = Object.entries(body.data as Record<string, unknown>)
        .filter(([k, v]) => JSON.stringify(cur[k]) !== JSON.stringify(base[k]) && JSON.stringify(cur[k]) !== JSON.stringify(v))
        .map(([k, v]) => ({ path: k, base: base[k], theirs: cur[k], yours: v }));
      if (conflicts.length) return json(409, { title: "Conflict", conflicts }, { ETag: `"${cur.version}"` });
      const next = { ...cur, ...body.data, version: cur.version + 1, updated_at: tick() } as Rec;
      for (const [k, v] of Object.entries(body.data)) if (v === null) delete next[k];
      put(next);
      return json(200, { data: next }, { ETag: `"${next.version}"` });
    }
    if (input.method === "GET" && m) return recs.has(m[1]) ? json(200, { data: recs.get(m[1]) }) : json(404, { title: "Not Found" });
    if (input.method === "GET" && !m) {
      const q = url.searchParams;
      const per = Number(q.get("per"));
      let rows = [...recs.values()].filter((r) => (types.get(r.id) ?? "cases") === resource).sort((a, b) => (a.updated_at + a.id < b.updated_at + b.id ? -1 : 1));
      if (q.get("updated_since")) rows = rows.filter((r) => r.updated_at >= q.get("updated_since")!);
      if (q.get("cursor")) rows = rows.filter((r) => r.updated_at + r.id > q.get("cursor")!);
      const page = rows.slice(0, per);
      const last = page.at(-1);
      return json(200, { data: page, metadata: { total: rows.length, per, page: 1, cursor: page.length === per && last ? last.updated_at + last.id : undefined } });
    }
    return json(404, { title: "Not Found" });
  };
  return {
    recs,
    calls,
    put: (r: Rec, resource = "cases") => {
      types.set(r.id, resource);
      put(r);
    },
    tick,
    setDown: (v: boolean) => (down = v),
    client: createClient<paths>({ baseUrl: "http://test", fetch }),
    /** someone else changes a record */
    change(id: string, fields: Record<string, unknown>) {
      const cur = recs.get(id)!;
      put({ ...cur, ...fields, version: cur.version + 1, updated_at: tick() });
    },
  };
}

let n = 0;
// One data key for these tests (few PBKDF2 rounds: the key's derivation is tested in crypto.test.ts).
const key = newKey("246810", 1000).then((k) => k.key);
const open = async () => Db.open(await key, new IDBFactory(), `test-${n++}`);
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

describe("outbox", () => {
  it("registers offline, keeps later edits in the create, and sends one create that a replay does not duplicate", async () => {
    const db = await open();
    const s = server();
    const id = uuid(1);
    await queueCreate(db, { id, module_id: "primeromodule-cp", values: { name_first: "Amina", sex: "female", family_details: [] }, shape });
    const local = await db.get<LocalRecord>(stores.records, id);
    expect(local).toMatchObject({ id, name_first: "Amina", _local: true, version: 0 });
    await queueEdit(db, { base: local!, values: { ...local, name_last: "Hassan" }, shape });
    const entries = await outbox(db);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: "create", body: { name_first: "Amina", name_last: "Hassan", sex: "female" } });

    expect(await replay(db, s.client)).toEqual({ sent: 1, conflicts: 0, failed: 0, offline: false });
    expect(await outbox(db)).toEqual([]);
    expect(await db.get<LocalRecord>(stores.records, id)).toMatchObject({ id, short_id: "S0", version: 1, name_last: "Hassan" });
    expect(s.calls.filter((c) => c.method === "POST")).toHaveLength(1);
    expect(s.calls[0].body?.data).toMatchObject({ id, module_id: "primeromodule-cp", name_first: "Amina" });

    // The answer was lost on the way: the same create again makes no second case.
    await queueCreate(db, { id, module_id: "primeromodule-cp", values: { name_first: "Amina", name_last: "Hassan", sex: "female" }, shape });
    expect(await replay(db, s.client)).toMatchObject({ sent: 1 });
    expect(s.recs.size).toBe(1);
  });

  it("turns a create whose first send got through into a merge of the later edits", async () => {
    const db = await open();
    const s = server();
    const id = uuid(2);
    await queueCreate(db, { id, module_id: "m", values: { name_first: "Yusuf" }, shape });
    await replay(db, s.client);
    // The device did not get the answer: the entry is back, and edited since.
    await queueCreate(db, { id, module_id: "m", values: { name_first: "Yusuf", age: 9 }, shape });
    expect(await replay(db, s.client)).toMatchObject({ sent: 1 });
    expect(s.recs.get(id)).toMatchObject({ name_first: "Yusuf", age: 9, version: 2 });
    expect(s.recs.size).toBe(1);
    expect(await outbox(db)).toEqual([]);
  });

  it("keeps edits of one record as one merge from the server's version", async () => {
    const db = await open();
    const s = server();
    const id = uuid(3);
    const at = s.tick();
    s.put({ id, short_id: "AB12", version: 4, name_first: "Omar", sex: "male", updated_at: at });
    await db.put(stores.records, s.recs.get(id));
    const v4 = (await db.get<LocalRecord>(stores.records, id))!;
    const after1 = await queueEdit(db, { base: v4, values: { ...v4, age: 11 }, shape });
    expect(after1).toMatchObject({ version: 4, age: 11 });
    await queueEdit(db, { base: after1, values: { ...after1, name_last: "Ali" }, shape });
    const [e] = (await outbox(db)) as EditEntry[];
    expect(e.base.version).toBe(4);
    expect(e.patch).toEqual({ age: 11, name_last: "Ali" });

    // Someone else changed another field meanwhile: the merge keeps both.
    s.change(id, { sex: "female" });
    expect(await replay(db, s.client)).toMatchObject({ sent: 1, conflicts: 0 });
    const patch = s.calls.find((c) => c.method === "PATCH")!;
    expect(patch.headers.get("X-Base-Version")).toBe("4");
    expect(patch.headers.get("If-Match")).toBeNull();
    expect(s.recs.get(id)).toMatchObject({ version: 6, age: 11, name_last: "Ali", sex: "female" });
    expect(await db.get<LocalRecord>(stores.records, id)).toMatchObject({ version: 6, sex: "female", age: 11 });
    expect(await outbox(db)).toEqual([]);
  });

  it("keeps a colliding edit with its conflicts and the typing, until the conflict view settles it", async () => {
    const db = await open();
    const s = server();
    const id = uuid(4);
    s.put({ id, short_id: "CD34", version: 1, name_first: "Fatima", updated_at: s.tick() });
    const v1 = { ...s.recs.get(id)! };
    await db.put(stores.records, v1);
    await queueEdit(db, { base: v1, values: { ...v1, name_first: "Fatouma" }, shape });
    s.change(id, { name_first: "Fadumo" });
    expect(await replay(db, s.client)).toMatchObject({ sent: 0, conflicts: 1 });
    const e = (await entryFor(db, id)) as EditEntry;
    expect(e.state).toBe("conflict");
    expect(e.conflicts).toEqual([{ path: "name_first", base: "Fatima", theirs: "Fadumo", yours: "Fatouma" }]);
    expect(e.values.name_first).toBe("Fatouma");
    expect((await db.get<LocalRecord>(stores.records, id))!.name_first).toBe("Fatouma");
    // A conflict is not sent again by itself.
    expect(await replay(db, s.client)).toMatchObject({ sent: 0, conflicts: 0 });
    expect(s.calls.filter((c) => c.method === "PATCH")).toHaveLength(1);
    // The record page saved the person's choice: the entry goes, the server's answer stays.
    await settle(db, id, { ...s.recs.get(id)!, version: 3 });
    expect(await outbox(db)).toEqual([]);
    expect((await db.get<LocalRecord>(stores.records, id))!.version).toBe(3);
  });

  it("sends in order, stops without a network and keeps what is left", async () => {
    const db = await open();
    const s = server();
    await queueCreate(db, { id: uuid(5), module_id: "m", values: { name_first: "A" }, shape });
    await queueCreate(db, { id: uuid(6), module_id: "m", values: { name_first: "B" }, shape });
    s.setDown(true);
    expect(await replay(db, s.client)).toMatchObject({ sent: 0, offline: true });
    expect(await outbox(db)).toHaveLength(2);
    s.setDown(false);
    expect(await replay(db, s.client)).toMatchObject({ sent: 2 });
    expect(s.calls.map((c) => c.body?.data.name_first)).toEqual(["A", "B"]);
  });

  it("keeps a refused write with the server's reason, to retry or discard", async () => {
    const db = await open();
    const s = server();
    await queueCreate(db, { id: uuid(7), module_id: "m", values: { name_first: "C", sex: "x" }, shape });
    await queueCreate(db, { id: uuid(8), module_id: "m", values: { name_first: "D" }, shape });
    expect(await replay(db, s.client)).toMatchObject({ sent: 1, failed: 1 });
    const [e] = await outbox(db);
    expect(e).toMatchObject({ id: uuid(7), state: "failed" });
    expect(e.problem).toContain("body.data.sex: is not an option");
    await retry(db, e.seq!);
    expect((await outbox(db))[0].state).toBe("pending");
    await discard(db, e.seq!);
    expect(await outbox(db)).toEqual([]);
    expect(await db.get(stores.records, uuid(7))).toBeUndefined();
  });

  it("drops an edit taken back to the server's version", async () => {
    const db = await open();
    const base: LocalRecord = { id: uuid(9), version: 2, name_first: "Hawa" };
    await db.put(stores.records, base);
    const edited = await queueEdit(db, { base, values: { ...base, name_first: "Hawo" }, shape });
    expect(await outbox(db)).toHaveLength(1);
    await queueEdit(db, { base: edited, values: { ...edited, name_first: "Hawa" }, shape });
    expect(await outbox(db)).toEqual([]);
    expect((await db.get<LocalRecord>(stores.records, base.id))!.name_first).toBe("Hawa");
  });
});

describe("tracing requests and incidents", () => {
  const trShape: Shape = { fields: ["relation_name", "inquiry_date", "tracing_request_subform_section"], subforms: new Set(["tracing_request_subform_section"]) };
  const incShape: Shape = { fields: ["cp_incident_date", "cp_incident_location_type"], subforms: new Set() };

  it("keeps them like cases: synced per resource, read from the device, registered and edited offline, replayed to their own API", async () => {
    const db = await open();
    const s = server();
    const [caseId, trId, incId] = [uuid(300), uuid(301), uuid(302)];
    s.put({ id: caseId, short_id: "C1", version: 1, name_first: "Amina", updated_at: s.tick() }, "cases");
    s.put(
      { id: trId, short_id: "T1", version: 1, relation_name: "Halima", tracing_request_subform_section: [{ unique_id: "t-1", name: "Yusuf", sex: "male" }], updated_at: s.tick() },
      "tracing_requests",
    );
    s.put({ id: incId, short_id: "I1", version: 1, cp_incident_date: "2026-11-20", updated_at: s.tick() }, "incidents");

    for (const r of ["cases", "tracing_requests", "incidents"] as const) expect(await syncRecords(db, s.client, r)).toBe(1);
    expect(s.calls.map((c) => c.path.split("?")[0])).toEqual(["/api/v2/cases", "/api/v2/tracing_requests", "/api/v2/incidents"]);
    expect(await getMeta(db, "since:tracing_requests")).toBe(s.recs.get(trId)!.updated_at);

    // Read offline: each from its own path (a tracing request with its traces), never from another resource's.
    const tr = await (await localAnswer(db, new URL(`http://x/api/v2/tracing_requests/${trId}`)))!.json();
    expect(tr.data.tracing_request_subform_section).toEqual([{ unique_id: "t-1", name: "Yusuf", sex: "male" }]);
    expect(await localAnswer(db, new URL(`http://x/api/v2/cases/${trId}`))).toBeUndefined();
    const incidents = await (await localAnswer(db, new URL("http://x/api/v2/incidents?page=1&per=20")))!.json();
    expect(incidents.data.map((r: LocalRecord) => r.id)).toEqual([incId]);
    const cases = await (await localAnswer(db, new URL("http://x/api/v2/cases?page=1&per=20")))!.json();
    expect(cases.data.map((r: LocalRecord) => r.id)).toEqual([caseId]);

    // Offline: a trace's sex changed and a second child sought added; an incident edited; a tracing request registered.
    const kept = (await db.get<LocalRecord>(stores.records, trId))!;
    const rows = kept.tracing_request_subform_section as Record<string, unknown>[];
    await queueEdit(db, { base: kept, values: { ...kept, tracing_request_subform_section: [{ ...rows[0], sex: "female" }, { unique_id: "t-2", name: "Asha" }] }, shape: trShape });
    const inc = (await db.get<LocalRecord>(stores.records, incId))!;
    await queueEdit(db, { base: inc, values: { ...inc, cp_incident_location_type: "home" }, shape: incShape });
    const newTr = uuid(303);
    await queueCreate(db, { resource: "tracing_requests", id: newTr, module_id: "m", values: { relation_name: "Mariam", tracing_request_subform_section: [{ unique_id: "t-3", name: "Omar" }] }, shape: trShape });
    expect((await outbox(db)).map((e) => [e.kind, e.resource])).toEqual([
      ["edit", "tracing_requests"],
      ["edit", "incidents"],
      ["create", "tracing_requests"],
    ]);
    const listed = await (await localAnswer(db, new URL("http://x/api/v2/tracing_requests?page=1&per=20")))!.json();
    expect(listed.data.map((r: LocalRecord) => r.id).sort()).toEqual([trId, newTr].sort());

    s.calls.length = 0;
    expect(await replay(db, s.client)).toEqual({ sent: 3, conflicts: 0, failed: 0, offline: false });
    expect(s.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH /api/v2/tracing_requests/${trId}`, `PATCH /api/v2/incidents/${incId}`, "POST /api/v2/tracing_requests"]);
    // Only the trace rows that changed travel, by their ids.
    expect(s.calls[0].body?.data).toEqual({ tracing_request_subform_section: [{ unique_id: "t-1", sex: "female" }, { unique_id: "t-2", name: "Asha" }] });
    expect(s.calls[0].headers.get("X-Base-Version")).toBe("1");
    expect(s.calls[1].body?.data).toEqual({ cp_incident_location_type: "home" });
    expect(s.calls[2].body?.data).toMatchObject({ id: newTr, module_id: "m", relation_name: "Mariam" });
    expect(await outbox(db)).toEqual([]);
    // The device keeps the server's answers, still under their resources.
    expect(await db.get<LocalRecord>(stores.records, incId)).toMatchObject({ version: 2, cp_incident_location_type: "home", _resource: "incidents" });
    expect(await db.get<LocalRecord>(stores.records, newTr)).toMatchObject({ short_id: expect.stringMatching(/^S/), _resource: "tracing_requests" });
    expect((await (await localAnswer(db, new URL("http://x/api/v2/tracing_requests?page=1&per=20")))!.json()).metadata.total).toBe(2);
  });

  it("leaves out a resource the person may not list", async () => {
    const db = await open();
    const client = createClient<paths>({
      baseUrl: "http://test",
      fetch: async () => new Response(JSON.stringify({ title: "Forbidden" }), { status: 403, headers: { "Content-Type": "application/problem+json" } }),
    });
    expect(await syncRecords(db, client, "incidents")).toBe(0);
    expect(await db.count(stores.records)).toBe(0);
  });
});

describe("sync", () => {
  it("pulls every page with the cursor, then only what changed, keeping records with pending writes", async () => {
    const db = await open();
    const s = server();
    for (let i = 0; i < 450; i++) s.put({ id: uuid(100 + i), short_id: `X${i}`, version: 1, name_first: `N${i}`, updated_at: s.tick() });
    expect(await syncRecords(db, s.client, "cases", () => new Date("2026-12-01T12:00:00Z"))).toBe(450);
    expect(await db.count(stores.records)).toBe(450);
    const gets = s.calls.filter((c) => c.method === "GET");
    expect(gets).toHaveLength(3);
    expect(gets[0].path).toContain("order_by=updated_at");
    expect(gets[0].path).toContain("order=asc");
    expect(gets[1].path).toContain("cursor=");
    expect(await getMeta(db, "last_synced")).toBe("2026-12-01T12:00:00.000Z");
    const since = await getMeta<string>(db, "since:cases");
    expect(since).toBe(s.recs.get(uuid(549))!.updated_at);

    // An edit waits on the device; the server changes that record and another.
    const mine = (await db.get<LocalRecord>(stores.records, uuid(100)))!;
    await queueEdit(db, { base: mine, values: { ...mine, name_first: "Mine" }, shape });
    s.change(uuid(100), { age: 3 });
    s.change(uuid(101), { name_first: "Theirs" });
    s.calls.length = 0;
    expect(await syncRecords(db, s.client)).toBe(3); // the two changed and the last one again (updated_since is inclusive)
    expect(s.calls[0].path).toContain(`updated_since=${encodeURIComponent(since!)}`);
    expect((await db.get<LocalRecord>(stores.records, uuid(100)))!.name_first).toBe("Mine");
    expect((await db.get<LocalRecord>(stores.records, uuid(101)))!.name_first).toBe("Theirs");
  });

  it("answers the case screens from the device's copy", async () => {
    const db = await open();
    await db.put(
      stores.records,
      { id: uuid(1), version: 1, name_first: "Old", updated_at: "2026-11-01T00:00:00Z", age: 5 },
      { id: uuid(2), version: 1, name_first: "New", updated_at: "2026-11-02T00:00:00Z", age: 3 },
      { id: uuid(3), version: 2, name_first: "Gone", updated_at: "2026-11-03T00:00:00Z", record_state: false },
    );
    const one = await localAnswer(db, new URL(`http://x/api/v2/cases/${uuid(1)}`));
    expect(one!.headers.get("X-Cpims-Offline")).toBe("1");
    expect(one!.headers.get("ETag")).toBe('"1"');
    expect(await one!.json()).toMatchObject({ data: { name_first: "Old" } });
    expect(await localAnswer(db, new URL(`http://x/api/v2/cases/${uuid(9)}`))).toBeUndefined();
    const list = await (await localAnswer(db, new URL("http://x/api/v2/cases?page=1&per=20&order_by=updated_at&order=desc")))!.json();
    expect(list.data.map((r: LocalRecord) => r.name_first)).toEqual(["New", "Old"]);
    expect(list.metadata).toEqual({ total: 2, per: 20, page: 1 });
    expect(listLocal(await db.all(stores.records), new URLSearchParams("order_by=age&order=asc&per=1&page=2")).data.map((r) => r.name_first)).toEqual(["Old"]);

    await setMeta(db, "locations", [
      { code: "SO", admin_level: 0, name: { en: "Somalia" } },
      { code: "SO01", parent_code: "SO", admin_level: 1, name: { en: "Banadir" } },
      { code: "SO0101", parent_code: "SO01", admin_level: 2, name: { en: "Hodan" } },
      { code: "SO02", parent_code: "SO", admin_level: 1, disabled: true, name: { en: "Old" } },
    ]);
    const roots = await (await localAnswer(db, new URL("http://x/api/v2/locations?admin_level=0&disabled=false&per=1000")))!.json();
    expect(roots.data.map((l: { code: string }) => l.code)).toEqual(["SO"]);
    const kids = await (await localAnswer(db, new URL("http://x/api/v2/locations?parent=SO&disabled=false&per=1000")))!.json();
    expect(kids.data.map((l: { code: string }) => l.code)).toEqual(["SO01"]);
    const hodan = await (await localAnswer(db, new URL("http://x/api/v2/locations/SO0101")))!.json();
    expect(hodan.data.hierarchy).toEqual(["SO", "SO01", "SO0101"]);

    await db.put(stores.responses, { url: "/api/v2/forms?record_type=case&module_id=m", body: { data: [{ unique_id: "basic" }] } });
    expect(await (await localAnswer(db, new URL("http://x/api/v2/forms?record_type=case&module_id=m")))!.json()).toEqual({ data: [{ unique_id: "basic" }] });
    expect(await localAnswer(db, new URL("http://x/api/v2/forms?record_type=incident"))).toBeUndefined();

    await db.clear();
    expect(await db.count(stores.records)).toBe(0);
    expect(await db.count(stores.responses)).toBe(0);
  });
});
