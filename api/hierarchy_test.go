package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/tenancy"
)

// adminPermissions are the system administrator role's permissions, as the
// tenant's roles say (they grow as the product does).
func adminPermissions(t *testing.T, mb *membersBundle) []string {
	t.Helper()
	roles, err := mb.p.ListRoles(sys(), "ke")
	require.NoError(t, err)
	for _, r := range roles {
		if r.UniqueID == "role-system-administrator" {
			return r.Permissions
		}
	}
	t.Fatal("no role-system-administrator")
	return nil
}

// apiKeyFor creates (as admin) a role without MFA holding perms over all
// records, a service account with it, and returns one of its API keys.
func apiKeyFor(t *testing.T, mb *membersBundle, adminToken, role string, perms []string) (key, accountID string) {
	t.Helper()
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/roles", adminToken, map[string]any{"unique_id": role,
		"name": map[string]string{"en": role}, "permissions": perms, "record_scope": "all"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts", adminToken,
		map[string]any{"name": role + " integration", "role_unique_id": role, "agency_unique_id": "agency-unicef"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	accountID = res.body["data"].(map[string]any)["id"].(string)
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/"+accountID+"/api_keys", adminToken, map[string]any{"name": "k"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	return res.body["key"].(string), accountID
}

func TestAgencyAdminCannotChangeTheSystemAdministrator(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	sysAdmin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	agencyAdmin := mb.member(t, "ke", "role-agency-admin", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	patch := func(id string, body map[string]any) response {
		return mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+id, agencyAdmin.token, body)
	}

	for name, body := range map[string]map[string]any{
		"Demote":  {"role_unique_id": "role-caseworker"},
		"Disable": {"disabled": true},
		"Rename":  {"full_name": "Not an admin any more"},
		"Groups":  {"user_group_unique_ids": []string{"usergroup-nairobi"}},
	} {
		t.Run(name, func(t *testing.T) {
			res := patch(sysAdmin.userID, body)
			requireProblem(t, res, http.StatusForbidden)
			require.Contains(t, res.body["detail"], "reaches beyond yours")
		})
	}
	u, err := people.New(mb.p).GetUser(sys(), "ke", sysAdmin.userID)
	require.NoError(t, err)
	require.Equal(t, "role-system-administrator", u.Role)
	require.False(t, u.Disabled)
	require.Equal(t, "Test role-system-administrator", u.FullName)
	require.Empty(t, u.UserGroups)
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", sysAdmin.token, nil).Code, "still signed in")

	// An equal peer is within reach; a caseworker of the agency is managed as before.
	peer := mb.member(t, "ke", "role-agency-admin", "agency-unicef")
	require.Equal(t, 200, patch(peer.userID, map[string]any{"full_name": "Peer"}).Code)
	for _, body := range []map[string]any{{"full_name": "Renamed"}, {"disabled": true}, {"disabled": false},
		{"role_unique_id": "role-case-manager", "user_group_unique_ids": []string{"usergroup-nairobi"}}} {
		res := patch(cw.userID, body)
		require.Equal(t, 200, res.Code, res.Body.String())
	}
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/users", agencyAdmin.token, map[string]any{"email": randomEmail("new"),
		"full_name": "New caseworker", "locale": "en", "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())

	// A role of the agency's own scope with a permission the agency admin lacks cannot be granted.
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/roles", sysAdmin.token, map[string]any{"unique_id": "role-agency-auditor",
		"name": map[string]string{"en": "Agency auditor"}, "permissions": []string{"audit_logs:read"}, "record_scope": "agency"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	res = patch(cw.userID, map[string]any{"role_unique_id": "role-agency-auditor"})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Contains(t, res.Body.String(), "audit_logs:read, which your role does not")
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/users", agencyAdmin.token, map[string]any{"email": randomEmail("new"),
		"full_name": "Auditor", "locale": "en", "role_unique_id": "role-agency-auditor", "agency_unique_id": "agency-unicef"})
	requireProblem(t, res, http.StatusUnprocessableEntity)
}

func TestServiceAccountsStayWithinTheirActorsReach(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	_, powerfulID := apiKeyFor(t, mb, admin.token, "role-integration-admin", adminPermissions(t, mb))
	keys, _ := apiKeyFor(t, mb, admin.token, "role-key-manager", []string{"service_accounts:read", "service_accounts:write"})

	// The key manager may not hand itself the powerful account's power...
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/"+powerfulID+"/api_keys", keys, map[string]any{"name": "mine"})
	requireProblem(t, res, http.StatusForbidden)
	require.Contains(t, res.body["detail"], "users:write")
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts", keys,
		map[string]any{"name": "Escalation", "role_unique_id": "role-integration-admin", "agency_unique_id": "agency-unicef"})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	list, err := people.New(mb.p).ListAPIKeys(sys(), "ke", powerfulID)
	require.NoError(t, err)
	require.Len(t, list, 1, "no key was issued")

	// ...but manages integrations within its reach.
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts", keys,
		map[string]any{"name": "Caseworker sync", "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	id := res.body["data"].(map[string]any)["id"].(string)
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/"+id+"/api_keys", keys, map[string]any{"name": "k"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
}

func TestTheLastAdministratorCannotBeDisabledOrDemoted(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	a := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	// A service account with the administrator's permissions (and no MFA) is within reach of every change.
	sa, _ := apiKeyFor(t, mb, a.token, "role-integration-admin", adminPermissions(t, mb))
	patch := func(token, id string, body map[string]any) response {
		return mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+id, token, body)
	}

	for name, body := range map[string]map[string]any{
		"Disable": {"disabled": true},
		"Demote":  {"role_unique_id": "role-agency-admin"},
	} {
		t.Run(name, func(t *testing.T) {
			res := patch(sa, a.userID, body)
			requireProblem(t, res, http.StatusConflict)
			require.Contains(t, res.body["detail"], "without an active administrator")
		})
	}
	adminRole := "/api/v2/roles/" + roleID(t, mb, "role-system-administrator")
	for name, body := range map[string]map[string]any{
		"RoleLosesRolesWrite": {"permissions": []string{"users:read", "users:write", "roles:read"}},
		"RoleNarrowed":        {"record_scope": "agency"},
	} {
		t.Run(name, func(t *testing.T) {
			res := mb.do(t, "PATCH", "ke.localhost", adminRole, a.token, body)
			requireProblem(t, res, http.StatusConflict)
		})
	}
	u, err := people.New(mb.p).GetUser(sys(), "ke", a.userID)
	require.NoError(t, err)
	require.False(t, u.Disabled)
	require.Equal(t, "role-system-administrator", u.Role)
	roles, err := mb.p.ListRoles(sys(), "ke")
	require.NoError(t, err)
	for _, r := range roles {
		if r.UniqueID == "role-system-administrator" {
			require.Equal(t, "all", r.RecordScope)
			require.Contains(t, r.Permissions, "roles:write")
		}
	}

	// With a second administrator, one of them may go; never both, even at once.
	b := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	res := patch(sa, a.userID, map[string]any{"disabled": true})
	require.Equal(t, 200, res.Code, res.Body.String())
	requireProblem(t, patch(sa, b.userID, map[string]any{"disabled": true}), http.StatusConflict)
	require.Equal(t, 200, patch(sa, a.userID, map[string]any{"disabled": false}).Code)

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, pair := range [][2]member{{a, b}, {b, a}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("PATCH", "/api/v2/users/"+pair[1].userID, strings.NewReader(`{"disabled":true}`))
			req.Host = "ke.localhost"
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+pair[0].token)
			rec := httptest.NewRecorder()
			mb.srv.ServeHTTP(rec, req)
			codes[i] = rec.Code
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 200 {
			ok++
		} else {
			require.Contains(t, []int{http.StatusConflict, http.StatusUnauthorized}, c)
		}
	}
	require.Equal(t, 1, ok, "exactly one of two administrators disabling each other succeeds: %v", codes)
	users, _, err := people.New(mb.p).ListUsers(sys(), "ke", tenancy.Page{Page: 1, Per: 100})
	require.NoError(t, err)
	active := 0
	for _, u := range users {
		if u.Role == "role-system-administrator" && !u.Disabled {
			active++
		}
	}
	require.Equal(t, 1, active)
}
