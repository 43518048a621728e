// Encryption of the device's copy (docs/frontend.md "Offline", session 18):
// every value kept in IndexedDB is sealed with AES-GCM (256-bit) under a
// random data key made on this device when the person opts in. The data key
// is never stored in clear: it is kept wrapped (AES-GCM) by a key derived
// from the person's offline PIN with PBKDF2-SHA-256 (PBKDF2_ITERATIONS, a
// random per-device salt), and held unwrapped in memory only, as a
// non-extractable CryptoKey, from unlocking until the page goes away.
// A wrong PIN fails GCM's authentication of the wrapped key: no check value
// of the PIN is stored.

/** PBKDF2_ITERATIONS: PBKDF2-SHA-256 rounds per PIN try (OWASP's 2023 figure; about a second on a cheap phone). */
export const PBKDF2_ITERATIONS = 600_000;
/** MIN_PIN_LENGTH: the shortest offline PIN accepted. */
export const MIN_PIN_LENGTH = 6;

/** A sealed value: the AES-GCM nonce and the ciphertext (with its tag). */
export interface Sealed {
  iv: Uint8Array;
  ct: ArrayBuffer;
}

/** The lock: what the device keeps to unwrap the data key with the PIN (nothing in it reveals data or the PIN). */
export interface WrappedKey {
  salt: string; // base64, 16 bytes
  iterations: number;
  iv: string; // base64, the wrapping's nonce
  wrapped: string; // base64, the data key wrapped by the PIN's key
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64(bytes: ArrayBuffer | Uint8Array): string {
  const a = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = "";
  for (const b of a) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, { name: "AES-GCM", length: 256 }, false, [
    "wrapKey",
    "unwrapKey",
  ]);
}

const wrapAad = enc.encode("cpims-offline data key");

/**
 * newKey makes the data key of a device copy and wraps it with the PIN: the
 * lock to keep, and the key (non-extractable) to hold in memory.
 */
export async function newKey(pin: string, iterations = PBKDF2_ITERATIONS): Promise<{ lock: WrappedKey; key: Cipher }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const wrapped = await crypto.subtle.wrapKey("raw", data, await pinKey(pin, salt, iterations), { name: "AES-GCM", iv, additionalData: wrapAad });
  const lock: WrappedKey = { salt: b64(salt), iterations, iv: b64(iv), wrapped: b64(wrapped) };
  // Held from now on as the unwrapped, non-extractable copy (the extractable one goes out of scope).
  return { lock, key: await unlockKey(lock, pin) };
}

/** unlockKey unwraps the data key with a PIN; a wrong PIN rejects (GCM authentication fails). */
export async function unlockKey(lock: WrappedKey, pin: string): Promise<Cipher> {
  const kek = await pinKey(pin, unb64(lock.salt), lock.iterations);
  const key = await crypto.subtle.unwrapKey(
    "raw",
    unb64(lock.wrapped),
    kek,
    { name: "AES-GCM", iv: unb64(lock.iv), additionalData: wrapAad },
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return new Cipher(key);
}

// JSON with Sets (an outbox entry's form shape names its subforms in a Set).
const replacer = (_: string, v: unknown) => (v instanceof Set ? { $set: [...v] } : v);
const reviver = (_: string, v: unknown) => {
  const o = v as { $set?: unknown } | null;
  return o && typeof o === "object" && Array.isArray(o.$set) && Object.keys(o).length === 1 ? new Set(o.$set) : v;
};

/**
 * Cipher seals and opens JSON values with the data key. The associated data
 * names the object store, so a sealed value cannot be moved to another store.
 */
export class Cipher {
  constructor(private readonly key: CryptoKey) {}

  async seal(store: string, value: unknown): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(store) }, this.key, enc.encode(JSON.stringify(value, replacer)));
    return { iv, ct };
  }

  async open<T>(store: string, s: Sealed): Promise<T> {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: s.iv as Uint8Array<ArrayBuffer>, additionalData: enc.encode(store) }, this.key, s.ct);
    return JSON.parse(dec.decode(pt), reviver) as T;
  }
}

// Session 19: the data key wrapped by a key derived from both the PIN and a
// device key the server holds (docs/frontend.md "Offline, session 19"). The
// PIN goes through PBKDF2 as above; its bits and the device key (32 random
// bytes from POST /api/v2/devices) go through HKDF-SHA-256 into the wrapping
// key, so neither alone opens the data key.

/** What opens the copy (the tenant's system setting offline_unlock). */
export type UnlockMode = "pin" | "pin_and_server";

/** DeviceLock: a WrappedKey whose wrapping key needs the PIN and the device key. */
export interface DeviceLock extends WrappedKey {
  /** the device's id on the server (GET /api/v2/devices/{id}/key releases its key) */
  device: string;
  mode: UnlockMode;
  /** mode "pin" only: the device key sealed by the PIN's key, so that the copy opens offline after a restart */
  device_iv?: string;
  device_sealed?: string;
}

/** NeedServerError: the lock needs the device key from the server, and it is not in memory. */
export class NeedServerError extends Error {
  constructor() {
    super("the device key must come from the server");
  }
}

const pinKdfInfo = enc.encode("cpims-offline kek: pin and device key");
const deviceSealInfo = enc.encode("cpims-offline device key seal: pin");
const deviceAad = enc.encode("cpims-offline device key");

async function pinBits(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const material = await crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, 256));
}

async function hkdfKey(ikm: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, info: Uint8Array<ArrayBuffer>, usages: KeyUsage[]): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt, info }, material, { name: "AES-GCM", length: 256 }, false, usages);
}

async function deviceKek(bits: Uint8Array<ArrayBuffer>, deviceKey: Uint8Array, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const ikm = new Uint8Array(bits.length + deviceKey.length);
  ikm.set(bits);
  ikm.set(deviceKey, bits.length);
  return hkdfKey(ikm, salt, pinKdfInfo, ["wrapKey", "unwrapKey"]);
}

/** base64url (the API's encoding of a device key) to bytes. */
export function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  return unb64(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
}

/**
 * newDeviceKey makes the data key of a device copy and wraps it with a key
 * derived from the PIN and the device key. In mode "pin" the device key is
 * also kept, sealed by the PIN alone; in "pin_and_server" it is never stored.
 */
export async function newDeviceKey(
  pin: string,
  deviceKey: Uint8Array,
  device: string,
  mode: UnlockMode,
  iterations = PBKDF2_ITERATIONS,
): Promise<{ lock: DeviceLock; key: Cipher }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const bits = await pinBits(pin, salt, iterations);
  const data = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const wrapped = await crypto.subtle.wrapKey("raw", data, await deviceKek(bits, deviceKey, salt), { name: "AES-GCM", iv, additionalData: wrapAad });
  const lock: DeviceLock = { salt: b64(salt), iterations, iv: b64(iv), wrapped: b64(wrapped), device, mode };
  if (mode === "pin") {
    const div = crypto.getRandomValues(new Uint8Array(12));
    const seal = await hkdfKey(bits, salt, deviceSealInfo, ["encrypt", "decrypt"]);
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv: div, additionalData: deviceAad }, seal, deviceKey as Uint8Array<ArrayBuffer>);
    lock.device_iv = b64(div);
    lock.device_sealed = b64(sealed);
  }
  return { lock, key: await unlockDeviceKey(lock, pin, deviceKey) };
}

/**
 * unlockDeviceKey unwraps the data key with the PIN and the device key (from
 * the server; in mode "pin" it may be left out: the one sealed in the lock is
 * used). A wrong PIN or device key rejects; a "pin_and_server" lock without
 * the device key rejects with NeedServerError before any PIN work.
 */
export async function unlockDeviceKey(lock: DeviceLock, pin: string, deviceKey?: Uint8Array): Promise<Cipher> {
  if (!deviceKey && (lock.mode !== "pin" || !lock.device_sealed || !lock.device_iv)) throw new NeedServerError();
  const salt = unb64(lock.salt);
  const bits = await pinBits(pin, salt, lock.iterations);
  if (!deviceKey) {
    const seal = await hkdfKey(bits, salt, deviceSealInfo, ["encrypt", "decrypt"]);
    deviceKey = new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(lock.device_iv!), additionalData: deviceAad }, seal, unb64(lock.device_sealed!)),
    );
  }
  const key = await crypto.subtle.unwrapKey(
    "raw",
    unb64(lock.wrapped),
    await deviceKek(bits, deviceKey, salt),
    { name: "AES-GCM", iv: unb64(lock.iv), additionalData: wrapAad },
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return new Cipher(key);
}
