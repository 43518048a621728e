package tenancy_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type testBundle struct {
	db *testdb.DB
	p  *tenancy.Platform
}

func setup(t *testing.T) (context.Context, *testBundle) {
	t.Helper()
	db := testdb.New(t)
	return policy.WithSubject(context.Background(), policy.System("test")),
		&testBundle{db: db, p: db.Platform(t, tenancy.Config{})}
}

func provisioned(ctx context.Context, t *testing.T, p *tenancy.Platform, code, name string) {
	t.Helper()
	_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: name, Locales: []string{"en", "fr"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(ctx, code))
	tn, err := p.Get(ctx, code)
	require.NoError(t, err)
	require.Equal(t, tenancy.StatusActive, tn.Status)
}

func requirePgCode(t *testing.T, err error, code string) {
	t.Helper()
	var pe *pgconn.PgError
	require.ErrorAs(t, err, &pe, "expected a PostgreSQL error %s, got %v", code, err)
	require.Equal(t, code, pe.Code, pe.Message)
}

const insufficientPrivilege = "42501"

func TestIsolation(t *testing.T) {
	t.Parallel()

	t.Run("CrossTenantSchemaQualifiedSQLIsDenied", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		provisioned(ctx, t, b.p, "bb", "Country B")
		for _, q := range []string{
			"select name from tenant_bb.system_settings",
			"insert into tenant_bb.audit_logs (actor, action, outcome) values ('x', 'y', 'allowed')",
			"update tenant_bb.system_settings set name = 'pwned'",
			"delete from tenant_bb.modules",
			"select code from platform.tenants",
			"select id from river.river_job",
			"create table tenant_aa.sneaky (id int)",
			"drop table system_settings",
		} {
			err := b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
				_, err := c.Exec(ctx, q)
				return err
			})
			requirePgCode(t, err, insufficientPrivilege)
		}
		s, err := settings.New(b.p).GetSystemSettings(ctx, "bb")
		require.NoError(t, err)
		require.Equal(t, "Country B", s.Name)
	})

	t.Run("LoginRoleHasNoTenantPrivileges", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		_, err := b.db.Pool.Exec(ctx, "select name from tenant_aa.system_settings")
		requirePgCode(t, err, insufficientPrivilege)
		var inherits bool
		require.NoError(t, b.db.Pool.QueryRow(ctx, "select rolinherit from pg_roles where rolname = current_user").Scan(&inherits))
		require.False(t, inherits)
	})

	t.Run("ConcurrentTenantsOnSmallPoolNeverMix", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		provisioned(ctx, t, b.p, "bb", "Country B")
		cfg, err := pgxpool.ParseConfig(b.db.URL)
		require.NoError(t, err)
		cfg.MaxConns = 2
		small, err := pgxpool.NewWithConfig(ctx, cfg)
		require.NoError(t, err)
		defer small.Close()
		p, err := tenancy.New(small, tenancy.Config{RolePrefix: b.db.RolePrefix})
		require.NoError(t, err)
		want := map[string]string{"aa": "Country A", "bb": "Country B"}
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 200 {
			code := []string{"aa", "bb"}[i%2]
			wg.Go(func() {
				s, err := settings.New(p).GetSystemSettings(ctx, code)
				if err == nil && s.Name != want[code] {
					err = fmt.Errorf("tenant %s saw %q", code, s.Name)
				}
				// After each transaction the pooled connection is back to the login role.
				if err == nil {
					var user, path string
					err = small.QueryRow(ctx, "select current_user, current_setting('search_path')").Scan(&user, &path)
					if err == nil && (user != testdb.AppRole || path != `"$user", public`) {
						err = fmt.Errorf("connection leaked settings: user %s, search_path %s", user, path)
					}
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	})

	t.Run("NoActorFailsClosed", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		called := false
		err := b.p.Tx(context.Background(), "aa", func(context.Context, *tenancy.Conn) error { called = true; return nil })
		require.ErrorIs(t, err, policy.ErrNoActor)
		require.False(t, called)
		_, err = settings.New(b.p).GetSystemSettings(context.Background(), "aa")
		require.ErrorIs(t, err, policy.ErrNoActor)
	})

	t.Run("UnknownTenantIsNotFound", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		for _, code := range []string{"zz", "Bad", "aa; drop table x"} {
			err := b.p.Tx(ctx, code, func(context.Context, *tenancy.Conn) error { return nil })
			require.ErrorIs(t, err, tenancy.ErrNotFound, code)
		}
	})
}

func TestAuditLogIsAppendOnlyForTenantRole(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "aa", "Country A")
	require.NoError(t, b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, "insert into audit_logs (actor, action, outcome) values ('user:1', 'cases:read', 'allowed')")
		return err
	}))
	for _, q := range []string{"update audit_logs set actor = 'x'", "delete from audit_logs", "truncate audit_logs", "update schema_version set version = 0"} {
		err := b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error { _, err := c.Exec(ctx, q); return err })
		requirePgCode(t, err, insufficientPrivilege)
	}
}

func TestEnqueueInTenantTx(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "aa", "Country A")
	commit := func(fail bool) error {
		return b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
			if err := c.Enqueue(ctx, testArgs{Tenant: "aa", Fail: fail}, nil); err != nil {
				return err
			}
			var user string
			if err := c.QueryRow(ctx, "select current_user").Scan(&user); err != nil {
				return err
			}
			if user != b.p.TenantRole("aa") {
				return fmt.Errorf("after Enqueue the transaction runs as %s", user)
			}
			if fail {
				return errors.New("rolled back")
			}
			return nil
		})
	}
	require.NoError(t, commit(false))
	require.Error(t, commit(true))
	var n int
	require.NoError(t, b.db.Pool.QueryRow(ctx, "select count(*) from river.river_job where kind = 'test_job'").Scan(&n))
	require.Equal(t, 1, n, "the rolled-back transaction's job must not exist")
}

type testArgs struct {
	Tenant string `json:"tenant"`
	Fail   bool   `json:"fail"`
}

func (testArgs) Kind() string { return "test_job" }

var _ river.JobArgs = testArgs{}

func TestCreateRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	cases := []struct {
		name   string
		params tenancy.CreateParams
		field  string
	}{
		{"Uppercase", tenancy.CreateParams{Code: "KE", Name: "Kenya", Locales: []string{"en"}}, "code"},
		{"TooLong", tenancy.CreateParams{Code: "abcdefghijklmnopq", Name: "X", Locales: []string{"en"}}, "code"},
		{"TooShort", tenancy.CreateParams{Code: "k", Name: "X", Locales: []string{"en"}}, "code"},
		{"Platform", tenancy.CreateParams{Code: "platform", Name: "X", Locales: []string{"en"}}, "code"},
		{"River", tenancy.CreateParams{Code: "river", Name: "X", Locales: []string{"en"}}, "code"},
		{"Public", tenancy.CreateParams{Code: "public", Name: "X", Locales: []string{"en"}}, "code"},
		{"PgPrefix", tenancy.CreateParams{Code: "pg_catalog", Name: "X", Locales: []string{"en"}}, "code"},
		{"PgPrefixNoUnderscore", tenancy.CreateParams{Code: "pgx", Name: "X", Locales: []string{"en"}}, "code"},
		{"Quote", tenancy.CreateParams{Code: `ke"; drop schema platform; --`, Name: "X", Locales: []string{"en"}}, "code"},
		{"SQL", tenancy.CreateParams{Code: "ke' or '1'='1", Name: "X", Locales: []string{"en"}}, "code"},
		{"LeadingDigit", tenancy.CreateParams{Code: "1ke", Name: "X", Locales: []string{"en"}}, "code"},
		{"EmptyName", tenancy.CreateParams{Code: "ke", Name: "", Locales: []string{"en"}}, "name"},
		{"NoLocales", tenancy.CreateParams{Code: "ke", Name: "Kenya"}, "locales"},
		{"BadLocale", tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"english"}}, "locales"},
		{"DuplicateLocale", tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en", "en"}}, "locales"},
	}
	for _, tc := range cases {
		_, err := b.p.Create(ctx, tc.params)
		var ie *tenancy.InvalidError
		require.ErrorAs(t, err, &ie, tc.name)
		require.Equal(t, tc.field, ie.Field, tc.name)
	}
	requireNothingCreated(t, b, true)
}

// requireNothingCreated checks that no tenant, schema or role (and, if jobs, no job) exists.
func requireNothingCreated(t *testing.T, b *testBundle, jobs bool) {
	t.Helper()
	ctx := context.Background()
	var tenants, jobRows, schemas, roles int
	require.NoError(t, b.db.Pool.QueryRow(ctx, `select
		(select count(*) from platform.tenants),
		(select count(*) from river.river_job where $2),
		(select count(*) from pg_namespace where nspname like 'tenant\_%'),
		(select count(*) from pg_roles where starts_with(rolname, $1 || 'tenant_'))`, b.db.RolePrefix, jobs).
		Scan(&tenants, &jobRows, &schemas, &roles))
	require.Equal(t, [4]int{0, 0, 0, 0}, [4]int{tenants, jobRows, schemas, roles}, "tenants, jobs, schemas, roles")
}

func TestCreateDuplicateConflicts(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "ke", "Kenya")
	_, err := b.p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya again", Locales: []string{"en"}})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	tn, err := b.p.Get(ctx, "ke")
	require.NoError(t, err)
	require.Equal(t, "Kenya", tn.Name)
}

func TestFailedProvisioningLeavesNothingBehind(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	b.p.AppendTenantMigration("999_broken.sql", "create table broken (id int); select 1/0;")
	_, err := b.p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	err = b.p.Provision(ctx, "ke")
	require.ErrorContains(t, err, "division by zero")
	tn, err := b.p.Get(ctx, "ke")
	require.NoError(t, err)
	require.Equal(t, tenancy.StatusFailed, tn.Status)
	require.Contains(t, tn.Failure, "999_broken.sql")
	var schemas, roles int
	require.NoError(t, b.db.Pool.QueryRow(ctx, `select
		(select count(*) from pg_namespace where nspname = 'tenant_ke'),
		(select count(*) from pg_roles where rolname = $1)`, b.p.TenantRole("ke")).Scan(&schemas, &roles))
	require.Zero(t, schemas, "schema left behind")
	require.Zero(t, roles, "role left behind")
	_, err = b.p.Lookup(ctx, "ke")
	require.ErrorIs(t, err, tenancy.ErrNotFound)
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "ke", "Kenya")

	_, err := b.p.Resume(ctx, "ke")
	var se *tenancy.StateError
	require.ErrorAs(t, err, &se)

	_, err = b.p.Suspend(ctx, "ke")
	require.NoError(t, err)
	_, err = b.p.Lookup(ctx, "ke")
	require.ErrorIs(t, err, tenancy.ErrSuspended)
	_, err = b.p.Resume(ctx, "ke")
	require.NoError(t, err)
	_, err = b.p.Lookup(ctx, "ke")
	require.NoError(t, err)

	_, err = b.p.Delete(ctx, "ke", "")
	var ie *tenancy.InvalidError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "confirm", ie.Field)
	tn, err := b.p.Delete(ctx, "ke", "ke")
	require.NoError(t, err)
	require.Equal(t, tenancy.StatusDeleting, tn.Status)
	require.WithinDuration(t, time.Now().Add(tenancy.DeleteGraceDefault), *tn.DeleteAfter, time.Minute)
	_, err = b.p.Lookup(ctx, "ke")
	require.ErrorIs(t, err, tenancy.ErrSuspended)

	purged, err := b.p.PurgeDue(ctx, time.Now())
	require.NoError(t, err)
	require.Empty(t, purged, "nothing is purged within the grace period")
	s, err := settings.New(b.p).GetSystemSettings(ctx, "ke")
	require.NoError(t, err, "data survives until the grace period ends")
	require.Equal(t, "Kenya", s.Name)

	purged, err = b.p.PurgeDue(ctx, time.Now().Add(tenancy.DeleteGraceDefault+time.Hour))
	require.NoError(t, err)
	require.Equal(t, []string{"ke"}, purged)
	requireNothingCreated(t, b, false)
}

// TestPurgeHooksRunFirstAndAFailureKeepsTheTenant: the purge hooks (files
// outside the database) run for each due tenant before its schema goes; a
// tenant whose hook fails keeps its schema and row, the others are purged,
// and the next purge finishes it.
func TestPurgeHooksRunFirstAndAFailureKeepsTheTenant(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	for _, code := range []string{"ke", "so"} {
		provisioned(ctx, t, b.p, code, code)
		_, err := b.p.Delete(ctx, code, code)
		require.NoError(t, err)
	}
	later := time.Now().Add(tenancy.DeleteGraceDefault + time.Hour)
	var called []string
	schemaExists := func(code string) (ok bool) {
		require.NoError(t, b.db.Pool.QueryRow(ctx, "select exists (select from pg_namespace where nspname = $1)",
			tenancy.SchemaName(code)).Scan(&ok))
		return ok
	}
	failKE := func(_ context.Context, code string) error {
		called = append(called, code)
		require.True(t, schemaExists(code), "hooks run before the schema is dropped")
		if code == "ke" {
			return errors.New("object store unreachable")
		}
		return nil
	}
	purged, err := b.p.PurgeDue(ctx, later, failKE)
	require.ErrorContains(t, err, "object store unreachable")
	require.Equal(t, []string{"so"}, purged)
	require.Equal(t, []string{"ke", "so"}, called)
	tn, err := b.p.Get(ctx, "ke")
	require.NoError(t, err)
	require.Equal(t, tenancy.StatusDeleting, tn.Status)
	require.True(t, schemaExists("ke"))
	require.False(t, schemaExists("so"))

	purged, err = b.p.PurgeDue(ctx, later, func(context.Context, string) error { return nil })
	require.NoError(t, err)
	require.Equal(t, []string{"ke"}, purged)
	require.False(t, schemaExists("ke"))
}

// ddl describes a tenant schema's structure with the schema name removed.
func ddl(ctx context.Context, t *testing.T, conn *pgx.Conn, schema string) string {
	t.Helper()
	var out string
	err := conn.QueryRow(ctx, `
	with cols as (
		select format('col %s.%s %s notnull=%s default=%s identity=%s', c.table_name, c.column_name, c.data_type,
			c.is_nullable, coalesce(c.column_default, ''), c.is_identity) as line
		from information_schema.columns c where c.table_schema = $1),
	cons as (
		select format('con %s %s', cl.relname || '.' || co.conname, replace(pg_get_constraintdef(co.oid), $1 || '.', '')) as line
		from pg_constraint co join pg_class cl on cl.oid = co.conrelid join pg_namespace n on n.oid = cl.relnamespace
		where n.nspname = $1),
	idx as (
		select format('idx %s', replace(indexdef, $1 || '.', '')) as line from pg_indexes where schemaname = $1),
	comments as (
		select format('comment %s %s', c.relname, obj_description(c.oid, 'pg_class')) as line
		from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1),
	grants as (
		select format('grant %s %s', table_name, string_agg(privilege_type, ',' order by privilege_type)) as line
		from information_schema.role_table_grants where table_schema = $1 and grantee like '%tenant\_%'
		group by table_name)
	select string_agg(line, E'\n' order by line) from (
		select line from cols union all select line from cons union all select line from idx
		union all select line from comments union all select line from grants) x`, schema).Scan(&out)
	require.NoError(t, err)
	return out
}

func TestFreshAndUpgradedTenantsHaveIdenticalDDL(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	for _, code := range []string{"old", "older"} {
		_, err := b.p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(t, err)
		require.NoError(t, b.p.ProvisionAt(ctx, code, 1))
	}
	provisioned(ctx, t, b.p, "fresh", "Fresh")

	behind, err := b.p.TenantsBehind(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, behind)
	su := b.db.Superuser(t)
	require.NotEqual(t, ddl(ctx, t, su, "tenant_fresh"), ddl(ctx, t, su, "tenant_old"), "the comparison must see the difference")

	var progressed []string
	rep, err := b.p.MigrateTenants(ctx, tenancy.MigrateOptions{Progress: func(code string, err error) {
		require.NoError(t, err)
		progressed = append(progressed, code)
	}})
	require.NoError(t, err)
	require.Equal(t, tenancy.MigrateReport{Total: 3, Migrated: 2, UpToDate: 1, Failed: map[string]error{}}, rep)
	require.ElementsMatch(t, []string{"fresh", "old", "older"}, progressed)

	want := ddl(ctx, t, su, "tenant_fresh")
	require.Contains(t, want, "col audit_logs.actor")
	require.Equal(t, want, ddl(ctx, t, su, "tenant_old"))
	require.Equal(t, want, ddl(ctx, t, su, "tenant_older"))

	st, err := b.p.MigrationStatus(ctx)
	require.NoError(t, err)
	for _, v := range st {
		require.Equal(t, v.Latest, v.Version, v.Code)
	}
	rep, err = b.p.MigrateTenants(ctx, tenancy.MigrateOptions{})
	require.NoError(t, err)
	require.Equal(t, 3, rep.UpToDate, "a second run has nothing to do")
}

func TestMigrateTenantsContinuesPastAFailure(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "good", "Good")
	provisioned(ctx, t, b.p, "bad", "Bad")
	// Sabotage one tenant: a table that the next migration will try to create.
	su := b.db.Superuser(t)
	_, err := su.Exec(ctx, "create table tenant_bad.extra (id int)")
	require.NoError(t, err)
	latest := b.p.LatestTenantVersion()
	b.p.AppendTenantMigration("999_extra.sql", "create table extra (id int primary key)")

	rep, err := b.p.MigrateTenants(ctx, tenancy.MigrateOptions{})
	require.NoError(t, err)
	require.Equal(t, 1, rep.Migrated)
	require.Contains(t, rep.Failed, "bad")
	require.ErrorContains(t, rep.Failed["bad"], "already exists")

	st, err := b.p.MigrationStatus(ctx)
	require.NoError(t, err)
	versions := map[string]int{}
	for _, v := range st {
		versions[v.Code] = v.Version
	}
	require.Equal(t, map[string]int{"bad": latest, "good": latest + 1}, versions, "the failed tenant stays at its previous version")

	// Fix and resume: only the failed tenant is left to do.
	_, err = su.Exec(ctx, "drop table tenant_bad.extra")
	require.NoError(t, err)
	rep, err = b.p.MigrateTenants(ctx, tenancy.MigrateOptions{})
	require.NoError(t, err)
	require.Equal(t, tenancy.MigrateReport{Total: 2, Migrated: 1, UpToDate: 1, Failed: map[string]error{}}, rep)
}

func TestDataMethodsCheckTheActorsPermission(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "ke", "Kenya")
	// An unnamed system actor has no grants; the mailer and the seeder may
	// not read the audit log. (people's use cases: people.TestUseCasesCheckTheActorsPermission.)
	for _, s := range []policy.Subject{policy.System("test"), policy.System(policy.ActorMailer), policy.System(policy.ActorSeeder),
		policy.Anonymous(), {Kind: policy.KindUser, ID: "11111111-1111-1111-1111-111111111111", Roles: []string{"role-caseworker"}, Scope: policy.ScopeAll}} {
		actx := policy.WithSubject(context.Background(), s)
		_, _, err := b.p.ListAuditLogs(actx, "ke", tenancy.AuditFilter{})
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
	}
	_, _, err := b.p.ListAuditLogs(context.Background(), "ke", tenancy.AuditFilter{})
	require.ErrorIs(t, err, policy.ErrNoActor)
}

// TestWatchSeesEveryProvisioningStep: a watch opened before the tenant is
// created reports every step of its provisioning in order, the first
// migration included, even when the job has finished before Wait is
// called (`cpims tenant create` starts its own workers, which were quicker
// than a LISTEN made in WaitProvisioned: its output began at "applying
// migration 4/47"). WaitProvisioned, called late, reports where the
// tenant is.
func TestWatchSeesEveryProvisioningStep(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	watch, err := b.p.WatchProvisioning(ctx)
	require.NoError(t, err)
	defer watch.Close(ctx)
	_, err = b.p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, b.p.Provision(ctx, "ke"))

	var steps []string
	tn, err := watch.Wait(ctx, "ke", func(s string) { steps = append(steps, s) })
	require.NoError(t, err)
	require.Equal(t, tenancy.StatusActive, tn.Status)
	require.GreaterOrEqual(t, len(steps), 4, steps)
	require.Equal(t, "creating role and schema", steps[0], "the first step, not the tenant's current one")
	require.Regexp(t, `^applying migration 1/\d+ `, steps[1])
	for i, s := range steps[1 : len(steps)-2] {
		require.Regexp(t, fmt.Sprintf(`^applying migration %d/`, i+1), s, "in order")
	}
	require.Equal(t, []string{"seeding the default configuration", "ready"}, steps[len(steps)-2:])

	var late []string
	_, err = b.p.WaitProvisioned(ctx, "ke", func(s string) { late = append(late, s) })
	require.NoError(t, err)
	require.Equal(t, []string{"ready"}, late, "a watch opened after the job sees only where the tenant is")
}
