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
