package api_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"
)

// Tests of FTR matching through the real server, PostgreSQL, River workers
// and Kratos (docs/matching.md).

const (
	traceAmina  = "5d0c6a1e-2b3c-4d5e-8f60-7a8b9c0d1e01"
	traceYusuf  = "5d0c6a1e-2b3c-4d5e-8f60-7a8b9c0d1e02"
	otherTracer = "5d0c6a1e-2b3c-4d5e-8f60-7a8b9c0d1e03"
)

// waitJobs waits until a job of kind has completed for each of ids (a
// record id in the job's args), whatever the order of their events.
func (b *testBundle) waitJobs(t testing.TB, kind string, ids ...string) {
	t.Helper()
	left := map[string]bool{}
	for _, id := range ids {
		left[id] = true
	}
	timeout := time.After(60 * time.Second)
	for len(left) > 0 {
		select {
		case ev := <-b.events:
			if ev.Job.Kind != kind {
				continue
			}
			for id := range left {
				if !strings.Contains(string(ev.Job.EncodedArgs), `"`+id+`"`) {
					continue
				}
				require.Equal(t, river.EventKindJobCompleted, ev.Kind, "job %s for %s: %v", kind, id, ev.Job.Errors)
				delete(left, id)
			}
		case <-timeout:
			t.Fatalf("jobs %s for %v did not complete within 60s", kind, left)
		}
	}
}

// matchesOf returns a list response's potential matches by case id.
func matchesOf(t testing.TB, res response) (order []string, byCase map[string]map[string]any) {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	byCase = map[string]map[string]any{}
	for _, x := range res.body["data"].([]any) {
		m := x.(map[string]any)
		order = append(order, m["case_id"].(string))
		byCase[m["case_id"].(string)] = m
	}
	return order, byCase
}

func TestPotentialMatchesAndReview(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	analyst := mb.member(t, "ke", "role-data-analyst", "agency-unicef")

	consent := map[string]any{"consent_for_tracing": true}
	with := func(d map[string]any) map[string]any {
		for k, v := range consent {
			d[k] = v
		}
		return d
	}
	amina := mb.createCase(t, cw.token, with(map[string]any{"name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan",
		"sex": "female", "date_of_birth": "2017-03-02", "nationality": []any{"som"},
		"family_details_section": []any{map[string]any{"unique_id": rowMother, "relation": "mother", "relation_name": "Halima Abdi"}}}))["id"].(string)
	aminata := mb.createCase(t, cw.token, with(map[string]any{"name_first": "Aminata", "name_last": "Diallo", "sex": "female",
		"date_of_birth": "2016-11-20"}))["id"].(string)
	noConsent := mb.createCase(t, cw.token, map[string]any{"name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan",
		"sex": "female", "date_of_birth": "2017-03-02"})["id"].(string)
	othersCase := mb.createCase(t, stranger.token, with(map[string]any{"name_first": "Amina", "name_last": "Hassan", "sex": "female",
		"date_of_birth": "2017-01-01"}))["id"].(string)
	mb.waitJobs(t, "match_record", amina, aminata, noConsent, othersCase)

	tr := map[string]any{"inquiry_date": "2026-01-10", "relation_name": "Halima Abdi",
		"tracing_request_subform_section": []any{
			map[string]any{"unique_id": traceAmina, "relation": "mother", "name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan", "sex": "female", "age": 8},
			map[string]any{"unique_id": traceYusuf, "relation": "mother", "name_first": "Yusuf", "name_last": "Hassan", "sex": "male", "age": 5},
		}}
	res := mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(tr))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	trID := data(res)["id"].(string)
	mb.waitJobs(t, "match_record", trID)
	base := "/api/v2/tracing_requests/" + trID + "/traces/" + traceAmina + "/potential_matches"

	order, byCase := matchesOf(t, mb.call(t, "GET", base, cw.token, nil, nil))
	require.NotEmpty(t, order)
	require.Equal(t, amina, order[0], "the child's case ranks first")
	require.NotContains(t, byCase, noConsent, "a case without consent for tracing is never matched")
	require.NotContains(t, byCase, othersCase, "a case outside the caller's scope is left out")
	best := byCase[amina]
	require.Equal(t, "pending", best["status"])
	// A tenant of three cases gives little to estimate from (u from a few
	// random pairs, every case an Amina): the probability is low, but
	// higher than every other candidate's (docs/matching.md, Known limits).
	for c, m := range byCase {
		if c != amina {
			require.Less(t, m["probability"].(float64), best["probability"].(float64))
		}
	}
	require.EqualValues(t, 1, best["parameters_version"])
	var given map[string]any
	for _, c := range best["comparisons"].([]any) {
		if c.(map[string]any)["comparison"] == "given_name" {
			given = c.(map[string]any)
		}
	}
	require.NotNil(t, given, "the per-field comparison explains the score")
	require.Equal(t, "exact", given["level"])
	require.Equal(t, "Amina", given["case"].(map[string]any)["name_first"])
	require.Equal(t, "Amina", given["trace"].(map[string]any)["name_first"])
	require.IsType(t, 0.0, given["weight"])

	// Form access: a role that reads the identity form but not the family form sees the
	// names compared, never the family members' names.
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	mb.customRole(t, admin.token, "role-tracer", "agency", []string{"cases:read", "tracing_requests:read", "potential_matches:read"},
		map[string]string{"basic_identity": "r"})
	tracer := mb.member(t, "ke", "role-tracer", "agency-unicef")
	_, seen := matchesOf(t, mb.call(t, "GET", base, tracer.token, nil, nil))
	require.Contains(t, seen, amina)
	for _, c := range seen[amina]["comparisons"].([]any) {
		cmp := c.(map[string]any)
		switch cmp["comparison"] {
		case "given_name":
			require.Equal(t, "Amina", cmp["case"].(map[string]any)["name_first"])
		case "inquirer_name":
			require.NotContains(t, cmp["case"], "family_details_section.relation_name", "the family form is not readable")
		}
	}
	for _, c := range best["comparisons"].([]any) {
		if cmp := c.(map[string]any); cmp["comparison"] == "inquirer_name" {
			require.Equal(t, []any{"Halima Abdi"}, cmp["case"].(map[string]any)["family_details_section.relation_name"],
				"the caseworker reads the family form")
		}
	}

	// The case's own list shows the trace; a scope that reaches neither record sees nothing (404).
	res = mb.call(t, "GET", "/api/v2/cases/"+amina+"/potential_matches", cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Contains(t, res.Body.String(), traceAmina)
	requireProblem(t, mb.call(t, "GET", base, stranger.token, nil, nil), http.StatusNotFound)
	requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+amina+"/potential_matches", stranger.token, nil, nil), http.StatusNotFound)
	requireProblem(t, mb.call(t, "GET", base, analyst.token, nil, nil), http.StatusForbidden)
	// A trace id of another tracing request (or none) is a 404.
	requireProblem(t, mb.call(t, "GET", "/api/v2/tracing_requests/"+trID+"/traces/"+otherTracer+"/potential_matches", cw.token, nil, nil),
		http.StatusNotFound)
	requireProblem(t, mb.call(t, "GET", "/api/v2/tracing_requests/"+amina+"/traces/"+traceAmina+"/potential_matches", cw.token, nil, nil),
		http.StatusNotFound)

	// Rejecting a pair keeps it out, also after the trace changes and is matched again.
	var rejected string
	for _, c := range order[1:] {
		rejected = byCase[c]["id"].(string)
		break
	}
	if rejected == "" { // only the child was a candidate: reject through a second case
		t.Fatalf("expected at least two candidates, got %v", order)
	}
	rejectedCase := order[1]
	res = mb.call(t, "PATCH", "/api/v2/potential_matches/"+rejected, analyst.token, nil,
		envelope(map[string]any{"action": "reject", "note": "not her"}))
	requireProblem(t, res, http.StatusForbidden)
	// A role that may read potential matches but not review them (session 21 review).
	requireProblem(t, mb.call(t, "PATCH", "/api/v2/potential_matches/"+rejected, tracer.token, nil,
		envelope(map[string]any{"action": "reject"})), http.StatusForbidden)
	res = mb.call(t, "PATCH", "/api/v2/potential_matches/"+rejected, cw.token, nil, envelope(map[string]any{"action": "maybe"}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	res = mb.call(t, "PATCH", "/api/v2/potential_matches/"+rejected, cw.token, nil,
		envelope(map[string]any{"action": "reject", "note": "different mother"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "rejected", data(res)["status"])
	require.Equal(t, "different mother", data(res)["note"])
	requireProblem(t, mb.call(t, "PATCH", "/api/v2/potential_matches/"+rejected, cw.token, nil,
		envelope(map[string]any{"action": "confirm"})), http.StatusConflict)

	res = mb.call(t, "PATCH", "/api/v2/tracing_requests/"+trID, cw.token, ifMatch(1), envelope(map[string]any{
		"tracing_request_subform_section": []any{map[string]any{"unique_id": traceAmina, "age": 9}}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	mb.waitJobs(t, "match_record", trID)
	_, byCase = matchesOf(t, mb.call(t, "GET", base, cw.token, nil, nil))
	require.Equal(t, "rejected", byCase[rejectedCase]["status"], "a rejected pair stays rejected after re-matching")
	require.Equal(t, rejected, byCase[rejectedCase]["id"])

	// Confirming links the trace to the case and closes the trace's other candidates; a second review is a 409.
	confirmed := byCase[amina]["id"].(string)
	res = mb.call(t, "PATCH", "/api/v2/potential_matches/"+confirmed, cw.token, nil, envelope(map[string]any{"action": "confirm", "note": "mother recognised her"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "confirmed", data(res)["status"])
	requireProblem(t, mb.call(t, "PATCH", "/api/v2/potential_matches/"+confirmed, cw.token, nil,
		envelope(map[string]any{"action": "reject"})), http.StatusConflict)
	_, byCase = matchesOf(t, mb.call(t, "GET", base, cw.token, nil, nil))
	for c, m := range byCase {
		switch c {
		case amina:
			require.Equal(t, "confirmed", m["status"])
		case rejectedCase:
			require.Equal(t, "rejected", m["status"])
		default:
			require.Equal(t, "closed", m["status"])
			// A match closed by the confirmation cannot be confirmed (session 21 review).
			requireProblem(t, mb.call(t, "PATCH", "/api/v2/potential_matches/"+m["id"].(string), cw.token, nil,
				envelope(map[string]any{"action": "confirm"})), http.StatusConflict)
		}
	}
	var linked string
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(),
		"select matched_case_id::text from tenant_ke.traces where id = $1", traceAmina).Scan(&linked))
	require.Equal(t, amina, linked)

	// The queue: by probability, filtered; the manager (group scope) sees the caseworker's.
	res = mb.call(t, "GET", "/api/v2/potential_matches?status=confirmed", manager.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 0, total(res), "the manager's group does not reach the caseworker (no group)")
	res = mb.call(t, "GET", "/api/v2/potential_matches?status=confirmed", cw.token, nil, nil)
	require.Equal(t, 1, total(res))
	require.Equal(t, confirmed, res.body["data"].([]any)[0].(map[string]any)["id"])
	res = mb.call(t, "GET", "/api/v2/potential_matches?agency=agency-save", cw.token, nil, nil)
	require.Equal(t, 0, total(res))
	requireProblem(t, mb.call(t, "GET", "/api/v2/potential_matches?label=sure", cw.token, nil, nil), http.StatusUnprocessableEntity)
	// Unknown parameters are refused, never ignored: a misspelt filter, a sort the queue does not have (session 21 review).
	for _, q := range []string{"lable=likely", "order_by=created_at", "sort=probability", "status=pending&owner=x"} {
		res = mb.call(t, "GET", "/api/v2/potential_matches?"+q, cw.token, nil, nil)
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.Contains(t, res.Body.String(), "unknown parameter", q)
	}
	requireProblem(t, mb.call(t, "GET", "/api/v2/potential_matches", stranger.token+"x", nil, nil), http.StatusUnauthorized)
}

func TestMatchingConfigurationAndRuns(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")

	res := mb.call(t, "GET", "/api/v2/matching/configuration", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.EqualValues(t, 0, data(res)["version"], "the defaults")
	cfg := data(res)["configuration"].(map[string]any)
	require.NotEmpty(t, cfg["comparisons"])
	requireProblem(t, mb.call(t, "GET", "/api/v2/matching/configuration", cw.token, nil, nil), http.StatusForbidden)

	// Bad configuration: every problem at once, nothing stored.
	bad := map[string]any{"comparisons": []any{map[string]any{"name": "given_name", "kind": "name",
		"case": map[string]any{"fields": []any{"name_first"}}, "trace": map[string]any{"fields": []any{"name_first"}}},
		map[string]any{"name": "given_name", "kind": "age", "case": map[string]any{"fields": []any{"date_of_birth"}},
			"trace": map[string]any{"fields": []any{"age"}}}},
		"blocking": map[string]any{"names": []any{"nope"}, "location_admin_level": 2}, "thresholds": map[string]any{"likely": 0.2, "possible": 0.5}}
	res = mb.call(t, "PUT", "/api/v2/matching/configuration", admin.token, nil, envelope(bad))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.GreaterOrEqual(t, len(res.body["errors"].([]any)), 2, res.Body.String())
	res = mb.call(t, "GET", "/api/v2/matching/configuration", admin.token, nil, nil)
	require.EqualValues(t, 0, data(res)["version"])

	// A change is stored (version 1) and queues a full run.
	cfg["thresholds"] = map[string]any{"likely": 0.7, "possible": 0.05}
	res = mb.call(t, "PUT", "/api/v2/matching/configuration", admin.token, nil, envelope(cfg))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.EqualValues(t, 1, data(res)["version"])
	require.EqualValues(t, 0.7, data(res)["configuration"].(map[string]any)["thresholds"].(map[string]any)["likely"])

	mb.createCase(t, cw.token, map[string]any{"name_first": "Amina", "name_last": "Hassan", "consent_for_tracing": true, "date_of_birth": "2017-03-02"})
	res = mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima", "tracing_request_subform_section": []any{map[string]any{"unique_id": traceAmina, "name_first": "Amina", "name_last": "Hassan", "sex": "female"}}}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())

	res = mb.call(t, "POST", "/api/v2/matching/runs", admin.token, nil, nil)
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	run := data(res)
	require.Equal(t, "queued", run["status"])
	require.Equal(t, "queued", run["stage"])
	mb.waitJobs(t, "matching_run", run["id"].(string))
	res = mb.call(t, "GET", "/api/v2/matching/runs/"+run["id"].(string), admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "succeeded", data(res)["status"])
	require.EqualValues(t, 1, data(res)["traces_total"])
	require.EqualValues(t, 1, data(res)["traces_done"])
	require.Equal(t, "done", data(res)["stage"])
	require.EqualValues(t, 1, data(res)["stage_done"], "the matching's progress once done")
	require.EqualValues(t, 1, data(res)["stage_total"])
	require.NotNil(t, data(res)["parameters_version"])
	requireProblem(t, mb.call(t, "GET", "/api/v2/matching/runs/"+traceAmina, admin.token, nil, nil), http.StatusNotFound)
	requireProblem(t, mb.call(t, "POST", "/api/v2/matching/runs", cw.token, nil, nil), http.StatusForbidden)

	// The runs, newest first: the requested one, then the configuration
	// change's, which nobody was given the id of.
	ids := func(res response) []string {
		var out []string
		for _, r := range res.body["data"].([]any) {
			out = append(out, r.(map[string]any)["id"].(string)+" "+r.(map[string]any)["reason"].(string))
		}
		return out
	}
	res = mb.call(t, "GET", "/api/v2/matching/runs", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Len(t, ids(res), 2, res.Body.String())
	require.Equal(t, run["id"].(string)+" requested", ids(res)[0])
	require.Contains(t, ids(res)[1], " configuration")
	require.EqualValues(t, 2, res.body["metadata"].(map[string]any)["total"])
	first := res.body["data"].([]any)[0].(map[string]any)
	require.Equal(t, []any{"succeeded", "done", 1.0}, []any{first["status"], first["stage"], first["traces_done"]}, "as get-matching-run gives it")
	configRun := ids(res)[1]
	res = mb.call(t, "GET", "/api/v2/matching/runs?per=1&page=2", admin.token, nil, nil)
	require.Equal(t, []string{configRun}, ids(res), "the second page of one")
	require.EqualValues(t, 2, res.body["metadata"].(map[string]any)["total"])
	res = mb.call(t, "GET", "/api/v2/matching/runs?reason=configuration", admin.token, nil, nil)
	require.Equal(t, []string{configRun}, ids(res))
	res = mb.call(t, "GET", "/api/v2/matching/runs?status=succeeded&reason=requested", admin.token, nil, nil)
	require.Equal(t, []string{run["id"].(string) + " requested"}, ids(res))
	res = mb.call(t, "GET", "/api/v2/matching/runs?status=failed&reason=requested", admin.token, nil, nil)
	require.Empty(t, res.body["data"], res.Body.String())
	require.EqualValues(t, 0, res.body["metadata"].(map[string]any)["total"])
	// Bad filters and any other parameter: 422, never ignored.
	for _, q := range []string{"status=done", "reason=manual", "sort=created_at", "per=0", "per=101"} {
		requireProblem(t, mb.call(t, "GET", "/api/v2/matching/runs?"+q, admin.token, nil, nil), http.StatusUnprocessableEntity)
	}
	requireProblem(t, mb.call(t, "GET", "/api/v2/matching/runs", cw.token, nil, nil), http.StatusForbidden)

	// The parameters the run estimated, newest first: what they were
	// estimated from and each level's weight, never the tenant's names.
	res = mb.call(t, "GET", "/api/v2/matching/parameters", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	versions := res.body["data"].([]any)
	require.NotEmpty(t, versions)
	newest := versions[0].(map[string]any)
	require.Equal(t, data(mb.call(t, "GET", "/api/v2/matching/runs/"+run["id"].(string), admin.token, nil, nil))["parameters_version"],
		newest["version"], "the run's parameters are the newest")
	require.EqualValues(t, 1, newest["configuration_version"])
	require.EqualValues(t, 1, newest["cases"], "Amina's case, consenting")
	require.Positive(t, newest["prior"])
	require.EqualValues(t, 1, newest["estimation"].(map[string]any)["traces"])
	levels := map[string]map[string]any{}
	for _, c := range newest["comparisons"].([]any) {
		cmp := c.(map[string]any)
		require.NotContains(t, cmp, "tf")
		require.NotContains(t, cmp, "tf_within")
		if cmp["name"] == "given_name" {
			for _, l := range cmp["levels"].([]any) {
				levels[l.(map[string]any)["level"].(string)] = l.(map[string]any)
			}
		}
		switch cmp["name"] {
		case "separation_date", "separation_cause", "separation_location":
			require.Len(t, cmp["later"], len(cmp["levels"].([]any)), "the request's separation weighs apart for its later traces")
		default:
			require.NotContains(t, cmp, "later", cmp["name"])
		}
	}
	require.NotContains(t, newest, "stop")
	exact := levels["exact"]
	require.Greater(t, exact["m"], exact["u"])
	require.InDelta(t, math.Log2(exact["m"].(float64)/exact["u"].(float64)), exact["weight"], 1e-9, "weight in bits")
	require.NotContains(t, levels["missing"], "weight", "missing is no evidence")
	require.Less(t, levels["different"]["weight"], 0.0)
	require.EqualValues(t, len(versions), res.body["metadata"].(map[string]any)["total"])
	requireProblem(t, mb.call(t, "GET", "/api/v2/matching/parameters?version=1", admin.token, nil, nil), http.StatusUnprocessableEntity)
	requireProblem(t, mb.call(t, "GET", "/api/v2/matching/parameters", cw.token, nil, nil), http.StatusForbidden)
}

// TestConfirmedMatchNotifiesOwners: a manager confirms a match between a
// case of one caseworker and a tracing request of another; both owners get
// an email in their language with a link to their own record and nothing
// about the child, the reviewer gets none, and the trace reads
// matched_case_id; both see an in-app alert on their record until they
// mark it read. A second confirmation is a 409 that notifies nobody.
func TestConfirmedMatchNotifiesOwners(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	caseOwner := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	tracer := mb.memberIn(t, "fr", "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")

	kase := mb.createCase(t, caseOwner.token, map[string]any{"name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan",
		"sex": "female", "date_of_birth": "2017-03-02", "consent_for_tracing": true})
	amina := kase["id"].(string)
	other := mb.createCase(t, caseOwner.token, map[string]any{"name_first": "Aminata", "name_last": "Diallo", "sex": "female",
		"date_of_birth": "2016-11-20", "consent_for_tracing": true})["id"].(string)
	mb.waitJobs(t, "match_record", amina, other)
	res := mb.call(t, "POST", "/api/v2/tracing_requests", tracer.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima Abdi", "tracing_request_subform_section": []any{map[string]any{"unique_id": traceAmina,
			"relation": "mother", "name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan", "sex": "female", "age": 8}}}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	tr := data(res)
	trID := tr["id"].(string)
	mb.waitJobs(t, "match_record", trID)
	tracePath := "/api/v2/tracing_requests/" + trID + "/traces/" + traceAmina
	res = mb.call(t, "GET", tracePath, tracer.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Contains(t, data(res), "matched_case_id")
	require.Nil(t, data(res)["matched_case_id"], "no match confirmed yet")

	_, byCase := matchesOf(t, mb.call(t, "GET", tracePath+"/potential_matches", manager.token, nil, nil))
	require.Contains(t, byCase, amina)
	before := len(mb.smtp.Messages())
	pm := byCase[amina]["id"].(string)
	res = mb.call(t, "PATCH", "/api/v2/potential_matches/"+pm, manager.token, nil, envelope(map[string]any{"action": "confirm"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	requireProblem(t, mb.call(t, "PATCH", "/api/v2/potential_matches/"+pm, manager.token, nil,
		envelope(map[string]any{"action": "confirm"})), http.StatusConflict)

	res = mb.call(t, "GET", tracePath, tracer.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, amina, data(res)["matched_case_id"], "the trace is linked to the case")
	res = mb.call(t, "GET", "/api/v2/tracing_requests/"+trID+"/traces", tracer.token, nil, nil)
	require.Equal(t, amina, res.body["data"].([]any)[0].(map[string]any)["matched_case_id"])

	// In-app alerts: each owner sees the confirmation on their own record,
	// by the reviewer's name; the reviewer sees none of their own.
	confirmedAlerts := func(u member) []map[string]any {
		res := mb.call(t, "GET", "/api/v2/alerts", u.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		var out []map[string]any
		for _, a := range res.body["data"].([]any) {
			if a := a.(map[string]any); a["type"] == "match_confirmed" {
				out = append(out, a)
			}
		}
		return out
	}
	got := confirmedAlerts(caseOwner)
	require.Len(t, got, 1)
	require.Equal(t, amina, got[0]["record_id"])
	require.Equal(t, "case", got[0]["record_type"])
	require.Equal(t, kase["short_id"], got[0]["short_id"])
	require.Equal(t, manager.email, got[0]["actor"])
	require.Equal(t, pm+":"+amina, got[0]["id"])
	got = confirmedAlerts(tracer)
	require.Len(t, got, 1)
	require.Equal(t, trID, got[0]["record_id"])
	require.Equal(t, "tracing_request", got[0]["record_type"])
	require.Empty(t, confirmedAlerts(manager))
	res = mb.call(t, "POST", "/api/v2/alerts/read", caseOwner.token, nil, envelope(map[string]any{"record_id": amina}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, confirmedAlerts(caseOwner), "read")
	require.Len(t, confirmedAlerts(tracer), 1, "the other owner's alert stays unread")

	mb.waitJobCount(t, "notify", 2)
	msgs := mb.smtp.Messages()[before:]
	require.Len(t, msgs, 2, "the two owners, not the reviewer")
	byTo := map[string]decoded{}
	for _, m := range msgs {
		d := decodeMail(t, m)
		byTo[d.to[0]] = d
		for _, part := range d.parts {
			require.NotContains(t, part, "Amina", "no personal data about the child")
			require.NotContains(t, part, "Halima")
		}
	}
	require.NotContains(t, byTo, manager.email)
	toOwner, toTracer := byTo[caseOwner.email], byTo[tracer.email]
	require.Equal(t, manager.email+" confirmed a family tracing match: "+kase["short_id"].(string), toOwner.subject)
	require.Contains(t, toOwner.parts["text/plain"], "Open the case: https://ke.cpims.example.org/cases/"+amina)
	require.Equal(t, manager.email+" a confirmé une correspondance de recherche familiale : "+tr["short_id"].(string), toTracer.subject)
	require.Contains(t, toTracer.parts["text/plain"], "Ouvrir la demande de recherche : https://ke.cpims.example.org/tracing-requests/"+trID)
	require.Contains(t, toTracer.parts["text/html"], `href="https://ke.cpims.example.org/tracing-requests/`+trID+`"`)

	var kinds []string
	// The daily digest (a periodic job of the test's worker) may have run meanwhile: not this test's.
	rows, err := mb.db.Superuser(t).Query(context.Background(), "select kind from tenant_ke.notifications where kind <> 'digest' order by kind")
	require.NoError(t, err)
	for rows.Next() {
		var k string
		require.NoError(t, rows.Scan(&k))
		kinds = append(kinds, k)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{"match_confirmed", "match_confirmed"}, kinds, "the refused second confirmation notified nobody")
}
