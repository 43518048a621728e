package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
)

// Tests written by the session 21 review of issues 10 and 12
// (docs/records.md and docs/matching.md, "Review → Session 21"): the gaps
// the review found between the issues' sentences and the tests.

// auditRow is the newest audit row of tenant ke.
type auditRow struct {
	op, outcome, recordType, recordID string
	meta                              map[string]any
}

func (mb *membersBundle) lastAudit(t testing.TB) auditRow {
	t.Helper()
	var r auditRow
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), `select operation, outcome, coalesce(record_type, ''),
		coalesce(record_id::text, ''), coalesce(metadata, '{}') from tenant_ke.audit_logs order by id desc limit 1`).
		Scan(&r.op, &r.outcome, &r.recordType, &r.recordID, &r.meta))
	return r
}

// TestEveryRecordCallAuditsItsRecord: every call of issues 10 and 12 that
// reads or writes one record leaves one audit row naming the record (type
// and id), refused calls too; calls reading several records (lists,
// duplicates, potential matches) name them in the row's metadata.
// TestRecordCallsAreAudited covers create, get, update, history and the
// case list; this covers the other operations.
func TestEveryRecordCallAuditsItsRecord(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	c := mb.createCase(t, cw.token, map[string]any{"name_first": "Amina", "name_last": "Yusuf"})
	caseID := c["id"].(string)
	casePath := "/api/v2/cases/" + caseID

	// step calls and checks the newest audit row (recordID created: the
	// id of the record the call created).
	const created = "created"
	step := func(name, method, path, token string, headers map[string]string, body any, status int,
		op, outcome, recordType, recordID string) response {
		t.Helper()
		res := mb.call(t, method, path, token, headers, body)
		require.Equal(t, status, res.Code, "%s: %s", name, res.Body.String())
		row := mb.lastAudit(t)
		require.Equal(t, op, row.op, name)
		require.Equal(t, outcome, row.outcome, name)
		require.Equal(t, recordType, row.recordType, name)
		if recordID == created {
			require.Equal(t, data(res)["id"], row.recordID, name)
		} else {
			require.Equal(t, recordID, row.recordID, name)
		}
		return res
	}

	step("Replace", "PUT", casePath, cw.token, ifMatch(1), envelope(caseData(map[string]any{"name_first": "Amina", "name_last": "Yusuf",
		"sex": "male"})), 200, "replace-case", "allowed", "case", caseID)
	step("Disable", "POST", casePath+"/disable", manager.token, nil, nil, 200, "disable-case", "allowed", "case", caseID)
	step("WriteDisabled", "PATCH", casePath, cw.token, ifMatch(3), envelope(map[string]any{"sex": "female"}), 409,
		"update-case", "failed", "case", caseID)
	step("Enable", "POST", casePath+"/enable", manager.token, nil, nil, 200, "enable-case", "allowed", "case", caseID)
	step("ReplaceOutOfScope", "PUT", casePath, stranger.token, ifMatch(4), envelope(caseData(nil)), 404,
		"replace-case", "failed", "case", caseID)

	res := step("IncidentFromCase", "POST", casePath+"/incidents", cw.token, nil,
		envelope(map[string]any{"cp_incident_date": "2026-01-09"}), 201, "create-case-incident", "allowed", "incident", created)
	incID := data(res)["id"].(string)
	step("GetIncident", "GET", "/api/v2/incidents/"+incID, cw.token, nil, nil, 200, "get-incident", "allowed", "incident", incID)
	step("IncidentHistory", "GET", "/api/v2/incidents/"+incID+"/record_history", cw.token, nil, nil, 200,
		"list-incident-history", "allowed", "incident", incID)

	tr := map[string]any{"inquiry_date": "2026-01-10", "relation_name": "Halima Hassan", "tracing_request_subform_section": []any{
		map[string]any{"unique_id": traceOne, "name_first": "Amina", "sex": "female", "age": 9}}}
	res = step("CreateTracingRequest", "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(tr), 201,
		"create-tracing-request", "allowed", "tracing_request", created)
	trID := data(res)["id"].(string)
	trPath := "/api/v2/tracing_requests/" + trID
	step("UpdateTracingRequest", "PATCH", trPath, cw.token, ifMatch(1), envelope(map[string]any{"relation_name": "Halima Abdi"}), 200,
		"update-tracing-request", "allowed", "tracing_request", trID)
	step("Traces", "GET", trPath+"/traces", cw.token, nil, nil, 200, "list-traces", "allowed", "tracing_request", trID)
	step("Trace", "GET", trPath+"/traces/"+traceOne, cw.token, nil, nil, 200, "get-trace", "allowed", "tracing_request", trID)
	step("TraceNotInTheRequest", "GET", trPath+"/traces/"+traceTwo, cw.token, nil, nil, 404, "get-trace", "failed",
		"tracing_request", trID)
	step("TracingRequestHistory", "GET", trPath+"/record_history", cw.token, nil, nil, 200, "list-tracing-request-history",
		"allowed", "tracing_request", trID)

	// Potential matches: the record whose matches are read, or the match reviewed.
	step("TraceMatches", "GET", trPath+"/traces/"+traceOne+"/potential_matches", cw.token, nil, nil, 200,
		"list-trace-potential-matches", "allowed", "tracing_request", trID)
	step("CaseMatches", "GET", casePath+"/potential_matches", cw.token, nil, nil, 200, "list-case-potential-matches", "allowed",
		"case", caseID)
	step("TraceMatchesOutOfScope", "GET", trPath+"/traces/"+traceOne+"/potential_matches", stranger.token, nil, nil, 404,
		"list-trace-potential-matches", "failed", "tracing_request", trID)
	step("CaseMatchesOutOfScope", "GET", casePath+"/potential_matches", stranger.token, nil, nil, 404,
		"list-case-potential-matches", "failed", "case", caseID)
	step("ReviewMissingMatch", "PATCH", "/api/v2/potential_matches/"+rowFather, cw.token, nil,
		envelope(map[string]any{"action": "reject"}), 404, "review-potential-match", "failed", "potential_match", rowFather)

	// Several records: their ids in the metadata.
	step("Duplicates", "POST", "/api/v2/cases/duplicates", cw.token, nil, envelope(map[string]any{"name_first": "Amina",
		"name_last": "Yusuf"}), 200, "find-case-duplicates", "allowed", "case", "")
	require.Equal(t, []any{caseID}, mb.lastAudit(t).meta["ids"], "the duplicates found")
	step("ListTracingRequests", "GET", "/api/v2/tracing_requests", cw.token, nil, nil, 200, "list-tracing-requests", "allowed",
		"tracing_request", "")
	require.Equal(t, []any{trID}, mb.lastAudit(t).meta["ids"])
	step("ListIncidents", "GET", "/api/v2/incidents", cw.token, nil, nil, 200, "list-incidents", "allowed", "incident", "")
	require.Equal(t, []any{incID}, mb.lastAudit(t).meta["ids"])
	step("Queue", "GET", "/api/v2/potential_matches", cw.token, nil, nil, 200, "list-potential-matches", "allowed", "", "")
	require.Contains(t, mb.lastAudit(t).meta, "ids", "the queue names the matches it showed (none here)")
}

// TestReviewQueueFilters: the review queue's location filter takes a
// location's subtree and its agency filter the case owner's agency; pages
// keep the exact total (issue 12, "Review (API)"). TestPotentialMatchesAndReview
// covers status, label and agency without a match.
func TestReviewQueueFilters(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	_, err := locations.New(mb.p).Upsert(sys(), "ke", []locations.Spec{
		{Code: "KE", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Kenya"}},
		{Code: "KE01", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Mombasa"}},
		{Code: "KE02", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Garissa"}}})
	require.NoError(t, err)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	amina := mb.createCase(t, cw.token, map[string]any{"consent_for_tracing": true, "name_first": "Amina", "name_middle": "Yusuf",
		"name_last": "Hassan", "date_of_birth": "2017-03-02", "location_current": "KE01"})["id"].(string)
	other := mb.createCase(t, cw.token, map[string]any{"consent_for_tracing": true, "name_first": "Aminata", "name_last": "Hassan",
		"date_of_birth": "2016-11-20", "location_current": "KE02"})["id"].(string)
	mb.waitJobs(t, "match_record", amina, other)
	res := mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima Abdi", "tracing_request_subform_section": []any{map[string]any{"unique_id": traceAmina,
			"relation": "mother", "name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan", "sex": "female", "age": 8}}}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	mb.waitJobs(t, "match_record", data(res)["id"].(string))

	queue := func(q string) (cases []string, n int) {
		t.Helper()
		res := mb.call(t, "GET", "/api/v2/potential_matches?"+q, cw.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		for _, m := range res.body["data"].([]any) {
			cases = append(cases, m.(map[string]any)["case_id"].(string))
		}
		return cases, total(res)
	}
	all, n := queue("")
	require.Contains(t, all, amina)
	require.Len(t, all, n)
	for q, want := range map[string]string{"location=KE": amina, "location=KE01": amina, "agency=agency-unicef": amina} {
		got, _ := queue(q)
		require.Contains(t, got, want, q)
	}
	inKE01, _ := queue("location=KE01")
	require.NotContains(t, inKE01, other, "a case of another county")
	inKE02, _ := queue("location=KE02")
	require.NotContains(t, inKE02, amina, "the subtree of another county")
	res = mb.call(t, "GET", "/api/v2/potential_matches?location=KE99", cw.token, nil, nil)
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, "query.location", res.body["errors"].([]any)[0].(map[string]any)["location"], "an unknown place is refused, not an empty queue")
	none, _ := queue("agency=agency-save")
	require.Empty(t, none)
	page, total2 := queue("per=1&page=" + strconv.Itoa(n+1))
	require.Empty(t, page, "past the last page")
	require.Equal(t, n, total2, "the total stays exact on every page")
}
