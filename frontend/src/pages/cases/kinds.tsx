// The record types the record screens serve: the API resource, the app's
// path, the permissions, how a record is named in lists and headings, and
// the texts that differ. Cases and tracing requests today; incidents add an
// entry here and three routes.
import type { ReactNode } from "react";
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";
import { Plural, Trans } from "@lingui/react/macro";
import type { RecordType } from "../../records/config";
import { caseFilters, caseOrders, type FilterDef } from "./filters";

export interface RecordKind {
  type: RecordType;
  /** the API resource (/api/v2/<resource>) and permission prefix (<resource>:read) */
  resource: "cases" | "tracing_requests" | "incidents";
  /** the app's path */
  path: "/cases" | "/tracing-requests" | "/incidents";
  title: MessageDescriptor;
  register: MessageDescriptor;
  /** the name fields shown as a record's name */
  nameFields: string[];
  filters: FilterDef[];
  orders: { value: string; label: MessageDescriptor }[];
  total: (n: number) => ReactNode;
  empty: ReactNode;
}

export const caseKind: RecordKind = {
  type: "case",
  resource: "cases",
  path: "/cases",
  title: msg`Cases`,
  register: msg`Register a case`,
  nameFields: ["name_first", "name_middle", "name_last"],
  filters: caseFilters,
  orders: caseOrders,
  total: (n) => <Plural value={n} one="# case" other="# cases" />,
  empty: <Trans>No cases yet. Cases you register, or that are assigned to you, appear here.</Trans>,
};

export const tracingRequestKind: RecordKind = {
  type: "tracing_request",
  resource: "tracing_requests",
  path: "/tracing-requests",
  title: msg`Tracing requests`,
  register: msg`Register a tracing request`,
  nameFields: ["relation_name"],
  filters: caseFilters,
  orders: caseOrders.filter((o) => ["updated_at", "created_at", "short_id", "status"].includes(o.value)),
  total: (n) => <Plural value={n} one="# tracing request" other="# tracing requests" />,
  empty: <Trans>No tracing requests yet. Requests you register appear here.</Trans>,
};

/** recordName: a record's name as lists and headings show it (a hidden name reads *****). */
export function recordName(kind: RecordKind, r: Record<string, unknown>): string {
  return kind.nameFields
    .map((f) => r[f])
    .filter((x) => typeof x === "string" && x)
    .join(" ");
}

export const incidentKind: RecordKind = {
  type: "incident",
  resource: "incidents",
  path: "/incidents",
  title: msg`Incidents`,
  register: msg`Register an incident`,
  nameFields: [],
  filters: caseFilters.filter((f) => f.param === "record_state" || f.param === "updated_since"),
  orders: caseOrders.filter((o) => ["updated_at", "created_at", "short_id", "status"].includes(o.value)),
  total: (n) => <Plural value={n} one="# incident" other="# incidents" />,
  empty: <Trans>No incidents yet. Incidents you register, or create from a case, appear here.</Trans>,
};
