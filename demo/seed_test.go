package demo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/demo"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestSeedReportsProgressAndContinues: `cpims demo seed` (demo.Seed)
// writes in batches, reporting progress after each one; a seed stopped
// between batches keeps what it wrote and, run again, writes only the rest.
// The records are the realistic mix issue 10 asks for: cases and tracing
// requests, names in Latin and Arabic script, owners across agencies and
// groups, places of the tenant's hierarchy, ages, families.
func TestSeedReportsProgressAndContinues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	en, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: en})
	sys := policy.WithSubject(ctx, policy.System("test"))
	_, err = p.Create(sys, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(sys, "ke"))
	seeder := policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	_, err = locations.New(p).Upsert(seeder, "ke", demo.Places("KE", 2, 2, 2))
	require.NoError(t, err)
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{Locations: locations.New(p)}))})

	// 200 cases and 20 tracing requests in batches of 40, stopped after the second batch.
	stopped, stop := context.WithCancel(ctx)
	defer stop()
	var seen []demo.Progress
	pr, err := demo.Seed(stopped, p, rs, "ke", demo.Options{Cases: 200, BatchSize: 40, Progress: func(pr demo.Progress) {
		seen = append(seen, pr)
		if pr.Done == 80 {
			stop()
		}
	}})
	require.Error(t, err, "a stopped seed says so")
	require.Equal(t, 80, pr.Done)
	require.Len(t, seen, 2)
	for i, s := range seen {
		require.Equal(t, 40*(i+1), s.Done)
		require.Equal(t, 40*(i+1), s.Written)
		require.Equal(t, 220, s.Total)
	}
	su := db.Superuser(t)
	count := func() int {
		var n int
		require.NoError(t, su.QueryRow(ctx, "select count(*) from tenant_ke.records").Scan(&n))
		return n
	}
	require.Equal(t, 80, count(), "the batches written are kept")

	seen = nil
	pr, err = demo.Seed(ctx, p, rs, "ke", demo.Options{Cases: 200, BatchSize: 40, Progress: func(pr demo.Progress) { seen = append(seen, pr) }})
	require.NoError(t, err)
	require.Equal(t, demo.Progress{Done: 220, Total: 220, Written: 140, Elapsed: pr.Elapsed}, pr, "only the rest is written")
	require.Equal(t, []int{40, 80, 120, 160, 200, 220}, func() (d []int) {
		for _, s := range seen {
			d = append(d, s.Done)
		}
		return d
	}())
	require.Equal(t, 0, seen[1].Written, "the first two batches existed")
	for i := 1; i < len(seen); i++ {
		require.GreaterOrEqual(t, seen[i].Elapsed, seen[i-1].Elapsed)
	}
	require.Equal(t, 220, count())

	var cases, requests, arabic, latin, agencies, groups, places, ages, families int
	require.NoError(t, su.QueryRow(ctx, `select
			count(*) filter (where record_type = 'case'), count(*) filter (where record_type = 'tracing_request'),
			count(*) filter (where record_type = 'case' and data->>'name_first' ~ '[\u0600-\u06FF]'),
			count(*) filter (where record_type = 'case' and data->>'name_first' ~ '^[A-Za-z]'),
			count(distinct location_current) filter (where record_type = 'case'),
			count(distinct age) filter (where record_type = 'case'),
			count(*) filter (where jsonb_array_length(coalesce(data->'family_details_section', '[]')) > 0)
		from tenant_ke.records`).Scan(&cases, &requests, &arabic, &latin, &places, &ages, &families))
	require.Equal(t, 200, cases)
	require.Equal(t, 20, requests)
	require.Positive(t, arabic, "names in Arabic script")
	require.Positive(t, latin, "names in Latin script")
	require.Greater(t, places, 2, "places across the hierarchy")
	require.Greater(t, ages, 5)
	require.Positive(t, families, "families")
	require.NoError(t, su.QueryRow(ctx, `select count(distinct u.agency_id), count(distinct g.user_group_id)
		from tenant_ke.record_access a join tenant_ke.users u on u.id = a.user_id
		left join tenant_ke.user_groups_users g on g.user_id = u.id where a.kind = 'owner'`).Scan(&agencies, &groups))
	require.Greater(t, agencies, 1, "owners across agencies")
	require.Positive(t, groups, "owners in groups")
}
