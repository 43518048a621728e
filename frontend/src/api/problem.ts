// Problems (RFC 9457, application/problem+json) as the API answers them, and
// their mapping to the fields of a form.
import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];

/** An API answer that is not a success. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
  }
}

/** Errors to show: one per form field, and those that belong to no field. */
export interface MappedErrors {
  fields: Record<string, string>;
  form: string[];
}

/**
 * toFieldPath turns a problem detail's location ("body.name.en",
 * "body.user_group_unique_ids[2]") into a form field path ("name.en",
 * "user_group_unique_ids.2"); locations outside the body give "".
 */
export function toFieldPath(location: string | undefined): string {
  if (!location || !location.startsWith("body")) return "";
  return location
    .replace(/^body\.?/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^\./, "");
}

/**
 * mapProblem places each of the problem's details at the longest known field
 * path that prefixes its location (so "body.name.fr" lands on "name.fr" when
 * the form has it, else on "name"); the rest, and a problem without details,
 * become form-level messages.
 */
export function mapProblem(problem: Problem, knownFields: string[]): MappedErrors {
  const out: MappedErrors = { fields: {}, form: [] };
  const known = new Set(knownFields);
  for (const d of problem.errors ?? []) {
    const path = toFieldPath(d.location);
    let target = "";
    const parts = path ? path.split(".") : [];
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join(".");
      if (known.has(candidate)) {
        target = candidate;
        break;
      }
    }
    const message = d.message || problem.detail || problem.title || "";
    if (target) {
      out.fields[target] = out.fields[target] ? `${out.fields[target]} ${message}` : message;
    } else {
      out.form.push(path ? `${path}: ${message}` : message);
    }
  }
  if (!problem.errors?.length) {
    out.form.push(problem.detail || problem.title || "");
  }
  out.form = out.form.filter(Boolean);
  return out;
}
