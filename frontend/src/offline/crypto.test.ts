// Encryption of the device's copy: what IndexedDB holds is ciphertext, a wrong
// PIN reads nothing, and the wipes (too many wrong PINs, too long without a
// sync, an older app's copy in clear). Storage stand-in: fake-indexeddb (the
// browser scenario e2e/offline.test.mjs runs on Chromium's real IndexedDB);
// WebCrypto is Node's own. A "reload" is a fresh import of the runtime module
// (vi.resetModules): the key held in memory is gone, the device's storage stays.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { NeedServerError, newKey, unlockDeviceKey, unlockKey, type DeviceLock } from "./crypto";
import { DB_NAME, Db, stores } from "./db";

const PIN = "482916";
const child = { id: "00000000-0000-4000-8000-000000000001", version: 3, name_first: "Amina", name_last: "Hassan", sex: "female" };

/** raw reads every row of a store as IndexedDB holds it, without the app's key. */
function raw(factory: IDBFactory | typeof indexedDB, name: string, store: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const r = factory.open(name);
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        resolve([]);
        return;
      }
      const g = db.transaction(store).objectStore(store).getAll();
      g.onsuccess = () => {
        db.close();
        resolve(g.result);
      };
      g.onerror = () => reject(g.error);
    };
  });
}

/** bytes makes every byte buffer of a stored row readable as text, to look for data in clear. */
function asText(rows: unknown[]): string {
  const dec = new TextDecoder("utf-8", { fatal: false });
  return JSON.stringify(rows, (_, v) => (v instanceof ArrayBuffer ? dec.decode(v) : v instanceof Uint8Array ? dec.decode(v) : v));
}

async function reload() {
  vi.resetModules();
  return import("./runtime");
}

// Module reloads and key derivations take seconds on a loaded machine: 30 s per test, not 5.
describe("the device's copy at rest", { timeout: 30_000 }, () => {
  beforeEach(async () => {
    localStorage.clear();
    await new Promise((ok) => {
      const r = indexedDB.deleteDatabase(DB_NAME);
      r.onsuccess = r.onerror = ok;
    });
  });

  it("stores records, outbox bodies and configuration answers as AES-GCM ciphertext, keys alone in clear", async () => {
    const factory = new IDBFactory();
    const { key, lock } = await newKey(PIN, 1000);
    const db = await Db.open(key, factory, "at-rest");
    await db.put(stores.records, child);
    await db.add(stores.outbox, { kind: "edit", id: child.id, values: { name_first: "Amina", caregiver: "Fatuma Ali" }, shape: { fields: ["name_first"], subforms: new Set(["family"]) } });
    await db.put(stores.responses, { url: "/api/v2/users/me", body: { email: "worker@example.org", full_name: "Grace Wanjiru" } });
    await db.put(stores.meta, { key: "locations", value: [{ code: "SO01", name: { en: "Banadir" } }] });

    const records = await raw(factory, "at-rest", stores.records);
    expect(records).toHaveLength(1);
    expect(Object.keys(records[0] as object).sort()).toEqual(["ct", "id", "iv"]);
    expect((records[0] as { id: string }).id).toBe(child.id);
    const everything = asText([
      ...records,
      ...(await raw(factory, "at-rest", stores.outbox)),
      ...(await raw(factory, "at-rest", stores.responses)),
      ...(await raw(factory, "at-rest", stores.meta)),
    ]);
    for (const clear of ["Amina", "Hassan", "female", "Fatuma", "worker@example.org", "Grace", "Banadir", "name_first"]) expect(everything).not.toContain(clear);
    // Nor does the lock hold the key or the PIN.
    expect(JSON.stringify(lock)).not.toContain(PIN);

    // Read back through the key: the values, Sets included, as they were.
    expect(await db.get(stores.records, child.id)).toEqual(child);
    const [entry] = await db.all<{ seq: number; shape: { subforms: Set<string> } }>(stores.outbox);
    expect(entry.seq).toBe(1);
    expect(entry.shape.subforms).toEqual(new Set(["family"]));
    db.close();
  });

  it("reads nothing with a wrong PIN or another key, and nothing moved to another store", async () => {
    const factory = new IDBFactory();
    const { key, lock } = await newKey(PIN, 1000);
    const db = await Db.open(key, factory, "wrong");
    await db.put(stores.records, child);
    db.close();

    await expect(unlockKey(lock, "482917")).rejects.toThrow();
    await expect(unlockKey({ ...lock, salt: btoa("another salt 16b") }, PIN)).rejects.toThrow();
    const other = await newKey(PIN, 1000); // the same PIN, another device's key
    const theirs = await Db.open(other.key, factory, "wrong");
    await expect(theirs.get(stores.records, child.id)).rejects.toThrow();
    theirs.close();

    const right = await Db.open(await unlockKey(lock, PIN), factory, "wrong");
    expect(await right.get(stores.records, child.id)).toEqual(child);
    // A record's sealed row put into the configuration answers does not open there.
    const [row] = (await raw(factory, "wrong", stores.records)) as Record<string, unknown>[];
    await new Promise<void>((ok) => {
      const tx = right.idb.transaction(stores.responses, "readwrite");
      tx.objectStore(stores.responses).put({ ...row, url: "/api/v2/users/me" });
      tx.oncomplete = () => ok();
    });
    await expect(right.get(stores.responses, "/api/v2/users/me")).rejects.toThrow();
    right.close();
  });

  it("asks for the PIN after a reload, and wipes the copy after five wrong PINs in a row", async () => {
    let rt = await reload();
    await rt.enable("worker@example.org", PIN, 1000);
    await (await rt.db()).put(stores.records, child);
    expect(rt.locked()).toBe(false);

    rt = await reload();
    expect(rt.optedIn()).toBe("worker@example.org");
    expect(rt.locked()).toBe(true);
    await expect(rt.db()).rejects.toBeInstanceOf(rt.LockedError);
    expect(await rt.offlineState()).toEqual({ enabled: true, locked: true, records: 0, entries: [] });

    // Wrong, wrong, then right: the count starts again.
    expect(await rt.unlock("000000")).toEqual({ state: "wrong", left: 4 });
    expect(await rt.unlock("111111")).toEqual({ state: "wrong", left: 3 });
    expect(await rt.unlock(PIN)).toEqual({ state: "unlocked" });
    expect(await (await rt.db()).get(stores.records, child.id)).toEqual(child);
    expect((await rt.offlineState()).records).toBe(1);

    rt = await reload();
    for (let left = 4; left > 0; left--) expect(await rt.unlock(`99999${left}`)).toEqual({ state: "wrong", left });
    expect(await rt.unlock("999990")).toEqual({ state: "wiped" });
    expect(rt.optedIn()).toBeUndefined();
    expect(localStorage.getItem("cpims.offline.lock")).toBeNull();
    expect(await raw(indexedDB, DB_NAME, stores.records)).toEqual([]);
    // Even the right PIN opens nothing now.
    expect(await rt.unlock(PIN)).toEqual({ state: "wiped" });
  });

  it("wipes a copy not synced for WIPE_AFTER_DAYS at the next start, and keeps a fresher one", async () => {
    let rt = await reload();
    const enabledAt = new Date("2026-11-01T08:00:00Z");
    await rt.enable("worker@example.org", PIN, 1000, enabledAt);
    await (await rt.db()).put(stores.records, child);

    rt = await reload();
    const day = 24 * 60 * 60 * 1000;
    expect(await rt.checkDevice(new Date(enabledAt.getTime() + rt.WIPE_AFTER_DAYS * day - 60_000))).toBe(false);
    expect(rt.optedIn()).toBe("worker@example.org");
    // The right PIN, too late: wiped rather than opened.
    expect(await rt.unlock(PIN, new Date(enabledAt.getTime() + rt.WIPE_AFTER_DAYS * day + 60_000))).toEqual({ state: "wiped" });
    expect(rt.optedIn()).toBeUndefined();
    expect(await raw(indexedDB, DB_NAME, stores.records)).toEqual([]);
  });

  it("wipes an older app's copy kept in clear without a PIN", async () => {
    localStorage.setItem("cpims.offline", "worker@example.org"); // session 17's opt-in: no lock
    await new Promise<void>((ok) => {
      const r = indexedDB.open(DB_NAME, 1);
      r.onupgradeneeded = () => r.result.createObjectStore("records", { keyPath: "id" });
      r.onsuccess = () => {
        const tx = r.result.transaction("records", "readwrite");
        tx.objectStore("records").put(child);
        tx.oncomplete = () => {
          r.result.close();
          ok();
        };
      };
    });
    const rt = await reload();
    expect(rt.optedIn()).toBeUndefined();
    expect(await rt.checkDevice()).toBe(true);
    expect(localStorage.getItem("cpims.offline")).toBeNull();
    expect(await raw(indexedDB, DB_NAME, "records")).toEqual([]);
  });

  it("forgets the key at sign-out and empties the copy; the same person unlocks again with the same PIN", async () => {
    let rt = await reload();
    await rt.enable("worker@example.org", PIN, 1000);
    await (await rt.db()).put(stores.records, child);
    await rt.clearOffline();
    expect(rt.locked()).toBe(true);
    expect(await raw(indexedDB, DB_NAME, stores.records)).toEqual([]);
    rt = await reload();
    expect(await rt.unlock(PIN)).toEqual({ state: "unlocked" });
    expect(await (await rt.db()).count(stores.records)).toBe(0);
  });
});

// Session 19: the copy bound to a device key the server keeps (docs/frontend.md
// "Offline, session 19"). The server stand-in is the release function the
// runtime calls for GET /api/v2/devices/{id}/key: a key, "revoked" (404/410),
// or nothing (offline).
describe("the copy bound to the server's device key", { timeout: 30_000 }, () => {
  const deviceKey = crypto.getRandomValues(new Uint8Array(32));
  const device = "6f1c2a3e-0000-4000-8000-00000000d001";
  const server = (answer: "key" | "revoked" | "offline" | "signed-out") => {
    const asked: string[] = [];
    const release = async (id: string) => {
      asked.push(id);
      return answer === "key" ? { key: deviceKey } : answer === "revoked" || answer === "signed-out" ? answer : undefined;
    };
    return { asked, release };
  };
  const lock = () => JSON.parse(localStorage.getItem("cpims.offline.lock")!) as DeviceLock & { failures: number };

  beforeEach(async () => {
    localStorage.clear();
    await new Promise((ok) => {
      const r = indexedDB.deleteDatabase(DB_NAME);
      r.onsuccess = r.onerror = ok;
    });
  });

  it("in pin_and_server, keeps ciphertext the PIN alone cannot open; the copy and its outbox wait for the server", async () => {
    let rt = await reload();
    await rt.enable("worker@example.org", PIN, 1000, undefined, { id: device, key: deviceKey, mode: "pin_and_server" });
    await (await rt.db()).put(stores.records, child);
    await (await rt.db()).add(stores.outbox, { kind: "edit", id: child.id, values: { name_first: "Amina" } });
    const l = lock();
    expect(l.device).toBe(device);
    expect(l.device_sealed).toBeUndefined(); // the device key is never stored
    expect(JSON.stringify(l)).not.toContain(btoa(String.fromCharCode(...deviceKey)));

    // The PIN alone opens nothing: not as a PIN-only lock, not as a device lock.
    await expect(unlockKey(l, PIN)).rejects.toThrow();
    await expect(unlockDeviceKey(l, PIN)).rejects.toBeInstanceOf(NeedServerError);
    await expect(unlockDeviceKey(l, PIN, crypto.getRandomValues(new Uint8Array(32)))).rejects.toThrow();
    await expect(unlockDeviceKey(l, "482917", deviceKey)).rejects.toThrow();

    // After a restart offline: the copy waits, no PIN try counted, nothing removed.
    rt = await reload();
    const offline = server("offline");
    expect(await rt.unlock(PIN, new Date(), offline.release)).toEqual({ state: "need_server", signedOut: false });
    expect(offline.asked).toEqual([device]);
    expect(lock().failures).toBe(0);
    expect(await rt.waiting()).toBe(1);
    expect(rt.locked()).toBe(true);

    // Online, the server releases the key: the PIN opens the copy.
    const online = server("key");
    expect(await rt.unlock("000000", new Date(), online.release)).toEqual({ state: "wrong", left: 4 });
    expect(await rt.unlock(PIN, new Date(), online.release)).toEqual({ state: "unlocked" });
    expect(await (await rt.db()).get(stores.records, child.id)).toEqual(child);
    expect(await rt.waiting()).toBe(1);
  });

  it("in pin_and_server, after a restart without a live session: asks for a sign-in, counts no try, then opens once signed in", async () => {
    let rt = await reload();
    await rt.enable("worker@example.org", PIN, 1000, undefined, { id: device, key: deviceKey, mode: "pin_and_server" });
    await (await rt.db()).add(stores.outbox, { kind: "edit", id: child.id, values: { name_first: "Amina" } });
    rt = await reload();
    expect(rt.needsServer()).toBe(true);
    // The server is reached but the session ended (401): a sign-in is needed, not a connection.
    const signedOut = server("signed-out");
    expect(await rt.unlock(PIN, new Date(), signedOut.release)).toEqual({ state: "need_server", signedOut: true });
    expect(await rt.unlock("000000", new Date(), signedOut.release)).toEqual({ state: "need_server", signedOut: true });
    expect(lock().failures).toBe(0);
    expect(await rt.waiting()).toBe(1);
    // The sign-in link marks the return to the unlock page; once signed in the key is released and the PIN opens the copy.
    rt.unlockAfterSignIn(true);
    expect(rt.unlockNext()).toBe(true);
    expect(await rt.unlock(PIN, new Date(), server("key").release)).toEqual({ state: "unlocked" });
    expect(rt.unlockNext()).toBe(false);
    expect(rt.needsServer()).toBe(false);
  });

  it("in pin, opens offline after a restart with the PIN (the device key kept sealed by it)", async () => {
    let rt = await reload();
    await rt.enable("worker@example.org", PIN, 1000, undefined, { id: device, key: deviceKey, mode: "pin" });
    await (await rt.db()).put(stores.records, child);
    expect(lock().device_sealed).toBeDefined();
    rt = await reload();
    expect(await rt.unlock("000000", new Date(), server("offline").release)).toEqual({ state: "wrong", left: 4 });
    expect(await rt.unlock(PIN, new Date(), server("offline").release)).toEqual({ state: "unlocked" });
    expect(await (await rt.db()).get(stores.records, child.id)).toEqual(child);
  });

  it("wipes the copy of a revoked device at its next contact, locked or not", async () => {
    for (const mode of ["pin", "pin_and_server"] as const) {
      let rt = await reload();
      await rt.enable("worker@example.org", PIN, 1000, undefined, { id: device, key: deviceKey, mode });
      await (await rt.db()).put(stores.records, child);
      expect(rt.thisDevice()).toBe(device);

      // Locked after a restart, the app syncs as it opens online: the server answers 404/410.
      rt = await reload();
      const revoked = server("revoked");
      expect(await rt.sync(revoked.release)).toBeUndefined();
      expect(revoked.asked).toEqual([device]);
      expect(rt.wasRevoked()).toBe(true); // the panel tells the person
      expect(rt.optedIn()).toBeUndefined();
      expect(localStorage.getItem("cpims.offline.lock")).toBeNull();
      expect(await raw(indexedDB, DB_NAME, stores.records)).toEqual([]);
      expect(await rt.unlock(PIN, new Date(), server("key").release)).toEqual({ state: "wiped" });

      // Unlocking online asks the server first: revoked, the right PIN opens nothing.
      rt = await reload();
      await rt.enable("worker@example.org", PIN, 1000, undefined, { id: device, key: deviceKey, mode });
      rt = await reload();
      expect(await rt.unlock(PIN, new Date(), server("revoked").release)).toEqual({ state: "revoked" });
      expect(rt.optedIn()).toBeUndefined();
    }
  });
});
