package records_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/demo"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// recorder is a pgx tracer that keeps the statements run while on, and
// counts round trips (a batch is one, whatever its statements).
type recorder struct {
	mu    sync.Mutex
	on    bool
	stmts []statement
	trips int
}

type statement struct {
	sql  string
	args []any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.stmts = append(r.stmts, statement{d.SQL, slices.Clone(d.Args)})
		r.trips++
	}
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.trips++
	}
	return ctx
}

func (r *recorder) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.stmts = append(r.stmts, statement{"(batched) " + d.SQL, slices.Clone(d.Args)})
	}
}

func (r *recorder) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// record runs f and returns the first statement it ran that contains
// marker, every statement it ran, and the number of round trips to the
// database (CPIMS_BENCH_TRACE=1 prints the statements).
func (r *recorder) record(f func(), marker string) (statement, []statement, int, bool) {
	r.mu.Lock()
	r.on, r.stmts, r.trips = true, nil, 0
	r.mu.Unlock()
	f()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	if os.Getenv("CPIMS_BENCH_TRACE") != "" {
		for i, s := range r.stmts {
			fmt.Fprintf(os.Stderr, "trace %d: %s\n", i, strings.Join(strings.Fields(s.sql), " "))
		}
	}
	for _, s := range r.stmts {
		if strings.Contains(s.sql, marker) {
			return s, r.stmts, r.trips, true
		}
	}
	return statement{}, r.stmts, r.trips, false
}

// withoutCallAudit removes from s the call's audit row that the full stack
// writes in the same statement (tenancy.Conn.WithCallAudit: a CTE in front,
// its ten parameters last), so that the bare run is the records statement
// alone, as before the merge.
func withoutCallAudit(b *testing.B, s statement) statement {
	rest, ok := strings.CutPrefix(s.sql, "with audit_call as (")
	if !ok {
		return s
	}
	end := strings.Index(rest, "::jsonb))")
	require.GreaterOrEqual(b, end, 0)
	rest = rest[end+len("::jsonb))"):]
	if r, ok := strings.CutPrefix(rest, ", "); ok {
		rest = "with " + r
	}
	return statement{sql: rest, args: s.args[:len(s.args)-10]}
}

// freshRecordID gives a create's insert (insert into records ... on
// conflict (id) do nothing) a new record id, so that its bare run inserts
// a record as the call did (then rolls it back). Replayed with the call's
// own id, as before Session 24, the insert found the id taken and did
// nothing: no record, owner row, history entry, name keys or scope row
// (docs/records.md, Session 24). Other statements are returned unchanged.
var insertRecordValues = regexp.MustCompile(`^with written as \(insert into records \(id,[^)]*\)\s*values \(\$(\d+),`)

func freshRecordID(b *testing.B, s statement) statement {
	m := insertRecordValues.FindStringSubmatch(s.sql)
	if m == nil {
		return s
	}
	n, err := strconv.Atoi(m[1])
	require.NoError(b, err)
	args := slices.Clone(s.args)
	_, ok := args[n-1].(string)
	require.True(b, ok, "the record id of the insert is a %T", args[n-1])
	args[n-1] = uuid.NewString()
	return statement{sql: s.sql, args: args}
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(string(b))
}

// percentiles returns p50 and p95 of ds in milliseconds.
func percentiles(ds []time.Duration) (float64, float64) {
	slices.Sort(ds)
	at := func(q float64) float64 {
		return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
	}
	return at(0.50), at(0.95)
}

func mean(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(max(1, len(ds)))
}

// BenchmarkRecordsScale seeds a tenant with CPIMS_BENCH_CASES cases
// (default 20,000; `go tool task bench:records CASES=1000000`) and one
// tracing request per ten, with demo.Seed, then measures p50 and p95 of get
// by id, a filtered list (district subtree + open + age 5..10), a phonetic
// name search, an ID search, create and update, through the whole server
// (HTTP, API key, Casbin, tenant transaction, visibility, audit row), each
// beside the same records statement run directly on a plain connection
// (mean latency ratio = bare throughput / full-stack throughput inverted:
// full/bare). Callers: a service account of a role with the "all" scope
// (every record) and one with the "agency" scope (a sixth).
func BenchmarkRecordsScale(b *testing.B) {
	n := 20_000
	if s := os.Getenv("CPIMS_BENCH_CASES"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	ctx := context.Background()
	// CPIMS_BENCH_KEEP=<name> keeps the seeded database between runs (with
	// TEST_DATABASE_URL naming a persistent server): a later run with the
	// same name migrates it, continues the seed if it was interrupted and
	// measures at once. CPIMS_BENCH_SEED_ONLY=1 stops after the seed.
	keep := os.Getenv("CPIMS_BENCH_KEEP")
	var db *testdb.DB
	if keep != "" {
		db = testdb.Kept(b, keep)
	} else {
		db = testdb.New(b)
	}
	rec := &recorder{}
	cfg, err := pgxpool.ParseConfig(db.URL)
	require.NoError(b, err)
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	en, err := policy.NewEnforcer()
	require.NoError(b, err)
	p, err := tenancy.New(pool, tenancy.Config{RolePrefix: db.RolePrefix, Authorizer: en, Seed: []tenancy.SeedFunc{forms.Seed},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(b, err)
	require.NoError(b, p.MigratePlatform(ctx))
	sys := policy.WithSubject(ctx, policy.System("bench"))
	seeder := policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	if _, err := p.Get(ctx, "ke"); errors.Is(err, tenancy.ErrNotFound) {
		_, err = p.Create(sys, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
		require.NoError(b, err)
		require.NoError(b, p.Provision(sys, "ke"))
		_, err = locations.New(p).Upsert(seeder, "ke", demo.Places("KE", 8, 6, 5))
		require.NoError(b, err)
	} else {
		require.NoError(b, err)
		t0 := time.Now()
		rep, err := p.MigrateTenants(ctx, tenancy.MigrateOptions{})
		require.NoError(b, err)
		require.Empty(b, rep.Failed)
		b.Logf("kept database %s: tenant migrated (%d) in %s", db.Name, rep.Migrated, time.Since(t0).Round(time.Millisecond))
	}

	su := db.Superuser(b)
	// Two callers: roles with the all and agency scopes, as service accounts with API keys.
	perms := []string{"cases:read", "cases:write", "tracing_requests:read", "forms:read", "lookups:read", "locations:read"}
	for _, r := range []struct{ id, scope string }{{"role-bench-national", "all"}, {"role-bench-agency", "agency"}} {
		_, err := su.Exec(ctx, `insert into tenant_ke.roles (unique_id, name, description, permissions, record_scope, form_access)
			values ($1, '{"en": "Bench"}', '{"en": "Bench"}', $2, $3, (select form_access from tenant_ke.roles where unique_id = 'role-case-manager'))
			on conflict (unique_id) do nothing`,
			r.id, perms, r.scope)
		require.NoError(b, err)
	}
	srv, err := api.New(p, en, api.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(),
		AuthFailuresPerMinute: 1_000_000})
	require.NoError(b, err)
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{Locations: locations.New(p)}))})
	b.Logf("load average before the seed: %s", loadAverage())
	start := time.Now()
	last := start
	pr, err := demo.Seed(ctx, p, rs, "ke", demo.Options{Cases: n, Progress: func(pr demo.Progress) {
		if time.Since(last) > 30*time.Second {
			last = time.Now()
			fmt.Fprintf(os.Stderr, "seed: %d/%d records, %s, load %s\n", pr.Done, pr.Total, pr.Elapsed.Round(time.Second), loadAverage())
		}
	}})
	require.NoError(b, err)
	seedTime := time.Since(start)
	if os.Getenv("CPIMS_BENCH_SEED_ONLY") != "" {
		b.Logf("seeded %d records (%d written now) in %s; stopping (CPIMS_BENCH_SEED_ONLY)", pr.Done, pr.Written, seedTime.Round(time.Second))
		b.SkipNow()
	}
	// The side tables too: a migration may have rebuilt them (036, 037), and
	// their index-only scans need the visibility map.
	for _, q := range []string{"vacuum analyze tenant_ke.records", "vacuum analyze tenant_ke.record_access", "vacuum analyze tenant_ke.traces",
		"vacuum analyze tenant_ke.record_name_keys", "vacuum analyze tenant_ke.record_scope", "vacuum analyze tenant_ke.record_field_values"} {
		_, err := su.Exec(ctx, q)
		require.NoError(b, err)
	}
	var size string
	require.NoError(b, su.QueryRow(ctx, "select pg_size_pretty(pg_total_relation_size('tenant_ke.records'))").Scan(&size))
	b.Logf("seeded %d records (%d cases) in %s (%.0f records/s; vacuum analyze after: %s); records table with indexes %s; load average %s",
		pr.Done, n, seedTime.Round(time.Second), float64(pr.Written)/seedTime.Seconds(), time.Since(start.Add(seedTime)).Round(time.Second), size, loadAverage())

	callers := map[string]string{}
	for name, role := range map[string]string{"all": "role-bench-national", "agency": "role-bench-agency"} {
		sa, err := people.New(p).CreateServiceAccount(seeder, "ke", fmt.Sprintf("Bench %s %d", name, time.Now().UnixNano()), role, demo.AgencyID(1))
		require.NoError(b, err)
		_, key, err := people.New(p).IssueAPIKey(seeder, "ke", sa.ID, "bench", nil)
		require.NoError(b, err)
		callers[name] = key
	}
	call := func(b *testing.B, method, path, key string, headers map[string]string, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Host = "ke.localhost"
		req.Header.Set("Authorization", "Bearer "+key)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 300 {
			b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
		}
		return w
	}
	// Records the agency caller sees: owned by users of seed agency 1.
	rows, err := su.Query(ctx, `select r.id::text from tenant_ke.records r join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner'
		join tenant_ke.users u on u.id = a.user_id join tenant_ke.agencies g on g.id = u.agency_id
		where g.unique_id = $1 and r.record_type = 'case' limit 1000`, demo.AgencyID(1))
	require.NoError(b, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(b, err)
	var district string
	require.NoError(b, su.QueryRow(ctx, `select extensions.subpath(location_current, 0, 3)::text from tenant_ke.records where location_current is not null
		group by 1 order by count(*) desc offset 10 limit 1`).Scan(&district))
	district = district[strings.LastIndex(district, ".")+1:]
	var shortIDs []string
	rows, err = su.Query(ctx, "select short_id from tenant_ke.records where record_type = 'case' order by random() limit 200")
	require.NoError(b, err)
	shortIDs, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(b, err)

	// bare runs one statement on a plain connection as the tenant role (a
	// write is rolled back).
	plain, err := pgx.Connect(ctx, db.URL)
	require.NoError(b, err)
	b.Cleanup(func() { plain.Close(ctx) })
	bare := func(b *testing.B, s statement) time.Duration {
		s = freshRecordID(b, withoutCallAudit(b, s))
		t0 := time.Now()
		tx, err := plain.Begin(ctx)
		require.NoError(b, err)
		_, err = tx.Exec(ctx, "select set_config('role', $1, true), set_config('search_path', 'tenant_ke, extensions', true)", p.TenantRole("ke"))
		require.NoError(b, err)
		rows, err := tx.Query(ctx, s.sql, s.args...)
		require.NoError(b, err)
		n := 0
		for rows.Next() {
			n++
		}
		require.NoError(b, rows.Err())
		require.NoError(b, tx.Rollback(ctx))
		took := time.Since(t0)
		if strings.HasPrefix(s.sql, "with written as (") {
			require.Equal(b, 1, n, "the bare write wrote and read back its record")
		}
		return took
	}
	// bareAll replays every statement of a read call, in order, on the
	// plain connection: the SQL the call runs without HTTP, the API key's
	// cache, Casbin, JSON or Go (the second bare figure, beside the records
	// statement alone: docs/records.md, Session 24). The call's own begin
	// (with its settings and the key's check) is sent as it was, the audit
	// row is written, and the transaction rolled back instead of committed.
	// Reads only: a write replayed would not do the same work (a create's
	// id is taken, an update's version has moved on).
	bareAll := func(b *testing.B, stmts []statement) time.Duration {
		t0 := time.Now()
		open := false
		for _, s := range stmts {
			sql := strings.TrimSpace(s.sql)
			switch {
			case sql == "commit":
				sql, open = "rollback", false
			case strings.HasPrefix(sql, "begin;"):
				open = true
			}
			if len(s.args) == 0 { // as the pool sent it: the simple protocol (the begin is several statements)
				_, err := plain.Exec(ctx, sql)
				require.NoError(b, err, "replaying %s", sql)
				continue
			}
			rows, err := plain.Query(ctx, sql, s.args...)
			require.NoError(b, err)
			for rows.Next() {
			}
			require.NoError(b, rows.Err(), "replaying %s", sql)
		}
		took := time.Since(t0)
		if open {
			_, err := plain.Exec(ctx, "rollback")
			require.NoError(b, err)
		}
		return took
	}
	type op struct {
		name   string
		marker string // the records statement, for the bare run
		do     func(b *testing.B, key string, i int)
		read   bool // replayed whole too (bareAll)
	}
	created := map[string][]string{}
	versions := map[string]int{} // updates made since version 1
	var createdMu sync.Mutex
	caseBody := `{"data": {"name_first": "Amina", "name_last": "Yusuf", "sex": "female", "registration_date": "2026-01-10",
		"date_of_birth": "2016-03-01", "location_current": "` + district + `C01", "unhcr_id_no": "KE-99-123456"}}`
	ops := []op{
		{"Get", "from records r left join lateral", func(b *testing.B, key string, i int) {
			call(b, "GET", "/api/v2/cases/"+ids[i%len(ids)], key, nil, "")
		}, true},
		{"FilteredList", "page join records r", func(b *testing.B, key string, i int) {
			call(b, "GET", "/api/v2/cases?location_current="+district+"&status=open&age=5..10", key, nil, "")
		}, true},
		// The bare run of a phonetic search is its first statement on the
		// key rows: the matches (session 21; before, the page, which read
		// the matches again).
		{"PhoneticSearch", "record_name_keys", func(b *testing.B, key string, i int) {
			q := []string{"Abdirahman", "Yusuf Hassan", "محمد", "Khadija", "Halima Warsame"}[i%5]
			call(b, "GET", "/api/v2/cases?phonetic=true&query="+url.QueryEscape(q), key, nil, "")
		}, true},
		{"IDSearch", "page join records r", func(b *testing.B, key string, i int) {
			call(b, "GET", "/api/v2/cases?id_search=true&query="+strings.ToUpper(shortIDs[i%len(shortIDs)]), key, nil, "")
		}, true},
		{"Create", "insert into records", func(b *testing.B, key string, i int) {
			w := call(b, "POST", "/api/v2/cases", key, nil, caseBody)
			createdMu.Lock()
			created[key] = append(created[key], w.Header().Get("Location"))
			createdMu.Unlock()
		}, false},
		{"Update", "update records set data", func(b *testing.B, key string, i int) {
			createdMu.Lock()
			loc := created[key][i%len(created[key])]
			version := versions[loc] + 1
			createdMu.Unlock()
			call(b, "PATCH", loc, key, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version)},
				fmt.Sprintf(`{"data": {"name_middle": "v%d"}}`, rand.IntN(1_000_000_000)))
			createdMu.Lock()
			versions[loc] = version
			createdMu.Unlock()
		}, false},
	}
	for _, who := range []string{"all", "agency"} {
		key := callers[who]
		for _, o := range ops {
			b.Run(who+"/"+o.name, func(b *testing.B) {
				o.do(b, key, 0) // warm up
				full := make([]time.Duration, 0, b.N)
				plainTimes := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				stmts, trips := 0, 0
				var allTimes []time.Duration
				var cpu time.Duration
				for i := 0; i < b.N; i++ {
					var took time.Duration
					// The records statement of this very call, run bare after it.
					s, all, rt, ok := rec.record(func() {
						c0 := processCPU()
						t0 := time.Now()
						o.do(b, key, i)
						took = time.Since(t0)
						cpu += processCPU() - c0
					}, o.marker)
					require.True(b, ok, "no statement with %q", o.marker)
					stmts += len(all)
					trips += rt
					full = append(full, took)
					plainTimes = append(plainTimes, bare(b, s))
					if o.read {
						allTimes = append(allTimes, bareAll(b, all))
					}
				}
				b.StopTimer()
				f50, f95 := percentiles(full)
				s50, s95 := percentiles(plainTimes)
				b.ReportMetric(f50, "p50-ms")
				b.ReportMetric(f95, "p95-ms")
				b.ReportMetric(s50, "sql-p50-ms")
				b.ReportMetric(s95, "sql-p95-ms")
				b.ReportMetric(float64(mean(full))/float64(mean(plainTimes)), "full/sql")
				if len(allTimes) > 0 {
					// The second bare figure: every statement of the call.
					a50, _ := percentiles(allTimes)
					b.ReportMetric(a50, "all-sql-p50-ms")
					b.ReportMetric(float64(mean(full))/float64(mean(allTimes)), "full/all-sql")
				}
				b.ReportMetric(float64(stmts)/float64(b.N), "stmts/op")
				b.ReportMetric(float64(trips)/float64(b.N), "trips/op")
				// The server's own CPU per call (this process: HTTP, Huma,
				// JSON, Casbin, validation, pgx), less sensitive to the
				// machine's load than latencies; PostgreSQL's is not in it.
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
	b.Logf("load average after: %s", loadAverage())
}
