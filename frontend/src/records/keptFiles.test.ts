// Files kept on the device until the server has them. Storage stand-in:
// fake-indexeddb (an in-memory IndexedDB) under the real sealing of
// offline/crypto.ts; the attachments API stand-in answers each upload in turn.
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { newKey } from "../offline/crypto";
import { Db, stores } from "../offline/db";
import { outbox, queueCreate } from "../offline/outbox";
import { deviceKeeper, kept, keptFor, releaseDrafts, restorePending, sendKept, sendRegistered } from "./keptFiles";
import { PendingUploads } from "./pending";
import { UploadQueue, type Sender } from "./uploadQueue";

const key = newKey("246810", 1000).then((k) => k.key);
let n = 0;
const open = async () => Db.open(await key, new IDBFactory(), `kept-${n++}`);
const target = { resource: "cases", recordId: "11111111-1111-4111-8111-111111111111" };
const photo = (name: string, body = "\u00ff\u0000png-bytes") => new File([new Uint8Array([...body].map((c) => c.charCodeAt(0)))], name, { type: "image/png", lastModified: 1_700_000_000_000 });

/** server answers each upload in turn (201 unless told), recording the paths and bytes sent. */
function server(answers: number[] = []) {
  const sent: { path: string; bytes: string }[] = [];
  const send: Sender = (path, f) => ({
    done: (async () => {
      sent.push({ path, bytes: new TextDecoder("latin1").decode(await f.arrayBuffer()) });
      return { status: answers.shift() ?? 201, body: {} };
    })(),
  });
  return { send, sent };
}

describe("files kept on the device", () => {
  it("keeps a registration's files sealed, with their description and date, and puts them back after a reload", async () => {
    const db = await open();
    const before = new PendingUploads(deviceKeeper(async () => db, target));
    before.add("photos", "photo", [photo("front.png"), photo("back.png", "other")]);
    const [front, back] = before.byField("photos");
    before.describe(front.key, { description: "Front", date: "2026-11-30" });
    before.remove(back.key);
    await before.settled();
    expect(before.keepFailed).toBe(false);

    // Sealed: no row holds the name or the bytes in clear.
    const rows = await new Promise<unknown[]>((resolve) => {
      const r = db.idb.transaction(stores.meta).objectStore(stores.meta).getAll();
      r.onsuccess = () => resolve(r.result);
    });
    expect(JSON.stringify(rows)).not.toMatch(/front\.png|png-bytes|Front/);

    // The reloaded page's form gets the file back, bytes, type and note included; the removed one is gone.
    const after = new PendingUploads(deviceKeeper(async () => db, target));
    after.restore(await restorePending(db, target.recordId));
    const [again] = after.byField("photos");
    expect(after.all()).toHaveLength(1);
    expect(again.key).toBe(front.key);
    expect(again.note).toEqual({ description: "Front", date: "2026-11-30" });
    expect(again.file.name).toBe("front.png");
    expect(again.file.type).toBe("image/png");
    expect(new Uint8Array(await again.file.arrayBuffer())).toEqual(new Uint8Array(await photo("x").arrayBuffer()));
    // A draft is not sent before its record is registered.
    const api = server();
    expect(await sendKept(db, new UploadQueue(api.send, () => {}))).toBe(0);
    expect(api.sent).toEqual([]);
  });

  it("sends a registered record's files in order and forgets them; a file the network lost stays for the next run", async () => {
    const db = await open();
    const pending = new PendingUploads(deviceKeeper(async () => db, target));
    pending.add("photos", "photo", [photo("a.png"), photo("b.png")]);
    pending.describe(pending.byField("photos")[0].key, { description: "A" });
    // The network goes during the second file (status 0: the browser's failed request).
    const api = server([201, 0]);
    const queue = new UploadQueue(api.send, () => {});
    await sendRegistered(queue, target, pending, async () => db);
    expect(api.sent.map((s) => s.path)).toEqual([
      `/api/v2/cases/${target.recordId}/attachments?field_name=photos&file_name=a.png&description=A`,
      `/api/v2/cases/${target.recordId}/attachments?field_name=photos&file_name=b.png`,
    ]);
    expect((await kept(db)).map((k) => [k.name, k.draft])).toEqual([["b.png", undefined]]);
    // Back online (the page still holds the failed file): sent again from the device's copy, then forgotten.
    expect(await sendKept(db, queue)).toBe(1);
    expect(api.sent.map((s) => s.path).at(-1)).toBe(`/api/v2/cases/${target.recordId}/attachments?field_name=photos&file_name=b.png`);
    expect(await kept(db)).toEqual([]);
    expect(await keptFor(db, target.recordId)).toEqual([]);
  });

  it("waits for a record registered offline to be sent, then uploads its files from a fresh page; a refusal is forgotten", async () => {
    const db = await open();
    const pending = new PendingUploads(deviceKeeper(async () => db, target));
    pending.add("photos", "photo", [photo("a.png"), photo("b.png")]);
    await pending.settled();
    await queueCreate(db, { id: target.recordId, module_id: "primeromodule-cp", values: { name_first: "Amina" }, shape: { fields: ["name_first"], subforms: new Set() } });
    await releaseDrafts(db, target.recordId);
    const api = server([201, 415]);
    // A new page (after a reload): an empty queue. The create is still in the outbox: nothing is sent.
    expect(await sendKept(db, new UploadQueue(api.send, () => {}))).toBe(0);
    expect(api.sent).toEqual([]);
    // The outbox sent it (its entry is gone): the files go, each in order; the refused one is not kept.
    for (const e of await outbox(db)) await db.delete(stores.outbox, e.seq!);
    const queue = new UploadQueue(api.send, () => {});
    expect(await sendKept(db, queue)).toBe(2);
    expect(api.sent.map((s) => s.path.replace(/.*file_name=/, ""))).toEqual(["a.png", "b.png"]);
    expect(await kept(db)).toEqual([]);
    // The refusal stays on the page (with its reason) until dismissed.
    expect(queue.field(target.recordId, "photos").map((u) => [u.name, u.state])).toEqual([["b.png", "failed"]]);
  });

  it("keeps the files chosen before the copy was unlocked (a reload locks it until the PIN), with those kept earlier", async () => {
    const db = await open();
    const earlier = new PendingUploads(deviceKeeper(async () => db, target));
    earlier.add("photos", "photo", [photo("earlier.png")]);
    await earlier.settled();
    // The reloaded page: locked, so nothing is kept while a file is chosen; then the PIN is entered.
    const page = new PendingUploads();
    page.add("photos", "photo", [photo("meanwhile.png")]);
    expect(page.keeper).toBeUndefined();
    page.setKeeper(deviceKeeper(async () => db, target));
    page.restore(await restorePending(db, target.recordId));
    await page.settled();
    expect(page.byField("photos").map((f) => f.file.name)).toEqual(["earlier.png", "meanwhile.png"]);
    expect((await kept(db)).map((k) => k.name).sort()).toEqual(["earlier.png", "meanwhile.png"]);
  });
});
