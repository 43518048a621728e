// Package people holds a tenant's people: its users (members, invited
// through identity), their own account, the agencies and user groups they
// belong to, and the service accounts of integration clients with their API
// keys.
//
// Each use case is one tenant transaction (tenancy.Platform.Tx) after the
// fail-closed permission check (tenancy.Platform.Authorize), and applies the
// hierarchy rule of docs/authorization.md through tenancy's helpers
// (ActorReach, CheckGrant, CheckTarget, KeepAdministrator). What every
// request needs to authenticate and authorize (tenancy.Principal, the API
// key cache and the call guard, roles and the tenant policy, session
// activity) stays in tenancy: see docs/people.md.
package people
