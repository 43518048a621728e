package locations_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// explain returns the plan of List's queries for f, as run by the tenant role.
func explain(t testing.TB, b *testBundle, f locations.Filter) string {
	t.Helper()
	countSQL, listSQL, args := locations.ListQueries(f)
	var plans []string
	require.NoError(t, b.p.Tx(admin(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{{countSQL, args[:len(args)-2]}, {listSQL, args}} {
			var plan []byte
			if err := c.QueryRow(ctx, "explain (format json) "+q.sql, q.args...).Scan(&plan); err != nil {
				return err
			}
			plans = append(plans, string(plan))
		}
		return nil
	}))
	return strings.Join(plans, "\n")
}

// TestSubtreeQueriesUseTheGiSTIndex lists subtrees of a 50,000-location
// hierarchy and checks that PostgreSQL answers from the GiST index on path,
// right after the import and once statistics exist.
func TestSubtreeQueriesUseTheGiSTIndex(t *testing.T) {
	t.Parallel()
	b := setup(t)
	specs := generated(50_000)
	_, err := b.svc.Upsert(admin(), "ke", specs)
	require.NoError(t, err)
	check := func(when string) {
		// A district (about 90 places) and a region (about 2,100).
		for _, root := range []string{"BM0102", "BM03"} {
			plan := explain(t, b, locations.Filter{Subtree: root})
			require.Contains(t, plan, `"Index Name": "locations_path_gist"`, "%s, subtree %s:\n%s", when, root, plan)
		}
		got, total, err := b.svc.List(admin(), "ke", locations.Filter{Subtree: "BM0102", Per: locations.PerMax})
		require.NoError(t, err)
		require.Len(t, got, total)
		for _, l := range got {
			require.Equal(t, []string{"BM", "BM01", "BM0102"}, l.Hierarchy[:3])
		}
		want := 0
		for _, s := range specs {
			if strings.HasPrefix(s.Code, "BM0102") {
				want++
			}
		}
		require.Equal(t, want, total)
	}
	check("freshly imported")
	_, err = b.db.Superuser(t).Exec(context.Background(), "analyze tenant_ke.locations")
	require.NoError(t, err)
	check("analyzed")
}

// BenchmarkImport50k imports a generated 50,000-row CSV (names in three
// languages) into an empty tenant: upload (parse, store, queue) and the
// job's work (RunImport), as the job would run it. It reports the Go heap's
// peak while importing (sampled every millisecond) and the bytes allocated.
func BenchmarkImport50k(b *testing.B) {
	tb := setup(b)
	content := generatedCSV(50_000)
	b.ReportMetric(float64(len(content))/(1<<20), "file-MiB")
	imp := policy.WithSubject(context.Background(), policy.System(policy.ActorLocationImporter))
	prov := policy.WithSubject(context.Background(), policy.System(policy.ActorProvisioner))
	var peak atomic.Uint64
	var allocated uint64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		code := fmt.Sprintf("bench%d", i)
		_, err := tb.p.Create(prov, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en", "fr", "ar"}})
		require.NoError(b, err)
		require.NoError(b, tb.p.Provision(prov, code))
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var m runtime.MemStats
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		}()
		b.StartTimer()

		im, err := tb.svc.StartImport(admin(), code, "bench.csv", content)
		require.NoError(b, err)
		require.NoError(b, tb.svc.RunImport(imp, code, im.ID, true))

		b.StopTimer()
		close(stop)
		<-sampled
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		allocated += after.TotalAlloc - before.TotalAlloc
		got, _, _, err := tb.svc.GetImport(admin(), code, im.ID, locations.ReportFilter{})
		require.NoError(b, err)
		require.Equal(b, 50_000, got.RowsApplied, "%+v", got)
		b.StartTimer()
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(allocated)/float64(b.N)/(1<<20), "alloc-MiB/op")
}

// BenchmarkList50k lists pages (100 items) of a 50,000-location hierarchy:
// a region's subtree, one level, a name search in any language, everything.
func BenchmarkList50k(b *testing.B) {
	tb := setup(b)
	_, err := tb.svc.Upsert(admin(), "ke", generated(50_000))
	require.NoError(b, err)
	for _, bc := range []struct {
		name string
		f    locations.Filter
	}{
		{"SubtreeOfRegion", locations.Filter{Subtree: "BM03"}},
		{"SubtreeOfDistrict", locations.Filter{Subtree: "BM0302"}},
		{"Level1", locations.Filter{AdminLevel: new(1)}},
		{"Children", locations.Filter{Parent: "BM0302"}},
		{"NameQuery", locations.Filter{Query: "قرية BM0302"}},
		{"All", locations.Filter{Page: 100}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if testing.Verbose() {
				b.Log(explain(b, tb, bc.f))
			}
			for b.Loop() {
				if _, _, err := tb.svc.List(admin(), "ke", bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRemoveUsed50k is the dry run of a configuration bundle that keeps
// only the country of a 50,000-location hierarchy while 20,000 cases use
// 2,000 of its places (10 each): the refusal counts each removed code's
// records with its own bounded probe (inUse).
func BenchmarkRemoveUsed50k(b *testing.B) {
	tb := setup(b)
	specs := generated(50_000)
	_, err := tb.svc.Upsert(admin(), "ke", specs)
	require.NoError(b, err)
	_, err = tb.db.Superuser(b).Exec(context.Background(), `insert into tenant_ke.records
		(id, record_type, short_id, module_id, data, created_by, updated_by, create_digest)
		select gen_random_uuid(), 'case', 'b' || g, 'primeromodule-cp', jsonb_build_object('location_current', ($1::text[])[1 + g % 2000]),
			'test', 'test', sha256(gen_random_uuid()::text::bytea)
		from generate_series(0, 19999) g`, codesOf(specs[len(specs)-2000:]))
	require.NoError(b, err)
	_, err = tb.db.Superuser(b).Exec(context.Background(), "analyze tenant_ke.records")
	require.NoError(b, err)
	for b.Loop() {
		err := tb.p.Tx(admin(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
			_, err := locations.Diff(ctx, c, specs[:1])
			return err
		})
		var iu *locations.InUseError
		require.ErrorAs(b, err, &iu)
		require.Equal(b, 2000, iu.Count())
		require.Equal(b, 10, iu.Uses[0].Records)
	}
}

func codesOf(specs []locations.Spec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Code
	}
	return out
}
