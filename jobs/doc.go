// Package jobs runs background work on River: one client on schema "river",
// shared by all tenants. Job args carry the tenant code; workers reopen the
// tenant's transaction as a named system actor (policy.System), never as a
// user. Jobs are inserted with InsertTx in the transaction of the change that
// causes them (tenancy.Conn.Enqueue, tenancy.Platform.Create).
//
// Kinds so far: provision_tenant (builds a new tenant's schema),
// purge_tenants (periodic; drops tenants whose deletion grace period ended,
// their stored files first: Config.Storage), send_email (SMTP or SES,
// retried with backoff), import_locations (applies an uploaded locations
// file, with progress and a per-row report) and, among others since,
// rekey_names_periodic and rekey_names (name keys of an older
// names.KeysVersion recomputed after a release changed them).
package jobs
