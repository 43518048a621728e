package importprogress

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Timeout bounds one progress update: progress is informative, and a pool
// with no connection to spare must not stall the import.
const Timeout = 2 * time.Second

// Recorder commits an import's count of items done to a column of its
// row, in a transaction of its own. The import's transaction must not
// touch that row before its end (so the two never wait for each other).
type Recorder struct {
	p                  *tenancy.Platform
	tenant, id         string
	stmt               string
	every, done, saved int
	// What names the import in log messages ("location import").
	what string
}

// New returns a Recorder of the import id in table (its column counting
// the items done), that commits when at least every items were added since
// the previous commit (every ≤ 1: at every Add). table and column are the
// caller's constants, never input.
func New(p *tenancy.Platform, tenant, table, column, id string, every int, what string) *Recorder {
	return &Recorder{p: p, tenant: tenant, id: id, every: max(every, 1), what: what,
		stmt: "update " + pgx.Identifier{table}.Sanitize() + " set " + pgx.Identifier{column}.Sanitize() + " = $2 where id = $1"}
}

// Add counts n more items done, committing the count when due.
func (r *Recorder) Add(ctx context.Context, n int) {
	r.done += n
	if r.done-r.saved >= r.every {
		r.Flush(ctx)
	}
}

// Reset starts the count again from zero (an attempt that starts over).
func (r *Recorder) Reset() { r.done, r.saved = 0, 0 }

// Done is the count so far.
func (r *Recorder) Done() int { return r.done }

// Flush commits the count now, if it changed. A failure is logged, not
// returned: it must not fail the import.
func (r *Recorder) Flush(ctx context.Context) {
	if r.done == r.saved {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	err := r.p.Tx(pctx, r.tenant, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, r.stmt, r.id, r.done)
		return err
	})
	if err != nil {
		r.p.Config().Logger.WarnContext(ctx, "recording "+r.what+" progress", "tenant", r.tenant, "import", r.id, "error", err)
		return
	}
	r.saved = r.done
}
