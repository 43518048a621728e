package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Tests of notes (server-set author and date) and of flags on tracing
// requests and incidents (docs/workflows.md) through the real server.

func note(subject, text string) map[string]any {
	return map[string]any{"data": map[string]any{"note_subject": subject, "field_notes_subform_fields": text}}
}

func TestNotesHaveServerSetAuthorAndDateAndOnlyThisOperationWritesThem(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	mgr := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	id := mb.createCase(t, cw.token, nil)["id"].(string)
	add := func(token, subject, text string) response {
		return mb.call(t, "POST", "/api/v2/cases/"+id+"/notes", token, nil, note(subject, text))
	}

	before := time.Now().UTC().Add(-time.Second)
	res := add(cw.token, "Home visit", "The child is back at school.")
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	first := data(res)
	require.Equal(t, cw.email, first["note_created_by"])
	at, err := time.Parse(time.RFC3339, first["notes_date"].(string))
	require.NoError(t, err)
	require.WithinRange(t, at, before.Truncate(time.Second), time.Now().UTC())
	res = add(mgr.token, "Supervision", "Agreed with the plan.")
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Equal(t, mgr.email, data(res)["note_created_by"])

	// Listed with the case, each with its author; every note is a version.
	got := data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))
	rows := got["notes_section"].([]any)
	require.Len(t, rows, 2)
	require.Equal(t, first["unique_id"], rows[0].(map[string]any)["unique_id"])
	require.Equal(t, cw.email, rows[0].(map[string]any)["note_created_by"])
	require.Equal(t, "Agreed with the plan.", rows[1].(map[string]any)["field_notes_subform_fields"])
	require.EqualValues(t, 3, got["version"])
	hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", mgr.token, nil, nil)
	require.Contains(t, hist.Body.String(), `"action":"note"`)
	require.Contains(t, hist.Body.String(), `"path":"notes_section[`+first["unique_id"].(string)+`]"`)

	// Bad input changes nothing.
	requireDetail(t, add(cw.token, " ", "x"), http.StatusUnprocessableEntity, "note_subject")
	requireDetail(t, add(cw.token, "s", ""), http.StatusUnprocessableEntity, "field_notes_subform_fields")
	require.Equal(t, http.StatusNotFound, add(stranger.token, "Not mine", "x").Code)
	require.Equal(t, http.StatusNotFound, mb.call(t, "POST", "/api/v2/cases/6f1c2a3e-0000-4000-8000-0000000000c1/notes", cw.token, nil,
		note("s", "t")).Code)

	// The case's own writes cannot add, change or remove a note (nor forge
	// its author), and a new case cannot bring notes.
	patch := func(body map[string]any) response {
		return mb.call(t, "PATCH", "/api/v2/cases/"+id, cw.token, map[string]string{"If-Match": `"3"`}, map[string]any{"data": body})
	}
	for _, body := range []map[string]any{
		{"notes_section": []any{map[string]any{"unique_id": first["unique_id"], "field_notes_subform_fields": "Rewritten"}}},
		{"notes_section": []any{map[string]any{"unique_id": first["unique_id"], "_destroy": true}}},
		{"notes_section": []any{map[string]any{"notes_date": "2020-01-01T00:00:00Z", "note_subject": "s", "field_notes_subform_fields": "t"}}},
		{"notes_section": nil},
	} {
		requireDetail(t, patch(body), http.StatusUnprocessableEntity, "POST /api/v2/cases/{id}/notes")
	}
	require.EqualValues(t, 3, data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))["version"])
	res = mb.call(t, "POST", "/api/v2/cases", cw.token, nil, map[string]any{"data": caseData(map[string]any{
		"notes_section": []any{map[string]any{"notes_date": "2020-01-01T00:00:00Z", "note_subject": "s", "field_notes_subform_fields": "t"}}})})
	requireDetail(t, res, http.StatusUnprocessableEntity, "data.notes_section")
	// Other fields are still written by PATCH.
	res = patch(map[string]any{"risk_level": "high"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Len(t, data(res)["notes_section"], 2)
}

func TestFlagsOnTracingRequestsAndIncidents(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	create := func(resource string, body map[string]any) string {
		res := mb.call(t, "POST", "/api/v2/"+resource, cw.token, nil, map[string]any{"data": body})
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		return data(res)["id"].(string)
	}
	caseID := mb.createCase(t, cw.token, nil)["id"].(string)
	trID := create("tracing_requests", map[string]any{"inquiry_date": "2026-01-10", "relation_name": "Halima"})
	incID := create("incidents", map[string]any{"cp_incident_date": "2026-01-09"})
	flag := func(token, resource, id, msg string) response {
		return mb.call(t, "POST", "/api/v2/"+resource+"/"+id+"/flags", token, nil, map[string]any{"data": map[string]any{"message": msg}})
	}
	var fids []string
	for _, r := range []struct{ resource, id, typ string }{
		{"cases", caseID, "case"}, {"tracing_requests", trID, "tracing_request"}, {"incidents", incID, "incident"},
	} {
		res := flag(cw.token, r.resource, r.id, "Look at this "+r.typ)
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		require.Equal(t, r.typ, data(res)["record_type"])
		fids = append(fids, data(res)["id"].(string))
		require.Equal(t, true, data(mb.call(t, "GET", "/api/v2/"+r.resource+"/"+r.id, cw.token, nil, nil))["flagged"])
		require.Equal(t, http.StatusNotFound, flag(stranger.token, r.resource, r.id, "no").Code)
		require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/"+r.resource+"/"+r.id+"/flags", stranger.token, nil, nil).Code)
		res = mb.call(t, "GET", "/api/v2/"+r.resource+"/"+r.id+"/flags", cw.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, 1, total(res))
	}
	// A case's id is not a tracing request.
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/tracing_requests/"+caseID+"/flags", cw.token, nil, nil).Code)
	require.Equal(t, http.StatusNotFound, flag(cw.token, "incidents", trID, "wrong type").Code)

	// GET /flags: every type the caller reads, or one.
	res := mb.call(t, "GET", "/api/v2/flags", cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 3, total(res))
	require.ElementsMatch(t, fids, listIDs(res))
	res = mb.call(t, "GET", "/api/v2/flags?record_type=incident", cw.token, nil, nil)
	require.Equal(t, []string{fids[2]}, listIDs(res))
	require.Equal(t, 0, total(mb.call(t, "GET", "/api/v2/flags", stranger.token, nil, nil)))

	// Resolving a tracing request's flag unflags it, with its history.
	res = mb.call(t, "PATCH", "/api/v2/tracing_requests/"+trID+"/flags/"+fids[1], cw.token, nil,
		map[string]any{"data": map[string]any{"unflag_message": "Found"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, false, data(mb.call(t, "GET", "/api/v2/tracing_requests/"+trID, cw.token, nil, nil))["flagged"])
	hist := mb.call(t, "GET", "/api/v2/tracing_requests/"+trID+"/record_history", cw.token, nil, nil)
	require.Contains(t, hist.Body.String(), `"action":"unflag"`)
	require.Equal(t, 2, total(mb.call(t, "GET", "/api/v2/flags?active=true", cw.token, nil, nil)))
}
