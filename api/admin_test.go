package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
)

func TestRoleChangesApplyAtTheNextRequest(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/roles", cw.token, nil), http.StatusForbidden)

	caseworker := roleID(t, mb, "role-caseworker")
	res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+caseworker, admin.token,
		map[string]any{"permissions": []string{"cases:read", "roles:read", "users:read_self"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/roles", cw.token, nil).Code, "granted at once")

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+caseworker, admin.token,
		map[string]any{"permissions": []string{"cases:read", "users:read_self"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/roles", cw.token, nil), http.StatusForbidden)
}

func TestAdminBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	for _, tc := range []struct {
		name, method, path string
		body               map[string]any
		status             int
	}{
		{"AgencyBadUniqueID", "POST", "/api/v2/agencies", map[string]any{"unique_id": "UNICEF", "agency_code": "U", "name": map[string]string{"en": "U"}}, 422},
		{"AgencyNoName", "POST", "/api/v2/agencies", map[string]any{"unique_id": "agency-x", "agency_code": "X", "name": map[string]string{}}, 422},
		{"AgencyBadLanguage", "POST", "/api/v2/agencies", map[string]any{"unique_id": "agency-x", "agency_code": "X", "name": map[string]string{"english": "X"}}, 422},
		{"AgencyDuplicate", "POST", "/api/v2/agencies", map[string]any{"unique_id": "agency-unicef", "agency_code": "U2", "name": map[string]string{"en": "U"}}, 409},
		{"GroupBadUniqueID", "POST", "/api/v2/user_groups", map[string]any{"unique_id": "nairobi", "name": "N"}, 422},
		{"GroupDuplicate", "POST", "/api/v2/user_groups", map[string]any{"unique_id": "usergroup-nairobi", "name": "N"}, 409},
		{"RoleUnknownPermission", "POST", "/api/v2/roles", map[string]any{"unique_id": "role-x", "name": map[string]string{"en": "X"}, "permissions": []string{"cases:delete"}, "record_scope": "own"}, 422},
		{"RolePlatformPermission", "POST", "/api/v2/roles", map[string]any{"unique_id": "role-x", "name": map[string]string{"en": "X"}, "permissions": []string{"tenants:write"}, "record_scope": "own"}, 422},
		{"RoleBadScope", "POST", "/api/v2/roles", map[string]any{"unique_id": "role-x", "name": map[string]string{"en": "X"}, "record_scope": "everything"}, 422},
		{"RoleBadFormAccess", "POST", "/api/v2/roles", map[string]any{"unique_id": "role-x", "name": map[string]string{"en": "X"}, "record_scope": "own", "form_access": map[string]string{"basic_identity": "write"}}, 422},
		{"RoleDuplicate", "POST", "/api/v2/roles", map[string]any{"unique_id": "role-caseworker", "name": map[string]string{"en": "X"}, "record_scope": "own"}, 409},
		{"RoleMissing", "PATCH", "/api/v2/roles/00000000-0000-0000-0000-000000000000", map[string]any{"record_scope": "own"}, 404},
		{"UserNothingToChange", "PATCH", "/api/v2/users/" + admin.userID, map[string]any{}, 422},
		{"UserOwnRole", "PATCH", "/api/v2/users/" + admin.userID, map[string]any{"role_unique_id": "role-caseworker"}, 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireProblem(t, mb.do(t, tc.method, "ke.localhost", tc.path, admin.token, tc.body), tc.status)
		})
	}
	agencies, err := people.New(mb.p).ListAgencies(sys(), "ke")
	require.NoError(t, err)
	require.Len(t, agencies, 2)
	groups, err := people.New(mb.p).ListUserGroups(sys(), "ke")
	require.NoError(t, err)
	require.Len(t, groups, 1)
	roles, err := mb.p.ListRoles(sys(), "ke")
	require.NoError(t, err)
	require.Len(t, roles, 5)
}

func TestAgencyAdminStaysWithinTheirAgency(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	agencyAdmin := mb.member(t, "ke", "role-agency-admin", "agency-unicef")
	own := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	other := mb.member(t, "ke", "role-caseworker", "agency-save")
	patch := func(id string, body map[string]any) response {
		return mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+id, agencyAdmin.token, body)
	}
	res := patch(own.userID, map[string]any{"role_unique_id": "role-case-manager", "user_group_unique_ids": []string{"usergroup-nairobi"}, "locale": "sw"})
	require.Equal(t, 200, res.Code, res.Body.String())
	u := res.body["data"].(map[string]any)
	require.Equal(t, "role-case-manager", u["role_unique_id"])
	require.Equal(t, []any{"usergroup-nairobi"}, u["user_group_unique_ids"])
	require.Equal(t, "sw", u["locale"])

	requireProblem(t, patch(other.userID, map[string]any{"locale": "fr"}), http.StatusNotFound)
	requireProblem(t, patch(own.userID, map[string]any{"agency_unique_id": "agency-save"}), http.StatusUnprocessableEntity)
	requireProblem(t, patch(own.userID, map[string]any{"role_unique_id": "role-system-administrator"}), http.StatusUnprocessableEntity)
	requireProblem(t, patch(own.userID, map[string]any{"user_group_unique_ids": []string{"usergroup-nope"}}), http.StatusUnprocessableEntity)

	res = patch(own.userID, map[string]any{"user_group_unique_ids": []string{}})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Empty(t, res.body["data"].(map[string]any)["user_group_unique_ids"], "groups are replaced")
}
