package matching_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

var (
	runTraces     = flag.Int("run.traces", 2000, "generated traces (in their tracing requests) BenchmarkRunMatching's run matches")
	runEstimation = flag.Int("run.estimation", 150, "traces whose candidates estimate BenchmarkRunMatching's parameters "+
		"(each distinct candidate held decoded: some 11 KB; the product's estimate takes 5,000)")
	runRematch = flag.Bool("run.rematch", false, "BenchmarkRunMatching's passes after the first keep the potential matches "+
		"the one before wrote (a re-run: updates), instead of starting from none (inserts)")
	runWorkers  = flag.Int("run.workers", 0, "RunWorkers of BenchmarkRunMatching's run (0: GOMAXPROCS, the product's)")
	runPreScore = flag.Int("run.prescore", 0, "PreScoreKeep of BenchmarkRunMatching's run (0: matching.PreScoreKeep, the product's)")
)

// runTenant is a seeded tenant (sqlTenant) with generated tracing
// requests and their traces, and parameters stored.
type runTenant struct {
	*sqlTenant
	requests, traces int
	// truth: a trace's sought child's case (record ids), when it is a
	// consenting case.
	truth      map[string]string
	parameters int
}

// seedRunTenant adds to t (seedSQLTenant's) the first traces generated
// traces (profile A, seed 21: the cases' data set) in their tracing
// requests, and parameters estimated from the seeded data, unless the
// database already holds that seed (a kept database).
//
// As the case seed, it writes as a bulk load does: the requests (each
// record's data holding its trace rows, records.TraceSubform) and their
// rows of traces by COPY as the superuser with triggers off, then vacuum
// analyze. A trace row is stored with its data and the keys the request's
// own job stores (match_keys: Matcher.TraceKeys, by which a run orders its
// requests); the traces' search columns (name_keys, sex, ...), which
// matching does not read, stay empty. The generator's locations are added
// to the tenant's, as the tenant's matcher reads them.
//
// Parameters are estimated in Go as the service's estimate does, but
// without holding every case decoded (some 11 KB each: 11 GB at 1,000,000
// cases): every consenting case's stored values counted (Estimator.AddCase)
// and sampled for u (20,000), and the candidates of -run.estimation traces
// (RunKeys.Select over the cases' keys, as Index.Candidates selects them)
// decoded from their stored values. They are stored as the estimate
// stores them, under the default configuration (version 0).
func seedRunTenant(tb testing.TB, t *sqlTenant, cases, traces, estimation int) *runTenant {
	tb.Helper()
	ctx := context.Background()
	su := t.db.Superuser(tb)
	_, err := su.Exec(ctx, `create table if not exists public.sqlbench_run (tenant text primary key, cases integer not null,
		traces integer not null, fingerprint bigint not null, requests integer not null, parameters integer not null,
		estimation integer not null, truth_traces text[] not null, truth_cases text[] not null, seeded_in interval not null)`)
	require.NoError(tb, err)
	rt := &runTenant{sqlTenant: t, truth: map[string]string{}}
	var n, tr, est int
	var fp int64
	var took time.Duration
	var truthTraces, truthCases []string
	err = su.QueryRow(ctx, `select cases, traces, fingerprint, requests, parameters, estimation, truth_traces, truth_cases, seeded_in
		from public.sqlbench_run where tenant = $1`, t.code).Scan(&n, &tr, &fp, &rt.requests, &rt.parameters, &est, &truthTraces,
		&truthCases, &took)
	switch {
	case err == nil && n == cases && tr == traces && est == estimation && fp == t.m.Fingerprint():
		tb.Logf("kept database %s: %d tracing requests, %d traces, parameters %d seeded earlier in %s", t.db.Name, rt.requests, traces,
			rt.parameters, took.Round(time.Second))
	case err == nil || errors.Is(err, pgx.ErrNoRows):
		start := time.Now()
		truthTraces, truthCases = rt.seedRequests(tb, su, cases, traces)
		rt.estimate(tb, su, estimation)
		took = time.Since(start)
		_, err = su.Exec(ctx, `insert into public.sqlbench_run (tenant, cases, traces, fingerprint, requests, parameters, estimation,
				truth_traces, truth_cases, seeded_in) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			on conflict (tenant) do update set cases = excluded.cases, traces = excluded.traces, fingerprint = excluded.fingerprint,
				requests = excluded.requests, parameters = excluded.parameters, estimation = excluded.estimation,
				truth_traces = excluded.truth_traces, truth_cases = excluded.truth_cases, seeded_in = excluded.seeded_in`,
			t.code, cases, traces, t.m.Fingerprint(), rt.requests, rt.parameters, estimation, truthTraces, truthCases, took)
		require.NoError(tb, err)
	default:
		require.NoError(tb, err)
	}
	rt.traces = traces
	for i, id := range truthTraces {
		rt.truth[id] = truthCases[i]
	}
	return rt
}

// seedRequests writes the tracing requests of the first traces generated
// traces (replacing any) and returns the traces whose sought child is a
// consenting case, with that case.
func (rt *runTenant) seedRequests(tb testing.TB, su *pgx.Conn, cases, traces int) (truthTraces, truthCases []string) {
	ctx := context.Background()
	start := time.Now()
	schema := tenancy.SchemaName(rt.code)
	// The cases again (the generator's requests come after them), not kept.
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: cases, Traces: traces, Seed: 21,
		OnCase: func(synthetic.Case) {}})
	generated := time.Since(start)
	for _, code := range ds.Locations.Codes() {
		path := ds.Locations.Path(code)
		parent := ""
		labels := make([]string, len(path))
		for i, p := range path {
			labels[i] = p.Code
		}
		if len(path) > 1 {
			parent = path[len(path)-2].Code
		}
		_, err := su.Exec(ctx, `insert into `+schema+`.locations (code, name, admin_level, parent_code, path)
			values ($1, jsonb_build_object('en', $1::text), $2, nullif($3, ''), $4) on conflict (code) do nothing`,
			code, path[len(path)-1].AdminLevel, parent, strings.Join(labels, "."))
		require.NoError(tb, err)
	}
	_, err := su.Exec(ctx, "delete from "+schema+".records where record_type = 'tracing_request'")
	require.NoError(tb, err)
	_, err = su.Exec(ctx, "truncate "+schema+".matching_runs, "+schema+".matching_parameters")
	require.NoError(tb, err)
	var module string
	require.NoError(tb, su.QueryRow(ctx, "select unique_id from "+schema+".modules order by unique_id limit 1").Scan(&module))
	var recordRows, traceRows [][]any
	for _, r := range ds.Requests {
		id := recordID(r.ID)
		data := maps.Clone(r.Data)
		var rows []any
		for k, tr := range r.Traces {
			tid := recordID(tr.ID)
			row := maps.Clone(tr.Row)
			row["unique_id"] = tid
			rows = append(rows, row)
			keys := rt.m.TraceKeys(rt.m.NewTrace(tid, r.Data, row))
			traceRows = append(traceRows, []any{tid, id, row, keys, k})
			if tr.CaseID != "" {
				truthTraces, truthCases = append(truthTraces, tid), append(truthCases, recordID(tr.CaseID))
			}
		}
		data[records.TraceSubform] = rows
		digest := sha256.Sum256([]byte(id))
		recordRows = append(recordRows, []any{id, records.TypeTracingRequest, r.ID, module, data, "seed", "seed", digest[:]})
	}
	_, err = su.Exec(ctx, "set session_replication_role = replica")
	require.NoError(tb, err)
	_, err = su.CopyFrom(ctx, pgx.Identifier{schema, "records"}, []string{"id", "record_type", "short_id", "module_id", "data",
		"created_by", "updated_by", "create_digest"}, pgx.CopyFromRows(recordRows))
	require.NoError(tb, err)
	_, err = su.CopyFrom(ctx, pgx.Identifier{schema, "traces"}, []string{"id", "tracing_request_id", "data", "match_keys", "position"},
		pgx.CopyFromRows(traceRows))
	require.NoError(tb, err)
	_, err = su.Exec(ctx, "set session_replication_role = origin")
	require.NoError(tb, err)
	for _, table := range []string{"records", "traces"} {
		_, err := su.Exec(ctx, "vacuum analyze "+schema+"."+table)
		require.NoError(tb, err)
	}
	rt.requests = len(recordRows)
	tb.Logf("seeded %d tracing requests with %d traces (%d of them seeking a consenting case) in %s (generated in %s)",
		len(recordRows), len(traceRows), len(truthTraces), time.Since(start).Round(time.Second), generated.Round(time.Second))
	return truthTraces, truthCases
}

// estimate estimates the tenant's parameters from its stored data (the
// first estimation traces, every consenting case) and stores them.
func (rt *runTenant) estimate(tb testing.TB, su *pgx.Conn, estimation int) {
	ctx := context.Background()
	start := time.Now()
	schema := tenancy.SchemaName(rt.code)
	m := rt.m
	est := m.NewEstimator()
	keys := matching.NewRunKeys(rt.stop)
	rng := rand.New(rand.NewPCG(21, 21))
	var pool []*matching.Subject
	seen := 0
	rows, err := su.Query(ctx, `select r.id::text, s.keys, s.subject from `+schema+`.records r
		join `+schema+`.match_subjects s on s.record_id = r.id
		where r.record_type = 'case' and r.enabled and r.data->'consent_for_tracing' = 'true'::jsonb and s.fingerprint = $1
		order by r.id`, m.Fingerprint())
	require.NoError(tb, err)
	var id string
	var ks []string
	var form []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &ks, &form}, func() error {
		s, err := m.DecodeCase(id, form)
		if err != nil {
			return err
		}
		est.AddCase(s)
		seen++
		switch { // a uniform sample of 20,000 cases for u, as the service's
		case len(pool) < 20_000:
			pool = append(pool, s)
		case rng.IntN(seen) < 20_000:
			pool[rng.IntN(len(pool))] = s
		}
		return keys.Add(id, -1, ks)
	})
	require.NoError(tb, err)
	require.NoError(tb, keys.Done())
	require.Equal(tb, rt.consenting, seen, "every consenting case has current stored values")
	require.ElementsMatch(tb, slices.Collect(maps.Keys(rt.stop)), est.Stop(), "the stop keys of the seed")
	counted := time.Since(start)

	// The estimation traces: the first generated ones, with their
	// requests' data.
	rows, err = su.Query(ctx, `select t.id::text, t.tracing_request_id::text, t.data, r.data, t.position from `+schema+`.traces t
		join `+schema+`.records r on r.id = t.tracing_request_id order by r.short_id, t.id limit $1`, estimation)
	require.NoError(tb, err)
	in := matching.EstimateInput{RandomCases: pool, Seed: 21, Version: 1, Now: benchToday()}
	type blocked struct {
		trace *matching.Subject
		group string
		ids   []string
	}
	var bs []blocked
	var trID string
	var row, request map[string]any
	var position int
	_, err = pgx.ForEachRow(rows, []any{&id, &trID, &row, &request, &position}, func() error {
		t := m.NewTrace(id, request, row)
		t.SetOrder(position)
		tk := slices.DeleteFunc(m.TraceKeys(t), func(k string) bool { return rt.stop[k] })
		var ids []string
		for _, s := range keys.Select(tk, max(1, rt.consenting), matching.MaxCandidates, nil, nil) {
			ids = append(ids, s.ID)
		}
		bs = append(bs, blocked{trace: t, group: trID, ids: ids})
		in.RandomTraces = append(in.RandomTraces, t)
		row, request = nil, nil
		return nil
	})
	require.NoError(tb, err)
	// Each distinct candidate decoded once, shared by the traces.
	want := map[string]*matching.Subject{}
	for _, b := range bs {
		for _, id := range b.ids {
			want[id] = nil
		}
	}
	rows, err = su.Query(ctx, "select record_id::text, subject from "+schema+".match_subjects where record_id = any($1::uuid[])",
		slices.Collect(maps.Keys(want)))
	require.NoError(tb, err)
	_, err = pgx.ForEachRow(rows, []any{&id, &form}, func() error {
		s, err := m.DecodeCase(id, form)
		want[id] = s
		return err
	})
	require.NoError(tb, err)
	for _, b := range bs {
		cs := make([]*matching.Subject, len(b.ids))
		for i, id := range b.ids {
			cs[i] = want[id]
		}
		in.Blocked = append(in.Blocked, matching.Blocked{Trace: b.trace, Cases: cs, Group: b.group})
	}
	p, err := est.Estimate(in)
	require.NoError(tb, err)
	_, err = su.Exec(ctx, "insert into "+schema+".matching_parameters (version, configuration_version, parameters) values ($1, 0, $2)",
		p.Version, p)
	require.NoError(tb, err)
	rt.parameters = p.Version
	tb.Logf("parameters %d estimated in %s: %d cases counted in %s, %d traces with %d distinct candidates decoded",
		p.Version, time.Since(start).Round(time.Second), seen, counted.Round(time.Second), len(bs), len(want))
}

// BenchmarkRunMatching times a whole re-matching run's matching phase
// against PostgreSQL, as the product runs it (Service.MatchRun: the
// requests' order, the run's store and keys, RunWorkers transactions of
// RunBatch requests through matchRequest, potential matches written), on a
// tenant of -sql.cases generated cases (seedSQLTenant) with the tracing
// requests of -run.traces generated traces and parameters stored
// (seedRunTenant). Each pass starts from no potential match (a first
// run's writes: inserts; with -run.rematch the passes after the first
// update the potential matches of the pass before). Reports the order,
// store and keys (wall and CPU), traces per second (wall), the CPU of the
// Go process and of the PostgreSQL server's processes per trace (the
// server must be the benchmark's alone), the machine's busy CPU per trace
// (everyone's: the machine may be shared, see the load average), minutes
// per 100,000 traces (wall, and from the CPU of both on 2 idle cores), the
// potential matches written, the Go process's peak RSS during the phase,
// recall@1/@10 of the stored potential matches (by probability) against
// the generator's truth, and the database's statements by time when the
// server preloads pg_stat_statements. 1,000,000 cases: go tool task
// bench:matching-run CASES=1000000 TRACES=5000 KEEP=m1.
func BenchmarkRunMatching(b *testing.B) {
	rt, su, schema, postmaster := benchRunTenant(b)
	t := rt.sqlTenant
	ctx := context.Background()
	today := benchToday()
	statements := resetStatements(b, su)
	b.Logf("%d cases (%d with consent), %d tracing requests, %d traces; load average %s; %s", *sqlCases, t.consenting, rt.requests,
		rt.traces, loadAverage(), serverBuffers(b, su))
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		if i == 0 || !*runRematch {
			_, err := su.Exec(ctx, "truncate "+schema+".potential_matches")
			require.NoError(b, err)
		}
		_, err := su.Exec(ctx, "update "+schema+".matching_runs set status = 'failed', finished_at = now() where status = 'running'")
		require.NoError(b, err)
		runID := rt.startedRun(b, su)
		_, err = su.Exec(ctx, "checkpoint")
		require.NoError(b, err)
		if statements {
			_, err = su.Exec(ctx, "select pg_stat_statements_reset()")
			require.NoError(b, err)
		}
		var stored time.Time
		var storedGo, storedPG time.Duration
		svc := matching.NewService(t.p, matching.ServiceConfig{Now: func() time.Time { return today }, RunWorkers: *runWorkers, PreScoreKeep: *runPreScore,
			OnRunStore: func() { stored, storedGo, storedPG = time.Now(), processCPU(), postgresCPU(b, postmaster) }})
		load := loadAverage()
		require.NoError(b, os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)) // peak RSS from here
		goCPU, pgCPU, busy := processCPU(), postgresCPU(b, postmaster), machineBusy()
		b.StartTimer()
		start := time.Now()
		require.NoError(b, svc.MatchRun(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), t.code, runID))
		elapsed := time.Since(start)
		b.StopTimer()
		goEnd, pgEnd := processCPU(), postgresCPU(b, postmaster)
		storedGo, storedPG = storedGo-goCPU, storedPG-pgCPU // the order, the store and keys
		goCPU, pgCPU, busy = goEnd-goCPU, pgEnd-pgCPU, machineBusy()-busy
		peak := peakRSS(b)
		require.False(b, stored.IsZero(), "the run built its store")

		var status string
		var done, written int
		require.NoError(b, su.QueryRow(ctx, "select status, traces_done, (select count(*) from "+schema+".potential_matches) from "+
			schema+".matching_runs where id = $1", runID).Scan(&status, &done, &written))
		require.Equal(b, matching.RunSucceeded, status)
		require.Equal(b, rt.traces, done)
		if statements {
			logStatements(b, su)
		}
		at1, at10 := rt.recall(b, su)
		n := float64(rt.traces)
		ms := func(d time.Duration) float64 { return float64(d) / 1e6 / n }
		batches := time.Since(stored)
		batchGo, batchPG := goCPU-storedGo, pgCPU-storedPG
		b.Logf("pass %d: the order, store and keys %s (CPU: Go %s, PostgreSQL %s); batches %s (%.1f traces/s; per trace CPU: Go %.1f ms, "+
			"PostgreSQL %.1f ms)", i+1, stored.Sub(start).Round(time.Millisecond), storedGo.Round(time.Millisecond),
			storedPG.Round(time.Millisecond), batches.Round(time.Millisecond), n/batches.Seconds(), ms(batchGo), ms(batchPG))
		b.Logf("pass %d: store and keys (after the order) %s, batches %s, %.1f traces/s; per trace CPU: Go %.1f ms, PostgreSQL %.1f ms, "+
			"machine busy %.1f ms; %d potential matches; peak RSS %d MiB; recall@1 %.4f, @10 %.4f of %d traces seeking a consenting case; "+
			"load average before %s, after %s", i+1, stored.Sub(start).Round(time.Millisecond), time.Since(stored).Round(time.Millisecond),
			n/elapsed.Seconds(), ms(goCPU), ms(pgCPU), ms(busy), written, peak>>20, at1, at10, len(rt.truth), load, loadAverage())
		b.ReportMetric(stored.Sub(start).Seconds(), "store-s")
		b.ReportMetric(n/elapsed.Seconds(), "traces/s")
		b.ReportMetric(ms(goCPU), "go-cpu-ms/trace")
		b.ReportMetric(ms(pgCPU), "pg-cpu-ms/trace")
		b.ReportMetric(ms(busy), "machine-busy-ms/trace")
		b.ReportMetric(elapsed.Minutes()/n*100_000, "wall-min/100k-traces")
		b.ReportMetric((goCPU+pgCPU).Minutes()/2/n*100_000, "cpu-min/100k-traces-2-cores")
		// A run of 100,000 traces: the store once, then the batches' CPU
		// per trace on 2 idle cores.
		b.ReportMetric(stored.Sub(start).Minutes()+(batchGo+batchPG).Minutes()/2/n*100_000, "run-min/100k-traces-2-cores")
		b.ReportMetric(ms(batchGo), "batch-go-cpu-ms/trace")
		b.ReportMetric(ms(batchPG), "batch-pg-cpu-ms/trace")
		b.ReportMetric(float64(written), "potential-matches")
		b.ReportMetric(float64(peak>>20), "peak-rss-MiB")
		b.ReportMetric(at1, "recall@1")
		b.ReportMetric(at10, "recall@10")
	}
}

// resetStatements starts the statements' times afresh when the server
// preloads pg_stat_statements, and reports whether it does.
func resetStatements(tb testing.TB, su *pgx.Conn) bool {
	ctx := context.Background()
	_, err := su.Exec(ctx, "create extension if not exists pg_stat_statements")
	if err == nil {
		_, err = su.Exec(ctx, "select pg_stat_statements_reset()")
	}
	if err != nil {
		tb.Logf("no statement times: the server does not preload pg_stat_statements (%v)", err)
	}
	return err == nil
}

// serverBuffers names the server's shared buffers: at 1,000,000 cases
// they decide how much of a job's candidate statement is read from outside
// them (docs/matching-log.md, Speed → Session 42).
func serverBuffers(tb testing.TB, su *pgx.Conn) string {
	var v string
	require.NoError(tb, su.QueryRow(context.Background(), "show shared_buffers").Scan(&v))
	return "shared_buffers " + v
}

// logStatements logs the statements of this database that took the
// server's time since pg_stat_statements was reset, most first, with the
// blocks each call read from outside the shared buffers.
func logStatements(tb testing.TB, su *pgx.Conn) {
	rows, err := su.Query(context.Background(), `select calls, total_exec_time, rows, shared_blks_read, regexp_replace(query, '\s+', ' ', 'g')
		from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
			and query not like '%pg_stat_statements%' order by total_exec_time desc limit 12`)
	require.NoError(tb, err)
	var lines []string
	var calls, n, read int64
	var total float64
	var query string
	_, err = pgx.ForEachRow(rows, []any{&calls, &total, &n, &read, &query}, func() error {
		lines = append(lines, fmt.Sprintf("%9.0f ms %8d calls %7.3f ms/call %9d rows %7.0f blocks read/call  %.110s", total, calls,
			total/float64(max(1, calls)), n, float64(read)/float64(max(1, calls)), query))
		return nil
	})
	require.NoError(tb, err)
	tb.Logf("statements by total time (pg_stat_statements):\n%s", strings.Join(lines, "\n"))
}

// benchRunTenant is the tenant of the run benchmarks (BenchmarkRunMatching,
// BenchmarkRunPrepare), seeded or kept by their flags (-sql.cases,
// -run.traces, -run.estimation, -sql.keep), with a superuser connection to
// its database, its schema and the PostgreSQL postmaster's pid (whose
// children's CPU the benchmarks report).
func benchRunTenant(b *testing.B) (rt *runTenant, su *pgx.Conn, schema string, postmaster int) {
	db := keptOrNew(b)
	t := seedSQLTenant(b, db, *sqlCases, 0)
	rt = seedRunTenant(b, t, *sqlCases, *runTraces, *runEstimation)
	su = db.Superuser(b)
	return rt, su, tenancy.SchemaName(t.code), postmasterPID(b, su)
}

// keptOrNew is the benchmarks' database: kept (-sql.keep) or fresh.
func keptOrNew(tb testing.TB) *testdb.DB {
	if *sqlKeep != "" {
		return testdb.Kept(tb, *sqlKeep)
	}
	return testdb.New(tb)
}

// recall returns the share of the traces seeking a consenting case whose
// case is the first, and among the first ten, of the trace's stored
// potential matches by probability.
func (rt *runTenant) recall(tb testing.TB, su *pgx.Conn) (at1, at10 float64) {
	rows, err := su.Query(context.Background(), `select trace_id::text, case_id::text, n from (select trace_id, case_id,
			row_number() over (partition by trace_id order by probability desc, weight desc, case_id) n
		from `+tenancy.SchemaName(rt.code)+`.potential_matches) x where n <= 10`)
	require.NoError(tb, err)
	var trace, cs string
	var n int
	var one, ten int
	_, err = pgx.ForEachRow(rows, []any{&trace, &cs, &n}, func() error {
		if rt.truth[trace] == cs {
			ten++
			if n == 1 {
				one++
			}
		}
		return nil
	})
	require.NoError(tb, err)
	if len(rt.truth) == 0 {
		return 0, 0
	}
	return float64(one) / float64(len(rt.truth)), float64(ten) / float64(len(rt.truth))
}

// startedRun writes a running matching run of rt's traces under its
// parameters, as a run's job finds it once started, and returns its id
// (MatchRun's argument).
func (rt *runTenant) startedRun(tb testing.TB, su *pgx.Conn) string {
	tb.Helper()
	var id string
	require.NoError(tb, su.QueryRow(context.Background(), `insert into `+tenancy.SchemaName(rt.code)+`.matching_runs (reason,
			created_by, status, started_at, traces_total, parameters_version, blocking_version)
		values ('requested', 'test', 'running', now(), $1, $2, $3) returning id::text`,
		rt.traces, rt.parameters, matching.BlockingVersion).Scan(&id))
	return id
}

// benchToday is the date the generated data is seen on (benchMatcher's).
func benchToday() time.Time {
	return synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 1, Traces: 1, Seed: 21}).Today
}

// processCPU is this process's CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTick is the unit of /proc's CPU times (USER_HZ).
const clockTick = 10 * time.Millisecond

// postmasterPID is the PostgreSQL server's main process (the parent of
// conn's backend).
func postmasterPID(tb testing.TB, conn *pgx.Conn) int {
	var backend int
	require.NoError(tb, conn.QueryRow(context.Background(), "select pg_backend_pid()").Scan(&backend))
	f, ok := procStat(backend)
	require.True(tb, ok, "the server runs on this machine: /proc/%d", backend)
	ppid, err := strconv.Atoi(f[1])
	require.NoError(tb, err)
	return ppid
}

// postgresCPU is the CPU time of the server's processes so far: the
// postmaster's own and that of its children that ended, and each live
// child's (its backends, writers, autovacuum).
func postgresCPU(tb testing.TB, postmaster int) time.Duration {
	ticks := func(f []string, fields ...int) (sum int64) {
		for _, i := range fields {
			v, _ := strconv.ParseInt(f[i], 10, 64)
			sum += v
		}
		return sum
	}
	f, ok := procStat(postmaster)
	require.True(tb, ok, "the postmaster %d runs", postmaster)
	sum := ticks(f, 11, 12, 13, 14) // utime stime cutime cstime (after the comm)
	entries, err := os.ReadDir("/proc")
	require.NoError(tb, err)
	want := strconv.Itoa(postmaster)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f, ok := procStat(pid); ok && f[1] == want {
			sum += ticks(f, 11, 12)
		}
	}
	return time.Duration(sum) * clockTick
}

// procStat returns the fields of /proc/pid/stat after its command (state
// first, then ppid).
func procStat(pid int) ([]string, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, false
	}
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return nil, false
	}
	return strings.Fields(string(raw[i+1:])), true
}

// machineBusy is the CPU time every core of the machine spent busy so far
// (/proc/stat: all but idle and iowait).
func machineBusy() time.Duration {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	var sum int64
	for i, f := range strings.Fields(line)[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest times are in user
			continue
		}
		v, _ := strconv.ParseInt(f, 10, 64)
		sum += v
	}
	return time.Duration(sum) * clockTick
}

// peakRSS is this process's peak resident set size (VmHWM) in bytes.
func peakRSS(tb testing.TB) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	require.NoError(tb, err)
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			require.NoError(tb, err)
			return kb << 10
		}
	}
	tb.Fatal("no VmHWM in /proc/self/status")
	return 0
}
