package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCurrentUserListsWhatTheRoleAllows: the app builds its navigation from
// the permissions /users/me returns, which must follow the role.
func TestCurrentUserListsWhatTheRoleAllows(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	perms := func(m member) []any {
		res := mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", m.token, nil)
		require.Equal(t, 200, res.Code, res.Body.String())
		data := res.body["data"].(map[string]any)
		require.Equal(t, m.email, data["email"])
		return data["permissions"].([]any)
	}
	cw := perms(mb.member(t, "ke", "role-caseworker", "agency-unicef"))
	require.Contains(t, cw, "cases:read")
	require.Contains(t, cw, "users:read_self")
	require.NotContains(t, cw, "users:write")
	require.NotContains(t, cw, "roles:read")
	admin := perms(mb.member(t, "ke", "role-system-administrator", "agency-unicef"))
	require.Contains(t, admin, "roles:write")
	require.Contains(t, admin, "audit_logs:read")
	require.NotContains(t, admin, "tenants:read", "platform permissions are never a tenant role's")
}

// TestCurrentUserSaysWhichFormsTheRoleWrites: the app shows a form the role
// reads but does not write read-only, from users/me's form_access, which
// follows the role at the next request; without forms:read it is empty.
func TestCurrentUserSaysWhichFormsTheRoleWrites(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	access := func(m member) map[string]any {
		res := mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", m.token, nil)
		require.Equal(t, 200, res.Code, res.Body.String())
		return res.body["data"].(map[string]any)["form_access"].(map[string]any)
	}
	caseworker := roleID(t, mb, "role-caseworker")
	roles, err := mb.p.ListRoles(sys(), "ke")
	require.NoError(t, err)
	want := map[string]any{}
	for _, r := range roles {
		if r.UniqueID == "role-caseworker" {
			for form, a := range r.FormAccess {
				want[form] = a
			}
		}
	}
	require.Equal(t, "rw", want["basic_identity"], "the default caseworker writes basic_identity")
	require.Equal(t, want, access(cw), "the role's form access, as the role holds it")

	res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+caseworker, admin.token,
		map[string]any{"form_access": map[string]string{"basic_identity": "r", "consent": "rw"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, map[string]any{"basic_identity": "r", "consent": "rw"}, access(cw), "changed at the next request")

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+caseworker, admin.token,
		map[string]any{"permissions": []string{"cases:read", "users:read_self"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Empty(t, access(cw), "no forms:read: no form access to tell")
}
