// Display conditions (docs/configuration.md), evaluated as the server does
// (forms/condition.go): a field is shown, writable and required only while
// its condition holds. A comparison over a field without a value is false;
// eq and in over a multi-select hold when the array contains the value;
// gt..le compare numbers with numbers and text (ISO dates) with text.

/** Getter of a field's value by name (a subform row's fields first, then the record's). */
export type Get = (name: string) => unknown;

/** isEmpty: no value (null, blank text, empty array or object). */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v.trim() === "";
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v as object).length === 0;
  return false;
}

function matches(v: unknown, want: unknown): boolean {
  if (Array.isArray(v)) return v.some((x) => x === want);
  return v === want;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** single returns the one key and value of an operator object, or undefined. */
function single(o: unknown): [string, unknown] | undefined {
  if (!o || typeof o !== "object" || Array.isArray(o)) return undefined;
  const entries = Object.entries(o as Record<string, unknown>);
  return entries.length === 1 ? entries[0] : undefined;
}

/**
 * evaluate reports whether a display condition holds. No condition holds; a
 * malformed one (the server refuses those in the configuration) does not.
 */
export function evaluate(cond: unknown, get: Get): boolean {
  if (cond === undefined || cond === null) return true;
  const op = single(cond);
  if (!op) return false;
  const [name, arg] = op;
  switch (name) {
    case "and":
      return Array.isArray(arg) && arg.every((c) => evaluate(c, get));
    case "or":
      return Array.isArray(arg) && arg.some((c) => evaluate(c, get));
    case "not":
      return !evaluate(arg, get);
    case "exists":
      return typeof arg === "string" && !isEmpty(get(arg));
  }
  const cmp = single(arg);
  if (!cmp) return false;
  const [field, want] = cmp;
  const v = get(field);
  if (isEmpty(v)) return false;
  switch (name) {
    case "eq":
      return matches(v, want);
    case "in":
      return Array.isArray(want) && want.some((w) => matches(v, w));
    case "gt":
    case "ge":
    case "lt":
    case "le": {
      const c = compare(v, want);
      if (c === undefined) return false;
      return name === "gt" ? c > 0 : name === "ge" ? c >= 0 : name === "lt" ? c < 0 : c <= 0;
    }
  }
  return false;
}

/** dependencies lists the field names a condition reads (to re-evaluate only when they change). */
export function dependencies(cond: unknown, out: Set<string> = new Set()): Set<string> {
  const op = single(cond);
  if (!op) return out;
  const [name, arg] = op;
  if (name === "and" || name === "or") {
    if (Array.isArray(arg)) for (const c of arg) dependencies(c, out);
  } else if (name === "not") {
    dependencies(arg, out);
  } else if (name === "exists") {
    if (typeof arg === "string") out.add(arg);
  } else {
    const cmp = single(arg);
    if (cmp) out.add(cmp[0]);
  }
  return out;
}
