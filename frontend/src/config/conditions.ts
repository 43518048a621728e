// Display conditions (docs/configuration.md "Display conditions") as a small
// builder: a list of comparisons joined by "all of" (and) or "any of" (or).
// Expressions the builder cannot show (nested and/or, not over a comparison)
// are kept as JSON text and edited as such.
import type { Field } from "../api/client";

export type Op = "eq" | "in" | "gt" | "ge" | "lt" | "le" | "exists" | "missing";

export const ops: Op[] = ["eq", "in", "gt", "ge", "lt", "le", "exists", "missing"];

/** A comparison: field op value; value is text as typed (a comma-separated list for "in"). */
export interface Clause {
  field: string;
  op: Op;
  value: string;
}

export interface Builder {
  join: "and" | "or";
  clauses: Clause[];
}

export const emptyBuilder = (): Builder => ({ join: "and", clauses: [] });

type Expr = Record<string, unknown>;

const isObject = (v: unknown): v is Expr => typeof v === "object" && v !== null && !Array.isArray(v);

/** clauseOf reads one comparison, or undefined when it is not one the builder shows. */
function clauseOf(e: unknown): Clause | undefined {
  if (!isObject(e)) return undefined;
  const keys = Object.keys(e);
  if (keys.length !== 1) return undefined;
  const op = keys[0];
  const arg = e[op];
  if (op === "exists") return typeof arg === "string" ? { field: arg, op: "exists", value: "" } : undefined;
  if (op === "not") {
    return isObject(arg) && Object.keys(arg).length === 1 && typeof arg.exists === "string" ? { field: arg.exists, op: "missing", value: "" } : undefined;
  }
  if (!["eq", "in", "gt", "ge", "lt", "le"].includes(op) || !isObject(arg)) return undefined;
  const fields = Object.keys(arg);
  if (fields.length !== 1) return undefined;
  const v = arg[fields[0]];
  if (op === "in") {
    if (!Array.isArray(v) || !v.every((x) => ["string", "number", "boolean"].includes(typeof x))) return undefined;
    return { field: fields[0], op: "in", value: v.map(String).join(", ") };
  }
  if (!["string", "number", "boolean"].includes(typeof v)) return undefined;
  return { field: fields[0], op: op as Op, value: String(v) };
}

/**
 * fromExpression reads a stored condition into the builder; undefined when
 * the expression is more than one level of comparisons (then it is edited as JSON).
 */
export function fromExpression(expr: unknown): Builder | undefined {
  if (expr === undefined || expr === null) return emptyBuilder();
  const one = clauseOf(expr);
  if (one) return { join: "and", clauses: [one] };
  if (!isObject(expr) || Object.keys(expr).length !== 1) return undefined;
  const join = Object.keys(expr)[0];
  const list = expr[join];
  if ((join !== "and" && join !== "or") || !Array.isArray(list)) return undefined;
  const clauses = list.map(clauseOf);
  if (clauses.some((c) => !c)) return undefined;
  return { join, clauses: clauses as Clause[] };
}

/** Value kinds a field compares with. */
export function valueKind(type: Field["type"] | undefined): "number" | "boolean" | "text" {
  if (type === "numeric_field" || type === "calculated") return "number";
  if (type === "tick_box") return "boolean";
  return "text";
}

function typed(value: string, kind: ReturnType<typeof valueKind>): unknown {
  const v = value.trim();
  if (kind === "number" && v !== "" && !Number.isNaN(Number(v))) return Number(v);
  if (kind === "boolean" && (v === "true" || v === "false")) return v === "true";
  return v;
}

/**
 * toExpression writes the builder as a condition, values typed by the field
 * they compare (numbers for numeric and calculated fields, booleans for tick
 * boxes); undefined when there is no comparison (the field is always shown).
 */
export function toExpression(b: Builder, typeOf: (field: string) => Field["type"] | undefined): unknown {
  const parts = b.clauses
    .filter((c) => c.field)
    .map((c): Expr => {
      const kind = valueKind(typeOf(c.field));
      switch (c.op) {
        case "exists":
          return { exists: c.field };
        case "missing":
          return { not: { exists: c.field } };
        case "in":
          return {
            in: {
              [c.field]: c.value
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean)
                .map((s) => typed(s, kind)),
            },
          };
        default:
          return { [c.op]: { [c.field]: typed(c.value, kind) } };
      }
    });
  if (!parts.length) return undefined;
  if (parts.length === 1) return parts[0];
  return { [b.join]: parts };
}
