package tenancy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrations are parsed, ordered and templated by tern, but applied here: every
// tenant is migrated in one transaction running as the owner role with the
// tenant's search_path (tern's own runner takes one global advisory lock, which
// would serialise all tenants, and resets session settings between steps).
// Each transaction also records the new version in platform.tenants, so a
// tenant is either fully at the old version or fully at the new one, and an
// interrupted `cpims migrate` simply resumes with the tenants still behind.

func loadMigrations(fsys fs.FS) ([]*migrate.Migration, error) {
	m, err := migrate.NewMigrator(context.Background(), nil, "")
	if err != nil {
		return nil, err
	}
	if err := m.LoadMigrations(fsys); err != nil {
		return nil, err
	}
	return m.Migrations, nil
}

// applyMigrations runs migrations (from, to] in tx and records the version in versionTable.
func applyMigrations(ctx context.Context, tx pgx.Tx, ms []*migrate.Migration, versionTable string, from, to int) error {
	for i := from; i < to; i++ {
		m := ms[i]
		if _, err := tx.Exec(ctx, m.UpSQL); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	if from == to {
		return nil
	}
	_, err := tx.Exec(ctx, "update "+versionTable+" set version = $1", to)
	return err
}

const ensureVersionTable = `
create table if not exists %[1]s (version integer not null);
insert into %[1]s (version) select 0 where not exists (select from %[1]s)`

// MigratePlatform brings the platform schema and River's schema up to date and
// makes sure the owner role exists and the login role may act as it. It is
// safe to run concurrently and repeatedly.
func (p *Platform) MigratePlatform(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('cpims.migrate.platform'))"); err != nil {
			return err
		}
		if err := p.ensureRole(ctx, tx, p.OwnerRole()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "create schema if not exists "+PlatformSchema+"; create schema if not exists "+RiverSchema); err != nil {
			return fmt.Errorf("creating schemas (the login role needs CREATE on the database): %w", err)
		}
		if err := ensureExtensions(ctx, tx); err != nil {
			return err
		}
		vt := PlatformSchema + ".schema_version"
		if _, err := tx.Exec(ctx, fmt.Sprintf(ensureVersionTable, vt)); err != nil {
			return err
		}
		var cur int
		if err := tx.QueryRow(ctx, "select version from "+vt).Scan(&cur); err != nil {
			return err
		}
		if cur > len(p.platformMigrations) {
			return fmt.Errorf("platform schema is at version %d, newer than this binary knows (%d): run a newer cpims", cur, len(p.platformMigrations))
		}
		if _, err := tx.Exec(ctx, "select set_config('search_path', $1, true)", PlatformSchema); err != nil {
			return err
		}
		return applyMigrations(ctx, tx, p.platformMigrations, vt, cur, len(p.platformMigrations))
	})
	if err != nil {
		return fmt.Errorf("migrating platform schema: %w", err)
	}
	rm, err := rivermigrate.New(riverpgxv5.New(p.pool), &rivermigrate.Config{Schema: RiverSchema, Logger: p.log})
	if err != nil {
		return err
	}
	if _, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrating River schema: %w", err)
	}
	return nil
}

// extensions are the PostgreSQL extensions tenant migrations rely on. Each
// must be trusted (PostgreSQL 13+), so that the database owner (our login
// role, not a superuser) may create it.
var extensions = []string{"ltree", "pg_trgm"}

// ensureExtensions creates the shared extensions schema (owned by the login
// role; everyone may use it, nobody else create in it) and the extensions in
// it, once per database. An extension already installed in another schema is
// refused with the statement that fixes it: tenant transactions only look in
// their own schema and ExtensionsSchema.
func ensureExtensions(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "create schema if not exists "+ExtensionsSchema+"; grant usage on schema "+ExtensionsSchema+" to public"); err != nil {
		return fmt.Errorf("creating schema %s: %w", ExtensionsSchema, err)
	}
	for _, ext := range extensions {
		var schema string
		err := tx.QueryRow(ctx, `select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
			where e.extname = $1`, ext).Scan(&schema)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if _, err := tx.Exec(ctx, "create extension "+ident(ext)+" with schema "+ExtensionsSchema); err != nil {
				return fmt.Errorf("creating extension %s (the login role must own the database; PostgreSQL 13+ lets a database owner create trusted extensions): %w", ext, err)
			}
		case err != nil:
			return err
		case schema != ExtensionsSchema:
			return fmt.Errorf("extension %s is installed in schema %s, but cpims needs it in schema %s: run ALTER EXTENSION %s SET SCHEMA %s as its owner",
				ext, schema, ExtensionsSchema, ext, ExtensionsSchema)
		}
	}
	return nil
}

// ensureRole creates a NOLOGIN role if missing and lets the login role SET ROLE to it.
func (p *Platform) ensureRole(ctx context.Context, tx pgx.Tx, role string) error {
	var exists bool
	if err := tx.QueryRow(ctx, "select exists (select from pg_roles where rolname = $1)", role).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := tx.Exec(ctx, "create role "+ident(role)+" nologin noinherit"); err != nil {
			return fmt.Errorf("creating role %s (the login role needs CREATEROLE): %w", role, err)
		}
	}
	_, err := tx.Exec(ctx, "grant "+ident(role)+" to current_user")
	return err
}

// PlatformUpToDate reports whether the platform schema is at this binary's version.
func (p *Platform) PlatformUpToDate(ctx context.Context) (bool, error) {
	var v int
	err := p.pool.QueryRow(ctx, "select version from "+PlatformSchema+".schema_version").Scan(&v)
	if err != nil {
		return false, err
	}
	return v == len(p.platformMigrations), nil
}

// TenantVersion is one tenant's migration state.
type TenantVersion struct {
	Code    string `json:"code"`
	Status  Status `json:"status"`
	Version int    `json:"schema_version"`
	Latest  int    `json:"latest_version"`
}

// MigrationStatus lists every tenant's schema version.
func (p *Platform) MigrationStatus(ctx context.Context) ([]TenantVersion, error) {
	rows, err := p.pool.Query(ctx, "select code, status, schema_version from platform.tenants order by code")
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (TenantVersion, error) {
		var v TenantVersion
		err := r.Scan(&v.Code, &v.Status, &v.Version)
		v.Latest = len(p.tenantMigrations)
		return v, err
	})
	return out, err
}

// TenantsBehind counts live tenants whose schema is older than this binary's migrations.
func (p *Platform) TenantsBehind(ctx context.Context) (int, error) {
	var n int
	err := p.pool.QueryRow(ctx, "select count(*) from platform.tenants where status in ('active','suspended','deleting') and schema_version < $1",
		len(p.tenantMigrations)).Scan(&n)
	return n, err
}

// MigrateReport summarises a MigrateTenants run.
type MigrateReport struct {
	Total    int              // tenants considered
	Migrated int              // tenants brought up to date by this run
	UpToDate int              // tenants that already were
	Failed   map[string]error // tenants that failed, left at their previous version
}

// MigrateOptions tunes MigrateTenants.
type MigrateOptions struct {
	// Progress, if set, is called after each tenant (from several goroutines, serialised).
	Progress func(code string, err error)
}

// MigrateTenants brings every live tenant's schema to the latest version,
// MigrateConcurrency tenants at a time. A failing tenant does not stop the
// others; it is reported and stays at its previous version.
func (p *Platform) MigrateTenants(ctx context.Context, opts MigrateOptions) (MigrateReport, error) {
	rows, err := p.pool.Query(ctx, "select code, schema_version from platform.tenants where status in ('active','suspended','deleting') order by code")
	if err != nil {
		return MigrateReport{}, err
	}
	type tv struct {
		code string
		ver  int
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tv, error) {
		var t tv
		return t, r.Scan(&t.code, &t.ver)
	})
	if err != nil {
		return MigrateReport{}, err
	}
	rep := MigrateReport{Total: len(all), Failed: map[string]error{}}
	latest := len(p.tenantMigrations)
	var mu sync.Mutex
	work := make(chan tv)
	var wg sync.WaitGroup
	for range min(p.cfg.MigrateConcurrency, max(len(all), 1)) {
		wg.Go(func() {
			for t := range work {
				var err error
				migrated := false
				if t.ver < latest {
					migrated, err = p.migrateTenant(ctx, t.code, latest)
				}
				mu.Lock()
				switch {
				case err != nil:
					rep.Failed[t.code] = err
				case migrated:
					rep.Migrated++
				default:
					rep.UpToDate++
				}
				if opts.Progress != nil {
					opts.Progress(t.code, err)
				}
				mu.Unlock()
			}
		})
	}
	for _, t := range all {
		select {
		case work <- t:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	return rep, nil
}

// migrateTenant migrates one tenant to version to in one transaction.
func (p *Platform) migrateTenant(ctx context.Context, code string, to int) (bool, error) {
	migrated := false
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		var cur int
		err := tx.QueryRow(ctx, "select schema_version from platform.tenants where code = $1 and status in ('active','suspended','deleting') for update", code).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // deleted or purged meanwhile
		}
		if err != nil {
			return err
		}
		if cur >= to {
			return nil
		}
		if _, err := tx.Exec(ctx, "select set_config('lock_timeout', '10s', true)"); err != nil {
			return err
		}
		if err := p.upgradeSchema(ctx, tx, code, cur, to); err != nil {
			return err
		}
		migrated = true
		return nil
	})
	return migrated, err
}

// upgradeSchema applies tenant migrations (from, to] to an existing schema as the
// owner role, re-applies grants and records the version; it ends with the
// login role and no search_path, as it started.
func (p *Platform) upgradeSchema(ctx context.Context, tx pgx.Tx, code string, from, to int) error {
	if err := setRole(ctx, tx, p.OwnerRole(), SchemaName(code)); err != nil {
		return err
	}
	if err := applyMigrations(ctx, tx, p.tenantMigrations, "schema_version", from, to); err != nil {
		return err
	}
	if err := p.applyGrants(ctx, tx, code); err != nil {
		return err
	}
	if err := resetRole(ctx, tx); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "update platform.tenants set schema_version = $2, updated_at = now() where code = $1", code, to)
	return err
}

// applyGrants gives the tenant role exactly what it needs on its own schema:
// DML on tables, SELECT and INSERT only on append-only tables (comment starting
// with "append-only") and SELECT only on schema_version. Runs as the owner role.
func (p *Platform) applyGrants(ctx context.Context, tx pgx.Tx, code string) error {
	schema, role := ident(SchemaName(code)), ident(p.TenantRole(code))
	rows, err := tx.Query(ctx, `
		select c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') like 'append-only%'
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = $1 and c.relkind in ('r', 'p', 'v')
		order by c.relname`, SchemaName(code))
	if err != nil {
		return err
	}
	type table struct {
		name       string
		appendOnly bool
	}
	tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (table, error) {
		var t table
		return t, r.Scan(&t.name, &t.appendOnly)
	})
	if err != nil {
		return err
	}
	stmts := "grant usage on schema " + schema + " to " + role + ";\n" +
		"grant usage, select on all sequences in schema " + schema + " to " + role + ";\n"
	for _, t := range tables {
		tbl := schema + "." + ident(t.name)
		switch {
		case t.name == "schema_version":
			stmts += "revoke all on " + tbl + " from " + role + "; grant select on " + tbl + " to " + role + ";\n"
		case t.appendOnly:
			stmts += "revoke all on " + tbl + " from " + role + "; grant select, insert on " + tbl + " to " + role + ";\n"
		default:
			stmts += "grant select, insert, update, delete on " + tbl + " to " + role + ";\n"
		}
	}
	_, err = tx.Exec(ctx, stmts)
	return err
}

// setRole switches the current transaction to role, with schema (then the
// shared extensions) as search_path (SET LOCAL semantics).
func setRole(ctx context.Context, tx pgx.Tx, role, schema string) error {
	_, err := tx.Exec(ctx, "select set_config('role', $1, true), set_config('search_path', $2, true)", role, searchPath(schema))
	return err
}

// resetRole returns the transaction to the login role with an empty search_path.
func resetRole(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "select set_config('role', 'none', true), set_config('search_path', '', true)")
	return err
}
