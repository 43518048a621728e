package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
)

// Tests of approvals, flags and close/reopen (docs/workflows.md) through
// the real server, PostgreSQL, Kratos, River and an SMTP capture server.

func approval(status, notes string) map[string]any {
	return map[string]any{"data": map[string]any{"approval_status": status, "notes": notes}}
}

func listIDs(res response) []string {
	var ids []string
	for _, x := range res.body["data"].([]any) {
		ids = append(ids, x.(map[string]any)["id"].(string))
	}
	return ids
}

func TestApprovalsOnlyByTheOwnersManagersAcrossThreeAgencies(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "ke", "agency-irc", "IRC", map[string]string{"en": "IRC"}))
	require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-mombasa", "Mombasa team"))
	require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-irc", "IRC team"))
	cwA := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	mgrA := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	mgrA2 := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	mgrOther := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-mombasa")
	mgrB := mb.member(t, "ke", "role-case-manager", "agency-save", "usergroup-mombasa")
	mgrC := mb.member(t, "ke", "role-case-manager", "agency-irc", "usergroup-irc")
	before := len(mb.smtp.Messages())

	kase := mb.createCase(t, cwA.token, nil)
	id := kase["id"].(string)
	path := "/api/v2/cases/" + id + "/approvals/"
	requireDetail(t, mb.call(t, "PATCH", path+"case_plan", mgrA.token, nil, approval("approved", "")), http.StatusConflict,
		"the case plan approval is not requested")
	requireDetail(t, mb.call(t, "PATCH", path+"bia", cwA.token, nil, approval("requested", "")), http.StatusUnprocessableEntity, "approval_id")
	requireDetail(t, mb.call(t, "PATCH", path+"gbv_closure", cwA.token, nil, approval("requested", "")), http.StatusUnprocessableEntity,
		"not an approval the case's module uses")

	// The owner asks; the case shows it and the list filters on it.
	res := mb.call(t, "PATCH", path+"case_plan", cwA.token, nil, approval("requested", "Plan ready for review"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "requested", data(res)["approval_status"])
	require.Equal(t, cwA.email, data(res)["requested_by"])
	require.Equal(t, "Plan ready for review", data(res)["notes"])
	require.Equal(t, "requested", data(mb.call(t, "GET", "/api/v2/cases/"+id, cwA.token, nil, nil))["approval_status_case_plan"])
	other := mb.createCase(t, cwA.token, nil)["id"].(string)
	res = mb.call(t, "GET", "/api/v2/cases?approval_status_case_plan=requested", mgrA.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []string{id}, listIDs(res))
	require.NotContains(t, listIDs(mb.call(t, "GET", "/api/v2/cases?approval_status_case_plan=requested,approved", mgrA.token, nil, nil)), other)
	requireDetail(t, mb.call(t, "GET", "/api/v2/cases?approval_status_case_plan=pending", mgrA.token, nil, nil),
		http.StatusUnprocessableEntity, "must be requested, approved or rejected")
	requireDetail(t, mb.call(t, "PATCH", path+"case_plan", cwA.token, nil, approval("requested", "")), http.StatusConflict, "already requested")

	// Refusals change nothing: the owner cannot approve, other agencies' and groups' managers do not see it.
	v := mb.version(t, cwA.token, id)
	requireDetail(t, mb.call(t, "PATCH", path+"case_plan", cwA.token, nil, approval("approved", "")), http.StatusForbidden, "cases:approve")
	for _, m := range []member{mgrB, mgrC, mgrOther} {
		require.Equal(t, http.StatusNotFound, mb.call(t, "PATCH", path+"case_plan", m.token, nil, approval("approved", "")).Code)
	}
	require.Equal(t, v, mb.version(t, cwA.token, id))

	// The owner's manager rejects; a second answer is a conflict.
	res = mb.call(t, "PATCH", path+"case_plan", mgrA.token, nil, approval("rejected", "Add the school follow-up"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "rejected", data(res)["approval_status"])
	require.Equal(t, mgrA.email, data(res)["approved_by"])
	require.Equal(t, "Add the school follow-up", data(res)["approval_notes"])
	requireDetail(t, mb.call(t, "PATCH", path+"case_plan", mgrA2.token, nil, approval("approved", "")), http.StatusConflict,
		"the case plan approval is rejected")
	got := data(mb.call(t, "GET", "/api/v2/cases/"+id, cwA.token, nil, nil))
	require.Equal(t, "rejected", got["approval_status_case_plan"])
	require.Equal(t, v+1, got["version"])
	hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cwA.token, nil, nil)
	require.Equal(t, http.StatusOK, hist.Code, hist.Body.String())
	require.Equal(t, "approval", hist.body["data"].([]any)[0].(map[string]any)["action"])

	// A manager's own request is answered by another manager of the group, never by them.
	res = mb.call(t, "PATCH", path+"assessment", mgrA.token, nil, approval("requested", ""))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	requireDetail(t, mb.call(t, "PATCH", path+"assessment", mgrA.token, nil, approval("approved", "")), http.StatusForbidden,
		"You requested this approval")
	res = mb.call(t, "PATCH", path+"assessment", mgrA2.token, nil, approval("approved", ""))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "approved", data(res)["approval_status"])

	res = mb.call(t, "GET", "/api/v2/cases/"+id+"/approvals", cwA.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Len(t, res.body["data"], 2, "the history of requests is kept")
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id+"/approvals", mgrC.token, nil, nil).Code)

	// Emails: each request to the managers of the owner's groups (not the
	// requester), each answer to the owner; exactly these. The workers
	// deliver them concurrently: a person's emails in any order.
	mb.waitJobCount(t, "notify", 5)
	byTo := map[string][]string{}
	for _, m := range mb.smtp.Messages()[before:] {
		d := decodeMail(t, m)
		byTo[d.to[0]] = append(byTo[d.to[0]], d.subject)
	}
	for _, subjects := range byTo {
		slices.Sort(subjects)
	}
	short := kase["short_id"].(string)
	require.Equal(t, map[string][]string{
		mgrA.email:  {cwA.email + " asks you to approve case " + short},
		mgrA2.email: sorted(cwA.email+" asks you to approve case "+short, mgrA.email+" asks you to approve case "+short),
		cwA.email:   sorted(mgrA.email+" rejected your request about case "+short, mgrA2.email+" approved your request about case "+short),
	}, byTo)
}

// sorted returns ss in order.
func sorted(ss ...string) []string {
	slices.Sort(ss)
	return ss
}

func TestCloseNeedsApprovedClosureAndReopenClearsIt(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cw2 := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	mgr := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	id := mb.createCase(t, cw.token, nil)["id"].(string)
	base := "/api/v2/cases/" + id
	reason := func(r string) map[string]any { return map[string]any{"data": map[string]any{"reason": r}} }

	requireDetail(t, mb.call(t, "POST", base+"/close", cw.token, nil, reason("")), http.StatusUnprocessableEntity, "reason")
	requireDetail(t, mb.call(t, "POST", base+"/close", cw.token, nil, reason("Reunified")), http.StatusConflict, "needs an approved closure")
	requireDetail(t, mb.call(t, "POST", base+"/reopen", cw.token, nil, reason("Again")), http.StatusConflict, "the case is open already")
	require.EqualValues(t, 1, mb.version(t, cw.token, id), "refusals change nothing")
	require.Equal(t, http.StatusOK, mb.call(t, "PATCH", base+"/approvals/closure", cw.token, nil, approval("requested", "")).Code)
	require.Equal(t, http.StatusOK, mb.call(t, "PATCH", base+"/approvals/closure", mgr.token, nil, approval("approved", "")).Code)

	res := mb.call(t, "POST", base+"/close", cw.token, nil, reason("Reunified with the mother"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "close", data(res)["type"])
	require.Equal(t, "Reunified with the mother", data(res)["notes"])
	require.Equal(t, "closed", data(mb.call(t, "GET", base, cw.token, nil, nil))["status"])
	requireDetail(t, mb.call(t, "POST", base+"/assigns", mgr.token, nil, transition(cw2.email, nil)), http.StatusConflict, "closed")
	requireDetail(t, mb.call(t, "POST", base+"/close", cw.token, nil, reason("x")), http.StatusConflict, "closed already")
	res = mb.call(t, "GET", "/api/v2/cases?status=closed", mgr.token, nil, nil)
	require.Equal(t, []string{id}, listIDs(res))

	res = mb.call(t, "POST", base+"/reopen", mgr.token, nil, reason("New protection concern"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got := data(mb.call(t, "GET", base, cw.token, nil, nil))
	require.Equal(t, "open", got["status"])
	require.NotContains(t, got, "approval_status_closure", "closing again needs a new approval")
	requireDetail(t, mb.call(t, "POST", base+"/close", cw.token, nil, reason("x")), http.StatusConflict, "needs an approved closure")

	res = mb.call(t, "GET", base+"/transitions", cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	var kinds []string
	for _, x := range res.body["data"].([]any) {
		kinds = append(kinds, x.(map[string]any)["type"].(string))
	}
	require.Equal(t, []string{"reopen", "close"}, kinds)
	hist := mb.call(t, "GET", base+"/record_history", cw.token, nil, nil)
	require.Contains(t, hist.Body.String(), `"action":"close"`)
	require.Contains(t, hist.Body.String(), `"action":"reopen"`)
}

func TestFlagsSetResolveAndListWithinScope(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	mgr := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	id := mb.createCase(t, cw.token, nil)["id"].(string)
	theirs := mb.createCase(t, stranger.token, nil)["id"].(string)
	flag := func(token, caseID, msg, date string) response {
		d := map[string]any{"message": msg}
		if date != "" {
			d["date"] = date
		}
		return mb.call(t, "POST", "/api/v2/cases/"+caseID+"/flags", token, nil, map[string]any{"data": d})
	}

	requireDetail(t, flag(cw.token, id, "", ""), http.StatusUnprocessableEntity, "message")
	require.Equal(t, http.StatusNotFound, flag(stranger.token, id, "Not mine", "").Code)
	res := flag(cw.token, id, "Check school attendance", "2026-03-01")
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	first := data(res)
	require.Equal(t, cw.email, first["flagged_by"])
	require.Equal(t, "2026-03-01", first["date"])
	require.Equal(t, false, first["removed"])
	res = flag(mgr.token, id, "Home visit overdue", "")
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	second := data(res)
	require.Nil(t, second["date"])
	require.Equal(t, http.StatusCreated, flag(stranger.token, theirs, "Elsewhere", "").Code)

	got := data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))
	require.Equal(t, true, got["flagged"])
	require.EqualValues(t, 3, got["version"])
	require.Equal(t, []string{id}, listIDs(mb.call(t, "GET", "/api/v2/cases?flagged=true", mgr.token, nil, nil)))

	// Lists: the caller's scope only.
	res = mb.call(t, "GET", "/api/v2/flags?active=true", cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []string{second["id"].(string), first["id"].(string)}, listIDs(res))
	require.Equal(t, 2, total(res))
	res = mb.call(t, "GET", "/api/v2/flags", stranger.token, nil, nil)
	require.Equal(t, 1, total(res))
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id+"/flags", stranger.token, nil, nil).Code)

	// Resolving: the case stays flagged while another flag is active.
	resolve := func(token, fid, msg string) response {
		return mb.call(t, "PATCH", "/api/v2/cases/"+id+"/flags/"+fid, token, nil, map[string]any{"data": map[string]any{"unflag_message": msg}})
	}
	require.Equal(t, http.StatusNotFound, resolve(stranger.token, first["id"].(string), "x").Code)
	res = resolve(mgr.token, first["id"].(string), "Attending again")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, true, data(res)["removed"])
	require.Equal(t, mgr.email, data(res)["removed_by"])
	require.Equal(t, "Attending again", data(res)["unflag_message"])
	require.Equal(t, true, data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))["flagged"])
	requireDetail(t, resolve(cw.token, first["id"].(string), "again"), http.StatusConflict, "resolved already")
	require.Equal(t, http.StatusOK, resolve(cw.token, second["id"].(string), "Visited").Code)
	require.Equal(t, false, data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))["flagged"])
	res = mb.call(t, "GET", "/api/v2/cases/"+id+"/flags?active=false", cw.token, nil, nil)
	require.Equal(t, 2, total(res))
	require.Equal(t, 0, total(mb.call(t, "GET", "/api/v2/flags?active=true", cw.token, nil, nil)))
	hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cw.token, nil, nil)
	require.True(t, strings.Contains(hist.Body.String(), `"action":"unflag"`), hist.Body.String())
}
