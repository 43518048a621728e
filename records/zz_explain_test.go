package records_test

// Throwaway tool (not committed): EXPLAIN (ANALYZE, BUFFERS) of the bench's
// list statements on the kept bench database.

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestZZExplain(t *testing.T) {
	keep := os.Getenv("CPIMS_BENCH_KEEP")
	if keep == "" {
		t.Skip("tool")
	}
	ctx := context.Background()
	db := testdb.Kept(t, keep)
	en, err := policy.NewEnforcer()
	require.NoError(t, err)
	p, err := tenancy.New(db.Pool, tenancy.Config{RolePrefix: db.RolePrefix, Authorizer: en, Seed: []tenancy.SeedFunc{forms.Seed},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	require.NoError(t, p.MigratePlatform(ctx))
	if os.Getenv("ZZ_MIGRATE") != "" {
		rep, err := p.MigrateTenants(ctx, tenancy.MigrateOptions{})
		require.NoError(t, err)
		t.Log("migrated", rep.Migrated, rep.Failed)
	}
	su := db.Superuser(t)
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{Locations: locations.New(p)}))})
	var agency string
	require.NoError(t, su.QueryRow(ctx, "select id::text from tenant_ke.agencies where unique_id = 'agency-seed-1'").Scan(&agency))
	require.NoError(t, en.SetTenantPolicy("ke", "test", []policy.TenantRole{{UniqueID: "role-bench-national", Permissions: []string{"cases:read"}}, {UniqueID: "role-bench-agency", Permissions: []string{"cases:read"}}}))
	var district string
	require.NoError(t, su.QueryRow(ctx, `select extensions.subpath(location_current, 0, 3)::text from tenant_ke.records where location_current is not null
		group by 1 order by count(*) desc offset 10 limit 1`).Scan(&district))
	district = district[strings.LastIndex(district, ".")+1:]
	var mu sync.Mutex
	var captured []string
	var capturedArgs [][]any
	records.CaptureListSQL(func(sql string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		captured, capturedArgs = append(captured, sql), append(capturedArgs, slices.Clone(args))
	})
	defer records.CaptureListSQL(nil)
	scopes := map[string]policy.Subject{
		"all":    {Kind: policy.KindService, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000aa", Roles: []string{"role-bench-national"}, Scope: policy.ScopeAll},
		"agency": {Kind: policy.KindService, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000ab", Roles: []string{"role-bench-agency"}, Scope: policy.ScopeAgency, Agency: agency},
	}
	only := os.Getenv("ZZ_ONLY")
	for _, who := range []string{"all", "agency"} {
		for _, tc := range []struct {
			name string
			p    records.ListParams
		}{
			{"FilteredList", records.ListParams{Search: records.Search{Filters: map[string][]string{
				"location_current": {district}, "status": {"open"}, "age": {"5..10"}}}}},
			{"Phonetic1", records.ListParams{Search: records.Search{Query: "Abdirahman", Phonetic: true}}},
			{"Phonetic2", records.ListParams{Search: records.Search{Query: "Yusuf Hassan", Phonetic: true}}},
			{"Phonetic3", records.ListParams{Search: records.Search{Query: "محمد", Phonetic: true}}},
		} {
			if only != "" && !strings.Contains(who+"/"+tc.name, only) {
				continue
			}
			ctx := policy.WithSubject(ctx, scopes[who])
			captured = nil
			res, err := rs.List(ctx, "ke", records.TypeCase, tc.p)
			require.NoError(t, err)
			for i, sql := range captured {
				var lines []string
				err = p.Tx(policy.WithSubject(ctx, policy.System("test")), "ke", func(ctx context.Context, c *tenancy.Conn) error {
					rows, err := c.Query(ctx, "explain (analyze, buffers) "+sql, capturedArgs[i]...)
					if err != nil {
						return err
					}
					lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
					return err
				})
				if err != nil {
					t.Logf("%s/%s: %v", who, tc.name, err)
					continue
				}
				t.Logf("%s/%s total %d\n%s\nARGS %v\n%s", who, tc.name, res.Total, sql, capturedArgs[i], strings.Join(lines, "\n"))
			}
		}
	}
}
