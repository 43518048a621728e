// Erasing a record for good (docs/records.md, "Session 22: erasure"): who is
// offered it, and the body sent. The server decides; this only hides an
// action that would be refused.

export const eraseReasons = ["registered_by_mistake", "erasure_request", "duplicate", "other"] as const;
export type EraseReason = (typeof eraseReasons)[number];

/** A reference names the request or ticket, never a person: what the server accepts. */
export const referencePattern = /^[A-Za-z0-9._/-]{1,64}$/;

interface Viewer {
  permissions?: string[] | null;
}

/** A record as read (record_state, and _local for one registered on this device only). */
type RecordFacts = Record<string, unknown>;

/**
 * The "Delete permanently" action is offered on a disabled record (erasure is the second of two
 * steps), held on the server (not only on this device), to a holder of <resource>:erase.
 */
export function mayErase(me: Viewer | undefined, resource: string, rec: RecordFacts, offline = false): boolean {
  return !!me?.permissions?.includes(`${resource}:erase`) && rec.record_state === false && rec._local !== true && !offline;
}

/** The erasure's body, or undefined while the reason is missing or the reference is not one. */
export function eraseBody(reason: string, reference: string): { data: { reason: EraseReason; reference?: string } } | undefined {
  if (!(eraseReasons as readonly string[]).includes(reason)) return undefined;
  const ref = reference.trim();
  if (ref && !referencePattern.test(ref)) return undefined;
  return { data: { reason: reason as EraseReason, ...(ref ? { reference: ref } : {}) } };
}

/** The record types an administrator may erase, by the permissions held: the types of the "Erase a record" screen. */
export const erasableResources = ["cases", "tracing_requests", "incidents"] as const;
export type ErasableResource = (typeof erasableResources)[number];

export function erasableBy(me: Viewer | undefined): ErasableResource[] {
  return erasableResources.filter((r) => !!me?.permissions?.includes(`${r}:erase`));
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * erasureRef is what the administrator typed, as the erasure lookup takes it: a record's full id,
 * or its 7-character short id as read on its page (spaces and hyphens people add while reading it
 * out are dropped; case and the look-alikes i, l, o are the server's to fold). Undefined when it
 * can be neither.
 */
export function erasureRef(typed: string): string | undefined {
  const t = typed.trim();
  if (uuidPattern.test(t)) return t.toLowerCase();
  const short = t.replace(/[\s-]/g, "");
  return /^[0-9A-Za-z]{7}$/.test(short) ? short : undefined;
}
