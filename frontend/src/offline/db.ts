// A small promise wrapper over IndexedDB: one database per browser profile
// ("cpims-offline") with the caseworker's records, the configuration answers
// the record screens need, the outbox of writes made offline, and facts about
// the last sync. Everything in it is removed on sign-out (clearOffline).
export const DB_NAME = "cpims-offline";
const VERSION = 1;

/** The object stores and their keys. */
export const stores = {
  records: "records", // key: id; the record as the API reads it (+ _local for one registered offline)
  responses: "responses", // key: url; a configuration answer's JSON body
  outbox: "outbox", // key: seq (auto); pending writes, in order
  meta: "meta", // key: key; owner, since, last_synced, locations
} as const;

type StoreName = (typeof stores)[keyof typeof stores];

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

/** Db is an open database; each method is one transaction. */
export class Db {
  constructor(readonly idb: IDBDatabase) {}

  static async open(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<Db> {
    const r = factory.open(name, VERSION);
    r.onupgradeneeded = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains(stores.records)) db.createObjectStore(stores.records, { keyPath: "id" });
      if (!db.objectStoreNames.contains(stores.responses)) db.createObjectStore(stores.responses, { keyPath: "url" });
      if (!db.objectStoreNames.contains(stores.outbox)) db.createObjectStore(stores.outbox, { keyPath: "seq", autoIncrement: true });
      if (!db.objectStoreNames.contains(stores.meta)) db.createObjectStore(stores.meta, { keyPath: "key" });
    };
    return new Db(await req(r));
  }

  async get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
    return (await req(this.idb.transaction(store).objectStore(store).get(key))) as T | undefined;
  }

  async all<T>(store: StoreName): Promise<T[]> {
    return (await req(this.idb.transaction(store).objectStore(store).getAll())) as T[];
  }

  async count(store: StoreName): Promise<number> {
    return req(this.idb.transaction(store).objectStore(store).count());
  }

  /** put writes values in one transaction (all or none). */
  async put(store: StoreName, ...values: unknown[]): Promise<void> {
    const tx = this.idb.transaction(store, "readwrite");
    for (const v of values) tx.objectStore(store).put(v);
    await done(tx);
  }

  /** add inserts a value and answers its generated key. */
  async add(store: StoreName, value: unknown): Promise<IDBValidKey> {
    const tx = this.idb.transaction(store, "readwrite");
    const key = req(tx.objectStore(store).add(value));
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
