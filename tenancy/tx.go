package tenancy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/policy"
)

// Conn is an open tenant transaction: it runs as the tenant's role with
// search_path set to the tenant's schema (then the shared extensions), for
// this transaction only.
type Conn struct {
	pgx.Tx
	p       *Platform
	tenant  string
	subject policy.Subject
	// callAudited is, once a statement of this transaction wrote the call's
	// audit row (WithCallAudit), the call's audit changes count then; -1 before.
	callAudited int
	notes       map[any]any
	jobs        []pendingJob // Enqueue's, inserted before COMMIT
}

// Note keeps v under key for the rest of this transaction: a value one
// package read in a statement of its own (e.g. the configuration version
// beside a record) that another would otherwise read again. Use an
// unexported key type, as for context values.
func (c *Conn) Note(key, v any) {
	if c.notes == nil {
		c.notes = map[any]any{}
	}
	c.notes[key] = v
}

// Noted returns the value kept under key in this transaction (Note).
func (c *Conn) Noted(key any) (any, bool) {
	v, ok := c.notes[key]
	return v, ok
}

// Forget drops the value kept under key (e.g. after this transaction changed it).
func (c *Conn) Forget(key any) { delete(c.notes, key) }

// Tenant is the code of the tenant this transaction belongs to.
func (c *Conn) Tenant() string { return c.tenant }

// Subject is the actor on whose behalf the transaction runs.
func (c *Conn) Subject() policy.Subject { return c.subject }

// Tx runs fn in a transaction on tenant code's data, as the actor found in
// ctx. It fails closed: no actor, no transaction (policy.ErrNoActor). An
// unknown tenant gives ErrNotFound. The transaction commits if fn returns nil.
//
// This is the only way to reach tenant data. Callers check the tenant's status
// (Lookup) before; Tx itself only guarantees isolation, except that when ctx
// carries a CallGuard (API calls) it checks the tenant's status and the
// call's API key first, in the same transaction. When ctx carries an
// AuditRequest, the call's audit row is written last in the transaction.
func (p *Platform) Tx(ctx context.Context, code string, fn func(ctx context.Context, c *Conn) error) error {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return err
	}
	if ValidateCode(code) != nil {
		return ErrNotFound
	}
	guard := guardFrom(ctx)
	var committed func()
	// The fast way: BEGIN and the settings in one round trip (beginSQL). A
	// refusal there (the tenant not active, or its role gone) or a broken
	// connection is answered exactly by the way below, which reads the
	// tenant's status as a value.
	if begin, keyChecked, ok := p.beginSQL(code, s, guard); ok {
		started := false
		err = pgx.BeginTxFunc(ctx, p.pool, pgx.TxOptions{BeginQuery: begin}, func(tx pgx.Tx) error {
			started = true
			c := &Conn{Tx: tx, p: p, tenant: code, subject: s, callAudited: -1}
			var err error
			committed, err = p.run(ctx, c, guard, keyChecked, fn)
			return err
		})
		if started || ctx.Err() != nil {
			if err == nil && committed != nil {
				committed()
			}
			return err
		}
	}
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		const set = `set_config('role', $1, true), set_config('search_path', $2, true), set_config('cpims.actor', $3, true)`
		var err error
		var status *string
		if guard == nil {
			_, err = tx.Exec(ctx, `select `+set, p.TenantRole(code), tenantSearchPath(code), s.String())
		} else { // the tenant's status, in the same statement (read before the role changes)
			err = tx.QueryRow(ctx, `select `+tenantStatusSQL+`, `+set, p.TenantRole(code), tenantSearchPath(code), s.String(), code).
				Scan(&status, nil, nil, nil)
		}
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "22023" { // invalid_parameter_value: role does not exist
				return ErrNotFound
			}
			return err
		}
		c := &Conn{Tx: tx, p: p, tenant: code, subject: s, callAudited: -1}
		if guard != nil {
			if err := guardStatus(status); err != nil {
				return err
			}
		}
		committed, err = p.run(ctx, c, guard, false, fn)
		return err
	})
	if err == nil && committed != nil {
		committed()
	}
	return err
}

// run runs fn in c, whose settings are made (and, with a guard, the
// tenant's status checked): first the guard's API key unless the query
// that began c checked it (keyChecked), last the call's audit row. It
// returns the function to call once c has committed.
func (p *Platform) run(ctx context.Context, c *Conn, guard *CallGuard, keyChecked bool, fn func(ctx context.Context, c *Conn) error) (func(), error) {
	if guard != nil && guard.APIKey != "" && !keyChecked {
		if err := guard.checkKey(ctx, c); err != nil {
			return nil, err
		}
	}
	if err := fn(ctx, c); err != nil {
		return nil, err
	}
	// The API call's audit row, last as the tenant role, in the same
	// transaction (see AuditRequest); then the jobs, as the login role.
	committed, err := c.auditCall(ctx)
	if err != nil {
		return nil, err
	}
	return committed, c.insertJobs(ctx)
}

// beginSQL is BEGIN and Tx's settings (role, search_path, actor) as one
// simple-protocol query, pgx's BeginQuery, so that a transaction starts in
// one round trip instead of two. The values are literals (the simple
// protocol takes no parameters; none may hold a quote's escape). With a
// guard, the role set is the tenant's only while the tenant is active (read
// as the login role, before the role changes, like tenantStatusSQL), else
// a role that does not exist: the query fails and Tx answers by the exact
// way. With a guard's API key, a third statement (as the tenant role)
// re-checks the key the same way (keySQL; keyChecked is then true). ok is
// false when a value cannot be written as a plain literal.
func (p *Platform) beginSQL(code string, s policy.Subject, guard *CallGuard) (query string, keyChecked, ok bool) {
	role, rok := literal(p.TenantRole(code))
	path, pok := literal(tenantSearchPath(code))
	actor, aok := literal(s.String())
	tenant, tok := literal(code)
	if !rok || !pok || !aok || !tok {
		return "", false, false
	}
	tenantRole := role
	if guard != nil {
		role = `coalesce((select ` + role + ` from platform.tenants t where t.code = ` + tenant + ` and t.status = 'active'), '-')`
	}
	query = `begin; select set_config('role', ` + role + `, true), set_config('search_path', ` + path +
		`, true), set_config('cpims.actor', ` + actor + `, true)`
	if guard != nil && guard.APIKey != "" {
		if check, ok := guard.keySQL(tenantRole, s); ok {
			query += "; " + check
			keyChecked = true
		}
	}
	return query, keyChecked, true
}

// keySQL is the guard's API key check as one statement of literals, run as
// the tenant role right after the settings (beginSQL): the key valid (not
// revoked, not expired, its account enabled) with the account, record scope
// and roles version the call was authenticated with, as checkKey asks, and
// its use recorded at most once a minute: the tenant schema's function
// api_key_check (migration 042), whose plans PostgreSQL keeps per
// connection (written out here, the same check was planned again on every
// call, 0.2 to 0.3 ms). It sets the role again to the
// tenant's (role, a literal) when all holds, else to a role that does not
// exist, so that the query fails and Tx takes the exact way (checkKey: the
// refusal's exact error, the key forgotten). ok is false when a value
// cannot be a plain literal.
func (g *CallGuard) keySQL(role string, s policy.Subject) (string, bool) {
	sum := sha256.Sum256([]byte(g.APIKey))
	account, aok := literal(s.ID)
	scope, sok := literal(s.Scope)
	version, vok := literal(g.PolicyVersion)
	now, nok := literal(g.Now.UTC().Format(time.RFC3339Nano))
	if !aok || !sok || !vok || !nok {
		return "", false
	}
	return `select set_config('role', case when api_key_check(decode('` + hex.EncodeToString(sum[:]) + `', 'hex'), ` +
		account + `, ` + scope + `, ` + version + `, ` + now + `::timestamptz) then ` + role + ` else '-' end, true)`, true
}

// literal is s as an SQL string literal; false for text that a literal
// would have to escape beyond doubling quotes (backslashes, NUL).
func literal(s string) (string, bool) {
	if strings.ContainsAny(s, "\\\x00") {
		return "", false
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
}

// Enqueue inserts a River job in this transaction, so it is committed or
// rolled back with the change that caused it. The tenant role has no access
// to River's schema: the insert runs as the login role. So that the
// transaction need not switch back to the tenant role afterwards (a round
// trip), the jobs are inserted last, after fn and the call's audit row,
// right before COMMIT (insertJobs); an insert that fails there fails the
// transaction as before.
func (c *Conn) Enqueue(_ context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if args == nil {
		return errors.New("tenancy: Enqueue without job args")
	}
	c.jobs = append(c.jobs, pendingJob{args: args, opts: opts})
	return nil
}

// pendingJob is a job Enqueue keeps for insertJobs.
type pendingJob struct {
	args river.JobArgs
	opts *river.InsertOpts
}

// insertJobs inserts the jobs enqueued in c, as the login role: the last
// statements before COMMIT, so the role is not set back.
func (c *Conn) insertJobs(ctx context.Context) error {
	if len(c.jobs) == 0 {
		return nil
	}
	if err := resetRole(ctx, c.Tx); err != nil {
		return err
	}
	for _, j := range c.jobs {
		if _, err := c.p.inserter.InsertTx(ctx, c.Tx, j.args, j.opts); err != nil {
			return err
		}
	}
	c.jobs = nil
	return nil
}

// Authorize checks that the transaction's subject may perform perm in its
// tenant: the fail-closed check of domain functions that run inside another
// package's transaction (e.g. the forms validator reading locations).
// Not allowed: ErrForbidden.
func (c *Conn) Authorize(perm policy.Permission) error {
	ok, err := c.p.cfg.Authorizer.Allowed(c.subject, c.tenant, perm)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s may not %s in tenant %s", ErrForbidden, c.subject, perm, c.tenant)
	}
	return nil
}

// readOnce runs query, one select whose values are all literals, on tenant
// code's data as the actor in ctx, in one round trip: the settings of Tx
// (role, search_path, actor) and the query sent together as one
// simple-protocol query. PostgreSQL runs the statements of such a query as
// one implicit transaction, so the settings (set_config's is_local) end
// with it, as a Tx's do with its commit; there is no BEGIN or COMMIT to
// send. scan reads the query's rows. For reads that start a request before
// it has a transaction of its own (the member signing in): a Tx would take
// three round trips. ok is false (nothing run) when a setting cannot be a
// plain literal: use Tx then.
func (p *Platform) readOnce(ctx context.Context, code, query string, scan func(pgx.Rows) error) (ok bool, err error) {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return true, err
	}
	if ValidateCode(code) != nil {
		return true, ErrNotFound
	}
	role, rok := literal(p.TenantRole(code))
	path, pok := literal(tenantSearchPath(code))
	actor, aok := literal(s.String())
	if !rok || !pok || !aok {
		return false, nil
	}
	sql := `select set_config('role', ` + role + `, true), set_config('search_path', ` + path +
		`, true), set_config('cpims.actor', ` + actor + `, true); ` + query
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return true, err
	}
	defer conn.Release()
	// The pool's tracer sees it as any other query (it goes below pgx's Query).
	tracer, _ := conn.Conn().Config().Tracer.(pgx.QueryTracer)
	if tracer != nil {
		ctx = tracer.TraceQueryStart(ctx, conn.Conn(), pgx.TraceQueryStartData{SQL: sql})
	}
	mrr := conn.Conn().PgConn().Exec(ctx, sql)
	var scanErr error
	for i := 0; mrr.NextResult(); i++ {
		rr := mrr.ResultReader()
		if i != 1 {
			_, _ = rr.Close() // the settings' row; an error also ends mrr
			continue
		}
		rows := pgx.RowsFromResultReader(conn.Conn().TypeMap(), rr)
		scanErr = scan(rows)
		rows.Close()
		if scanErr == nil {
			scanErr = rows.Err()
		}
	}
	err = mrr.Close()
	if tracer != nil {
		tracer.TraceQueryEnd(ctx, conn.Conn(), pgx.TraceQueryEndData{Err: err})
	}
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "22023" { // invalid_parameter_value: role does not exist
			return true, ErrNotFound
		}
		return true, err
	}
	return true, scanErr
}
