// The navigation: each entry names the permission its screen needs, so a
// person sees only what their role lets them use. Later screens (cases,
// tracing requests, incidents, forms) add entries here and a route in
// router.tsx.
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";

export interface NavItem {
  to: string;
  label: MessageDescriptor;
  /** the permission the screen needs; a list: any of them */
  permission?: string | string[];
}

export const mainNav: NavItem[] = [
  { to: "/", label: msg`Home` },
  { to: "/cases", label: msg`Cases`, permission: "cases:read" },
  { to: "/tracing-requests", label: msg`Tracing requests`, permission: "tracing_requests:read" },
  { to: "/incidents", label: msg`Incidents`, permission: "incidents:read" },
  { to: "/matching", label: msg`Potential matches`, permission: "potential_matches:read" },
  { to: "/transitions", label: msg`Transfers and referrals`, permission: "transitions:read" },
  { to: "/approvals", label: msg`Approvals`, permission: "cases:approve" },
  { to: "/flags", label: msg`Flags`, permission: "cases:read" },
];

export const adminNav: NavItem[] = [
  { to: "/admin/users", label: msg`Users`, permission: "users:read" },
  { to: "/admin/roles", label: msg`Roles`, permission: "roles:read" },
  { to: "/admin/agencies", label: msg`Agencies`, permission: "agencies:read" },
  { to: "/admin/user-groups", label: msg`User groups`, permission: "user_groups:read" },
  { to: "/admin/service-accounts", label: msg`Service accounts`, permission: "service_accounts:read" },
  { to: "/admin/locations", label: msg`Locations`, permission: "locations:write" },
  { to: "/admin/forms", label: msg`Forms`, permission: "forms:write" },
  { to: "/admin/lookups", label: msg`Lookups`, permission: "lookups:write" },
  { to: "/admin/configuration", label: msg`Configuration`, permission: "configuration:read" },
  { to: "/admin/matching", label: msg`Matching runs`, permission: "matching:read" },
  { to: "/admin/translations", label: msg`Translations`, permission: "translations:read" },
  { to: "/admin/sharing-protocol", label: msg`Sharing protocol`, permission: "sharing_protocol:write" },
  { to: "/admin/settings", label: msg`System settings`, permission: "system_settings:write" },
  { to: "/admin/audit", label: msg`Audit log`, permission: "audit_logs:read" },
  { to: "/admin/erase", label: msg`Erase a record`, permission: ["cases:erase", "tracing_requests:erase", "incidents:erase"] },
];

/** visible keeps the entries the permissions allow. */
export function visible(items: NavItem[], permissions: readonly string[] | null | undefined): NavItem[] {
  return items.filter((i) => !i.permission || [i.permission].flat().some((p) => (permissions ?? []).includes(p)));
}
