package tenancy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Provision builds a tenant registered by Create: its role, its schema at the
// latest migration, its grants and its default configuration, then marks it
// active, all in one transaction. If any step fails nothing is left behind
// (PostgreSQL DDL, roles included, is transactional), the tenant is marked
// failed with the reason, and the error is returned. Provisioning a tenant
// that is not in status provisioning does nothing.
func (p *Platform) Provision(ctx context.Context, code string) error {
	return p.provision(ctx, code, len(p.tenantMigrations))
}

func (p *Platform) provision(ctx context.Context, code string, version int) error {
	t, err := p.Get(ctx, code)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if t.Status != StatusProvisioning {
		return nil
	}
	start := time.Now()
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		// An advisory lock, not a row lock: progress is written to the row meanwhile.
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('cpims.tenant.' || $1))", code); err != nil {
			return err
		}
		var status Status
		if err := tx.QueryRow(ctx, "select status from platform.tenants where code = $1", code).Scan(&status); err != nil {
			return err
		}
		if status != StatusProvisioning {
			return errAlreadyDone
		}
		p.progress(ctx, code, "creating role and schema")
		if err := p.createSchema(ctx, tx, code); err != nil {
			return err
		}
		if err := setRole(ctx, tx, p.OwnerRole(), SchemaName(code)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(ensureVersionTable, "schema_version")); err != nil {
			return err
		}
		for i := range version {
			p.progress(ctx, code, fmt.Sprintf("applying migration %d/%d (%s)", i+1, version, p.tenantMigrations[i].Name))
			if err := applyMigrations(ctx, tx, p.tenantMigrations, "schema_version", i, i+1); err != nil {
				return err
			}
		}
		if err := p.applyGrants(ctx, tx, code); err != nil {
			return err
		}
		p.progress(ctx, code, "seeding the default configuration")
		// Seed as the tenant role itself: this also proves its grants work.
		if err := setRole(ctx, tx, p.TenantRole(code), SchemaName(code)); err != nil {
			return err
		}
		if err := seed(ctx, tx, t); err != nil {
			return fmt.Errorf("seeding default configuration: %w", err)
		}
		// Seeds target the latest schema; older versions are provisioned only to test upgrades.
		if version == len(p.tenantMigrations) {
			for _, fn := range p.cfg.Seed {
				if err := fn(ctx, tx, t); err != nil {
					return fmt.Errorf("seeding default configuration: %w", err)
				}
			}
		}
		if err := resetRole(ctx, tx); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `update platform.tenants set status = 'active', schema_version = $2, progress = 'ready',
			failure = '', updated_at = now() where code = $1`, code, version)
		if err != nil {
			return err
		}
		// Delivered when the transaction commits.
		_, err = tx.Exec(ctx, "select pg_notify($1, $2 || ' ready')", progressChannel, code)
		return err
	})
	if errors.Is(err, errAlreadyDone) {
		return nil
	}
	if err != nil {
		p.log.ErrorContext(ctx, "tenant provisioning failed", "tenant", code, "error", err)
		// A fresh context: the job's may be the reason we failed.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, ferr := p.pool.Exec(fctx, `update platform.tenants set status = 'failed', progress = 'failed',
			failure = $2, updated_at = now() where code = $1 and status = 'provisioning'`, code, err.Error()); ferr != nil {
			return errors.Join(err, ferr)
		}
		_, _ = p.pool.Exec(fctx, "select pg_notify($1, $2 || ' failed')", progressChannel, code)
		return err
	}
	p.log.InfoContext(ctx, "tenant provisioned", "tenant", code, "schema_version", version, "duration", time.Since(start))
	return nil
}

var errAlreadyDone = errors.New("tenant already provisioned")

// progressChannel carries "<code> <step>" notifications about provisioning.
const progressChannel = "cpims_tenant_progress"

// WaitProvisioned blocks until tenant code is no longer provisioning and
// returns it, calling step (if set) with each progress step as it happens.
// It listens for the provisioning job's notifications, and re-reads the
// tenant every few seconds in case a notification was missed. Steps taken
// before it was called are reported as the tenant's current step only: a
// caller that starts the provisioning itself watches first
// (WatchProvisioning).
func (p *Platform) WaitProvisioned(ctx context.Context, code string, step func(string)) (Tenant, error) {
	w, err := p.WatchProvisioning(ctx)
	if err != nil {
		return Tenant{}, err
	}
	defer w.Close(ctx)
	return w.wait(ctx, code, step, true)
}

// ProvisionWatch receives the provisioning job's progress notifications
// from the moment WatchProvisioning returns.
type ProvisionWatch struct {
	p    *Platform
	conn *pgx.Conn
}

// WatchProvisioning starts listening for provisioning progress. Opened
// before a tenant is created, or before the workers that provision it
// start, its Wait reports every step, the first migration included (a job
// that starts before anyone listens has its first steps' notifications
// lost: `cpims tenant create` printed from "applying migration 4/47" when
// its own workers were quicker than its LISTEN). Close it when done.
func (p *Platform) WatchProvisioning(ctx context.Context) (*ProvisionWatch, error) {
	pooled, err := p.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	// LISTEN is session state: this connection must not go back to the pool.
	conn := pooled.Hijack()
	if _, err := conn.Exec(ctx, "listen "+progressChannel); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return &ProvisionWatch{p: p, conn: conn}, nil
}

// Close ends the watch and its connection.
func (w *ProvisionWatch) Close(ctx context.Context) { _ = w.conn.Close(context.WithoutCancel(ctx)) }

// Wait is WaitProvisioned for a provisioning that started after the watch
// did: each step is reported from its notification, in order, never the
// tenant's current step first (which may be ahead of the notifications not
// yet read), unless the notifications fall silent for a few seconds.
func (w *ProvisionWatch) Wait(ctx context.Context, code string, step func(string)) (Tenant, error) {
	return w.wait(ctx, code, step, false)
}

// wait reads the tenant, reporting its current step when current is set
// or after a silence, until it is no longer provisioning.
func (w *ProvisionWatch) wait(ctx context.Context, code string, step func(string), current bool) (Tenant, error) {
	last := ""
	report := func(s string) {
		if s != last && step != nil {
			step(s)
		}
		last = s
	}
	for {
		t, err := w.p.Get(ctx, code)
		if err != nil {
			return t, err
		}
		if t.Status != StatusProvisioning {
			if !current {
				// Done before Wait: the steps notified meanwhile first.
				if err := w.notified(ctx, code, 200*time.Millisecond, report); err != nil {
					return t, err
				}
			}
			report(t.Progress)
			return t, nil
		}
		if current {
			report(t.Progress)
		}
		current = true // from now on only after a silence
		if err := w.notified(ctx, code, 3*time.Second, report); err != nil {
			return t, err
		}
	}
}

// notified reports the steps of tenant code's notifications until quiet
// passes without one or its provisioning ends; it returns only the
// context's error.
func (w *ProvisionWatch) notified(ctx context.Context, code string, quiet time.Duration, report func(string)) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, quiet)
		n, err := w.conn.WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return nil // quiet
		}
		c, s, _ := strings.Cut(n.Payload, " ")
		if c != code {
			continue
		}
		if s == "ready" || s == "failed" {
			return nil
		}
		report(s)
	}
}

// createSchema creates the tenant role and schema, refusing to adopt leftovers.
func (p *Platform) createSchema(ctx context.Context, tx pgx.Tx, code string) error {
	schema, role := SchemaName(code), p.TenantRole(code)
	var schemaExists, roleExists bool
	err := tx.QueryRow(ctx, `select exists (select from pg_namespace where nspname = $1),
		exists (select from pg_roles where rolname = $2)`, schema, role).Scan(&schemaExists, &roleExists)
	if err != nil {
		return err
	}
	if schemaExists || roleExists {
		return fmt.Errorf("schema %s or role %s already exists but belongs to no tenant: inspect and drop it before creating tenant %q", schema, role, code)
	}
	_, err = tx.Exec(ctx, "create role "+ident(role)+" nologin noinherit; grant "+ident(role)+" to current_user; "+
		"create schema "+ident(schema)+" authorization "+ident(p.OwnerRole()))
	return err
}

// progress records a human-readable step outside the provisioning transaction,
// so that `cpims tenant create` and the platform API can show it.
func (p *Platform) progress(ctx context.Context, code, step string) {
	if _, err := p.pool.Exec(ctx, `update platform.tenants set progress = $2 where code = $1;`, code, step); err != nil {
		p.log.WarnContext(ctx, "recording provisioning progress", "tenant", code, "error", err)
	}
	if _, err := p.pool.Exec(ctx, "select pg_notify($1, $2 || ' ' || $3)", progressChannel, code, step); err != nil {
		p.log.WarnContext(ctx, "recording provisioning progress", "tenant", code, "error", err)
	}
}

// seed writes a new tenant's default configuration. It runs as the tenant role.
func seed(ctx context.Context, tx pgx.Tx, t Tenant) error {
	_, err := tx.Exec(ctx, `insert into system_settings (name, default_locale, locales) values ($1, $2, $3)`,
		t.Name, t.Locales[0], t.Locales)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `insert into modules (unique_id, name, associated_record_types, position) values
		('primeromodule-cp', '{"en": "CP", "fr": "PE", "es": "PI", "ar": "حماية الطفل"}', '{case,tracing_request,incident}', 1)`)
	return err
}

// PurgeHook removes what a tenant keeps outside the database (e.g. its
// stored files: storage.Store.DeletePrefix) when the tenant is purged. It
// must be idempotent: a failed purge is tried again at the next run.
type PurgeHook func(ctx context.Context, code string) error

// PurgeDue drops the schema and role of every tenant whose deletion grace
// period ended before now, and forgets the tenant. For each tenant the hooks
// run first, while the tenant's row is locked (so it cannot be resumed
// meanwhile); if one fails, that tenant is kept for the next purge and the
// others go on. It returns the purged codes and the failures, joined.
func (p *Platform) PurgeDue(ctx context.Context, now time.Time, hooks ...PurgeHook) ([]string, error) {
	rows, err := p.pool.Query(ctx, "select code from platform.tenants where status = 'deleting' and delete_after <= $1 order by code", now)
	if err != nil {
		return nil, err
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var purged []string
	var errs []error
	for _, code := range codes {
		due := false
		err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, "delete from platform.tenants where code = $1 and status = 'deleting' and delete_after <= $2", code, now)
			if err != nil || tag.RowsAffected() == 0 {
				return err // resumed meanwhile, or purged by another worker
			}
			due = true
			for _, h := range hooks {
				if err := h(ctx, code); err != nil {
					return err
				}
			}
			if err := setRole(ctx, tx, p.OwnerRole(), ""); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "drop schema if exists "+ident(SchemaName(code))+" cascade"); err != nil {
				return err
			}
			if err := resetRole(ctx, tx); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, "drop role if exists "+ident(p.TenantRole(code)))
			return err
		})
		switch {
		case err != nil:
			p.log.ErrorContext(ctx, "tenant purge failed; kept for the next purge", "tenant", code, "error", err)
			errs = append(errs, fmt.Errorf("purging tenant %q: %w", code, err))
		case due:
			purged = append(purged, code)
			p.log.InfoContext(ctx, "tenant purged", "tenant", code)
		}
	}
	return purged, errors.Join(errs...)
}
