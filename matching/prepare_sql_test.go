package matching_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestPrepareRunStoresEveryCase: a run's preparation leaves every case's
// stored values and blocking keys as the case's own job would store them
// (stale, missing and wrong ones written again; a case that no longer
// takes part without either), writes nothing for the cases already
// current (no row rewritten: a run's store keeps its copies), and
// estimates parameters from every consenting case and the tenant's traces.
func TestPrepareRunStoresEveryCase(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 3000, 0)
	rt := seedRunTenant(t, st, 3000, 300, 50)
	ctx := context.Background()
	su := db.Superuser(t)
	schema := tenancy.SchemaName(st.code)

	type stored struct {
		form []byte
		keys []string
	}
	read := func() map[string]stored {
		rows, err := su.Query(ctx, `select r.id::text, s.subject, s.keys from `+schema+`.records r
			left join `+schema+`.match_subjects s on s.record_id = r.id and s.fingerprint = $1
			where r.record_type = 'case'`, st.m.Fingerprint())
		require.NoError(t, err)
		out := map[string]stored{}
		var id string
		var x stored
		_, err = pgx.ForEachRow(rows, []any{&id, &x.form, &x.keys}, func() error {
			out[id] = x
			x = stored{}
			return nil
		})
		require.NoError(t, err)
		return out
	}
	want := read()
	var ids []string // consenting cases, in id order
	for id, x := range want {
		if x.form != nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	require.Len(t, ids, st.consenting)

	stale, missing, emptied, withdrawn, disabled, renamed := ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]
	for _, q := range []struct {
		sql string
		id  string
	}{
		{"update " + schema + ".match_subjects set fingerprint = 0 where record_id = $1", stale},
		{"delete from " + schema + ".match_subjects where record_id = $1", missing},
		{"update " + schema + ".match_subjects set keys = '{}' where record_id = $1", emptied},
		{"update " + schema + ".records set data = jsonb_set(data, '{" + matching.ConsentField + "}', 'false') where id = $1", withdrawn},
		// as a writer whose withdrawal's trigger did not see the row (a
		// preparation's upsert not yet committed): the preparation's last
		// delete removes it
		{"set session_replication_role = replica", ""},
		{"update " + schema + ".records set enabled = false where id = $1", disabled},
		{"set session_replication_role = origin", ""},
		{"update " + schema + ".records set data = data || '{\"name_first\": \"Zenebech\", \"name_last\": \"Woldemariam\"}' where id = $1", renamed},
	} {
		var args []any
		if q.id != "" {
			args = []any{q.id}
		}
		_, err := su.Exec(ctx, q.sql, args...)
		require.NoError(t, err)
	}
	subjects := func(id string) (n int) {
		require.NoError(t, su.QueryRow(ctx, `select count(*) from `+schema+`.match_subjects where record_id = $1`, id).Scan(&n))
		return n
	}
	require.Zero(t, subjects(withdrawn), "the withdrawal's own write removed the case's stored values and keys")
	require.Equal(t, 1, subjects(disabled), "a write whose trigger did not run left them")
	var data map[string]any
	require.NoError(t, su.QueryRow(ctx, "select data from "+schema+".records where id = $1", renamed).Scan(&data))
	s := st.m.NewCase(renamed, data)
	want[renamed] = stored{st.m.EncodeCase(s), st.m.CaseKeys(s)}
	want[withdrawn], want[disabled] = stored{}, stored{}
	// Each case's row versions (records, match_subjects): a row written
	// again, even unchanged, gets another.
	versions := func() map[string]string {
		rows, err := su.Query(ctx, `select r.id::text, r.xmin::text || '/' || coalesce(s.xmin::text, '') from `+schema+`.records r
			left join `+schema+`.match_subjects s on s.record_id = r.id where r.record_type = 'case'`)
		require.NoError(t, err)
		out := map[string]string{}
		var id, v string
		_, err = pgx.ForEachRow(rows, []any{&id, &v}, func() error {
			out[id] = v
			return nil
		})
		require.NoError(t, err)
		return out
	}
	before := versions()

	var runID string
	require.NoError(t, su.QueryRow(ctx, `insert into `+schema+`.matching_runs (reason, created_by) values ('requested', 'test')
		returning id::text`).Scan(&runID))
	svc := matching.NewService(st.p, matching.ServiceConfig{Now: benchToday})
	require.NoError(t, svc.PrepareRun(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), st.code, runID))

	got := read()
	for id, w := range want {
		require.Equal(t, w, got[id], "case %s: its stored values and keys as its own job stores them", id)
	}
	// Only the cases that were not current were written.
	var written []string
	for id, v := range versions() {
		if before[id] != v {
			written = append(written, id)
		}
	}
	require.ElementsMatch(t, []string{stale, missing, emptied, disabled, renamed}, written,
		"the cases written: those that were not current")

	// The parameters: a new version, from every consenting case and the
	// traces, recorded on the run.
	var version *int
	var status string
	require.NoError(t, su.QueryRow(ctx, "select status, parameters_version from "+schema+".matching_runs where id = $1", runID).
		Scan(&status, &version))
	require.Equal(t, "running", status)
	require.NotNil(t, version)
	require.Greater(t, *version, rt.parameters)
	var raw []byte
	require.NoError(t, su.QueryRow(ctx, "select parameters from "+schema+".matching_parameters where version = $1", *version).Scan(&raw))
	var p matching.Parameters
	require.NoError(t, json.Unmarshal(raw, &p))
	require.Equal(t, st.consenting-2, p.Estimation.Cases, "every consenting case counted")
	require.Equal(t, 300, p.Estimation.Traces)
	require.Greater(t, p.Estimation.BlockedPairs, 300*20, "the traces' candidates from the cases' keys")
}

// queuedRunTenant seeds a tenant of cases consenting cases and traces
// traces (50 of them for estimation) and queues a requested run there: the
// tenant, a superuser's connection, the tenant's schema and the run's id.
func queuedRunTenant(t *testing.T, db *testdb.DB, cases, traces int) (st *sqlTenant, su *pgx.Conn, schema, runID string) {
	t.Helper()
	st = seedSQLTenant(t, db, cases, 0)
	seedRunTenant(t, st, cases, traces, 50)
	su = db.Superuser(t)
	schema = tenancy.SchemaName(st.code)
	require.NoError(t, su.QueryRow(context.Background(), `insert into `+schema+`.matching_runs (reason, created_by)
		values ('requested', 'test') returning id::text`).Scan(&runID))
	return st, su, schema, runID
}

// TestPrepareRunReportsProgress: while a run is prepared (one long
// transaction), another connection sees what it is doing and how far it
// is: each stage in order, with figures between nothing and the whole,
// written from short transactions of their own (the preparation's writes
// are not yet visible then), and the run then matching and done.
func TestPrepareRunReportsProgress(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st, su, schema, runID := queuedRunTenant(t, db, 3000, 300)
	ctx := context.Background()
	type seen struct {
		stage       string
		done, total int
		status      string
	}
	var reported, read []seen
	// Every write is to be seen: a write is not skipped for a slow second
	// on a loaded machine (CI: a write timed out once under -race beside
	// other packages' tests; skipping is TestPrepareRunGoesOnWithoutAConnectionForProgress's).
	svc := matching.NewService(st.p, matching.ServiceConfig{Now: benchToday, ProgressInterval: -1, ProgressWait: time.Minute,
		OnRunProgress: func(stage string, done, total int) {
			reported = append(reported, seen{stage, done, total, "queued"})
			var x seen
			require.NoError(t, su.QueryRow(ctx, "select stage, stage_done, stage_total, status from "+schema+
				".matching_runs where id = $1", runID).Scan(&x.stage, &x.done, &x.total, &x.status))
			read = append(read, x)
		}})
	require.NoError(t, svc.ExecuteRun(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), st.code, runID, true))

	// Every write was seen by another connection while the preparation's
	// transaction was still open (the run still queued).
	require.Equal(t, reported, read, "each progress write visible outside the preparation as it was written")
	var stages []string
	mid := map[string]bool{}
	for _, x := range read {
		if len(stages) == 0 || stages[len(stages)-1] != x.stage {
			stages = append(stages, x.stage)
		}
		if x.done > 0 && x.done < x.total {
			mid[x.stage] = true
		}
	}
	require.Equal(t, []string{matching.StageStoring, matching.StageComparing, matching.StageEstimate}, stages)
	require.Equal(t, seen{matching.StageStoring, 0, st.consenting, "queued"}, read[0], "the consenting cases to store")
	require.True(t, mid[matching.StageStoring], "cases read between none and all: %v", read)
	require.True(t, mid[matching.StageComparing], "traces compared between none and all")
	require.Contains(t, read, seen{matching.StageComparing, 300, 300, "queued"})
	require.Contains(t, read, seen{matching.StageEstimate, 1, matching.MaxIterations, "queued"})

	var status, stage string
	var total int
	require.NoError(t, su.QueryRow(ctx, "select status, stage, traces_total from "+schema+".matching_runs where id = $1", runID).
		Scan(&status, &stage, &total))
	require.Equal(t, []string{matching.RunSucceeded, matching.StageDone}, []string{status, stage})
	require.Positive(t, total)
}

// TestPrepareRunGoesOnWithoutAConnectionForProgress: a run's preparation
// holds a connection of the pool (and the estimation lock) for minutes; its
// progress writes take another. When the pool has none to give (here its
// only one is the preparation's; in the api tests, other runs and jobs
// waiting for the lock held the rest), a write is skipped after a short
// wait instead of waiting for ever, and the run succeeds. It fails (the
// run's context ends first) when a progress write waits for the pool.
func TestPrepareRunGoesOnWithoutAConnectionForProgress(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st, su, schema, runID := queuedRunTenant(t, db, 2000, 200)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(db.URL)
	require.NoError(t, err)
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p, err := tenancy.New(pool, tenancy.Config{RolePrefix: db.RolePrefix, Authorizer: enf,
		Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	written := 0
	svc := matching.NewService(p, matching.ServiceConfig{Now: benchToday, OnRunProgress: func(string, int, int) { written++ }})
	runCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	require.NoError(t, svc.ExecuteRun(policy.WithSubject(runCtx, policy.System(policy.ActorMatcher)), st.code, runID, true))
	require.Zero(t, written, "no progress write could get a connection")

	var status, stage string
	var done, total int
	require.NoError(t, su.QueryRow(ctx, "select status, stage, traces_done, traces_total from "+schema+".matching_runs where id = $1",
		runID).Scan(&status, &stage, &done, &total))
	require.Equal(t, []string{matching.RunSucceeded, matching.StageDone}, []string{status, stage})
	require.Equal(t, 200, total)
	require.Equal(t, total, done)
}
