package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
)

// Tests of case transitions (docs/workflows.md) through the real server,
// PostgreSQL and Kratos.

func transition(to string, extra map[string]any) map[string]any {
	d := map[string]any{"transitioned_to": to}
	for k, v := range extra {
		d[k] = v
	}
	return map[string]any{"data": d}
}

func answer(status string) map[string]any {
	return map[string]any{"data": map[string]any{"status": status}}
}

// requireDetail checks a problem's status and that its detail (or one of its
// errors) mentions want (a detail starts with a capital letter: the
// domain's message is compared whatever the case).
func requireDetail(t testing.TB, res response, status int, want string) {
	t.Helper()
	require.Equal(t, status, res.Code, res.Body.String())
	require.Contains(t, strings.ToLower(res.Body.String()), strings.ToLower(want))
}

func (mb *membersBundle) version(t testing.TB, token, id string) float64 {
	t.Helper()
	res := mb.call(t, "GET", "/api/v2/cases/"+id, token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	return data(res)["version"].(float64)
}

func TestCaseTransitionsAcrossAgencies(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "ke", "agency-irc", "IRC", map[string]string{"en": "IRC"}))
	require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-mombasa", "Mombasa team"))
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cwA := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cwA2 := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	mgrA := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	cwB := mb.member(t, "ke", "role-caseworker", "agency-save", "usergroup-mombasa")
	require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-irc", "IRC team"))
	cwC := mb.member(t, "ke", "role-caseworker", "agency-irc", "usergroup-irc")
	mgrC := mb.member(t, "ke", "role-case-manager", "agency-irc", "usergroup-irc")

	// Register and assign (within the manager's group only).
	kase := mb.createCase(t, cwA.token, nil)
	id := kase["id"].(string)
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/assigns", mgrA.token, nil, transition(cwB.email, nil)),
		http.StatusForbidden, "only to users of your user groups")
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/assigns", cwA.token, nil, transition(cwA2.email, nil)),
		http.StatusForbidden, "permission")
	res := mb.call(t, "POST", "/api/v2/cases/"+id+"/assigns", mgrA.token, nil, transition(cwA2.email, map[string]any{"notes": "Closer to the family"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "assign", data(res)["type"])
	require.Equal(t, "done", data(res)["status"])
	require.Equal(t, cwA2.email, data(res)["transitioned_to"])
	require.Equal(t, mgrA.email, data(res)["transitioned_by"])
	got := data(mb.call(t, "GET", "/api/v2/cases/"+id, cwA2.token, nil, nil))
	require.Equal(t, cwA2.email, got["owned_by"])
	require.EqualValues(t, 2, got["version"])
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id, cwA.token, nil, nil).Code, "the previous owner (own scope) lost it")
	hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cwA2.token, nil, nil)
	require.Equal(t, http.StatusOK, hist.Code, hist.Body.String())
	last := hist.body["data"].([]any)[0].(map[string]any)
	require.Equal(t, "assign", last["action"])
	require.Contains(t, hist.Body.String(), `"to":"`+cwA2.email+`"`)

	// Referral to another agency: refused by the protocol, then by consent, nothing changed.
	v := mb.version(t, cwA2.token, id)
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil, transition(cwB.email, map[string]any{"service": "health"})),
		http.StatusForbidden, "does not allow agency-unicef to refer cases to agency-save")
	protocol := map[string]any{"data": []any{
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true},
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-irc", "transfer": true},
	}}
	res = mb.call(t, "PUT", "/api/v2/sharing_protocol", admin.token, nil, protocol)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	requireDetail(t, mb.call(t, "PUT", "/api/v2/sharing_protocol", admin.token, nil, map[string]any{"data": []any{
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-nowhere", "referral": true}}}),
		http.StatusUnprocessableEntity, "body.data[0].to_agency")
	res = mb.call(t, "GET", "/api/v2/sharing_protocol", cwA.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Len(t, res.body["data"], 2, "the refused replacement changed nothing")
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil, transition(cwB.email, nil)),
		http.StatusConflict, "disclosure_other_orgs")
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil,
		transition(cwB.email, map[string]any{"consent_individual_transfer": true, "consent_override_reason": "urgent"})),
		http.StatusForbidden, "may not override")
	require.Equal(t, v, mb.version(t, cwA2.token, id), "refusals change nothing")
	res = mb.call(t, "PATCH", "/api/v2/cases/"+id, cwA2.token, ifMatch(v), envelope(map[string]any{"disclosure_other_orgs": true}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	// The referral: the receiver sees the case, through the access role's forms only, until it is done.
	mb.customRole(t, admin.token, "role-health-referral", "own", []string{"cases:read"}, map[string]string{"basic_identity": "r"})
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id, cwB.token, nil, nil).Code)
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil,
		transition(cwB.email, map[string]any{"authorized_role_unique_id": "role-nowhere"})), http.StatusUnprocessableEntity, "authorized_role_unique_id")
	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil, transition(cwB.email,
		map[string]any{"service": "health", "authorized_role_unique_id": "role-health-referral"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	ref := data(res)
	require.Equal(t, "in_progress", ref["status"])
	require.Equal(t, "role-health-referral", ref["authorized_role_unique_id"])
	require.Equal(t, "agency-save", ref["transitioned_to_agency"])
	seen := data(mb.call(t, "GET", "/api/v2/cases/"+id, cwB.token, nil, nil))
	require.Equal(t, "Amina", seen["name_first"], "basic_identity is the access role's")
	require.NotContains(t, seen, "disclosure_other_orgs", "the consent form is not the access role's")
	require.Contains(t, data(mb.call(t, "GET", "/api/v2/cases/"+id, cwA2.token, nil, nil)), "disclosure_other_orgs", "the owner reads it")
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil, transition(cwB.email, nil)),
		http.StatusConflict, "already referred")
	refPath := "/api/v2/cases/" + id + "/referrals/" + ref["id"].(string)
	requireDetail(t, mb.call(t, "PATCH", refPath, cwA2.token, nil, answer("accepted")), http.StatusForbidden, "Only the receiver")
	require.Equal(t, http.StatusNotFound, mb.call(t, "PATCH", refPath, cwC.token, nil, answer("accepted")).Code)
	res = mb.call(t, "PATCH", refPath, cwB.token, nil, answer("accepted"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "accepted", data(res)["status"])
	require.Equal(t, cwB.email, data(res)["responded_by"])
	res = mb.call(t, "PATCH", refPath, cwB.token, nil, answer("done"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id, cwB.token, nil, nil).Code, "access ends when done")
	requireDetail(t, mb.call(t, "PATCH", refPath, cwB.token, nil, answer("accepted")), http.StatusConflict, "the referral is done: it cannot be accepted")
	requireDetail(t, mb.call(t, "PATCH", refPath, cwA2.token, nil, answer("revoked")), http.StatusConflict, "the referral is done: it cannot be revoked")

	// A revoked referral cannot be accepted, and its access ends.
	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwA2.token, nil, transition(cwB.email, nil))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	ref2 := "/api/v2/cases/" + id + "/referrals/" + data(res)["id"].(string)
	require.Equal(t, http.StatusOK, mb.call(t, "PATCH", ref2, cwA2.token, nil, answer("revoked")).Code)
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id, cwB.token, nil, nil).Code)
	requireDetail(t, mb.call(t, "PATCH", ref2, cwB.token, nil, answer("accepted")), http.StatusConflict, "the referral is revoked: it cannot be accepted")

	// Transfer without consent: refused; overridden by a manager with a reason, logged.
	other := mb.createCase(t, cwA2.token, nil)
	oid := other["id"].(string)
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+oid+"/transfers", cwA2.token, nil, transition(cwB.email, nil)),
		http.StatusForbidden, "does not allow agency-unicef to transfer cases to agency-save")
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+oid+"/transfers", cwA2.token, nil, transition(cwC.email, nil)),
		http.StatusConflict, "has not consented")
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+oid+"/transfers", mgrA.token, nil,
		transition(cwC.email, map[string]any{"consent_individual_transfer": true})), http.StatusUnprocessableEntity, "consent_override_reason")
	res = mb.call(t, "POST", "/api/v2/cases/"+oid+"/transfers", mgrA.token, nil,
		transition(cwC.email, map[string]any{"consent_individual_transfer": true, "consent_override_reason": "Child at risk; moved to IRC's area"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	tr := data(res)
	require.Equal(t, true, tr["consent_overridden"])
	require.Equal(t, "Child at risk; moved to IRC's area", tr["consent_override_reason"])
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+oid+"/transfers", mgrA.token, nil,
		transition(cwC.email, map[string]any{"consent_individual_transfer": true, "consent_override_reason": "again"})), http.StatusConflict, "in progress")
	require.Equal(t, http.StatusOK, mb.call(t, "GET", "/api/v2/cases/"+oid, cwC.token, nil, nil).Code, "the receiver reads it while deciding")
	trPath := "/api/v2/cases/" + oid + "/transfers/" + tr["id"].(string)
	requireDetail(t, mb.call(t, "PATCH", trPath, cwC.token, nil, answer("done")), http.StatusUnprocessableEntity, "referrals only")
	// The receiver's manager accepts on their behalf: ownership moves.
	require.Equal(t, http.StatusNotFound, mb.call(t, "PATCH", trPath, cwB.token, nil, answer("accepted")).Code)
	res = mb.call(t, "PATCH", trPath, mgrC.token, nil, answer("accepted"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, mgrC.email, data(res)["responded_by"])
	got = data(mb.call(t, "GET", "/api/v2/cases/"+oid, cwC.token, nil, nil))
	require.Equal(t, cwC.email, got["owned_by"])
	require.Equal(t, "agency-irc", got["owned_by_agency_id"])
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+oid, cwA2.token, nil, nil).Code)
	requireDetail(t, mb.call(t, "PATCH", trPath, mgrA.token, nil, answer("revoked")), http.StatusConflict, "accepted")

	// Transfer request: a manager who sees a case asks its owner for it.
	third := mb.createCase(t, cwA.token, nil)
	tid := third["id"].(string)
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/"+tid+"/transfer_requests", cwA.token, nil, map[string]any{"data": map[string]any{}}),
		http.StatusConflict, "you own the case")
	res = mb.call(t, "POST", "/api/v2/cases/"+tid+"/transfer_requests", mgrA.token, nil, map[string]any{"data": map[string]any{"notes": "I will follow up"}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, cwA.email, data(res)["transitioned_to"])
	rqPath := "/api/v2/cases/" + tid + "/transfer_requests/" + data(res)["id"].(string)
	requireDetail(t, mb.call(t, "PATCH", rqPath, mgrA.token, nil, answer("accepted")), http.StatusForbidden, "Only the receiver")
	res = mb.call(t, "PATCH", rqPath, cwA.token, nil, answer("accepted"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, mgrA.email, data(mb.call(t, "GET", "/api/v2/cases/"+tid, mgrA.token, nil, nil))["owned_by"])

	// Every transition is listed on the case, newest first.
	res = mb.call(t, "GET", "/api/v2/cases/"+id+"/transitions", cwA2.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	var kinds []string
	for _, x := range res.body["data"].([]any) {
		kinds = append(kinds, x.(map[string]any)["type"].(string)+":"+x.(map[string]any)["status"].(string))
	}
	require.Equal(t, []string{"referral:revoked", "referral:done", "assign:done"}, kinds)
	require.Equal(t, http.StatusNotFound, mb.call(t, "GET", "/api/v2/cases/"+id+"/transitions", cwC.token, nil, nil).Code)
}

func TestBulkAssignIsAllOrNothing(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cw2 := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	mgr := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	a := mb.createCase(t, cw.token, nil)["id"].(string)
	b := mb.createCase(t, cw.token, nil)["id"].(string)
	hidden := mb.createCase(t, stranger.token, nil)["id"].(string)

	res := mb.call(t, "POST", "/api/v2/cases/assigns", mgr.token, nil, map[string]any{"data": map[string]any{
		"ids": []string{a, hidden, b}, "transitioned_to": cw2.email}})
	requireDetail(t, res, http.StatusUnprocessableEntity, "body.data.ids[1]")
	require.Equal(t, cw.email, data(mb.call(t, "GET", "/api/v2/cases/"+a, mgr.token, nil, nil))["owned_by"], "nothing assigned")

	body := map[string]any{"data": map[string]any{"ids": []string{a, b}, "transitioned_to": cw2.email}}
	res = mb.call(t, "POST", "/api/v2/cases/assigns", mgr.token, nil, body)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Len(t, res.body["data"], 2)
	for _, id := range []string{a, b} {
		require.Equal(t, cw2.email, data(mb.call(t, "GET", "/api/v2/cases/"+id, cw2.token, nil, nil))["owned_by"])
	}
	// Retried: nothing more happens.
	res = mb.call(t, "POST", "/api/v2/cases/assigns", mgr.token, nil, body)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, res.body["data"])
	require.EqualValues(t, 2, mb.version(t, cw2.token, a))
	requireDetail(t, mb.call(t, "POST", "/api/v2/cases/assigns", mgr.token, nil, map[string]any{"data": map[string]any{
		"ids": []string{}, "transitioned_to": cw2.email}}), http.StatusUnprocessableEntity, "ids")
}
