// The offline runtime of the app: the device's database (opened on first
// use), the person's opt-in, the client middleware that keeps configuration
// answers and answers GETs from the device's copy when the network fails,
// the sync run (outbox first, then the records, then the configuration), and
// the clean-up on sign-out; the device copy's lock (crypto.ts): the data key
// wrapped by the PIN, unlocked into memory only, the wipe after too many wrong
// PINs and after too long without a sync. Session 19: the lock of a copy made
// since also needs the device key the server keeps (GET /api/v2/devices/{id}/key,
// released to the signed-in browser only), held in memory only; a device
// revoked on the server (404/410) wipes its copy at its next contact.
import type { Middleware } from "openapi-fetch";
import { api } from "../api/client";
import { fromBase64url, newDeviceKey, newKey, unlockDeviceKey, unlockKey, type Cipher, type DeviceLock, type UnlockMode, type WrappedKey } from "./crypto";
import { countRows, Db, DB_NAME, stores } from "./db";
import { outbox, replay, resources, type Entry, type LocalRecord, type ReplayResult, type Resource } from "./outbox";
import { getMeta, localAnswer, prefetchConfig, recordPath, syncRecords } from "./sync";

const optInKey = "cpims.offline";
const lockKey = "cpims.offline.lock";

/** MAX_PIN_FAILURES: wrong PINs in a row that wipe the device's copy. */
export const MAX_PIN_FAILURES = 5;
/** WIPE_AFTER_DAYS: days without a successful sync after which the device's copy is wiped at the next start or unlock. */
export const WIPE_AFTER_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The lock kept in localStorage: the wrapped data key, wrong PINs so far, the last successful sync. */
interface Lock extends WrappedKey, Partial<Pick<DeviceLock, "device" | "mode" | "device_iv" | "device_sealed">> {
  failures: number;
  synced_at: string;
}

function readLock(): Lock | undefined {
  try {
    const raw = localStorage.getItem(lockKey);
    return raw ? (JSON.parse(raw) as Lock) : undefined;
  } catch {
    return undefined;
  }
}

function writeLock(l: Lock) {
  localStorage.setItem(lockKey, JSON.stringify(l));
}

/** optedIn: the email of the person who chose to keep their cases on this device (with a PIN), if any. */
export function optedIn(): string | undefined {
  try {
    const who = localStorage.getItem(optInKey) ?? undefined;
    return who && readLock() ? who : undefined;
  } catch {
    return undefined;
  }
}

/** thisDevice: the id of this browser's device on the server, when its copy is bound to one. */
export function thisDevice(): string | undefined {
  return readLock()?.device;
}

/** enabledFor tells whether offline data is on for this person on this device. */
export function enabledFor(email: string | undefined): boolean {
  return !!email && optedIn() === email;
}

let current: string | undefined; // the signed-in person's email, once known
let dbp: Promise<Db> | undefined;
let key: Cipher | undefined; // the data key, in memory only while unlocked
let deviceKey: Uint8Array | undefined; // the device key released by the server, in memory only

/**
 * What the server said of this device's key: released, revoked (404 or 410: the copy goes), signed-out (401 or 403:
 * the server was reached but this browser has no live session; the key waits for a sign-in), or nothing known (offline).
 */
export type Release = { key: Uint8Array } | "revoked" | "signed-out" | undefined;

/** releaseFromServer asks the server for this device's key (GET /api/v2/devices/{id}/key, the browser's session). */
export async function releaseFromServer(device: string): Promise<Release> {
  try {
    const { data, response } = await api.GET("/api/v2/devices/{id}/key", { params: { path: { id: device } } });
    if (data) return { key: fromBase64url(data.key) };
    if (response.status === 404 || response.status === 410) return "revoked";
    if (response.status === 401 || response.status === 403) return "signed-out";
  } catch {
    /* no network */
  }
  return undefined;
}

/** The device registered for a new copy: its id, its key from the server, and the tenant's unlock mode. */
export interface NewDevice {
  id: string;
  key: Uint8Array;
  mode: UnlockMode;
}

/** registerDevice registers this browser (POST /api/v2/devices) when the person opts in; mode is the tenant's offline_unlock. */
export async function registerDevice(label: string, mode: UnlockMode): Promise<NewDevice> {
  const { data, error } = await api.POST("/api/v2/devices", { body: { label, user_agent: navigator.userAgent.slice(0, 500) } });
  if (!data) throw new Error((error as { detail?: string } | undefined)?.detail ?? "The device could not be registered.");
  return { id: data.data.id, key: fromBase64url(data.key), mode };
}

let revokedHere = false;
let signedOutHere = false; // the last key release found no live session

const unlockNextKey = "cpims.offline.unlock-next";
/**
 * unlockAfterSignIn marks (true) that the person signs in to open the device's copy: after the sign-in, the app
 * shows the unlock page first (AppLayout Gate). Kept in sessionStorage: this tab only, gone when it closes.
 */
export function unlockAfterSignIn(on: boolean) {
  try {
    if (on) sessionStorage.setItem(unlockNextKey, "1");
    else sessionStorage.removeItem(unlockNextKey);
  } catch {
    /* storage unavailable */
  }
}
/** unlockNext: a sign-in made to open the device's copy (unlockAfterSignIn) is pending. */
export function unlockNext(): boolean {
  try {
    return sessionStorage.getItem(unlockNextKey) === "1";
  } catch {
    return false;
  }
}

/** needsServer: the copy opens only once the server released its device key (mode pin_and_server) and it has not yet in this page. */
export function needsServer(): boolean {
  const lock = readLock();
  return !!lock?.device && lock.mode !== "pin" && !deviceKey;
}
/** wasRevoked: this page wiped the copy because the server revoked the device (to tell the person). */
export function wasRevoked(): boolean {
  return revokedHere;
}

/**
 * checkRevoked asks the server about this device (when online and signed
 * in): revoked, the copy is wiped at once, locked or not; released, the key
 * is held in memory for the next unlock. It answers whether it wiped.
 */
export async function checkRevoked(release = releaseFromServer): Promise<boolean> {
  const lock = readLock();
  if (!lock?.device) return false;
  const r = await release(lock.device);
  signedOutHere = r === "signed-out";
  if (r === "revoked") {
    await wipe();
    revokedHere = true;
    changed();
    return true;
  }
  if (r && r !== "signed-out") deviceKey = r.key;
  return false;
}

/** LockedError: the device's copy is kept but not unlocked with the PIN in this page. */
export class LockedError extends Error {
  constructor() {
    super("the device's copy is locked");
  }
}

/** active: offline data is on for the signed-in person (before users/me answers: for whoever opted in on this device). */
export function offlineActive(): boolean {
  const who = optedIn();
  return !!who && (current === undefined || current === who);
}

/** locked: offline data is on for this person but not unlocked in this page (the PIN is asked). */
export function locked(): boolean {
  return offlineActive() && !key;
}

/** db opens the device's database once it is unlocked; locked, it rejects with LockedError. */
export function db(): Promise<Db> {
  if (!key) return Promise.reject(new LockedError());
  dbp ??= Db.open(key);
  return dbp;
}

async function closeDb() {
  const p = dbp;
  dbp = undefined;
  (await p?.catch(() => undefined))?.close();
}

/** deleteAll removes the database itself (no key needed); other tabs close theirs when asked. */
async function deleteAll() {
  await closeDb();
  await new Promise<void>((resolve) => {
    try {
      const r = indexedDB.deleteDatabase(DB_NAME);
      r.onsuccess = r.onerror = () => resolve();
    } catch {
      resolve(); // no IndexedDB
    }
  });
}

/**
 * wipe removes the device's copy, the lock and the opt-in, and forgets the
 * key: what too many wrong PINs, a stale copy, "Stop keeping" and another
 * person's sign-in do.
 */
export async function wipe() {
  key = undefined;
  deviceKey = undefined;
  unlockAfterSignIn(false);
  try {
    localStorage.removeItem(optInKey);
    localStorage.removeItem(lockKey);
  } catch {
    /* storage unavailable */
  }
  await deleteAll();
  changed();
}

/**
 * checkDevice runs when the app starts: a copy not synced for
 * WIPE_AFTER_DAYS is wiped, and so is an older app's copy kept without a PIN
 * (in clear). It answers whether it wiped.
 */
export async function checkDevice(now = new Date()): Promise<boolean> {
  let who: string | null = null;
  try {
    who = localStorage.getItem(optInKey);
  } catch {
    return false;
  }
  const lock = readLock();
  if ((who && !lock) || (lock && now.getTime() - Date.parse(lock.synced_at) > WIPE_AFTER_DAYS * DAY_MS)) {
    await wipe();
    return true;
  }
  return false;
}

/**
 * The outcome of a PIN tried: unlocked, wrong (tries left), wiped (too many
 * wrong PINs, or the copy was stale), revoked (the server revoked the device:
 * the copy was wiped), or need_server (mode pin_and_server: the device key
 * comes only from the server, which could not be reached (signedOut false) or
 * was reached without a live session (signedOut true: the person signs in
 * first); the copy and its outbox wait, no try is counted).
 */
export type UnlockResult =
  | { state: "unlocked" }
  | { state: "wrong"; left: number }
  | { state: "wiped" }
  | { state: "revoked" }
  | { state: "need_server"; signedOut: boolean };

/** unlock opens the device's copy with the person's PIN (and, for a copy bound to a device, the server's device key). */
export async function unlock(pin: string, now = new Date(), release = releaseFromServer): Promise<UnlockResult> {
  if (await checkDevice(now)) return { state: "wiped" };
  const lock = readLock();
  if (!lock) return { state: "wiped" };
  if (lock.device && !deviceKey) {
    if (await checkRevoked(release)) return { state: "revoked" };
    if (!deviceKey && lock.mode !== "pin") return { state: "need_server", signedOut: signedOutHere };
  }
  try {
    key = lock.device ? await unlockDeviceKey(lock as DeviceLock, pin, deviceKey) : await unlockKey(lock, pin);
  } catch {
    const failures = lock.failures + 1;
    if (failures >= MAX_PIN_FAILURES) {
      await wipe();
      return { state: "wiped" };
    }
    writeLock({ ...lock, failures });
    return { state: "wrong", left: MAX_PIN_FAILURES - failures };
  }
  if (lock.failures) writeLock({ ...lock, failures: 0 });
  unlockAfterSignIn(false);
  changed();
  return { state: "unlocked" };
}

const listeners = new Set<() => void>();
/** onOfflineChange tells of every change of the device's copy or outbox (for the status view). */
export function onOfflineChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
export function changed() {
  for (const l of listeners) l();
}

/** Configuration answers kept for offline use (path prefixes, GET only). */
const kept = ["/api/v2/users/me", "/api/v2/system_settings", "/api/v2/lookups", "/api/v2/modules", "/api/v2/forms"];

/** isOffline: the answer came from the device's copy. */
export function isOffline(res: Response): boolean {
  return res.headers.get("X-Cpims-Offline") === "1";
}

export const offlineMiddleware: Middleware = {
  async onResponse({ request, response }) {
    if (request.method !== "GET" || !response.ok || isOffline(response)) return undefined;
    const url = new URL(request.url);
    if (url.pathname === "/api/v2/users/me") {
      const me = (await response.clone().json()) as { email?: string };
      await signedInAs(me.email);
    }
    // Kept only for the person known signed in on this page (not on the sign-in pages after sign-out), once unlocked.
    if (!enabledFor(current) || !key) return undefined;
    try {
      if (kept.some((p) => url.pathname === p)) {
        const d = await db();
        await d.put(stores.responses, { url: url.pathname + url.search, body: await response.clone().json() });
      } else if (recordPath.test(url.pathname)) {
        // A record read online refreshes the device's copy (unless a write of it waits).
        const resource = recordPath.exec(url.pathname)![1] as Resource;
        const rec = ((await response.clone().json()) as { data: LocalRecord }).data;
        const d = await db();
        const old = await d.get<LocalRecord>(stores.records, rec.id);
        if (old && !old._local && old.version < rec.version && !(await outbox(d)).some((e) => e.id === rec.id)) await d.put(stores.records, { ...rec, _resource: resource });
      }
    } catch {
      /* the device's copy is a convenience: never fail a request for it */
    }
    return undefined;
  },
  async onError({ request, error }) {
    if (request.method !== "GET" || !(error instanceof TypeError) || !offlineActive() || !key) return undefined;
    try {
      return (await localAnswer(await db(), new URL(request.url))) ?? undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * signedInAs notes who is signed in; the device's copy of someone else (a
 * shared phone on which the previous person did not sign out) is removed.
 */
export async function signedInAs(email: string | undefined) {
  if (!email || email === current) return;
  current = email;
  let who: string | null = null;
  try {
    who = localStorage.getItem(optInKey);
  } catch {
    /* storage unavailable */
  }
  if (who && who !== email) await wipe();
}

/**
 * enable keeps the person's cases on this device from now on (their choice,
 * per device), sealed under a new data key wrapped by the PIN they chose.
 */
export async function enable(email: string, pin: string, iterations?: number, now = new Date(), device?: NewDevice) {
  await deleteAll(); // nothing of an earlier copy is sealed under the new key
  const made = device ? await newDeviceKey(pin, device.key, device.id, device.mode, iterations) : await newKey(pin, iterations);
  deviceKey = device?.key;
  writeLock({ ...made.lock, failures: 0, synced_at: now.toISOString() });
  localStorage.setItem(optInKey, email);
  key = made.key;
  current = email;
  changed();
}

/** disable stops keeping cases and removes the device's copy (pending writes included) and its lock. */
export async function disable() {
  await running?.catch(() => undefined);
  await wipe();
}

/**
 * clearOffline removes everything the device keeps (sign-out) and forgets the
 * key; the lock stays, so the same person, signed in again, unlocks with the
 * same PIN and syncs again. Nothing is kept until someone signs in.
 */
export async function clearOffline() {
  current = undefined;
  await running?.catch(() => undefined); // a sync under way finishes first, then everything goes
  try {
    const d = await db();
    await d.clear();
    await closeDb();
  } catch {
    await deleteAll();
  }
  key = undefined;
  deviceKey = undefined;
  changed();
}

/** waiting counts the changes not sent yet, locked or not. */
export async function waiting(): Promise<number> {
  if (!optedIn()) return 0;
  return key ? (await outbox(await db())).length : countRows(stores.outbox);
}

/** The device's state for the status view. */
export interface OfflineState {
  enabled: boolean;
  /** enabled, but the PIN was not entered in this page */
  locked?: boolean;
  records: number;
  /** records kept, per resource (unlocked only) */
  kept?: Record<Resource, number>;
  lastSynced?: string;
  entries: Entry[];
}

export async function offlineState(): Promise<OfflineState> {
  if (!offlineActive()) return { enabled: false, records: 0, entries: [] };
  if (!key) return { enabled: true, locked: true, records: 0, entries: [] };
  const d = await db();
  const kept = { cases: 0, tracing_requests: 0, incidents: 0 } as Record<Resource, number>;
  const recs = await d.all<LocalRecord>(stores.records);
  for (const r of recs) kept[r._resource ?? "cases"]++;
  return { enabled: true, records: recs.length, kept, lastSynced: await getMeta<string>(d, "last_synced"), entries: await outbox(d) };
}

let running: Promise<ReplayResult | undefined> | undefined;

/**
 * sync sends the outbox, then pulls the records and the configuration. One
 * run at a time; a run while one is going answers that run.
 */
export function sync(release = releaseFromServer): Promise<ReplayResult | undefined> {
  if (!offlineActive()) return Promise.resolve(undefined);
  running ??= (async () => {
    try {
      // A device revoked on the server wipes its copy at its next contact, locked or not.
      if ((await checkRevoked(release)) || !key) return undefined;
      const d = await db();
      const r = await replay(d, api);
      changed();
      if (r.offline) return r;
      for (const resource of resources) await syncRecords(d, api, resource);
      await prefetchConfig(d, api);
      const lock = readLock();
      if (lock) writeLock({ ...lock, synced_at: new Date().toISOString() }); // the stale-copy wipe counts from here
      return r;
    } finally {
      running = undefined;
      changed();
    }
  })();
  return running;
}
