package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIDSearchMatchesOnlyReadableFields: an ID or phone search (and the
// free-text query's ID part) does not match a value in a form the caller's
// role, or the access role of the referral it reaches the case through,
// cannot read (docs/records.md, ID and phone search).
func TestIDSearchMatchesOnlyReadableFields(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	owner := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	// Agency scope: one role reads the identity form (where the ID and phone
	// fields are), the other only the services form.
	mb.customRole(t, admin.token, "role-ids-reader", "agency", []string{"cases:read"}, map[string]string{"basic_identity": "r"})
	mb.customRole(t, admin.token, "role-services-reader", "agency", []string{"cases:read"}, map[string]string{"services": "r"})
	reader := mb.member(t, "ke", "role-ids-reader", "agency-unicef")
	blind := mb.member(t, "ke", "role-services-reader", "agency-unicef")
	kase := mb.createCase(t, owner.token, map[string]any{"unhcr_id_no": "ke-777 001", "telephone_current": "+254 700 111 222",
		"disclosure_other_orgs": true})
	id, short := kase["id"].(string), kase["short_id"].(string)

	queries := []string{"id_search=true&query=" + url.QueryEscape("KE777001"), "query=ke777001",
		"phone_number=true&query=" + url.QueryEscape("254700111222")}
	list := func(token, q string) response { return mb.call(t, "GET", "/api/v2/cases?"+q, token, nil, nil) }
	require.Equal(t, []string{id}, ids(t, list(blind.token, "")), "the case itself is visible")
	for _, q := range queries {
		require.Equal(t, []string{id}, ids(t, list(owner.token, q)), q)
		require.Equal(t, []string{id}, ids(t, list(reader.token, q)), q)
		require.Empty(t, ids(t, list(blind.token, q)), "a value in a form the role cannot read is not searched: "+q)
	}
	require.Equal(t, []string{id}, ids(t, list(blind.token, "id_search=true&query="+url.QueryEscape(short))), "short ids are searched")

	// Through a referral: the access role decides.
	receiver := mb.member(t, "ke", "role-caseworker", "agency-save")
	receiver2 := mb.member(t, "ke", "role-caseworker", "agency-save")
	require.Equal(t, http.StatusOK, mb.call(t, "PUT", "/api/v2/sharing_protocol", admin.token, nil, map[string]any{"data": []any{
		map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true}}}).Code)
	for _, r := range []struct {
		to   member
		role string
	}{{receiver, "role-services-reader"}, {receiver2, "role-ids-reader"}} {
		res := mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", owner.token, nil,
			transition(r.to.email, map[string]any{"service": "health", "authorized_role_unique_id": r.role}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	}
	require.Equal(t, []string{id}, ids(t, list(receiver2.token, "")))
	for _, q := range queries {
		require.Empty(t, ids(t, list(receiver.token, q)), q)
		require.Equal(t, []string{id}, ids(t, list(receiver2.token, q)), q)
	}
	require.Equal(t, []string{id}, ids(t, list(receiver.token, "")))
}
