package matching_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
)

var (
	prepareStale = flag.Bool("prepare.stale", false, "BenchmarkRunPrepare first makes every case's stored values stale "+
		"(another fingerprint), as a release or a configuration change does: the preparation writes them all again")
	prepareRekey = flag.Bool("prepare.rekey", false, "BenchmarkRunPrepare first empties every case's stored keys and the "+
		"postings (match_keys; triggers off, untimed), and makes the values stale: the preparation writes every case's keys "+
		"and postings anew, as a release that changes every key would")
)

// BenchmarkRunPrepare times a run's preparation as the product runs it
// (prepareRun: every case's values and keys stored under the current
// configuration, parameters estimated from every consenting case and the
// newest 5,000 traces, the run set running) on the tenant
// BenchmarkRunMatching seeds (the same flags: -sql.cases, -run.traces,
// -run.estimation, -sql.keep). Reports its wall time, the Go process's and
// the PostgreSQL server's CPU, and the Go process's peak RSS. The
// parameters it estimates are deleted afterwards, so that a kept tenant's
// BenchmarkRunMatching goes on with the seeded ones. 1,000,000 cases: go
// tool task bench:matching-prepare CASES=1000000 TRACES=5000 KEEP=m1.
func BenchmarkRunPrepare(b *testing.B) {
	rt, su, schema, postmaster := benchRunTenant(b)
	t := rt.sqlTenant
	ctx := context.Background()
	b.Logf("%d cases (%d with consent), %d traces; load average %s", *sqlCases, t.consenting, rt.traces, loadAverage())
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		if *prepareStale {
			_, err := su.Exec(ctx, "update "+schema+".match_subjects set fingerprint = 0")
			require.NoError(b, err)
		}
		if *prepareRekey {
			for _, q := range []string{"set session_replication_role = replica",
				"update " + schema + ".match_subjects set fingerprint = 0, keys = '{}'", "truncate " + schema + ".match_keys",
				"set session_replication_role = origin", "vacuum analyze " + schema + ".match_subjects"} {
				_, err := su.Exec(ctx, q)
				require.NoError(b, err)
			}
		}
		var runID string
		require.NoError(b, su.QueryRow(ctx, `insert into `+schema+`.matching_runs (reason, created_by, status, finished_at)
			values ('requested', 'bench', 'failed', now()) returning id::text`).Scan(&runID))
		_, err := su.Exec(ctx, "checkpoint")
		require.NoError(b, err)
		// each stage's first progress write (every new stage is written)
		type began struct {
			stage string
			at    time.Time
		}
		var stages []began
		svc := matching.NewService(t.p, matching.ServiceConfig{Now: benchToday, OnRunProgress: func(stage string, _, _ int) {
			if len(stages) == 0 || stages[len(stages)-1].stage != stage {
				stages = append(stages, began{stage, time.Now()})
			}
		}})
		load := loadAverage()
		require.NoError(b, os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)) // peak RSS from here
		goCPU, pgCPU := processCPU(), postgresCPU(b, postmaster)
		b.StartTimer()
		start := time.Now()
		require.NoError(b, svc.PrepareRun(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), t.code, runID))
		elapsed := time.Since(start)
		b.StopTimer()
		goCPU, pgCPU = processCPU()-goCPU, postgresCPU(b, postmaster)-pgCPU
		peak := peakRSS(b)
		var version int
		require.NoError(b, su.QueryRow(ctx, "select parameters_version from "+schema+".matching_runs where id = $1", runID).Scan(&version))
		_, err = su.Exec(ctx, "update "+schema+".matching_runs set status = 'failed', parameters_version = null where id = $1", runID)
		require.NoError(b, err)
		_, err = su.Exec(ctx, "delete from "+schema+".matching_parameters where version = $1", version)
		require.NoError(b, err)
		b.Logf("pass %d: prepared in %s (CPU: Go %s, PostgreSQL %s), peak RSS %d MiB; stale values first: %v, keys anew: %v; load average before %s, after %s",
			i+1, elapsed.Round(time.Millisecond), goCPU.Round(time.Millisecond), pgCPU.Round(time.Millisecond), peak>>20, *prepareStale,
			*prepareRekey, load, loadAverage())
		var took []string
		for j, st := range stages {
			end := start.Add(elapsed)
			if j+1 < len(stages) {
				end = stages[j+1].at
			}
			took = append(took, fmt.Sprintf("%s %s", st.stage, end.Sub(st.at).Round(100*time.Millisecond)))
		}
		b.Logf("pass %d: stages %s", i+1, strings.Join(took, ", "))
		b.ReportMetric(elapsed.Seconds(), "prepare-s")
		b.ReportMetric(goCPU.Seconds(), "go-cpu-s")
		b.ReportMetric(pgCPU.Seconds(), "pg-cpu-s")
		b.ReportMetric(float64(peak>>20), "peak-rss-MiB")
	}
}
