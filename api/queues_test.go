package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestQueuesThroughTheAPI: GET /transitions and GET /approvals through the
// real server: a receiver whose referral role does not read the identity
// form gets the item without the case's name; the owner gets the name; bad
// filters are 422 naming the parameter; each list is audited with the
// cases it showed.
func TestQueuesThroughTheAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	owner := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	receiver := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	mb.customRole(t, admin.token, "role-services-referral", "own", []string{"cases:read"}, map[string]string{"services": "r"})

	id := mb.createCase(t, owner.token, nil)["id"].(string)
	res := mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", owner.token, nil,
		transition(receiver.email, map[string]any{"service": "health", "authorized_role_unique_id": "role-services-referral"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	tid := data(res)["id"].(string)

	item := func(res response) map[string]any {
		t.Helper()
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.EqualValues(t, 1, res.body["metadata"].(map[string]any)["total"])
		list := res.body["data"].([]any)
		require.Len(t, list, 1)
		return list[0].(map[string]any)
	}
	in := item(mb.call(t, "GET", "/api/v2/transitions?direction=in&type=referral", receiver.token, nil, nil))
	require.Equal(t, tid, in["id"])
	require.Equal(t, id, in["record_id"])
	require.NotEmpty(t, in["short_id"])
	require.NotContains(t, in, "name", "the referral's role does not read the name fields")
	require.Equal(t, true, in["may_answer"])
	// The access role's name comes with the referral: the receiver may not read roles.
	require.Equal(t, map[string]any{"en": "role-services-referral"}, in["authorized_role_name"])
	requireProblem(t, mb.call(t, "GET", "/api/v2/roles", receiver.token, nil, nil), http.StatusForbidden)
	out := item(mb.call(t, "GET", "/api/v2/transitions?direction=out", owner.token, nil, nil))
	require.Equal(t, "Amina Yusuf", out["name"])
	require.Equal(t, true, out["may_revoke"])
	require.Equal(t, false, out["may_answer"])

	for _, q := range []string{"status=open", "direction=up", "type=assign", "per=0"} {
		requireProblem(t, mb.call(t, "GET", "/api/v2/transitions?"+q, receiver.token, nil, nil), http.StatusUnprocessableEntity)
	}

	// Approvals: the owner asks, the group's manager finds it to answer.
	res = mb.call(t, "PATCH", "/api/v2/cases/"+id+"/approvals/case_plan", owner.token, nil,
		envelope(map[string]any{"approval_status": "requested", "notes": "please"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	a := item(mb.call(t, "GET", "/api/v2/approvals?to_answer=true&approval_type=case_plan&record="+id, manager.token, nil, nil))
	require.Equal(t, "case_plan", a["approval_type"])
	require.Equal(t, "Amina Yusuf", a["name"])
	require.Equal(t, true, a["may_answer"])
	res = mb.call(t, "GET", "/api/v2/approvals?to_answer=true", owner.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, res.body["data"], "the requester never answers")
	requireProblem(t, mb.call(t, "GET", "/api/v2/approvals?approval_type=bia", manager.token, nil, nil), http.StatusUnprocessableEntity)
	requireProblem(t, mb.call(t, "GET", "/api/v2/approvals?record=not-a-uuid", manager.token, nil, nil), http.StatusUnprocessableEntity)
	requireProblem(t, mb.call(t, "GET", "/api/v2/approvals?record="+id, stranger.token, nil, nil), http.StatusNotFound)

	var audited []string
	rows, err := mb.db.Superuser(t).Query(context.Background(), `select operation from tenant_ke.audit_logs
		where operation in ('list-transitions', 'list-approvals') and outcome = 'allowed' and metadata->'record_ids' ? $1 order by id`, id)
	require.NoError(t, err)
	for rows.Next() {
		var op string
		require.NoError(t, rows.Scan(&op))
		audited = append(audited, op)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{"list-transitions", "list-transitions", "list-approvals"}, audited)
}
