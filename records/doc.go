// Package records owns cases, tracing requests (with their traces) and
// incidents: what caseworkers register and follow up all day.
// docs/records.md is the contract with the search, attachments, workflows,
// FTR and web app work built on it.
//
// # Storage
//
// One table, records, holds the three types (migration 009_records.sql):
// core attributes as columns, the configured fields as data (jsonb), and
// search columns extracted from data in the statement that writes it.
// record_access says who reaches a record besides role scope (its owner;
// workflows add assigned users, referrals and transfers); record_history
// keeps every write field by field; traces mirrors the rows of a tracing
// request's trace subform so that each is addressable.
//
// # Access
//
// Every method checks its permission with the fail-closed
// tenancy.Platform.Authorize, then runs one tenant transaction that names
// the record on the call's audit row. Visibility is a SQL predicate built
// from record_access and the caller's current groups and agency (visible),
// in the statement of every get, list and count: lists and totals are
// exact, and a record outside the caller's scope is tenancy.ErrNotFound
// like a missing one. Lists start from newQuery, which puts that predicate
// first; filters and searches add their conditions to it.
//
// # Writes and lost updates
//
// Every write bumps the version (the ETag) and appends the change log.
// Update needs the version it applies to (If-Match: else
// ErrPreconditionRequired, or *StaleError when stale) or the version the
// client edited from (X-Base-Version): then the base is rebuilt from the
// history (undo), the client's changes (diff of base and the client's data)
// are compared with the changes since (diff of base and now), and applied
// only if no field or subform row changed on both sides to different values
// (*ConflictError lists them; nothing is applied). Subform rows merge by
// unique_id; a PATCH row with "_destroy": true removes one. A create with a
// client-chosen id is idempotent: the same request again returns the
// record, another one with that id is tenancy.ErrConflict.
//
// # Configuration
//
// Writes are validated and reads filtered through a Schema per record type,
// module and caller (Config.Schemas: package forms' validators): 422 with
// every bad value and nothing written; reads show only the forms the
// caller's role may read, and mask the name fields of a record with
// hidden_name for all but its owner and holders of <type>:view_hidden_name.
package records
