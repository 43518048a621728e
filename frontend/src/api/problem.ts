// Problems (RFC 9457, application/problem+json) as the API answers them, and
// their mapping to the fields of a form.
//
// The server writes a problem's texts in the member's own language (their
// account's), else in the request's Accept-Language (which the client sets to
// the app's language), and says which in Content-Language (docs/errors.md).
// Where the app has its own wording for a problem's code (conflicts,
// preconditions, limits, the session, server and network failures) it shows
// that, in the app's language; other problems keep the server's text, which
// carries the details (a field, a count, an agency).
import { i18n, type MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];

/** An API answer that is not a success. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public problem: Problem,
    /** the language of the problem's texts (Content-Language), when the server said */
    public lang?: string,
  ) {
    super(problemMessage(status, problem));
    this.name = "ApiError";
  }
}

const unavailable = msg`The server cannot be reached at the moment. Try again in a few minutes.`;
const tooSlow = msg`The server took too long to answer. Try again in a few minutes.`;

/** The app's own wording of problem codes (docs/errors.md), by code. */
const byCode: Record<string, MessageDescriptor> = {
  // Conflicts: someone else was quicker.
  stale: msg`Someone else saved a change since you opened this. Load it again to see theirs, then make yours again.`,
  configuration_changed: msg`The configuration changed since you loaded it. Look at the changes again before applying them.`,
  edit_conflict: msg`Someone else changed the same fields since you opened this. Choose which values to keep.`,
  precondition_required: msg`The app did not say which version you changed. Load the page again and retry.`,
  // Limits and the session.
  rate_limited: msg`Too many attempts. Wait a few minutes, then try again.`,
  unauthenticated: msg`Your session has ended. Sign in again to continue.`,
  request_entity_too_large: msg`The file or the request is too large.`,
  unsupported_media_type: msg`This kind of file is not accepted here.`,
  // The server's failures.
  bad_gateway: unavailable,
  service_unavailable: unavailable,
  gateway_timeout: tooSlow,
  internal: msg`Something went wrong on the server. Try again; if it happens again, tell your administrator.`,
};

/** Wording by status, for answers without a code (a proxy's 502, 503, 504). */
const byStatus: Record<number, MessageDescriptor> = {
  502: unavailable,
  503: unavailable,
  504: tooSlow,
};

const offline = msg`You are offline. This needs a connection: try again when you are back online.`;
const unreachable = msg`The server could not be reached. Check your connection and try again.`;

/** translate renders a descriptor when a language is active (else its English). */
function translate(d: MessageDescriptor): string {
  return i18n.locale ? i18n._(d) : (d.message ?? "");
}

/**
 * problemMessage is the text to show for a problem: the app's wording for its
 * code (or, without a code, its status) when it has one, else the server's
 * detail or title.
 */
export function problemMessage(status: number, problem: Problem): string {
  const own = (problem.code && byCode[problem.code]) || (!problem.code && byStatus[status]) || undefined;
  if (own) return translate(own);
  return problem.detail || problem.title || (byStatus[status] ? translate(byStatus[status]) : `HTTP ${status}`);
}

/**
 * errorMessage is the text to show for any failure of an API call: a problem
 * as problemMessage words it, a network failure (fetch's TypeError) as
 * "offline" or "could not be reached" in the app's language.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError || (err instanceof DOMException && err.name === "NetworkError")) {
    return translate(typeof navigator !== "undefined" && navigator.onLine === false ? offline : unreachable);
  }
  return String((err as Error)?.message ?? err);
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
    out.form.push(problem.code || problem.detail || problem.title ? problemMessage(problem.status ?? 0, problem) : "");
  }
  out.form = out.form.filter(Boolean);
  return out;
}
