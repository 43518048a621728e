// The flags screen's rules (GET /api/v2/flags across cases, tracing requests
// and incidents): what the URL's filters ask of the API, which record types
// a person may filter by, where each flag's record opens, and who may
// resolve it. The API decides; these rules only choose what to offer.
import type { components } from "../../api/schema";

export type Flag = components["schemas"]["Flag"];
export type FlagRecordType = Flag["record_type"];

/** The record types flags are listed for, with their API resource and app path. */
export const FLAG_TYPES: readonly { type: FlagRecordType; resource: "cases" | "tracing_requests" | "incidents"; path: string }[] = [
  { type: "case", resource: "cases", path: "/cases" },
  { type: "tracing_request", resource: "tracing_requests", path: "/tracing-requests" },
  { type: "incident", resource: "incidents", path: "/incidents" },
];

const typeOf = (t: string) => FLAG_TYPES.find((x) => x.type === t);

/** The flags screen's state as the URL holds it (?type=&state=&page=). */
export interface FlagSearch {
  type?: string;
  /** active (the default), resolved or all */
  state?: string;
  page?: string;
}

/** The list-flags query of a URL's search; unknown values fall back to the defaults (active flags, every type). */
export function flagQuery(s: FlagSearch, per: number): { page: number; per: number; record_type?: FlagRecordType; active?: "true" | "false" } {
  const page = Math.max(1, Math.floor(Number(s.page)) || 1);
  const q: ReturnType<typeof flagQuery> = { page, per };
  const t = s.type ? typeOf(s.type) : undefined;
  if (t) q.record_type = t.type;
  const state = flagState(s.state);
  if (state === "active") q.active = "true";
  else if (state === "resolved") q.active = "false";
  return q;
}

/** flagState: the state filter of the URL (active unless resolved or all). */
export function flagState(state: string | undefined): "active" | "resolved" | "all" {
  return state === "resolved" || state === "all" ? state : "active";
}

/** readableTypes: the record types whose flags a person may list (their read permission). */
export function readableTypes(permissions: readonly string[] | null | undefined): FlagRecordType[] {
  const p = new Set(permissions ?? []);
  return FLAG_TYPES.filter((x) => p.has(`${x.resource}:read`)).map((x) => x.type);
}

/** recordPath: where a flag's record opens in the app. */
export function recordPath(f: Pick<Flag, "record_type" | "record_id">): string {
  return `${typeOf(f.record_type)?.path ?? "/cases"}/${encodeURIComponent(f.record_id)}`;
}

/** resourceOf: the API resource of a flag's record (for the resolve request). */
export function resourceOf(t: FlagRecordType): "cases" | "tracing_requests" | "incidents" {
  return typeOf(t)?.resource ?? "cases";
}

/** mayResolve: an active flag, and the <resource>:flag permission of its record type (the API checks the scope). */
export function mayResolve(permissions: readonly string[] | null | undefined, f: Pick<Flag, "record_type" | "removed">): boolean {
  return !f.removed && (permissions ?? []).includes(`${resourceOf(f.record_type)}:flag`);
}
