// The tenant API client: openapi-fetch typed by the schema generated from
// api/openapi/tenant.yaml (src/api/schema.d.ts). Same-origin requests carry
// the session cookie; the browser adds the Origin header the API requires on
// changes.
import createClient, { type Middleware } from "openapi-fetch";
import { i18n } from "@lingui/core";
import type { components, paths } from "./schema";
import { ApiError, type Problem } from "./problem";

export type Schemas = components["schemas"];
export type User = Schemas["User"];
export type CurrentUser = Schemas["CurrentUser"];
export type Role = Schemas["Role"];
export type Agency = Schemas["Agency"];
export type UserGroup = Schemas["UserGroup"];
export type ServiceAccount = Schemas["ServiceAccount"];
export type APIKey = Schemas["APIKey"];
export type AuditLog = Schemas["AuditLog"];
export type SystemSettings = Schemas["SystemSettings"];
export type ListMetadata = Schemas["ListMetadata"];
export type Location = Schemas["Location"];
export type LocationImport = Schemas["ImportReport"];
export type ImportReportRow = Schemas["ReportRow"];
export type Form = Schemas["Form"];
export type Field = Schemas["Field"];
export type Lookup = Schemas["Lookup"];
export type ConfigurationChange = Schemas["Change"];

export const api = createClient<paths>({
  baseUrl: typeof location === "undefined" ? "http://localhost" : location.origin,
  credentials: "same-origin",
  headers: { Accept: "application/json, application/problem+json" },
});

/** Listeners told of every API answer (session activity and its end). */
type Listener = (status: number, at: number, response?: Response) => void;
const listeners = new Set<Listener>();
export function onApiResponse(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

const observe: Middleware = {
  onResponse({ response }) {
    // An answer from the device's copy (offline) is no activity of the session.
    if (response.headers.get("X-Cpims-Offline") === "1") return undefined;
    for (const l of listeners) l(response.status, Date.now(), response);
    return undefined;
  },
};
api.use(observe);

/**
 * languageHeader sends the app's language as Accept-Language, so problems
 * come back in it; the server prefers the member's own language (their
 * account's, which the language switcher saves), so the two agree once
 * signed in, and before sign-in the app's choice wins over the browser's.
 */
export const languageHeader: Middleware = {
  onRequest({ request }) {
    if (i18n.locale) request.headers.set("Accept-Language", i18n.locale);
    return request;
  },
};
api.use(languageHeader);

/**
 * data returns the body of a successful openapi-fetch result, or throws an
 * ApiError carrying the RFC 9457 problem.
 */
export function data<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, (result.error ?? {}) as Problem, result.response.headers.get("Content-Language") ?? undefined);
  }
  return result.data as T;
}
