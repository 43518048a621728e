package tenancy_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func benchSetup(b *testing.B) (context.Context, *testdb.DB, *tenancy.Platform) {
	b.Helper()
	db := testdb.New(b)
	return policy.WithSubject(context.Background(), policy.System("bench")), db, db.Platform(b, tenancy.Config{})
}

// BenchmarkProvision measures creating and provisioning one tenant (schema,
// role, all migrations, grants, seed) end to end.
func BenchmarkProvision(b *testing.B) {
	ctx, _, p := benchSetup(b)
	b.ResetTimer()
	for i := range b.N {
		code := fmt.Sprintf("b%d", i)
		_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(b, err)
		require.NoError(b, p.Provision(ctx, code))
	}
}

// BenchmarkTenantQuery compares a trivial query through the tenant transaction
// (SET LOCAL ROLE + search_path) with the same query in a plain transaction
// and in autocommit on an unrestricted connection. The ratio is the cost of isolation.
func BenchmarkTenantQuery(b *testing.B) {
	ctx, db, p := benchSetup(b)
	_, err := p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(b, err)
	require.NoError(b, p.Provision(ctx, "ke"))
	plain, err := pgxpool.New(ctx, db.SuperuserURL())
	require.NoError(b, err)
	defer plain.Close()
	var name string

	b.Run("TenantTx", func(b *testing.B) {
		for range b.N {
			require.NoError(b, p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
				return c.QueryRow(ctx, "select name from system_settings").Scan(&name)
			}))
		}
	})
	b.Run("PlainTx", func(b *testing.B) {
		for range b.N {
			require.NoError(b, pgx.BeginFunc(ctx, plain, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, "select name from tenant_ke.system_settings").Scan(&name)
			}))
		}
	})
	b.Run("PlainAutocommit", func(b *testing.B) {
		for range b.N {
			require.NoError(b, plain.QueryRow(ctx, "select name from tenant_ke.system_settings").Scan(&name))
		}
	})
}

// BenchmarkMigrateTenants times migrating CPIMS_BENCH_TENANTS tenants (default
// 100) from version 1 to the latest. Run with -benchtime=1x (go tool task bench:migrate).
func BenchmarkMigrateTenants(b *testing.B) {
	n := 100
	if v, err := strconv.Atoi(os.Getenv("CPIMS_BENCH_TENANTS")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		b.StopTimer()
		ctx, _, p := benchSetup(b)
		start := time.Now()
		for i := range n {
			code := fmt.Sprintf("m%d", i)
			_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
			require.NoError(b, err)
			require.NoError(b, p.ProvisionAt(ctx, code, 1))
		}
		b.Logf("set up %d tenants at version 1 in %s", n, time.Since(start).Round(time.Millisecond))
		b.StartTimer()
		t0 := time.Now()
		rep, err := p.MigrateTenants(ctx, tenancy.MigrateOptions{})
		elapsed := time.Since(t0)
		require.NoError(b, err)
		require.Equal(b, n, rep.Migrated)
		b.ReportMetric(float64(n)/elapsed.Seconds(), "tenants/s")
		b.ReportMetric(float64(n), "tenants")
	}
}

// BenchmarkSettledBefore measures what a sync page pays for its bound
// (Conn.SettledBefore: back to the login role, one read of
// pg_stat_activity, the tenant role again) beside an empty tenant
// transaction, with the other tests' and benchmarks' sessions on the server.
func BenchmarkSettledBefore(b *testing.B) {
	ctx, _, p := benchSetup(b)
	_, err := p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(b, err)
	require.NoError(b, p.Provision(ctx, "ke"))
	for _, settle := range []bool{false, true} {
		b.Run(map[bool]string{false: "EmptyTx", true: "WithSettledBefore"}[settle], func(b *testing.B) {
			for range b.N {
				require.NoError(b, p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
					if !settle {
						return nil
					}
					_, err := c.SettledBefore(ctx)
					return err
				}))
			}
		})
	}
}
