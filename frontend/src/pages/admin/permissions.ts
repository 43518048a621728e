// The permission catalogue's descriptions in the UI's languages. The catalogue
// (policy/catalog.go) reaches the app in English only, through the spec
// (x-permission-catalog, src/api/catalog.ts); its texts are kept here by
// resource and by permission, as Lingui messages, so they are translated in
// the PO catalogues with the rest of the app (and a country can reword them
// with a translations import). permissions.test.ts fails when the catalogue
// has a resource or permission without a text here, or when its English
// changed.
import { msg } from "@lingui/core/macro";
import type { I18n, MessageDescriptor } from "@lingui/core";

/** Each resource's and each permission's description, by "resource" and "resource:action". */
export const permissionTexts: Record<string, MessageDescriptor> = {
  "agencies": msg`Organisations whose staff use the system`,
  "agencies:read": msg`List and view agencies`,
  "agencies:write": msg`Create and change agencies`,
  "alerts": msg`What others changed on the records one owns`,
  "alerts:read": msg`List one's alerts and mark them read`,
  "approvals": msg`Approval requests across the cases within the record scope (the managers' queue)`,
  "approvals:read": msg`List approval requests across cases, filtered by status, type and case`,
  "audit_logs": msg`Who did what to which record, when`,
  "audit_logs:read": msg`Search the audit log`,
  "cases": msg`Children's cases`,
  "cases:read": msg`View cases within the role's record scope`,
  "cases:write": msg`Register and update cases within the record scope`,
  "cases:assign": msg`Assign cases to other users (within the role's record scope: group, agency or all)`,
  "cases:refer": msg`Refer cases to a user of this or another agency for a service (within the sharing protocol)`,
  "cases:transfer": msg`Transfer cases to a user of another agency (within the sharing protocol)`,
  "cases:request_transfer": msg`Ask the owner of a case to transfer it`,
  "cases:consent_override": msg`Refer or transfer a case without the child's recorded consent, giving a reason`,
  "cases:approve": msg`Approve or reject every type of approval request (assessment, case plan, closure, action plan, GBV closure) of cases owned by members of one's user groups`,
  "cases:approve_assessment": msg`Approve or reject assessment approval requests (of cases owned by members of one's user groups)`,
  "cases:approve_case_plan": msg`Approve or reject case plan approval requests (of cases owned by members of one's user groups)`,
  "cases:approve_closure": msg`Approve or reject closure approval requests (of cases owned by members of one's user groups)`,
  "cases:approve_action_plan": msg`Approve or reject action plan approval requests (of cases owned by members of one's user groups)`,
  "cases:approve_gbv_closure": msg`Approve or reject GBV closure approval requests (of cases owned by members of one's user groups)`,
  "cases:flag": msg`Flag cases within the record scope and resolve their flags`,
  "cases:add_note": msg`Add notes to cases within the record scope (author and date set by the server; notes are never changed)`,
  "cases:close": msg`Close open cases within the record scope (with a reason; after an approved closure when the module requires it)`,
  "cases:reopen": msg`Reopen closed cases within the record scope`,
  "cases:history": msg`See a case's change log: who changed which field when, old and new values`,
  "cases:disable": msg`Disable and enable cases`,
  "cases:view_hidden_name": msg`See the names of children whose case hides them (the owner always does)`,
  "configuration": msg`The whole configuration as one bundle (modules, lookups, forms, roles' form access)`,
  "configuration:read": msg`Export the configuration bundle`,
  "configuration:write": msg`Import a configuration bundle (dry run with a diff, then all or nothing)`,
  "dashboards": msg`Aggregated indicators, no personal data`,
  "dashboards:read": msg`View dashboards`,
  "devices": msg`Browsers that keep an offline copy, and the keys the server releases to open it`,
  "devices:write_self": msg`Register one's own devices, list them, unlock their offline copy (key release to one's signed-in browser) and revoke them`,
  "devices:read": msg`List the devices of users within the role's scope`,
  "devices:write": msg`Revoke the devices of users within the role's scope (e.g. a phone reported lost)`,
  "forms": msg`Forms (sections) of fields per record type and module, and module options`,
  "forms:read": msg`View forms and modules, and check record data against them`,
  "forms:write": msg`Create, change and delete forms and their fields; change module options`,
  "incidents": msg`Incidents affecting children`,
  "incidents:read": msg`View incidents`,
  "incidents:write": msg`Record and update incidents`,
  "incidents:history": msg`See an incident's change log`,
  "incidents:flag": msg`Flag incidents within the record scope and resolve their flags`,
  "incidents:disable": msg`Disable and enable incidents`,
  "incidents:view_hidden_name": msg`See hidden names in incidents (the owner always does)`,
  "locations": msg`Places: the country's hierarchy of admin areas, camps and sites`,
  "locations:read": msg`List and view locations (every member: forms offer location pickers)`,
  "locations:write": msg`Create, change, disable and import locations`,
  "lookups": msg`Option lists of select fields`,
  "lookups:read": msg`View lookups`,
  "lookups:write": msg`Create, change and delete lookups`,
  "notifications": msg`Email notifications of workflow events`,
  "notifications:read": msg`List notification deliveries and their state (sent, queued, failed, opted out)`,
  "matching": msg`Family tracing matching: which fields compare, thresholds, prior, re-matching runs`,
  "matching:read": msg`View the matching configuration and re-matching runs`,
  "matching:write": msg`Change the matching configuration and start a full re-matching run`,
  "potential_matches": msg`Cases that may be the child a trace seeks, with their probability and comparison`,
  "potential_matches:read": msg`View potential matches of traces and cases within the record scope`,
  "potential_matches:review": msg`Confirm or reject potential matches (a confirmation links the trace to the case)`,
  "potential_matches:match": msg`Match traces with cases and store potential matches (the matching job)`,
  "reports": msg`Aggregated reports, no personal data`,
  "reports:read": msg`Run reports`,
  "roles": msg`Roles: permissions, record scope, form access, MFA`,
  "roles:read": msg`List and view roles`,
  "roles:write": msg`Create and change roles`,
  "service_accounts": msg`Integration clients and their API keys`,
  "service_accounts:read": msg`List service accounts and their keys (never the keys themselves)`,
  "service_accounts:write": msg`Create service accounts, issue and revoke API keys`,
  "sharing_protocol": msg`Which agencies may refer or transfer cases to which`,
  "sharing_protocol:read": msg`View the information sharing protocol`,
  "sharing_protocol:write": msg`Change the information sharing protocol`,
  "system_settings": msg`Country-wide settings`,
  "system_settings:write": msg`Change the settings (reading them is public)`,
  "transitions": msg`Transfers, referrals and transfer requests across the cases within the record scope (the queues in and out)`,
  "transitions:read": msg`List the transfers, referrals and transfer requests sent to or by oneself (a manager: to or by the users one manages)`,
  "tasks": msg`Due dates on the cases one owns or is assigned (assessment, case plan, follow-ups, services)`,
  "tasks:read": msg`List one's upcoming and overdue tasks`,
  "tracing_requests": msg`Requests from families looking for a child`,
  "tracing_requests:read": msg`View tracing requests and their traces`,
  "tracing_requests:write": msg`Record and update tracing requests`,
  "tracing_requests:history": msg`See a tracing request's change log`,
  "tracing_requests:flag": msg`Flag tracing requests within the record scope and resolve their flags`,
  "tracing_requests:disable": msg`Disable and enable tracing requests`,
  "tracing_requests:view_hidden_name": msg`See hidden names in tracing requests (the owner always does)`,
  "translations": msg`Translations of the configuration's labels and the web app's texts (gettext PO files)`,
  "translations:read": msg`Export a language's texts as a PO file (all, or only those missing)`,
  "translations:write": msg`Import a PO file: the translated labels and the web app's texts of this country instance`,
  "user_groups": msg`Groups of users (a case manager supervises groups)`,
  "user_groups:read": msg`List and view user groups`,
  "user_groups:write": msg`Create and change user groups and their members`,
  "users": msg`People who use this country instance`,
  "users:read": msg`List and view users within the role's scope`,
  "users:read_self": msg`View one's own account`,
  "users:write_self": msg`Change one's own name and language`,
  "users:write": msg`Invite users and change their role, groups, agency or status`,
};

/**
 * permissionText gives a resource's or permission's description in the
 * active language; one the app does not know yet (a newer server) keeps the
 * catalogue's English.
 */
export function permissionText(i18n: I18n, key: string, english: string): string {
  const d = permissionTexts[key];
  return d ? i18n._(d) : english;
}
