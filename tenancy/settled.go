package tenancy

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// SettledBefore returns a time before which no write is still to come: the
// start of the oldest other transaction open in this database among the
// application's sessions (its login role), or this statement's time when
// none is open. A row stamped with now() (its transaction's start) before
// that time was written by a transaction that has ended, so every statement
// that starts after this call sees all such rows that will ever exist. Sync
// reads (records' cursor) end their pages there, so that a transaction
// committing late cannot slip a row behind a page already read.
//
// Only the login role's sessions are seen (pg_stat_activity hides other
// roles' transactions): writers must connect as the same login role as
// readers, as cpims serve and cpims worker do. A long open transaction (even
// read-only) holds the time back while it lasts: rows after it wait, none
// is lost. The activity is read as the login role, then the transaction
// returns to the tenant role (as Enqueue does).
func (c *Conn) SettledBefore(ctx context.Context) (time.Time, error) {
	var t time.Time
	b := &pgx.Batch{} // one round trip
	b.Queue("select set_config('role', 'none', true), set_config('search_path', '', true)")
	b.Queue(`select least(statement_timestamp(), min(a.xact_start)) from pg_catalog.pg_stat_activity a
		where a.datname = current_database() and a.pid <> pg_backend_pid() and a.xact_start is not null
			and a.backend_type = 'client backend'`).QueryRow(func(row pgx.Row) error { return row.Scan(&t) })
	b.Queue(`select set_config('role', $1, true), set_config('search_path', $2, true)`, c.p.TenantRole(c.tenant), tenantSearchPath(c.tenant))
	err := c.Tx.SendBatch(ctx, b).Close()
	return t, err
}
