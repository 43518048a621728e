// A small promise wrapper over IndexedDB: one database per browser profile
// ("cpims-offline") with the caseworker's records, the configuration answers
// the record screens need, the outbox of writes made offline, and facts about
// the last sync. Everything in it is removed on sign-out (clearOffline).
//
// Every value is sealed (crypto.ts): a row is its key in clear (a record's
// UUID, a configuration URL, the outbox's sequence number, a meta name) and
// the AES-GCM nonce and ciphertext of the whole value. A Db is only made with
// the data key, i.e. once the person unlocked the copy with their PIN.
import type { Cipher, Sealed } from "./crypto";

export const DB_NAME = "cpims-offline";
// Version 2 (session 18) seals every value; version 1's rows were in clear and are dropped.
const VERSION = 2;

/** The object stores and their keys. */
export const stores = {
  records: "records", // key: id; the record as the API reads it (+ _local for one registered offline)
  responses: "responses", // key: url; a configuration answer's JSON body
  outbox: "outbox", // key: seq (auto); pending writes, in order
  meta: "meta", // key: key; owner, since, last_synced, locations
} as const;

type StoreName = (typeof stores)[keyof typeof stores];

const keyPaths: Record<StoreName, string> = { records: "id", responses: "url", outbox: "seq", meta: "key" };

/** A stored row: the key in clear, the value sealed. */
type Row = Sealed & Record<string, unknown>;

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

/**
 * countRows counts a store's rows without the key (a count reveals no
 * content): the changes waiting, for the sign-out warning while locked.
 */
export function countRows(store: StoreName, factory: IDBFactory = indexedDB, name = DB_NAME): Promise<number> {
  return new Promise((resolve) => {
    const r = factory.open(name);
    r.onerror = () => resolve(0);
    r.onsuccess = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        resolve(0);
        return;
      }
      const c = db.transaction(store).objectStore(store).count();
      c.onsuccess = () => {
        db.close();
        resolve(c.result);
      };
      c.onerror = () => {
        db.close();
        resolve(0);
      };
    };
  });
}

/** Db is an open database; each method is one transaction (sealing and opening happen outside it). */
export class Db {
  constructor(
    readonly idb: IDBDatabase,
    private readonly cipher: Cipher,
  ) {}

  static async open(cipher: Cipher, factory: IDBFactory = indexedDB, name = DB_NAME): Promise<Db> {
    const r = factory.open(name, VERSION);
    r.onupgradeneeded = (ev) => {
      const db = r.result;
      if (ev.oldVersion > 0 && ev.oldVersion < 2) {
        // Rows written in clear by an older app: removed, never sealed in place (the next sync brings the records back).
        for (const n of Array.from(db.objectStoreNames)) db.deleteObjectStore(n);
      }
      if (!db.objectStoreNames.contains(stores.records)) db.createObjectStore(stores.records, { keyPath: "id" });
      if (!db.objectStoreNames.contains(stores.responses)) db.createObjectStore(stores.responses, { keyPath: "url" });
      if (!db.objectStoreNames.contains(stores.outbox)) db.createObjectStore(stores.outbox, { keyPath: "seq", autoIncrement: true });
      if (!db.objectStoreNames.contains(stores.meta)) db.createObjectStore(stores.meta, { keyPath: "key" });
    };
    const idb = await req(r);
    idb.onversionchange = () => idb.close(); // another tab wipes the copy: let it
    return new Db(idb, cipher);
  }

  private async seal(store: StoreName, value: unknown): Promise<Row> {
    const path = keyPaths[store];
    const row: Row = { ...(await this.cipher.seal(store, value)) };
    const key = (value as Record<string, unknown>)[path];
    if (key !== undefined) row[path] = key;
    return row;
  }

  private async unseal<T>(store: StoreName, row: Row | undefined): Promise<T | undefined> {
    if (!row) return undefined;
    const path = keyPaths[store];
    return { ...(await this.cipher.open<Record<string, unknown>>(store, row)), [path]: row[path] } as T;
  }

  async get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
    return this.unseal<T>(store, (await req(this.idb.transaction(store).objectStore(store).get(key))) as Row | undefined);
  }

  async all<T>(store: StoreName): Promise<T[]> {
    const rows = (await req(this.idb.transaction(store).objectStore(store).getAll())) as Row[];
    return Promise.all(rows.map(async (r) => (await this.unseal<T>(store, r))!));
  }

  async count(store: StoreName): Promise<number> {
    return req(this.idb.transaction(store).objectStore(store).count());
  }

  /** put writes values in one transaction (all or none). */
  async put(store: StoreName, ...values: unknown[]): Promise<void> {
    const rows = await Promise.all(values.map((v) => this.seal(store, v)));
    const tx = this.idb.transaction(store, "readwrite");
    for (const row of rows) tx.objectStore(store).put(row);
    await done(tx);
  }

  /** add inserts a value and answers its generated key. */
  async add(store: StoreName, value: unknown): Promise<IDBValidKey> {
    const row = await this.seal(store, value);
    const tx = this.idb.transaction(store, "readwrite");
    const key = req(tx.objectStore(store).add(row));
    await done(tx);
    return key;
  }

  async delete(store: StoreName, key: IDBValidKey): Promise<void> {
    const tx = this.idb.transaction(store, "readwrite");
    tx.objectStore(store).delete(key);
    await done(tx);
  }

  /** clear empties every store. */
  async clear(): Promise<void> {
    const names = Object.values(stores);
    const tx = this.idb.transaction(names, "readwrite");
    for (const n of names) tx.objectStore(n).clear();
    await done(tx);
  }

  close() {
    this.idb.close();
  }
}
