// Package tenancy owns the control plane and the only way to reach a tenant's
// data.
//
// A tenant is a country deployment addressed by a short code ("ke"). Its data
// lives only in schema tenant_<code>; its privileges belong to a NOLOGIN role
// <prefix>tenant_<code>. Objects are owned by the shared NOLOGIN role
// <prefix>owner, used only by migrations. The application's login role is
// NOINHERIT: it holds no privilege on tenant schemas and reaches tenant data
// only through Platform.Tx, which opens a transaction and sets, for that
// transaction alone, the tenant role and search_path. Nothing outside this
// package gets a pool or a connection.
//
// Platform also runs the tenant lifecycle (create through a River job,
// suspend, resume, delete with a grace period, purge) and the migrations of
// the platform schema, River's schema and every tenant schema, and holds what
// every domain package uses: the audit log, Authorize and the hierarchy rule,
// roles and the tenant policy, the principals of sessions and API keys and
// the call guard. A tenant's people (package people) and settings (package
// settings) are domains of their own (docs/tenancy.md, "Session 25").
package tenancy
