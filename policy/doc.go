// Package policy owns who may do what: the acting Subject carried in every
// request or job context, and the Casbin model and enforcer that decide each
// permission (resource + action) per role and domain.
//
// The tenancy package refuses to open a tenant transaction without a Subject
// in the context (fail closed). Background work acts as a named system actor
// made with System, never as an anonymous or borrowed user.
//
// This first slice covers the platform domain (hosting operators). Tenant
// roles with record scopes and form access arrive with the identity work; see
// docs/authorization.md.
package policy
