package matching_test

import (
	"context"
	"flag"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

var jobRequests = flag.Int("job.requests", 200, "tracing requests whose job BenchmarkMatchRecordJob runs, one at a time")

// BenchmarkMatchRecordJob times a tracing request's job as River runs it
// after the request is written (Service.MatchRecord: its traces' keys
// published, the matcher and the newest parameters loaded, each trace's
// candidates selected from the keys' postings, ranked, its potential
// matches written), on BenchmarkRunMatching's kept tenant (the same flags),
// for -job.requests requests one after another on one Service: the wall
// of the first job (the Service's parameters not decoded yet) and the p50 /
// p95 / max of the others, per job and per trace, the server's shared
// buffers and, when it preloads pg_stat_statements, the statements by time
// with the blocks each read from outside the buffers (what a job waits on
// at 1,000,000 cases). 1,000,000 cases: go tool task bench:matching-job
// CASES=1000000 TRACES=5000 KEEP=m1.
func BenchmarkMatchRecordJob(b *testing.B) {
	rt, su, schema, _ := benchRunTenant(b)
	ctx := context.Background()
	rows, err := su.Query(ctx, `select r.id::text, count(t.id) from `+schema+`.records r join `+schema+`.traces t on t.tracing_request_id = r.id
		where r.record_type = 'tracing_request' group by r.id, r.short_id order by r.short_id limit $1`, *jobRequests)
	require.NoError(b, err)
	type request struct {
		id     string
		traces int
	}
	reqs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (request, error) {
		var r request
		return r, row.Scan(&r.id, &r.traces)
	})
	require.NoError(b, err)
	require.NotEmpty(b, reqs)
	mctx := policy.WithSubject(ctx, policy.System(policy.ActorMatcher))
	statements := resetStatements(b, su)
	b.ResetTimer()
	for range b.N {
		svc := matching.NewService(rt.p, matching.ServiceConfig{Now: benchToday})
		var jobs, perTrace []time.Duration
		var first time.Duration
		for i, r := range reqs {
			start := time.Now()
			require.NoError(b, svc.MatchRecord(mctx, rt.code, records.TypeTracingRequest, r.id))
			took := time.Since(start)
			if i == 0 {
				first = took
				continue
			}
			jobs = append(jobs, took)
			perTrace = append(perTrace, took/time.Duration(max(1, r.traces)))
		}
		slices.Sort(jobs)
		slices.Sort(perTrace)
		q := func(d []time.Duration, f float64) float64 {
			return float64(d[min(len(d)-1, int(f*float64(len(d))))].Microseconds()) / 1000
		}
		b.Logf("%d jobs after the first: per job p50 %.1f ms, p95 %.1f ms, max %.1f ms; per trace p50 %.1f ms, p95 %.1f ms; "+
			"the first job %s; load average %s; %s", len(jobs), q(jobs, 0.5), q(jobs, 0.95), q(jobs, 1), q(perTrace, 0.5),
			q(perTrace, 0.95), first.Round(time.Millisecond), loadAverage(), serverBuffers(b, su))
		if statements {
			logStatements(b, su)
		}
		b.ReportMetric(q(jobs, 0.5), "job-p50-ms")
		b.ReportMetric(q(jobs, 0.95), "job-p95-ms")
		b.ReportMetric(q(perTrace, 0.95), "trace-p95-ms")
		b.ReportMetric(float64(first.Microseconds())/1000, "first-job-ms")
	}
}
