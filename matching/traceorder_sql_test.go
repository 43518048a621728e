package matching_test

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testtenant"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

// TestJobWeighsTheSeparationByTraceOrder: a tracing request's separation is
// given for its first child sought. A request's job scores its first
// trace's separation with the stored m of first traces and its second
// trace's with the m of later traces (ComparisonParameters.MLater), by the
// traces' place among the request's rows (the traces table's position),
// not by their ids; once the first row is removed, the second's with m of
// first traces.
func TestJobWeighsTheSeparationByTraceOrder(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	su := db.Superuser(t)
	recs := records.New(p, records.Config{}) // no write hook: the test runs the jobs' work itself
	svc := matching.NewService(p, matching.ServiceConfig{})
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	child := func(first string, sex string) string {
		r, _, err := recs.Create(ctx, "ke", records.TypeCase, records.CreateInput{Body: map[string]any{"name_first": first,
			"name_last": "Bol", "sex": sex, "date_of_birth": "2017-03-02", "date_of_separation": "2025-06-01",
			"consent_for_tracing": true, "registration_date": "2026-01-05"}})
		require.NoError(t, err)
		require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, r.ID))
		return r.ID
	}
	akuol, deng := child("Akuol", "female"), child("Deng", "male")
	child("Achol", "female")
	// ids in the reverse of the rows' order: the order is the rows', not the ids'
	first, second := "ffffffff-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
	tr, _, err := recs.Create(ctx, "ke", records.TypeTracingRequest, records.CreateInput{Body: map[string]any{
		"inquiry_date": "2026-01-10", "relation_name": "Nyandeng Bol", "date_of_separation": "2025-06-01",
		records.TraceSubform: []any{
			map[string]any{"unique_id": first, "relation": "mother", "name_first": "Akuol", "name_last": "Bol", "sex": "female"},
			map[string]any{"unique_id": second, "relation": "mother", "name_first": "Deng", "name_last": "Bol", "sex": "male"}}}})
	require.NoError(t, err)
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr.ID))

	// The estimate from three cases and one request barely moves m from
	// its prior: the later traces' m of an agreeing date is set apart here.
	var version int
	var raw []byte
	require.NoError(t, su.QueryRow(context.Background(), "select version, parameters from tenant_ke.matching_parameters order by version desc limit 1").
		Scan(&version, &raw))
	var params matching.Parameters
	require.NoError(t, json.Unmarshal(raw, &params))
	date := slices.IndexFunc(params.Comparisons, func(cp matching.ComparisonParameters) bool { return cp.Name == "separation_date" })
	cp := &params.Comparisons[date]
	require.Len(t, cp.MLater, len(cp.Levels))
	cp.MLater = make([]float64, len(cp.Levels))
	for l := 1; l < len(cp.Levels); l++ {
		cp.MLater[l] = 1 / float64(len(cp.Levels)-1)
	}
	raw, err = json.Marshal(params)
	require.NoError(t, err)
	_, err = su.Exec(context.Background(), "update tenant_ke.matching_parameters set parameters = $2 where version = $1", version, raw)
	require.NoError(t, err)

	weight := func(traceID, caseID string) (string, float64) {
		var fields []matching.FieldComparison
		require.NoError(t, su.QueryRow(context.Background(), `select comparisons from tenant_ke.potential_matches
			where trace_id = $1 and case_id = $2`, traceID, caseID).Scan(&fields))
		i := slices.IndexFunc(fields, func(f matching.FieldComparison) bool { return f.Comparison == "separation_date" })
		require.GreaterOrEqual(t, i, 0)
		return fields[i].Level, fields[i].Weight
	}
	want := func(m []float64, level string) float64 {
		l := slices.Index(cp.Levels, level)
		require.Positive(t, l, "the dates agree")
		return math.Log2(m[l] / cp.U[l])
	}
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr.ID))
	level, w := weight(first, akuol)
	require.InDelta(t, want(cp.M, level), w, 1e-9, "the first row's trace: m of first traces")
	level, w = weight(second, deng)
	require.InDelta(t, want(cp.MLater, level), w, 1e-9, "the second row's trace: m of later traces")
	require.Greater(t, math.Abs(want(cp.M, level)-want(cp.MLater, level)), 0.1, "the two m differ")

	// The first row removed: the second is now the first.
	_, err = recs.Update(ctx, "ke", records.TypeTracingRequest, records.UpdateInput{ID: tr.ID, IfMatch: []int64{tr.Version},
		Body: map[string]any{records.TraceSubform: []any{map[string]any{"unique_id": first, "_destroy": true}}}})
	require.NoError(t, err)
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr.ID))
	level, w = weight(second, deng)
	require.InDelta(t, want(cp.M, level), w, 1e-9, "now first")
}
