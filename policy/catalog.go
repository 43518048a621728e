package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Action describes one action on a resource.
type Action struct {
	Name        string
	Description string
}

// Resource is a kind of thing permissions are about, with its actions.
type Resource struct {
	Name        string
	Description string
	Actions     []Action
	// Domain is where the resource lives: DomainPlatform, or "" for every tenant.
	Domain string
	// Records marks the resources whose reach a role's record scope bounds
	// (children's records and the figures drawn from them). Every other
	// tenant resource is administrative: power over people and configuration.
	Records bool
}

// Catalog declares every resource and action, once. Roles, operations and the
// admin UI name permissions from it; a permission outside it is refused.
var Catalog = []Resource{
	{Name: "agencies", Description: "Organisations whose staff use the system", Actions: []Action{
		{"read", "List and view agencies"}, {"write", "Create and change agencies"}}},
	{Name: "alerts", Records: true, Description: "What others changed on the records one owns", Actions: []Action{
		{"read", "List one's alerts and mark them read"}}},
	{Name: "approvals", Records: true, Description: "Approval requests across the cases within the record scope (the managers' queue)", Actions: []Action{
		{"read", "List approval requests across cases, filtered by status, type and case"}}},
	{Name: "audit_logs", Description: "Who did what to which record, when", Actions: []Action{
		{"read", "Search the audit log"}}},
	{Name: "cases", Records: true, Description: "Children's cases", Actions: []Action{
		{"read", "View cases within the role's record scope"},
		{"write", "Register and update cases within the record scope"},
		{"assign", "Assign cases to other users (within the role's record scope: group, agency or all)"},
		{"refer", "Refer cases to a user of this or another agency for a service (within the sharing protocol)"},
		{"transfer", "Transfer cases to a user of another agency (within the sharing protocol)"},
		{"request_transfer", "Ask the owner of a case to transfer it"},
		{"consent_override", "Refer or transfer a case without the child's recorded consent, giving a reason"},
		{"approve", "Approve or reject every type of approval request (assessment, case plan, closure, action plan, GBV closure) of cases owned by members of one's user groups"},
		{"approve_assessment", "Approve or reject assessment approval requests (of cases owned by members of one's user groups)"},
		{"approve_case_plan", "Approve or reject case plan approval requests (of cases owned by members of one's user groups)"},
		{"approve_closure", "Approve or reject closure approval requests (of cases owned by members of one's user groups)"},
		{"approve_action_plan", "Approve or reject action plan approval requests (of cases owned by members of one's user groups)"},
		{"approve_gbv_closure", "Approve or reject GBV closure approval requests (of cases owned by members of one's user groups)"},
		{"flag", "Flag cases within the record scope and resolve their flags"},
		{"add_note", "Add notes to cases within the record scope (author and date set by the server; notes are never changed)"},
		{"close", "Close open cases within the record scope (with a reason; after an approved closure when the module requires it)"},
		{"reopen", "Reopen closed cases within the record scope"},
		{"history", "See a case's change log: who changed which field when, old and new values"},
		{"disable", "Disable and enable cases"},
		{"erase", "Erase a disabled case for good, with everything that holds the child's data (registered by mistake, a right-to-erasure request); the audit log keeps who erased which id and why"},
		{"view_hidden_name", "See the names of children whose case hides them (the owner always does)"}}},
	{Name: "configuration", Description: "The whole configuration as one bundle (modules, lookups, forms, roles' form access)", Actions: []Action{
		{"read", "Export the configuration bundle"},
		{"write", "Import a configuration bundle (dry run with a diff, then all or nothing)"}}},
	{Name: "dashboards", Records: true, Description: "Aggregated indicators, no personal data", Actions: []Action{
		{"read", "View dashboards"}}},
	{Name: "devices", Description: "Browsers that keep an offline copy, and the keys the server releases to open it", Actions: []Action{
		{"write_self", "Register one's own devices, list them, unlock their offline copy (key release to one's signed-in browser) and revoke them"},
		{"read", "List the devices of users within the role's scope"},
		{"write", "Revoke the devices of users within the role's scope (e.g. a phone reported lost)"}}},
	{Name: "forms", Description: "Forms (sections) of fields per record type and module, and module options", Actions: []Action{
		{"read", "View forms and modules, and check record data against them"},
		{"write", "Create, change and delete forms and their fields; change module options"}}},
	{Name: "incidents", Records: true, Description: "Incidents affecting children", Actions: []Action{
		{"read", "View incidents"}, {"write", "Record and update incidents"},
		{"history", "See an incident's change log"},
		{"flag", "Flag incidents within the record scope and resolve their flags"},
		{"disable", "Disable and enable incidents"},
		{"erase", "Erase a disabled incident for good, with everything that holds its data; the audit log keeps who erased which id and why"},
		{"view_hidden_name", "See hidden names in incidents (the owner always does)"}}},
	{Name: "locations", Description: "Places: the country's hierarchy of admin areas, camps and sites", Actions: []Action{
		{"read", "List and view locations (every member: forms offer location pickers)"},
		{"write", "Create, change, disable and import locations"}}},
	{Name: "lookups", Description: "Option lists of select fields", Actions: []Action{
		{"read", "View lookups"}, {"write", "Create, change and delete lookups"}}},
	{Name: "notifications", Description: "Email notifications of workflow events", Actions: []Action{
		{"read", "List notification deliveries and their state (sent, queued, failed, opted out)"}}},
	{Name: "matching", Description: "Family tracing matching: which fields compare, thresholds, prior, re-matching runs", Actions: []Action{
		{"read", "View the matching configuration and re-matching runs"},
		{"write", "Change the matching configuration and start a full re-matching run"}}},
	{Name: "potential_matches", Records: true, Description: "Cases that may be the child a trace seeks, with their probability and comparison", Actions: []Action{
		{"read", "View potential matches of traces and cases within the record scope"},
		{"review", "Confirm or reject potential matches (a confirmation links the trace to the case)"},
		{"match", "Match traces with cases and store potential matches (the matching job)"}}},
	{Name: "reports", Records: true, Description: "Aggregated reports, no personal data", Actions: []Action{
		{"read", "Run reports"}}},
	{Name: "roles", Description: "Roles: permissions, record scope, form access, MFA", Actions: []Action{
		{"read", "List and view roles"}, {"write", "Create and change roles"}}},
	{Name: "service_accounts", Description: "Integration clients and their API keys", Actions: []Action{
		{"read", "List service accounts and their keys (never the keys themselves)"},
		{"write", "Create service accounts, issue and revoke API keys"}}},
	{Name: "sharing_protocol", Description: "Which agencies may refer or transfer cases to which", Actions: []Action{
		{"read", "View the information sharing protocol"},
		{"write", "Change the information sharing protocol"}}},
	{Name: "system_settings", Description: "Country-wide settings", Actions: []Action{
		{"write", "Change the settings (reading them is public)"}}},
	{Name: "tasks", Records: true, Description: "Due dates on the cases one owns or is assigned (assessment, case plan, follow-ups, services)", Actions: []Action{
		{"read", "List one's upcoming and overdue tasks"}}},
	{Name: "tenants", Domain: DomainPlatform, Description: "Country instances (hosting team)", Actions: []Action{
		{"read", "List and view tenants"}, {"write", "Create, suspend, resume and delete tenants"}}},
	{Name: "tracing_requests", Records: true, Description: "Requests from families looking for a child", Actions: []Action{
		{"read", "View tracing requests and their traces"}, {"write", "Record and update tracing requests"},
		{"history", "See a tracing request's change log"},
		{"flag", "Flag tracing requests within the record scope and resolve their flags"},
		{"disable", "Disable and enable tracing requests"},
		{"erase", "Erase a disabled tracing request for good, with its traces and everything that holds their data; the audit log keeps who erased which id and why"},
		{"view_hidden_name", "See hidden names in tracing requests (the owner always does)"}}},
	{Name: "transitions", Records: true, Description: "Transfers, referrals and transfer requests across the cases within the record scope (the queues in and out)", Actions: []Action{
		{"read", "List the transfers, referrals and transfer requests sent to or by oneself (a manager: to or by the users one manages)"}}},
	{Name: "translations", Description: "Translations of the configuration's labels and the web app's texts (gettext PO files)", Actions: []Action{
		{"read", "Export a language's texts as a PO file (all, or only those missing)"},
		{"write", "Import a PO file: the translated labels and the web app's texts of this country instance"}}},
	{Name: "user_groups", Description: "Groups of users (a case manager supervises groups)", Actions: []Action{
		{"read", "List and view user groups"}, {"write", "Create and change user groups and their members"}}},
	{Name: "users", Description: "People who use this country instance", Actions: []Action{
		{"read", "List and view users within the role's scope"},
		{"read_self", "View one's own account"},
		{"write_self", "Change one's own name and language"},
		{"write", "Invite users and change their role, groups, agency or status"}}},
}

// Known reports whether p is declared in the catalogue (or is Public).
func Known(p Permission) bool {
	if p.IsPublic() {
		return true
	}
	for _, r := range Catalog {
		if r.Name == p.Resource {
			return slices.ContainsFunc(r.Actions, func(a Action) bool { return a.Name == p.Action })
		}
	}
	return false
}

// ParsePermission parses "resource:action" and checks it against the catalogue.
func ParsePermission(s string) (Permission, error) {
	res, act, ok := strings.Cut(s, ":")
	p := Permission{Resource: res, Action: act}
	if !ok || !Known(p) {
		return p, fmt.Errorf("unknown permission %q: see the policy catalogue", s)
	}
	return p, nil
}

// Record scopes of tenant roles.
const (
	ScopeOwn    = "own"    // records the user owns or is assigned to
	ScopeGroup  = "group"  // also those of users in the same user groups
	ScopeAgency = "agency" // also those of users of the same agency
	ScopeAll    = "all"    // every record of the tenant
)
