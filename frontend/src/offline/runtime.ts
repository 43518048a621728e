// The offline runtime of the app: the device's database (opened on first
// use), the person's opt-in, the client middleware that keeps configuration
// answers and answers GETs from the device's copy when the network fails,
// the sync run (outbox first, then the records, then the configuration), and
// the clean-up on sign-out.
import type { Middleware } from "openapi-fetch";
import { api } from "../api/client";
import { Db, DB_NAME, stores } from "./db";
import { outbox, replay, type Entry, type LocalRecord, type ReplayResult } from "./outbox";
import { getMeta, localAnswer, prefetchConfig, syncRecords } from "./sync";

const optInKey = "cpims.offline";

/** optedIn: the email of the person who chose to keep their cases on this device, if any. */
export function optedIn(): string | undefined {
  try {
    return localStorage.getItem(optInKey) ?? undefined;
  } catch {
    return undefined;
  }
}

/** enabledFor tells whether offline data is on for this person on this device. */
export function enabledFor(email: string | undefined): boolean {
  return !!email && optedIn() === email;
}

let current: string | undefined; // the signed-in person's email, once known
let dbp: Promise<Db> | undefined;

/** active: offline data is on for the signed-in person (before users/me answers: for whoever opted in on this device). */
export function offlineActive(): boolean {
  const who = optedIn();
  return !!who && (current === undefined || current === who);
}

/** db opens the device's database once. */
export function db(): Promise<Db> {
  dbp ??= Db.open();
  return dbp;
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
const casePath = /^\/api\/v2\/cases\/[0-9a-f-]{36}$/;

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
    // Kept only for the person known signed in on this page (not on the sign-in pages after sign-out).
    if (!enabledFor(current)) return undefined;
    try {
      if (kept.some((p) => url.pathname === p)) {
        const d = await db();
        await d.put(stores.responses, { url: url.pathname + url.search, body: await response.clone().json() });
      } else if (casePath.test(url.pathname)) {
        // A record read online refreshes the device's copy (unless a write of it waits).
        const rec = ((await response.clone().json()) as { data: LocalRecord }).data;
        const d = await db();
        const old = await d.get<LocalRecord>(stores.records, rec.id);
        if (old && !old._local && old.version < rec.version && !(await outbox(d)).some((e) => e.id === rec.id)) await d.put(stores.records, rec);
      }
    } catch {
      /* the device's copy is a convenience: never fail a request for it */
    }
    return undefined;
  },
  async onError({ request, error }) {
    if (request.method !== "GET" || !(error instanceof TypeError) || !offlineActive()) return undefined;
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
  const who = optedIn();
  if (who && who !== email) {
    await (await db()).clear();
    changed();
  }
}

/** enable keeps the person's cases on this device from now on (their choice, per device). */
export async function enable(email: string) {
  try {
    localStorage.setItem(optInKey, email);
  } catch {
    /* private mode: nothing kept */
  }
  current = email;
  changed();
}

/** disable stops keeping cases and removes the device's copy (pending writes included). */
export async function disable() {
  try {
    localStorage.removeItem(optInKey);
  } catch {
    /* nothing kept */
  }
  await clearOffline();
}

/** clearOffline removes everything the device keeps (sign-out); nothing is kept again until someone signs in. */
export async function clearOffline() {
  current = undefined;
  await running?.catch(() => undefined); // a sync under way finishes first, then everything goes
  try {
    const d = await db();
    await d.clear();
  } catch {
    try {
      indexedDB.deleteDatabase(DB_NAME);
    } catch {
      /* no IndexedDB */
    }
  }
  changed();
}

/** The device's state for the status view. */
export interface OfflineState {
  enabled: boolean;
  records: number;
  lastSynced?: string;
  entries: Entry[];
}

export async function offlineState(): Promise<OfflineState> {
  if (!offlineActive()) return { enabled: false, records: 0, entries: [] };
  const d = await db();
  return { enabled: true, records: await d.count(stores.records), lastSynced: await getMeta<string>(d, "last_synced"), entries: await outbox(d) };
}

let running: Promise<ReplayResult | undefined> | undefined;

/**
 * sync sends the outbox, then pulls the records and the configuration. One
 * run at a time; a run while one is going answers that run.
 */
export function sync(): Promise<ReplayResult | undefined> {
  if (!offlineActive()) return Promise.resolve(undefined);
  running ??= (async () => {
    try {
      const d = await db();
      const r = await replay(d, api);
      changed();
      if (r.offline) return r;
      await syncRecords(d, api);
      await prefetchConfig(d, api);
      return r;
    } finally {
      running = undefined;
      changed();
    }
  })();
  return running;
}
