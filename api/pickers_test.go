package api_test

import (
	"net/http"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
)

// Tests of the transition pickers (docs/workflows.md "Pickers") through the
// real server, PostgreSQL and Kratos.

// pick calls a picker and returns the user names it offers, sorted.
func (mb *membersBundle) pick(t testing.TB, token, path string) []string {
	t.Helper()
	res := mb.call(t, "GET", path, token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	names := []string{}
	for _, u := range res.body["data"].([]any) {
		m := u.(map[string]any)
		require.ElementsMatch(t, []string{"user_name", "full_name", "agency_id", "agency_name", "role"}, keys(m), "only the fields needed to choose")
		names = append(names, m["user_name"].(string))
	}
	sort.Strings(names)
	return names
}

func keys(m map[string]any) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	return out
}

func emails(ms ...member) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.email)
	}
	sort.Strings(out)
	return out
}

func TestTransitionPickersFollowScopeAndProtocol(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "ke", "agency-irc", "IRC", map[string]string{"en": "IRC"}))
	require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-mombasa", "Mombasa team"))
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cwA := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cwA2 := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-mombasa")
	mgrA := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	cwB := mb.member(t, "ke", "role-caseworker", "agency-save", "usergroup-nairobi")
	cwC := mb.member(t, "ke", "role-caseworker", "agency-irc")
	gone := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	res := mb.call(t, "PATCH", "/api/v2/users/"+gone.userID, admin.token, nil, map[string]any{"disabled": true})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	// Assign: the case manager (scope group) reaches the users of its user groups, whatever their agency; never disabled ones.
	require.Equal(t, emails(cwA, mgrA, cwB), mb.pick(t, mgrA.token, "/api/v2/users/assign-to"))
	require.Equal(t, emails(cwB), mb.pick(t, mgrA.token, "/api/v2/users/assign-to?agency=agency-save"))
	require.Equal(t, http.StatusForbidden, mb.call(t, "GET", "/api/v2/users/assign-to", cwA.token, nil, nil).Code, "caseworkers may not assign")

	// Transfer and refer without a protocol: the caller's agency only, the caller and disabled users left out.
	own := emails(admin, cwA2, mgrA)
	require.Equal(t, own, mb.pick(t, cwA.token, "/api/v2/users/transfer-to"))
	require.Equal(t, own, mb.pick(t, cwA.token, "/api/v2/users/refer-to"))

	// The protocol lets agency-unicef refer to agency-save and transfer to agency-irc: the lists follow.
	res = mb.call(t, "PUT", "/api/v2/sharing_protocol", admin.token, nil, map[string]any{"data": []any{
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true},
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-irc", "transfer": true},
		map[string]any{"from_agency": "agency-save", "to_agency": "agency-irc", "referral": true, "transfer": true},
	}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, emails(admin, cwA2, mgrA, cwB), mb.pick(t, cwA.token, "/api/v2/users/refer-to"))
	require.Equal(t, emails(admin, cwA2, mgrA, cwC), mb.pick(t, cwA.token, "/api/v2/users/transfer-to"))
	require.Equal(t, emails(cwC), mb.pick(t, cwA.token, "/api/v2/users/transfer-to?agency=agency-irc"))
	require.Equal(t, emails(cwC), mb.pick(t, cwB.token, "/api/v2/users/refer-to"), "agency-save's view: its own caller left out, irc allowed")

	// What a picker offers, the transition accepts: refer to cwB after consent.
	kase := mb.createCase(t, cwA.token, map[string]any{"disclosure_other_orgs": true})
	res = mb.call(t, "POST", "/api/v2/cases/"+kase["id"].(string)+"/referrals", cwA.token, nil, transition(cwB.email, nil))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	// One answer in full: the agency's names and the role.
	res = mb.call(t, "GET", "/api/v2/users/transfer-to?agency=agency-irc", cwA.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	u := res.body["data"].([]any)[0].(map[string]any)
	require.Equal(t, "agency-irc", u["agency_id"])
	require.Equal(t, map[string]any{"en": "IRC"}, u["agency_name"])
	require.Equal(t, "role-caseworker", u["role"])
	require.NotEmpty(t, u["full_name"])

	// Referable roles: every role, by unique_id.
	res = mb.call(t, "GET", "/api/v2/roles/referable", cwA.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Contains(t, res.Body.String(), `"unique_id":"role-caseworker"`)
	require.NotContains(t, res.Body.String(), "permissions", "no more than the role's id and name")
}
