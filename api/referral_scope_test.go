package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReferralScopeEverywhere: a receiver who reaches a case only through a
// referral reads and writes it through the referral's access role on every
// path (lists and searches, history, attachments, writes), not only on
// get-case; a receiver who also reaches it by its own scope keeps its own
// role (the wider access wins). docs/workflows.md, "Referral scope".
func TestReferralScopeEverywhere(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	st := testStorage(t, nil)
	mb.srv = mb.serverWith(t, st)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	owner := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	receiver := mb.member(t, "ke", "role-caseworker", "agency-save")
	require.Equal(t, http.StatusOK, mb.call(t, "PUT", "/api/v2/sharing_protocol", admin.token, nil, map[string]any{"data": []any{
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true}}}).Code)
	// The access role reads and writes the identity form only.
	mb.customRole(t, admin.token, "role-identity-referral", "own", []string{"cases:read"}, map[string]string{"basic_identity": "rw"})

	kase := mb.createCase(t, owner.token, map[string]any{"disclosure_other_orgs": true, "risk_level": "high"})
	id := kase["id"].(string)
	photo := pngBytes(t, 8, 8)
	res := mb.upload(t, mb.srv, "cases", id, owner.token, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	aid := data(res)["id"].(string)
	for _, to := range []member{receiver, manager} {
		res = mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", owner.token, nil,
			transition(to.email, map[string]any{"service": "health", "authorized_role_unique_id": "role-identity-referral"}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	}
	v := mb.version(t, owner.token, id)
	res = mb.call(t, "PATCH", "/api/v2/cases/"+id, owner.token, ifMatch(v), envelope(map[string]any{"risk_level": "medium", "name_nickname": "Ami"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	t.Run("ListRowsAndFields", func(t *testing.T) {
		list := mb.call(t, "GET", "/api/v2/cases", receiver.token, nil, nil)
		require.Equal(t, []string{id}, ids(t, list))
		row := list.body["data"].([]any)[0].(map[string]any)
		require.Equal(t, "Amina", row["name_first"])
		require.NotContains(t, row, "risk_level", "protection_concerns is not the access role's")
		require.NotContains(t, row, "disclosure_other_orgs")
		require.NotContains(t, row, "photos")
		list = mb.call(t, "GET", "/api/v2/cases?fields=risk_level,name_first", receiver.token, nil, nil)
		require.Equal(t, []string{id}, ids(t, list))
		row = list.body["data"].([]any)[0].(map[string]any)
		require.NotContains(t, row, "risk_level", "fields cannot widen the access role")
		require.Equal(t, "Amina", row["name_first"])
	})
	t.Run("SearchMatchesOnlyReadableFields", func(t *testing.T) {
		require.Empty(t, ids(t, mb.call(t, "GET", "/api/v2/cases?risk_level=medium", receiver.token, nil, nil)),
			"a filter on a field the access role cannot read must not tell its value")
		require.Equal(t, []string{id}, ids(t, mb.call(t, "GET", "/api/v2/cases?sex=female", receiver.token, nil, nil)))
		require.Equal(t, []string{id}, ids(t, mb.call(t, "GET", "/api/v2/cases?query=Amina&phonetic=true", receiver.token, nil, nil)))
		requireDetail(t, mb.call(t, "GET", "/api/v2/cases?order_by=risk_level", receiver.token, nil, nil),
			http.StatusUnprocessableEntity, "order_by")
		require.Equal(t, []string{id}, ids(t, mb.call(t, "GET", "/api/v2/cases?risk_level=medium", owner.token, nil, nil)))
	})
	t.Run("HistoryShowsOnlyReadableChanges", func(t *testing.T) {
		hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", receiver.token, nil, nil)
		require.Equal(t, http.StatusOK, hist.Code, hist.Body.String())
		require.Contains(t, hist.Body.String(), `"name_nickname"`)
		require.NotContains(t, hist.Body.String(), "risk_level")
		require.NotContains(t, hist.Body.String(), "disclosure_other_orgs")
		require.Contains(t, mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", owner.token, nil, nil).Body.String(), "risk_level")
	})
	t.Run("AttachmentsOfUnreadableFields", func(t *testing.T) {
		list := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", receiver.token, nil, nil)
		require.Equal(t, http.StatusOK, list.Code, list.Body.String())
		require.Equal(t, []any{}, list.body["data"])
		requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments/"+aid, receiver.token, nil, nil), http.StatusNotFound)
		res := mb.upload(t, mb.srv, "cases", id, receiver.token, upload{field: "photos", name: "b.png", contentType: "image/png", data: photo})
		requireDetail(t, res, http.StatusUnprocessableEntity, "field_name")
		list = mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", owner.token, nil, nil)
		require.Len(t, list.body["data"], 1, "the owner still reads it; the refused upload added nothing")
	})
	t.Run("WritesOnlyTheAccessRolesForms", func(t *testing.T) {
		v := mb.version(t, owner.token, id)
		res := mb.call(t, "PATCH", "/api/v2/cases/"+id, receiver.token, ifMatch(v), envelope(map[string]any{"risk_level": "low", "name_nickname": "Mina"}))
		requireDetail(t, res, http.StatusUnprocessableEntity, "data.risk_level")
		require.NotContains(t, res.Body.String(), "data.name_nickname")
		got := data(mb.call(t, "GET", "/api/v2/cases/"+id, owner.token, nil, nil))
		require.Equal(t, v, got["version"], "nothing written")
		require.Equal(t, "medium", got["risk_level"])
		require.Equal(t, "Ami", got["name_nickname"])
		res = mb.call(t, "PATCH", "/api/v2/cases/"+id, receiver.token, ifMatch(v), envelope(map[string]any{"name_nickname": "Mina"}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.NotContains(t, data(res), "risk_level", "the answer is presented through the access role")
		require.Equal(t, "Mina", data(mb.call(t, "GET", "/api/v2/cases/"+id, owner.token, nil, nil))["name_nickname"])
	})
	t.Run("OwnScopeWins", func(t *testing.T) {
		// The manager reaches the case by group scope too: its own role applies.
		got := data(mb.call(t, "GET", "/api/v2/cases/"+id, manager.token, nil, nil))
		require.Equal(t, "medium", got["risk_level"])
		require.Equal(t, []string{id}, ids(t, mb.call(t, "GET", "/api/v2/cases?risk_level=medium", manager.token, nil, nil)))
		hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", manager.token, nil, nil)
		require.True(t, strings.Contains(hist.Body.String(), "risk_level"))
	})
}

// TestAgencyReferralThroughAPI: a referral with transitioned_to_agency and
// no transitioned_to goes to the agency's managers; one accepts it through
// update-case-referral and it becomes theirs.
func TestAgencyReferralThroughAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	owner := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	m1 := mb.member(t, "ke", "role-case-manager", "agency-save")
	m2 := mb.member(t, "ke", "role-case-manager", "agency-save")
	cwB := mb.member(t, "ke", "role-caseworker", "agency-save")
	require.Equal(t, http.StatusOK, mb.call(t, "PUT", "/api/v2/sharing_protocol", admin.token, nil, map[string]any{"data": []any{
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true}}}).Code)
	mb.customRole(t, admin.token, "role-identity-referral", "own", []string{"cases:read"}, map[string]string{"basic_identity": "r"})
	id := mb.createCase(t, owner.token, map[string]any{"disclosure_other_orgs": true, "risk_level": "high"})["id"].(string)

	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", owner.token, nil,
		map[string]any{"data": map[string]any{"transitioned_to_agency": "agency-save"}}), http.StatusUnprocessableEntity, "authorized_role_unique_id")
	res := mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", owner.token, nil, map[string]any{"data": map[string]any{
		"transitioned_to_agency": "agency-save", "service": "health", "authorized_role_unique_id": "role-identity-referral"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	ref := data(res)
	require.Equal(t, "", ref["transitioned_to"])
	require.Equal(t, "agency-save", ref["transitioned_to_agency"])
	for _, m := range []member{m1, m2} {
		got := data(mb.call(t, "GET", "/api/v2/cases/"+id, m.token, nil, nil))
		require.Equal(t, "Amina", got["name_first"])
		require.NotContains(t, got, "risk_level", "managers read through the access role until one accepts")
		require.Equal(t, []string{id}, ids(t, mb.call(t, "GET", "/api/v2/cases", m.token, nil, nil)))
	}
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id, cwB.token, nil, nil).Code)
	path := "/api/v2/cases/" + id + "/referrals/" + ref["id"].(string)
	res = mb.call(t, "PATCH", path, m1.token, nil, answer("accepted"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, m1.email, data(res)["transitioned_to"])
	require.Equal(t, http.StatusOK, mb.call(t, "GET", "/api/v2/cases/"+id, m1.token, nil, nil).Code)
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id, m2.token, nil, nil).Code)
	require.Equal(t, http.StatusNotFound, mb.call(t, "PATCH", path, m2.token, nil, answer("rejected")).Code)
}
