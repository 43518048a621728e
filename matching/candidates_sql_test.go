package matching_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"hash/fnv"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// The tests of the candidate query run on a real PostgreSQL (testdb: a
// private cluster, or TEST_DATABASE_URL).
func TestMain(m *testing.M) { testdb.Main(m) }

var (
	sqlCases  = flag.Int("sql.cases", 20_000, "generated cases of BenchmarkCandidateQuery's tenant (1000000 for the figure)")
	sqlTraces = flag.Int("sql.traces", 300, "generated traces whose candidate query BenchmarkCandidateQuery times")
	sqlKeep   = flag.String("sql.keep", "", "keep BenchmarkCandidateQuery's seeded database as cpims_keep_<name> between runs "+
		"(TEST_DATABASE_URL must name a persistent server); a later run with the same -sql.cases measures at once")
	sqlWorkers = flag.Int("sql.workers", 1, "transactions querying at once in BenchmarkCandidateQuery (a run's RunWorkers: "+
		"GOMAXPROCS); each takes every workers-th trace")
	sqlForm = flag.String("sql.form", "product", "forms of the candidate query BenchmarkCandidateQuery times, comma-separated "+
		"(product: the product's; every: each case's whole key array read, no index; store: a run's select list; "+
		"statement: the product's single statement of sessions 38-42)")
)

// seedTraces is how many generated traces a seed keeps with their keys
// (a later run on a kept database times up to that many).
const seedTraces = 2000

// sqlTenant is a seeded tenant of generated cases: every case a record,
// those with consent with their blocking keys and stored parsed values
// (match_subjects, and the postings match_keys) as storeCaseKeys writes them.
type sqlTenant struct {
	db         *testdb.DB
	p          *tenancy.Platform
	code       string
	m          *matching.Matcher
	consenting int
	stop       map[string]bool
	traces     []sqlTrace
}

// sqlTrace is a generated trace: its record id and the keys it looks for
// (matching.Matcher.TraceKeys, stop keys included).
type sqlTrace struct {
	id   string
	keys []string
}

// recordID is the record id of a generated case or trace.
func recordID(generated string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("cpims-sqlbench/"+generated)).String()
}

// benchMatcher is the matcher of the generated tenants (its hierarchy is
// the generator's) with the date the data is seen on.
func benchMatcher(tb testing.TB) *matching.Matcher {
	probe := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 1, Traces: 1, Seed: 21})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), probe.Locations, probe.Today)
	require.NoError(tb, err)
	return m
}

// seedSQLTenant returns a tenant "ke" of n generated cases (profile A, seed
// 21), seeding it unless db already holds that seed (a kept database).
//
// The seed writes as a bulk load does, not through the service: records and
// match_subjects by COPY as the superuser with triggers off (the triggers
// fill the records' search side tables, which the candidate query does not
// read, and the postings, match_keys, which are then written from
// match_subjects' keys in one statement with their primary key built
// after), the records' secondary indexes dropped first and built again
// after, then vacuum analyze.
// The stop keys are the product's (Estimator.Stop over the consenting
// cases), the keys and stored forms storeCaseKeys's (CaseKeys, EncodeCase).
func seedSQLTenant(tb testing.TB, db *testdb.DB, n, traces int) *sqlTenant {
	tb.Helper()
	ctx := context.Background()
	enf, err := policy.NewEnforcer()
	require.NoError(tb, err)
	p := db.Platform(tb, tenancy.Config{Authorizer: enf})
	sys := policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	const code = "ke"
	if _, err := p.Get(sys, code); errors.Is(err, tenancy.ErrNotFound) {
		_, err = p.Create(sys, tenancy.CreateParams{Code: code, Name: "Kenya", Locales: []string{"en"}})
		require.NoError(tb, err)
		require.NoError(tb, p.Provision(sys, code))
	} else {
		require.NoError(tb, err)
		rep, err := p.MigrateTenants(ctx, tenancy.MigrateOptions{})
		require.NoError(tb, err)
		require.Empty(tb, rep.Failed)
	}
	t := &sqlTenant{db: db, p: p, code: code, m: benchMatcher(tb), stop: map[string]bool{}}
	su := db.Superuser(tb)
	_, err = su.Exec(ctx, `create table if not exists public.sqlbench_seed (tenant text primary key, cases integer not null,
		consenting integer not null, fingerprint bigint not null, stop text[] not null, trace_ids text[] not null,
		trace_keys jsonb not null, seeded_in interval not null)`)
	require.NoError(tb, err)
	var cases int
	var fp int64
	var stop, ids []string
	var keys [][]string
	var took time.Duration
	err = su.QueryRow(ctx, `select cases, consenting, fingerprint, stop, trace_ids, trace_keys, seeded_in
		from public.sqlbench_seed where tenant = $1`, code).Scan(&cases, &t.consenting, &fp, &stop, &ids, &keys, &took)
	switch {
	case err == nil && cases == n && fp == t.m.Fingerprint():
		tb.Logf("kept database %s: %d cases (%d with consent) seeded earlier in %s", db.Name, n, t.consenting, took.Round(time.Second))
	case err == nil || errors.Is(err, pgx.ErrNoRows):
		stop, ids, keys = t.seed(tb, su, n)
	default:
		require.NoError(tb, err)
	}
	for _, k := range stop {
		t.stop[k] = true
	}
	for i := range min(traces, len(ids)) {
		t.traces = append(t.traces, sqlTrace{id: ids[i], keys: keys[i]})
	}
	return t
}

// seed writes n generated cases into the (emptied) tenant and returns the
// stop keys and the first seedTraces generated traces with their keys.
func (t *sqlTenant) seed(tb testing.TB, su *pgx.Conn, n int) (stop, ids []string, keys [][]string) {
	ctx := context.Background()
	start := time.Now()
	schema := tenancy.SchemaName(t.code)
	// match_keys has no foreign key (its triggers follow match_subjects'
	// writes, and a truncate fires none of them): emptied with the rest, or
	// a reseed's postings collide with the last seed's.
	_, err := su.Exec(ctx, "truncate "+schema+".records, "+schema+".match_keys cascade")
	require.NoError(tb, err)
	_, err = su.Exec(ctx, "delete from public.sqlbench_seed where tenant = $1", t.code)
	require.NoError(tb, err)
	// Secondary indexes (not those of constraints) are dropped for the load
	// and built again after it.
	rows, err := su.Query(ctx, `select i.indexname, i.indexdef from pg_indexes i
		where i.schemaname = $1 and i.tablename = 'records'
			and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = $1::regnamespace)`, schema)
	require.NoError(tb, err)
	type index struct{ Name, Def string }
	indexes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[index])
	require.NoError(tb, err)
	for _, ix := range indexes {
		_, err := su.Exec(ctx, "drop index "+schema+"."+pgx.Identifier{ix.Name}.Sanitize())
		require.NoError(tb, err)
	}
	var module string
	require.NoError(tb, su.QueryRow(ctx, "select unique_id from "+schema+".modules order by unique_id limit 1").Scan(&module))

	// Generation (one goroutine), parsing (GOMAXPROCS workers per batch),
	// then two COPY streams: records, match_subjects.
	type parsed struct {
		id, short string
		consent   bool
		data      map[string]any
		s         *matching.Subject
		keys      []string
		form      []byte
	}
	batches := make(chan []synthetic.Case, 2)
	var ds *synthetic.Dataset
	go func() {
		defer close(batches)
		var batch []synthetic.Case
		ds = synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: n, Traces: seedTraces, Seed: 21,
			OnCase: func(c synthetic.Case) {
				if batch = append(batch, c); len(batch) == 2048 {
					batches <- batch
					batch = nil
				}
			}})
		if len(batch) > 0 {
			batches <- batch
		}
	}()
	recordRows := make(chan []any, 4096)
	subjectRows := make(chan []any, 4096)
	est := t.m.NewEstimator()
	var consenting int
	go func() {
		defer close(recordRows)
		defer close(subjectRows)
		for batch := range batches {
			out := make([]parsed, len(batch))
			var wg sync.WaitGroup
			workers := runtime.GOMAXPROCS(0)
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := w; j < len(batch); j += workers {
						c := batch[j]
						p := parsed{id: recordID(c.ID), short: c.ID, consent: c.Consent, data: c.Data, keys: []string{}}
						if c.Consent {
							p.s = t.m.NewCase(p.id, c.Data)
							p.keys = t.m.CaseKeys(p.s)
							p.form = t.m.EncodeCase(p.s)
						}
						out[j] = p
					}
				}()
			}
			wg.Wait()
			for _, p := range out {
				digest := sha256.Sum256([]byte(p.id))
				recordRows <- []any{p.id, "case", p.short, module, p.data, "seed", "seed", digest[:]}
				if p.consent {
					consenting++
					est.AddCase(p.s)
					subjectRows <- []any{p.id, t.m.Fingerprint(), p.form, p.keys}
				}
			}
		}
	}()
	copyFrom := func(conn *pgx.Conn, table string, cols []string, src chan []any) error {
		if _, err := conn.Exec(ctx, "set session_replication_role = replica"); err != nil {
			return err
		}
		_, err := conn.CopyFrom(ctx, pgx.Identifier{schema, table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := <-src
			if !ok {
				return nil, nil
			}
			return row, nil
		}))
		return err
	}
	su2, err := pgx.Connect(ctx, t.db.SuperuserURL())
	require.NoError(tb, err)
	defer su2.Close(ctx)
	errs := make(chan error, 1)
	go func() {
		err := copyFrom(su2, "match_subjects", []string{"record_id", "fingerprint", "subject", "keys"}, subjectRows)
		if err != nil {
			for range subjectRows { // let the producer finish
			}
		}
		errs <- err
	}()
	err = copyFrom(su, "records", []string{"id", "record_type", "short_id", "module_id", "data", "created_by", "updated_by",
		"create_digest"}, recordRows)
	if err != nil {
		for range recordRows {
		}
	}
	require.NoError(tb, err)
	require.NoError(tb, <-errs)
	_, err = su.Exec(ctx, "set session_replication_role = origin")
	require.NoError(tb, err)
	for _, q := range []string{
		"alter table " + schema + ".match_keys drop constraint if exists match_keys_pkey",
		"insert into " + schema + ".match_keys (key, record_id) select distinct k, s.record_id from " + schema + ".match_subjects s cross join unnest(s.keys) k",
		"alter table " + schema + ".match_keys add primary key (key, record_id)",
	} {
		_, err = su.Exec(ctx, q)
		require.NoError(tb, err)
	}
	loaded := time.Since(start)
	for _, ix := range indexes {
		t0 := time.Now()
		_, err := su.Exec(ctx, ix.Def)
		require.NoError(tb, err)
		tb.Logf("index %s built in %s", ix.Name, time.Since(t0).Round(time.Millisecond))
	}
	indexed := time.Since(start)
	for _, table := range []string{"records", "match_subjects", "match_keys"} {
		_, err := su.Exec(ctx, "vacuum analyze "+schema+"."+table)
		require.NoError(tb, err)
	}
	stop = append([]string{}, est.Stop()...)
	for _, r := range ds.Requests {
		for _, tr := range r.Traces {
			if len(ids) < seedTraces {
				ids = append(ids, recordID(tr.ID))
				keys = append(keys, t.m.TraceKeys(t.m.NewTrace(tr.ID, r.Data, tr.Row)))
			}
		}
	}
	t.consenting = consenting
	took := time.Since(start)
	_, err = su.Exec(ctx, `insert into public.sqlbench_seed (tenant, cases, consenting, fingerprint, stop, trace_ids, trace_keys, seeded_in)
		values ($1, $2, $3, $4, $5, $6, $7, $8)`, t.code, n, consenting, t.m.Fingerprint(), stop, ids, keys, took)
	require.NoError(tb, err)
	tb.Logf("seeded %d cases (%d with consent, %d stop keys) in %s: generated, parsed and copied in %s, indexes %s, vacuum analyze %s",
		n, consenting, len(stop), took.Round(time.Second), loaded.Round(time.Second), (indexed - loaded).Round(time.Second),
		(took - indexed).Round(time.Second))
	return stop, ids, keys
}

// queryArgs are the candidate query's arguments for trace tr, as
// matchRequest passes them (no settled case, the product's cap).
func (t *sqlTenant) queryArgs(tr sqlTrace, maxCandidates int) []any {
	keys := slices.DeleteFunc(slices.Clone(tr.keys), func(k string) bool { return t.stop[k] })
	return []any{t.m.Fingerprint(), keys, tr.id, []string{}, maxCandidates, max(1, t.consenting)}
}

// tx runs fn in a tenant transaction of the matching job's actor.
func (t *sqlTenant) tx(tb testing.TB, fn func(ctx context.Context, c *tenancy.Conn) error) {
	ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	require.NoError(tb, t.p.Tx(ctx, t.code, fn))
}

// BenchmarkCandidateQuery: the product's candidate query (matchRequest's
// candidateSQL, MaxCandidates) for -sql.traces generated traces, one after
// another in one transaction of the matching job's actor, on a tenant of
// -sql.cases generated cases seeded as the job stores them (seedSQLTenant).
// Reports wall time per trace (the statement and reading its rows, not
// decoding them) at p50/p95/p99, the rows and bytes of stored forms it
// returns, the consenting cases sharing a key with the trace (hits, counted
// apart), and the projected hours of DB time for 100,000 traces; logs
// EXPLAIN (ANALYZE, BUFFERS) of the trace whose time is the median.
// -sql.form=product,before,... times other forms of the query too, one
// sub-benchmark each, in that order (TestCandidateQueryForms: the same
// rows). -sql.workers=2 queries in two transactions at once, as a run's
// workers do on two cores (traces/s and wall-hours/100k-traces). 1,000,000 cases: go tool task bench:matching-sql CASES=1000000
// KEEP=m1.
func BenchmarkCandidateQuery(b *testing.B) {
	var db *testdb.DB
	if *sqlKeep != "" {
		db = testdb.Kept(b, *sqlKeep)
	} else {
		db = testdb.New(b)
	}
	t := seedSQLTenant(b, db, *sqlCases, *sqlTraces)
	require.NotEmpty(b, t.traces)
	// Hits (consenting cases sharing a key: what the query weighs and
	// sorts before its cap), counted apart, once per trace.
	hits := make([]int, len(t.traces))
	t.tx(b, func(ctx context.Context, c *tenancy.Conn) error {
		for i, tr := range t.traces {
			if err := c.QueryRow(ctx, `select count(distinct p.record_id) from match_keys p where p.key = any($1::text[])`,
				t.queryArgs(tr, 0)[1]).Scan(&hits[i]); err != nil {
				return err
			}
		}
		return nil
	})
	var sum int
	for _, h := range hits {
		sum += h
	}
	b.Logf("%d cases (%d with consent, %d stop keys), %d traces, hits per trace %.0f (counted apart); load average %s",
		*sqlCases, t.consenting, len(t.stop), len(t.traces), float64(sum)/float64(len(hits)), loadAverage())
	// Each form's rows per trace (a digest of every value returned, in
	// order), against the first form's.
	var first []uint64
	forms := strings.Split(*sqlForm, ",")
	for _, form := range forms {
		query, ok := candidateForms[form]
		require.True(b, ok, "unknown -sql.form %q", form)
		var digests []uint64
		b.Run(form, func(b *testing.B) { digests = timeCandidateQuery(b, t, form, query, hits) })
		if first == nil {
			first = digests
			continue
		}
		same := 0
		for i := range first {
			if i < len(digests) && digests[i] == first[i] {
				same++
			}
		}
		b.Logf("form %s: the same rows as form %s for %d of %d traces", form, forms[0], same, len(first))
	}
}

// timeCandidateQuery times query (a form of the candidate query) for
// every trace of t, b.N passes, and returns a digest of each trace's rows
// (the last pass).
func timeCandidateQuery(b *testing.B, t *sqlTenant, name string, query candidateForm, hits []int) []uint64 {
	digests := make([]uint64, len(t.traces))
	type timing struct {
		wall             time.Duration
		rows             int
		formBytes, bytes int
	}
	var all []timing
	var walls []time.Duration
	workers := max(1, *sqlWorkers)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		pass := make([]timing, len(t.traces))
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
				errs[w] = t.p.Tx(ctx, t.code, func(ctx context.Context, c *tenancy.Conn) error {
					for i := w; i < len(t.traces); i += workers {
						args := t.queryArgs(t.traces[i], matching.MaxCandidates)
						tm := &pass[i]
						h := fnv.New64a()
						start := time.Now()
						rows, err := query(ctx, c, args)
						if err != nil {
							return err
						}
						for rows.Next() {
							raw := rows.RawValues()
							tm.rows++
							tm.formBytes += len(raw[1])
							for _, v := range raw {
								tm.bytes += len(v)
								h.Write(v)
								h.Write([]byte{0})
							}
						}
						rows.Close()
						if err := rows.Err(); err != nil {
							return err
						}
						tm.wall = time.Since(start)
						digests[i] = h.Sum64()
					}
					return nil
				})
			}()
		}
		wg.Wait()
		require.NoError(b, errors.Join(errs...))
		for _, tm := range pass {
			all = append(all, tm)
			walls = append(walls, tm.wall)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	sorted := slices.Clone(walls)
	slices.Sort(sorted)
	pct := func(p float64) time.Duration { return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))] }
	var sum time.Duration
	var rowsN, formBytes, bytes int
	for _, tm := range all {
		sum += tm.wall
		rowsN += tm.rows
		formBytes += tm.formBytes
		bytes += tm.bytes
	}
	n := float64(len(all))
	mean := sum / time.Duration(len(all))
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	b.ReportMetric(ms(pct(0.50)), "p50-ms")
	b.ReportMetric(ms(pct(0.95)), "p95-ms")
	b.ReportMetric(ms(pct(0.99)), "p99-ms")
	b.ReportMetric(ms(mean), "mean-ms")
	b.ReportMetric(float64(rowsN)/n, "rows/trace")
	b.ReportMetric(float64(formBytes)/n/1024, "form-KiB/trace")
	b.ReportMetric(float64(bytes)/n/1024, "KiB/trace")
	b.ReportMetric(mean.Hours()*100_000, "db-hours/100k-traces")
	// With -sql.workers transactions at once, as a run's workers query.
	b.ReportMetric(n/elapsed.Seconds(), "traces/s")
	b.ReportMetric(elapsed.Hours()/n*100_000, "wall-hours/100k-traces")
	// EXPLAIN of the trace whose time is the median (first pass).
	med := slices.Index(walls, pct(0.5)) % len(t.traces)
	args := t.queryArgs(t.traces[med], matching.MaxCandidates)
	t.tx(b, func(ctx context.Context, c *tenancy.Conn) error {
		// The generic plan: the one the statement cache runs after five runs.
		if _, err := c.Exec(ctx, "set local plan_cache_mode = force_generic_plan"); err != nil {
			return err
		}
		type statement struct {
			sql  string
			args []any
		}
		var statements []statement
		switch name {
		case "every":
			statements = []statement{{everySQL, args}}
		case "statement":
			statements = []statement{{statementSQL, args}}
		default: // the product's two statements
			ids, err := matching.SelectCandidates(ctx, c, args[2].(string), args[1].([]string), args[3].([]string), args[4].(int), args[5].(int))
			if err != nil {
				return err
			}
			statements = []statement{{matching.CandidatePostingsSQL, []any{args[1]}}, {matching.CandidateRowsSQLFor(name == "store"), []any{args[0], ids}}}
		}
		var plan []string
		for _, st := range statements {
			rows, err := c.Query(ctx, "explain (analyze, buffers) "+st.sql, st.args...)
			if err != nil {
				return err
			}
			p, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			plan = append(plan, p...)
		}
		b.Logf("load average %s; EXPLAIN (ANALYZE, BUFFERS) of the median trace (%d keys, %d hits, %d rows, %.1f ms in the timed pass):\n%s",
			loadAverage(), len(args[1].([]string)), hits[med], all[med].rows, ms(all[med].wall), strings.Join(plan, "\n"))
		return nil
	})
	return digests
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(string(b))
}

// Candidate query forms measured against the product's (docs/matching-log.md,
// Speed, Sessions 26 and 38). Arguments and rows as matching.CandidateSQL's.
// The forms of sessions 26-37 read the keys from records' GIN-indexed
// match_keys (gone since session 38); they are in the history of this file.
//
// everySQL reads the key array of every consenting case sharing a key
// (match_subjects.keys, no index: a scan), keeps the keys the trace looks
// for, weighs them, and sums each case's: the selection the product's
// statement makes from the postings, written as plainly as it reads. The
// reference of TestCandidateQueryForms.
const everySQL = `with hit as (
		select s.record_id as id, s.keys from match_subjects s join records r on r.id = s.record_id
		where s.keys && $2::text[] and r.record_type = 'case' and r.enabled and r.data->'consent_for_tracing' = 'true'::jsonb),
	weight as (
		select k, greatest(1, floor(1000 * ln($6::float8 / count(*))))::bigint as w
		from hit, unnest(hit.keys) k where k = any($2::text[]) group by k),
	ranked as (
		select h.id, (select sum(weight.w) from unnest(h.keys) k join weight using (k))::bigint as score
		from hit h
		where not (h.id = any($4::uuid[]))
			and not exists (select 1 from potential_matches x where x.trace_id = $3 and x.case_id = h.id and x.status = 'rejected')
		order by score desc, h.id limit $5)
	select r.id::text, case when s.fingerprint = $1 then s.subject end,
		case when s.fingerprint is distinct from $1 then r.data end
	from ranked join records r on r.id = ranked.id left join match_subjects s on s.record_id = r.id
	order by ranked.score desc, r.id`

// statementSQL is the product's candidate statement of sessions 38-42:
// the selection in one statement (a window weighing the pairs of the
// postings' index-only scan, the rejected cases anti-joined, a hash
// aggregate by case, a top-N sort), replaced by selectCandidates' ranking
// in Go in session 43 (docs/matching-log.md, Speed, Session 43).
const statementSQL = `with shared as (
		select p.record_id as id, greatest(1, floor(1000 * ln($6::float8 / count(*) over (partition by p.key))))::bigint as w
		from match_keys p where p.key = any($2::text[])),
	ranked as (
		select s.id, sum(s.w)::bigint as score
		from shared s
		where not (s.id = any($4::uuid[]))
			and not exists (select 1 from potential_matches x where x.trace_id = $3 and x.case_id = s.id and x.status = 'rejected')
		group by s.id order by score desc, s.id limit $5)
	select s.record_id::text, case when s.fingerprint = $1 then s.subject end,
		case when s.fingerprint is distinct from $1 then (select r.data from records r where r.id = s.record_id) end
	from ranked join match_subjects s on s.record_id = ranked.id
	order by ranked.score desc, ranked.id`

// candidateForm runs a form of a trace's candidate query with queryArgs's
// arguments ($1 fingerprint, $2 keys, $3 trace, $4 settled cases, $5 cap,
// $6 cases) and returns its rows.
type candidateForm func(ctx context.Context, c *tenancy.Conn, args []any) (pgx.Rows, error)

// oneStatement is a form written as one statement of queryArgs's arguments.
func oneStatement(query string) candidateForm {
	return func(ctx context.Context, c *tenancy.Conn, args []any) (pgx.Rows, error) {
		return c.Query(ctx, query, args...)
	}
}

// productForm is matchRequest's query outside a run (matching.CandidateRows);
// with store, as a run with a store of its cases reads it.
func productForm(store bool) candidateForm {
	return func(ctx context.Context, c *tenancy.Conn, args []any) (pgx.Rows, error) {
		return matching.CandidateRows(ctx, c, args[0].(int64), args[1].([]string), args[2].(string), args[3].([]string),
			args[4].(int), args[5].(int), store)
	}
}

// candidateForms are the forms of the candidate query the benchmark times
// (-sql.form) and TestCandidateQueryForms holds to everySQL's rows. All
// run as the product runs its statements: through pgx's statement cache
// (a generic plan after five runs).
var candidateForms = map[string]candidateForm{
	"product":   productForm(false),
	"every":     oneStatement(everySQL),
	"statement": oneStatement(statementSQL),
	// the product's query as a run with a store of its cases sends it:
	// ids, row versions and whether the stored forms are current
	"store": productForm(true),
}

// TestCandidateQueryForms: the product's candidate query, and every other
// form in candidateForms, returns the rows of the query it replaced
// (everySQL: the same cases, in the same order, with the same stored
// forms) for 120 generated traces on a tenant of 10,000 generated cases:
// with the product's cap and with a cap of 40 (ties on the weight broken
// by id at the cut), with settled cases left out (a trace's first
// candidates given as $4), and with cases rejected for the trace left out
// (potential matches stored rejected).
func TestCandidateQueryForms(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 10_000, 120)
	require.Len(t, st.traces, 120)
	ctx := context.Background()

	// A tracing request holding the first 30 traces, each with its three
	// best candidates (at the product's cap) rejected.
	su := db.Superuser(t)
	schema := tenancy.SchemaName(st.code)
	request := recordID("sqlbench-request")
	var module string
	require.NoError(t, su.QueryRow(ctx, "select unique_id from "+schema+".modules order by unique_id limit 1").Scan(&module))
	_, err := su.Exec(ctx, "set session_replication_role = replica") // the record's search side tables are not read here
	require.NoError(t, err)
	_, err = su.Exec(ctx, `insert into `+schema+`.records (id, record_type, short_id, module_id, created_by, updated_by, create_digest)
		values ($1, 'tracing_request', 'TR1', $2, 'test', 'test', $3)`, request, module, make([]byte, 32))
	require.NoError(t, err)
	_, err = su.Exec(ctx, "set session_replication_role = origin")
	require.NoError(t, err)
	run := func(form candidateForm, tr sqlTrace, maxCandidates int, settled []string) (ids []string, forms [][]byte) {
		args := st.queryArgs(tr, maxCandidates)
		args[3] = settled
		st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
			rows, err := form(ctx, c, args)
			if err != nil {
				return err
			}
			var id string
			var form, data []byte
			_, err = pgx.ForEachRow(rows, []any{&id, &form, &data}, func() error {
				ids, forms = append(ids, id), append(forms, slices.Clone(form))
				require.Nil(t, data, "a current stored form is read, not the record's data")
				return nil
			})
			return err
		})
		return ids, forms
	}
	rejected := map[string][]string{}
	for _, tr := range st.traces[:30] {
		ids, _ := run(candidateForms["every"], tr, matching.MaxCandidates, []string{})
		_, err := su.Exec(ctx, "insert into "+schema+".traces (id, tracing_request_id, data) values ($1, $2, '{}')", tr.id, request)
		require.NoError(t, err)
		rejected[tr.id] = ids[:min(3, len(ids))]
		for _, id := range rejected[tr.id] {
			_, err := su.Exec(ctx, `insert into `+schema+`.potential_matches (trace_id, tracing_request_id, case_id, probability, label,
				weight, parameters_version, comparisons, status) values ($1, $2, $3, 0.1, 'unlikely', 0, 1, '[]', 'rejected')`,
				tr.id, request, id)
			require.NoError(t, err)
		}
	}

	var compared, cut, withSettled, candidates int
	for i, tr := range st.traces {
		full, _ := run(candidateForms["every"], tr, matching.MaxCandidates, []string{})
		for _, id := range rejected[tr.id] {
			require.NotContains(t, full, id, "rejected cases are left out")
		}
		settled := []string{}
		if i%3 == 0 && len(full) > 2 {
			settled = full[:2]
			withSettled++
		}
		for _, maxCandidates := range []int{matching.MaxCandidates, 40} {
			want, wantForms := run(candidateForms["every"], tr, maxCandidates, settled)
			for _, id := range settled {
				require.NotContains(t, want, id, "settled cases are left out")
			}
			if maxCandidates == 40 && len(full) > 40 {
				cut++
			}
			candidates += len(want)
			var ids []string // the run's form: the same cases in the same order
			st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
				args := st.queryArgs(tr, maxCandidates)
				args[3] = settled
				rows, err := candidateForms["store"](ctx, c, args)
				if err != nil {
					return err
				}
				var id string
				var version int64
				var current bool
				_, err = pgx.ForEachRow(rows, []any{&id, &version, &current}, func() error {
					require.True(t, current, "the stored form is current")
					ids = append(ids, id)
					return nil
				})
				return err
			})
			require.Equal(t, want, ids, "store form, trace %d, cap %d", i, maxCandidates)
			for name, form := range candidateForms {
				if name == "every" || name == "store" {
					continue
				}
				got, gotForms := run(form, tr, maxCandidates, settled)
				require.Equal(t, want, got, "form %s, trace %d, cap %d: other candidates or another order", name, i, maxCandidates)
				require.Equal(t, wantForms, gotForms, "form %s, trace %d, cap %d: other stored forms", name, i, maxCandidates)
			}
			compared++
		}
	}
	require.Positive(t, cut, "some traces have more candidates than the small cap")
	t.Logf("%d queries compared per form (%d traces cut at 40, %d with settled cases, %d traces with rejected cases), %d candidates in all",
		compared, cut, withSettled, len(rejected), candidates)
}
