// Record data on the client: what changed since the version a person started
// from (the PATCH body), applying such a change to another version, and
// resolving a merge's conflicts (docs/records.md "Concurrency"). Pure
// functions, so the conflict handling is tested without a browser.
import { isEmpty } from "./condition";

export type Data = Record<string, unknown>;
export type Row = Data & { unique_id: string };

/** The shape of the record the diff needs: its field names, and which are subforms. */
export interface Shape {
  /** every configured, client-written top-level field (no calculated fields, no separators) */
  fields: string[];
  /** the subform fields among them */
  subforms: Set<string>;
}

/** same compares two values, every empty value (missing, null, "", []) being the same. */
export function same(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ao = a as Data;
  const bo = b as Data;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!same(ao[k], bo[k])) return false;
  return true;
}

function rows(v: unknown): Row[] {
  return Array.isArray(v) ? (v.filter((r) => r && typeof r === "object" && typeof (r as Row).unique_id === "string") as Row[]) : [];
}

/**
 * diff returns the PATCH data that turns base into values: changed fields
 * (null for a removed value); for subforms, only the rows that changed, each
 * with its unique_id and its changed fields (a new row whole, a removed row
 * as {unique_id, _destroy: true}). An empty object: nothing changed.
 */
export function diff(base: Data, values: Data, shape: Shape): Data {
  const out: Data = {};
  for (const name of shape.fields) {
    if (shape.subforms.has(name)) {
      const before = new Map(rows(base[name]).map((r) => [r.unique_id, r]));
      const after = rows(values[name]);
      const changes: Data[] = [];
      for (const r of after) {
        const old = before.get(r.unique_id);
        if (!old) {
          changes.push(stripEmpty(r));
          continue;
        }
        const c: Data = {};
        for (const k of new Set([...Object.keys(old), ...Object.keys(r)])) {
          if (k === "unique_id") continue;
          if (!same(old[k], r[k])) c[k] = isEmpty(r[k]) ? null : r[k];
        }
        if (Object.keys(c).length) changes.push({ unique_id: r.unique_id, ...c });
      }
      const kept = new Set(after.map((r) => r.unique_id));
      for (const id of before.keys()) if (!kept.has(id)) changes.push({ unique_id: id, _destroy: true });
      if (changes.length) out[name] = changes;
      continue;
    }
    if (!same(base[name], values[name])) out[name] = isEmpty(values[name]) ? null : values[name];
  }
  return out;
}

/** stripEmpty drops a new row's empty values (the server stores no null). */
function stripEmpty(r: Data): Data {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => !isEmpty(v)));
}

/** applyPatch applies PATCH data to a record's data as the server does (a copy). */
export function applyPatch(record: Data, patch: Data, shape: Shape): Data {
  const out: Data = { ...record };
  for (const [name, v] of Object.entries(patch)) {
    if (shape.subforms.has(name) && Array.isArray(v)) {
      const list = rows(out[name]).map((r) => ({ ...r }));
      for (const change of v as Data[]) {
        const i = list.findIndex((r) => r.unique_id === change.unique_id);
        if (change._destroy) {
          if (i >= 0) list.splice(i, 1);
          continue;
        }
        if (i < 0) {
          list.push(stripEmpty(change) as Row);
          continue;
        }
        for (const [k, x] of Object.entries(change)) {
          if (x === null) delete list[i][k];
          else list[i][k] = x;
        }
      }
      out[name] = list;
      continue;
    }
    if (v === null) delete out[name];
    else out[name] = v;
  }
  return out;
}

/** A conflict of a merge (409), as the API reports it. */
export interface Conflict {
  path: string;
  base?: unknown;
  theirs?: unknown;
  yours?: unknown;
  reason?: string;
}

/** A conflict path: "sex", "family_details_section[<row id>]", "family_details_section[<row id>].relation_age". */
export interface ParsedPath {
  field: string;
  row?: string;
  rowField?: string;
}

export function parsePath(path: string): ParsedPath {
  const m = /^([^[.]+)(?:\[([^\]]+)\])?(?:\.(.+))?$/.exec(path);
  if (!m) return { field: path };
  return { field: m[1], row: m[2], rowField: m[3] };
}

export type Choice = "theirs" | "yours";

/**
 * resolve builds what the person now has in front of them after choosing,
 * for each conflict, their value or the other person's: the current record
 * (theirs) with every change of theirs applied, except where they chose the
 * other's. mine is their form's data (a row of theirs removed by the other
 * person and kept by choice comes back whole). The result is the new form
 * data, to be saved against the current version.
 */
export function resolve(current: Data, mine: Data, patch: Data, conflicts: Conflict[], choices: Record<string, Choice>, shape: Shape): Data {
  const p: Data = structuredClone(patch);
  for (const c of conflicts) {
    const { field, row, rowField } = parsePath(c.path);
    const choice = choices[c.path] ?? "yours";
    if (!(field in p)) continue;
    if (row === undefined) {
      if (choice === "theirs") delete p[field];
      continue;
    }
    const list = (p[field] as Data[]) ?? [];
    const i = list.findIndex((r) => r.unique_id === row);
    if (i < 0) continue;
    if (choice === "theirs") {
      if (rowField) delete list[i][rowField];
      else list.splice(i, 1);
      if (rowField && Object.keys(list[i]).length === 1) list.splice(i, 1);
    } else if (!rowField && !list[i]._destroy) {
      // Keeping my version of a row: send it whole (the other side may have removed it).
      const whole = rows(mine[field]).find((r) => r.unique_id === row);
      if (whole) list[i] = { ...whole };
    }
    if (!list.length) delete p[field];
  }
  return applyPatch(current, p, shape);
}
