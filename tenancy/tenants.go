package tenancy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cpims-hosted/cpims/policy"
)

// Status is a tenant's lifecycle state.
type Status string

// Tenant statuses.
const (
	StatusProvisioning Status = "provisioning" // the provisioning job has not finished
	StatusActive       Status = "active"       // serving requests
	StatusSuspended    Status = "suspended"    // data kept, API refuses requests
	StatusDeleting     Status = "deleting"     // inaccessible; purged after DeleteAfter
	StatusFailed       Status = "failed"       // provisioning failed; nothing was left behind
)

// Tenant is one country deployment as the control plane sees it.
type Tenant struct {
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	Locales       []string   `json:"locales"`
	Status        Status     `json:"status"`
	Progress      string     `json:"progress"`
	Failure       string     `json:"failure,omitempty"`
	SchemaName    string     `json:"schema" doc:"PostgreSQL schema holding the tenant's data."`
	SchemaVersion int        `json:"schema_version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	SuspendedAt   *time.Time `json:"suspended_at,omitempty"`
	DeleteAfter   *time.Time `json:"delete_after,omitempty"`
	CORSOrigins   []string   `json:"cors_origins"`
}

const tenantColumns = `code, name, locales, status, progress, failure, schema_version, created_at, updated_at, suspended_at, delete_after, cors_origins`

func scanTenant(row pgx.Row) (Tenant, error) {
	var t Tenant
	err := row.Scan(&t.Code, &t.Name, &t.Locales, &t.Status, &t.Progress, &t.Failure, &t.SchemaVersion,
		&t.CreatedAt, &t.UpdatedAt, &t.SuspendedAt, &t.DeleteAfter, &t.CORSOrigins)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, ErrNotFound
	}
	t.SchemaName = SchemaName(t.Code)
	return t, err
}

// CreateParams are the inputs of Create.
type CreateParams struct {
	Code    string
	Name    string
	Locales []string
}

func (c CreateParams) validate() error {
	if err := ValidateCode(c.Code); err != nil {
		return err
	}
	if n := len([]rune(c.Name)); n < 1 || n > 200 {
		return &InvalidError{Field: "name", Value: c.Name, Reason: "must be 1 to 200 characters"}
	}
	return ValidateLocales(c.Locales)
}

// ProvisionArgs is the River job that builds a new tenant's schema.
type ProvisionArgs struct {
	Code string `json:"code"`
}

// Kind implements river.JobArgs.
func (ProvisionArgs) Kind() string { return "provision_tenant" }

// InsertOpts makes provisioning jobs unique per tenant code.
func (ProvisionArgs) InsertOpts() river.InsertOpts {
	// Completed jobs do not count, so that a failed tenant can be created again.
	return river.InsertOpts{Queue: QueuePlatform, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// QueuePlatform is the River queue of control-plane jobs.
const QueuePlatform = "platform"

// Create registers a tenant in status provisioning and enqueues its
// provisioning job in the same transaction. The tenant becomes active when
// the job has run (see Provision). Creating a tenant whose provisioning
// failed tries again.
func (p *Platform) Create(ctx context.Context, params CreateParams) (Tenant, error) {
	if err := params.validate(); err != nil {
		return Tenant{}, err
	}
	var t Tenant
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		var err error
		t, err = scanTenant(tx.QueryRow(ctx,
			`insert into platform.tenants (code, name, locales, progress) values ($1, $2, $3, 'queued')
			 on conflict (code) do update
			   set name = excluded.name, locales = excluded.locales, status = 'provisioning',
			       progress = 'queued', failure = '', updated_at = now()
			   where platform.tenants.status = 'failed'
			 returning `+tenantColumns, params.Code, params.Name, params.Locales))
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w: a tenant with code %q already exists", ErrConflict, params.Code)
		}
		if err != nil {
			return err
		}
		_, err = p.inserter.InsertTx(ctx, tx, ProvisionArgs{Code: params.Code}, nil)
		return err
	})
	return t, err
}

// Get returns one tenant.
func (p *Platform) Get(ctx context.Context, code string) (Tenant, error) {
	if ValidateCode(code) != nil {
		return Tenant{}, ErrNotFound
	}
	return scanTenant(p.pool.QueryRow(ctx, "select "+tenantColumns+" from platform.tenants where code = $1", code))
}

// List returns every tenant, ordered by code.
func (p *Platform) List(ctx context.Context) ([]Tenant, error) {
	rows, err := p.pool.Query(ctx, "select "+tenantColumns+" from platform.tenants order by code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tenant
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// EachActive calls f with the code of each active tenant, in code order,
// for the platform's periodic jobs. A tenant whose call fails does not stop
// the others; the failures are returned together, each with its tenant's
// code (the job is retried).
func (p *Platform) EachActive(ctx context.Context, f func(code string) error) error {
	tenants, err := p.List(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range tenants {
		if t.Status != StatusActive {
			continue
		}
		if err := f(t.Code); err != nil {
			errs = append(errs, fmt.Errorf("tenant %q: %w", t.Code, err))
		}
	}
	return errors.Join(errs...)
}

// Suspend makes an active tenant refuse API requests; its data is kept.
func (p *Platform) Suspend(ctx context.Context, code string) (Tenant, error) {
	return p.transition(ctx, code, "suspend", []Status{StatusActive},
		"status = 'suspended', suspended_at = now(), progress = 'suspended by operator'")
}

// Resume reactivates a suspended tenant, or cancels a pending deletion.
func (p *Platform) Resume(ctx context.Context, code string) (Tenant, error) {
	return p.transition(ctx, code, "resume", []Status{StatusSuspended, StatusDeleting},
		"status = 'active', suspended_at = null, delete_after = null, progress = 'resumed by operator'")
}

// Delete schedules a tenant's removal after the grace period. confirm must
// repeat the tenant code. Until then the tenant is inaccessible and Resume
// restores it; afterwards Purge drops its schema and role for good.
func (p *Platform) Delete(ctx context.Context, code, confirm string) (Tenant, error) {
	if confirm != code {
		return Tenant{}, &InvalidError{In: "query", Field: "confirm", Value: confirm,
			Reason: fmt.Sprintf("must repeat the tenant code (%q) to confirm deletion", code)}
	}
	return p.transition(ctx, code, "delete", []Status{StatusActive, StatusSuspended, StatusFailed},
		fmt.Sprintf("status = 'deleting', delete_after = now() + interval '%d seconds', progress = 'deletion scheduled'",
			int64(p.cfg.DeleteGrace/time.Second)))
}

func (p *Platform) transition(ctx context.Context, code, op string, from []Status, set string) (Tenant, error) {
	var t Tenant
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		cur, err := scanTenant(tx.QueryRow(ctx, "select "+tenantColumns+" from platform.tenants where code = $1 for update", code))
		if err != nil {
			return err
		}
		ok := false
		for _, s := range from {
			ok = ok || cur.Status == s
		}
		if !ok {
			return &StateError{Code: code, Status: cur.Status, Op: op}
		}
		t, err = scanTenant(tx.QueryRow(ctx, "update platform.tenants set "+set+", updated_at = now() where code = $1 returning "+tenantColumns, code))
		return err
	})
	p.tenants.forget(code)
	if err == nil {
		p.log.InfoContext(ctx, "tenant "+op, "tenant", code, "actor", actorName(ctx))
	}
	return t, err
}

// Lookup resolves a tenant for a request: ErrNotFound when unknown or not yet
// provisioned, ErrSuspended when suspended or being deleted.
//
// An active tenant's row is kept for Config.TenantCacheTTL: changes through this Platform
// (Suspend, Resume, Delete, a change of origins or languages, ...) forget it at once; another
// process's change arrives within the TTL, but every API call's transaction
// checks the status itself (CallGuard), so a suspension stops tenant data at once.
func (p *Platform) Lookup(ctx context.Context, code string) (Tenant, error) {
	now := time.Now()
	t, ok := p.tenants.get(code, now)
	if !ok {
		var err error
		if t, err = p.Get(ctx, code); err != nil {
			return t, err
		}
		if t.Status == StatusActive { // others are answered from the database: rare, and resumed at once
			p.tenants.put(t, now)
		}
	}
	switch t.Status {
	case StatusActive:
		return t, nil
	case StatusSuspended, StatusDeleting:
		return t, ErrSuspended
	default:
		return t, ErrNotFound
	}
}

func actorName(ctx context.Context) string {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return "unknown"
	}
	return s.String()
}
