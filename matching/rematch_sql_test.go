package matching_test

import (
	"context"
	"strings"
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

// TestRematchLeavesUnchangedMatches: a second run under the same
// parameters leaves every pending potential match whose values it finds
// again as it was (the same row version, the same matched_at), rewrites
// one whose stored values differ from what it finds (its probability put
// back, matched_at moved), and never touches a reviewed one; and a row
// cannot name a tracing request other than its trace's. A stale pending
// row of one trace whose case another trace of the request keeps is
// deleted, the other trace's kept (mutation caught: the request's delete
// going by case instead of by pair). (The rejected
// case leaves its trace's candidates, so that the rows of its tracing
// request, whose traces are ranked together, may change.)
func TestRematchLeavesUnchangedMatches(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 3000, 0)
	rt := seedRunTenant(t, st, 3000, 300, 50)
	ctx := context.Background()
	su := db.Superuser(t)
	schema := tenancy.SchemaName(st.code)
	svc := matching.NewService(st.p, matching.ServiceConfig{Now: benchToday})
	run := func() {
		t.Helper()
		require.NoError(t, svc.MatchRun(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), st.code, rt.startedRun(t, su)))
	}
	type row struct {
		request     string
		xmin        int64
		probability float64
		matchedAt   time.Time
		status      string
	}
	read := func() map[string]row {
		t.Helper()
		rows, err := su.Query(ctx, `select id::text, tracing_request_id::text, xmin::text::bigint, probability, matched_at, status from `+schema+`.potential_matches`)
		require.NoError(t, err)
		out := map[string]row{}
		var id string
		var r row
		_, err = pgx.ForEachRow(rows, []any{&id, &r.request, &r.xmin, &r.probability, &r.matchedAt, &r.status}, func() error {
			out[id] = r
			return nil
		})
		require.NoError(t, err)
		return out
	}

	run()
	first := read()
	require.Greater(t, len(first), 1000, "the run stored its traces' potential matches")
	var changed, rejected string
	for id, r := range first {
		switch {
		case changed == "" && r.probability > 0.01:
			changed = id
		case rejected == "" && changed != "" && r.request != first[changed].request:
			rejected = id
		}
	}
	require.NotEmpty(t, rejected)
	_, err := su.Exec(ctx, "update "+schema+".potential_matches set probability = probability / 2 where id = $1", changed)
	require.NoError(t, err)
	_, err = su.Exec(ctx, `update `+schema+`.potential_matches set status = 'rejected', reviewed_by = 'test', reviewed_at = now()
		where id = $1`, rejected)
	require.NoError(t, err)
	// A stale pending row of one trace naming a case that another trace of
	// its request keeps: a request's traces are written by one delete, which
	// goes by the pair, so it removes this row and keeps the other trace's.
	var staleTrace, keptTrace, staleCase, staleRequest string
	require.NoError(t, su.QueryRow(ctx, `select b.id::text, a.trace_id::text, a.case_id::text, a.tracing_request_id::text
		from `+schema+`.potential_matches a join `+schema+`.traces b on b.tracing_request_id = a.tracing_request_id and b.id <> a.trace_id
		where a.tracing_request_id::text <> $1 and b.matched_case_id is null and not exists (select 1 from `+schema+`.potential_matches x
			where x.trace_id = b.id and x.case_id = a.case_id)
		order by a.id limit 1`, first[rejected].request).Scan(&staleTrace, &keptTrace, &staleCase, &staleRequest))
	_, err = su.Exec(ctx, `insert into `+schema+`.potential_matches (trace_id, tracing_request_id, case_id, probability, label,
			weight, parameters_version, comparisons) values ($1, $2, $3, 0.5, 'possible', 0, $4, '[]')`,
		staleTrace, staleRequest, staleCase, rt.parameters)
	require.NoError(t, err)
	before := read()

	run()
	after := read()
	var stale, keptPair int
	require.NoError(t, su.QueryRow(ctx, `select count(*) filter (where trace_id = $1), count(*) filter (where trace_id = $2)
		from `+schema+`.potential_matches where case_id = $3`, staleTrace, keptTrace, staleCase).Scan(&stale, &keptPair))
	require.Zero(t, stale, "the stale pair is deleted")
	require.Equal(t, 1, keptPair, "the other trace's pair with that case stays")
	require.Equal(t, before[rejected], after[rejected], "the rejected row is untouched")
	same := 0
	for id, r := range after {
		b, ok := before[id]
		if r.request == before[rejected].request {
			continue
		}
		require.True(t, ok, "no pending row was deleted and inserted again")
		if id == changed {
			require.NotEqual(t, b.xmin, r.xmin, "a row whose values differ is rewritten")
			require.Equal(t, first[id].probability, r.probability, "with the values the run finds")
			require.True(t, r.matchedAt.After(b.matchedAt), "and its matched_at moves")
			continue
		}
		require.Equal(t, b, r, "row %s is left as it was", id)
		same++
	}
	require.Greater(t, same, len(first)*9/10, "all but one tracing request's rows were compared")

	// One foreign key ties a row to its trace and that trace's own tracing
	// request (migration 045): a row naming another request is refused.
	var other string
	for _, r := range first {
		if r.request != first[changed].request {
			other = r.request
			break
		}
	}
	_, err = su.Exec(ctx, "update "+schema+".potential_matches set tracing_request_id = $2 where id = $1", changed, other)
	require.ErrorContains(t, err, "potential_matches_trace_fkey")
}

// TestRunDeletesOtherMatchesWithoutACachedPlan: a run removes a trace's
// pending match that is no longer among its candidates, and the statement
// that removes it is planned at each execution, never prepared on the
// connection: a prepared statement's generic plan, made while
// potential_matches was nearly empty (a tenant's first run), would scan the
// whole table for each trace until the next analyze (docs/matching-log.md,
// Speed, Session 37 (lead)). Every connection the run used is asked which
// statements it holds prepared; the inserts are among them, the delete is
// not. Mutation caught: the delete queued in the inserts' batch again (it
// is then prepared like them).
func TestRunDeletesOtherMatchesWithoutACachedPlan(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 3000, 0)
	rt := seedRunTenant(t, st, 3000, 300, 50)
	ctx := context.Background()
	su := db.Superuser(t)
	schema := tenancy.SchemaName(st.code)

	// A pending match of a trace with a case it will not find: a case
	// without consent is never a candidate.
	var traceID, requestID, caseID string
	require.NoError(t, su.QueryRow(ctx, `select t.id::text, t.tracing_request_id::text from `+schema+`.traces t order by t.id limit 1`).
		Scan(&traceID, &requestID))
	require.NoError(t, su.QueryRow(ctx, `select id::text from `+schema+`.records where record_type = 'case'
		and data->'consent_for_tracing' is distinct from 'true'::jsonb limit 1`).Scan(&caseID))
	_, err := su.Exec(ctx, `insert into `+schema+`.potential_matches (trace_id, tracing_request_id, case_id, probability, label,
			weight, parameters_version, comparisons) values ($1, $2, $3, 0.5, 'possible', 0, $4, '[]')`,
		traceID, requestID, caseID, rt.parameters)
	require.NoError(t, err)

	pool, err := pgxpool.New(ctx, db.URL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p, err := tenancy.New(pool, tenancy.Config{RolePrefix: db.RolePrefix, Authorizer: enf})
	require.NoError(t, err)
	svc := matching.NewService(p, matching.ServiceConfig{Now: benchToday})
	require.NoError(t, svc.MatchRun(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), st.code, rt.startedRun(t, su)))

	var left, stored int
	require.NoError(t, su.QueryRow(ctx, `select count(*) filter (where case_id = $1), count(*) from `+schema+`.potential_matches`,
		caseID).Scan(&left, &stored))
	require.Zero(t, left, "the match the run no longer finds is deleted")
	require.Greater(t, stored, 1000, "the run stored its traces' matches")

	conns := pool.AcquireAllIdle(ctx)
	require.NotEmpty(t, conns)
	var inserts, deletes int
	for _, c := range conns {
		rows, err := c.Query(ctx, "select statement from pg_prepared_statements")
		require.NoError(t, err)
		prepared, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		c.Release()
		for _, s := range prepared {
			inserts += strings.Count(s, "insert into potential_matches")
			deletes += strings.Count(s, "delete from potential_matches")
		}
	}
	require.Positive(t, inserts, "the run's inserts are prepared statements on the connections asked")
	require.Zero(t, deletes, "the delete of a trace's other matches is never prepared")
}

// TestRunWithStoreMatchesAsWithout: a run that holds the tenant's cases in
// a store (RunStore, read with the keys on two goroutines: readRunCases)
// stores the same potential matches, with the same probabilities and
// comparisons, as a run that reads each trace's candidates from the
// database (StoreCases negative). A case given another's place in the
// store (the mutation: the places shifted by one) is scored with that
// case's values and fails here.
func TestRunWithStoreMatchesAsWithout(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 3000, 0)
	rt := seedRunTenant(t, st, 3000, 300, 50)
	ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	su := db.Superuser(t)
	schema := tenancy.SchemaName(st.code)
	matches := func(storeCases int) map[[2]string]string {
		t.Helper()
		_, err := su.Exec(context.Background(), "truncate "+schema+".potential_matches")
		require.NoError(t, err)
		svc := matching.NewService(st.p, matching.ServiceConfig{Now: benchToday, StoreCases: storeCases})
		require.NoError(t, svc.MatchRun(ctx, st.code, rt.startedRun(t, su)))
		rows, err := su.Query(context.Background(), `select trace_id::text, case_id::text,
			probability::text || ' ' || label || ' ' || comparisons::text from `+schema+`.potential_matches`)
		require.NoError(t, err)
		out := map[[2]string]string{}
		var trace, cs, v string
		_, err = pgx.ForEachRow(rows, []any{&trace, &cs, &v}, func() error {
			out[[2]string{trace, cs}] = v
			return nil
		})
		require.NoError(t, err)
		return out
	}
	with := matches(0)
	require.Greater(t, len(with), 1000, "the run stored its traces' potential matches")
	without := matches(-1)
	require.Equal(t, len(without), len(with))
	for pair, v := range without {
		require.Equal(t, v, with[pair], "trace %s, case %s", pair[0], pair[1])
	}
}
