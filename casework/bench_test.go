package casework_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/demo"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// BenchmarkDashboards seeds CPIMS_BENCH_CASES cases (default 20,000) with
// demo.Seed and measures p50/p95 of casework.Service.Dashboards (authorize,
// tenant transaction, the scope aggregate, the caller's tasks and pending
// transitions) for a case manager of one seed group (group scope), a
// national manager (scope all: every case), a manager of the agency whose
// users own the most cases (agency scope) and a caseworker who owns
// cases; and of Tasks for that caseworker. Figures, not assertions.
func BenchmarkDashboards(b *testing.B) {
	n := 20_000
	if s := os.Getenv("CPIMS_BENCH_CASES"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	ctx := context.Background()
	// CPIMS_BENCH_KEEP=<name> measures on the database kept by
	// records' BenchmarkRecordsScale under the same name (e.g. m1: a
	// million cases), migrated first, without seeding anything.
	keep := os.Getenv("CPIMS_BENCH_KEEP")
	var w *World
	if keep != "" {
		w = setupKept(b, keep)
		require.NoError(b, w.su.QueryRow(ctx, "select count(*) from tenant_ke.records where record_type = 'case'").Scan(&n))
	} else {
		w = setupB(b)
		_, err := locations.New(w.P).Upsert(sys(policy.ActorSeeder), "ke", demo.Places("KE", 8, 6, 5))
		require.NoError(b, err)
		start := time.Now()
		_, err = demo.Seed(ctx, w.P, w.rs, "ke", demo.Options{Cases: n})
		require.NoError(b, err)
		b.Logf("seeded %d cases in %s", n, time.Since(start).Round(time.Second))
	}
	start := time.Now()
	for _, q := range []string{"vacuum analyze tenant_ke.records", "vacuum analyze tenant_ke.record_access", "vacuum analyze tenant_ke.record_history"} {
		_, err := w.su.Exec(ctx, q)
		require.NoError(b, err)
	}
	b.Logf("vacuum analyze in %s", time.Since(start).Round(time.Millisecond))
	var group, agency, owner string
	var groupCases, agencyCases, ownerCases int
	if keep != "" {
		// The biggest group and agency by the cases their users own.
		require.NoError(b, w.su.QueryRow(ctx, `select g.user_group_id::text, count(*) from tenant_ke.record_access a
			join tenant_ke.user_groups_users g on g.user_id = a.user_id join tenant_ke.records r on r.id = a.record_id
			where a.kind = 'owner' and r.record_type = 'case' group by 1 order by 2 desc limit 1`).Scan(&group, &groupCases))
	} else {
		require.NoError(b, w.su.QueryRow(ctx, "select id::text from tenant_ke.user_groups where unique_id = $1", demo.GroupID(1)).Scan(&group))
		require.NoError(b, w.su.QueryRow(ctx, `select count(*) from tenant_ke.record_access a join tenant_ke.user_groups_users g on g.user_id = a.user_id
			join tenant_ke.records r on r.id = a.record_id where g.user_group_id = $1 and a.kind = 'owner' and r.record_type = 'case'`, group).Scan(&groupCases))
	}
	require.NoError(b, w.su.QueryRow(ctx, `select u.agency_id::text, count(*) from tenant_ke.record_access a
		join tenant_ke.users u on u.id = a.user_id join tenant_ke.records r on r.id = a.record_id
		where a.kind = 'owner' and r.record_type = 'case' and u.agency_id is not null group by 1 order by 2 desc limit 1`).Scan(&agency, &agencyCases))
	require.NoError(b, w.su.QueryRow(ctx, `select a.user_id::text, count(*) from tenant_ke.record_access a join tenant_ke.records r on r.id = a.record_id
		where a.kind = 'owner' and r.record_type = 'case' group by 1 order by 2 desc limit 1`).Scan(&owner, &ownerCases))
	callers := []struct {
		name string
		sub  policy.Subject
	}{
		{"manager-group", policy.Subject{Kind: policy.KindUser, ID: newUUID(), Roles: []string{"role-case-manager"}, Scope: policy.ScopeGroup, Groups: []string{group}}},
		{"manager-all", policy.Subject{Kind: policy.KindUser, ID: newUUID(), Roles: []string{"role-case-manager"}, Scope: policy.ScopeAll}},
		{"manager-agency", policy.Subject{Kind: policy.KindUser, ID: newUUID(), Roles: []string{"role-case-manager"}, Scope: policy.ScopeAgency, Agency: agency}},
		{"caseworker", policy.Subject{Kind: policy.KindUser, ID: owner, Roles: []string{"role-caseworker"}, Scope: policy.ScopeOwn}},
	}
	b.Logf("at %d cases: the group-scope manager reaches %d cases, the agency-scope one %d; the caseworker owns %d cases; load average %s",
		n, groupCases, agencyCases, ownerCases, loadAverage())
	if os.Getenv("CPIMS_BENCH_EXPLAIN") != "" {
		for _, c := range callers[:3] { // the managers
			b.Logf("plans for %s:", c.name)
			explainDashboard(b, w, c.sub)
		}
	}
	measure := func(b *testing.B, name string, f func() error) {
		var ds []time.Duration
		for b.Loop() {
			t0 := time.Now()
			require.NoError(b, f())
			ds = append(ds, time.Since(t0))
		}
		slices.Sort(ds)
		at := func(q float64) float64 {
			return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
		}
		b.ReportMetric(at(0.5), "p50-ms")
		b.ReportMetric(at(0.95), "p95-ms")
		b.Logf("%s at %d cases: p50 %.1f ms, p95 %.1f ms (%d runs); load average %s", name, n, at(0.5), at(0.95), len(ds), loadAverage())
	}
	for _, c := range callers {
		b.Run("dashboards-"+c.name, func(b *testing.B) {
			measure(b, "dashboards "+c.name, func() error {
				_, err := w.Svc.Dashboards(policy.WithSubject(ctx, c.sub), "ke")
				return err
			})
		})
	}
	b.Run("tasks-caseworker", func(b *testing.B) {
		measure(b, "tasks caseworker", func() error {
			_, _, err := w.Svc.Tasks(policy.WithSubject(ctx, callers[3].sub), "ke", casework.TaskFilter{})
			return err
		})
	})
	// Before: the same managers' dashboards without the covering index
	// (migration records_dashboard_covering), on the same data.
	if os.Getenv("CPIMS_BENCH_BEFORE") != "" && keep == "" { // never drop the kept database's index
		for _, q := range []string{"drop index tenant_ke.records_dashboard_covering_idx", "analyze tenant_ke.records"} {
			_, err := w.su.Exec(ctx, q)
			require.NoError(b, err)
		}
		if os.Getenv("CPIMS_BENCH_EXPLAIN") != "" {
			explainDashboard(b, w, callers[0].sub)
		}
		for _, c := range callers[:2] {
			b.Run("dashboards-"+c.name+"-without-covering-index", func(b *testing.B) {
				measure(b, "dashboards "+c.name+" without the covering index", func() error {
					_, err := w.Svc.Dashboards(policy.WithSubject(ctx, c.sub), "ke")
					return err
				})
			})
		}
	}
}

// setupB is setup for benchmarks (no users of its own).
func setupB(b *testing.B) *World {
	b.Helper()
	db := testdb.New(b)
	enf, err := policy.NewEnforcer()
	require.NoError(b, err)
	p := db.Platform(b, tenancy.Config{Authorizer: enf})
	_, err = p.Create(sys(policy.ActorProvisioner), tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(b, err)
	require.NoError(b, p.Provision(sys(policy.ActorProvisioner), "ke"))
	version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), "ke")
	require.NoError(b, err)
	require.NoError(b, enf.SetTenantPolicy("ke", version, roles))
	fs := forms.New(p, forms.Config{Locations: locations.New(p)})
	return &World{DB: db, P: p, Enf: enf, Svc: casework.New(p), rs: records.New(p, records.Config{Schemas: records.FormsSchemas(fs)}), su: db.Superuser(b)}
}

// setupKept opens the database kept by records' BenchmarkRecordsScale
// (CPIMS_BENCH_KEEP=name, TEST_DATABASE_URL naming its server), migrates
// the platform and its tenant ke to the current migrations, and loads the
// tenant's policy. It seeds nothing and deletes nothing.
func setupKept(b *testing.B, name string) *World {
	b.Helper()
	ctx := context.Background()
	db := testdb.Kept(b, name)
	enf, err := policy.NewEnforcer()
	require.NoError(b, err)
	p := db.Platform(b, tenancy.Config{Authorizer: enf})
	_, err = p.Get(ctx, "ke")
	require.NoError(b, err, "kept database %s has no tenant ke: seed it with records' BenchmarkRecordsScale", db.Name)
	t0 := time.Now()
	rep, err := p.MigrateTenants(ctx, tenancy.MigrateOptions{})
	require.NoError(b, err)
	require.Empty(b, rep.Failed)
	b.Logf("kept database %s: tenant migrated (%d) in %s", db.Name, rep.Migrated, time.Since(t0).Round(time.Millisecond))
	version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), "ke")
	require.NoError(b, err)
	require.NoError(b, enf.SetTenantPolicy("ke", version, roles))
	fs := forms.New(p, forms.Config{Locations: locations.New(p)})
	return &World{DB: db, P: p, Enf: enf, Svc: casework.New(p), rs: records.New(p, records.Config{Schemas: records.FormsSchemas(fs)}), su: db.Superuser(b)}
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(string(b))
}

// explainDashboard logs EXPLAIN (ANALYZE, BUFFERS) of the dashboard's
// statements for subject sub (built as Dashboards builds them), to find
// where its time goes.
func explainDashboard(b *testing.B, w *World, sub policy.Subject) {
	ctx := context.Background()
	pred, args := records.VisibleSQL(sub, []any{time.Now().Add(-7 * 24 * time.Hour)})
	apred, aargs := records.VisibleSQL(sub, nil)
	self := sub.ID
	stmts := []struct {
		name, sql string
		args      []any
	}{
		{"scope aggregate", `select coalesce(r.risk_level, 'none'), count(*) filter (where r.status = 'open'),
				count(*) filter (where r.created_at >= $1), count(*) filter (where r.status = 'open' and r.flagged)
			from records r where r.record_type = 'case' and r.enabled and ` + pred + ` group by 1`, args},
		{"approvals", `select count(*) from approvals p join records r on r.id = p.record_id
			where p.status = 'requested' and r.record_type = 'case' and r.status = 'open' and r.enabled and ` + apred, aargs},
		{"transitions", `select count(*) from transitions t where t.status = 'in_progress' and (t.transitioned_to = $1::uuid
			or t.transitioned_by = $1::uuid)`, []any{self}},
	}
	for _, st := range stmts {
		tx, err := w.su.Begin(ctx)
		require.NoError(b, err)
		_, err = tx.Exec(ctx, "set local search_path to tenant_ke, extensions, public")
		require.NoError(b, err)
		rows, err := tx.Query(ctx, "explain (analyze, buffers) "+st.sql, st.args...)
		require.NoError(b, err)
		var plan []string
		for rows.Next() {
			var line string
			require.NoError(b, rows.Scan(&line))
			plan = append(plan, line)
		}
		require.NoError(b, rows.Err())
		require.NoError(b, tx.Rollback(ctx))
		b.Logf("EXPLAIN %s:\n%s", st.name, strings.Join(plan, "\n"))
	}
}
