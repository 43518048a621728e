// Package settings holds a tenant's country-wide settings: its name,
// languages (and their writing direction), modules, default time zone,
// offline unlock mode, attachment limits and the origins allowed to call its
// API from other web applications; and the time-zone helpers that turn a
// user's zone (their own, else the tenant's) into their local day.
//
// Languages and origins also live in the tenant's platform row, which the
// host routing reads before any tenant transaction: a change writes both in
// one tenant transaction through tenancy.Conn.SetTenantLocales and
// TenantCORSOrigins (docs/settings.md).
package settings
