package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestCachedDecisionsAndConfigurationFollowChangesElsewhere: a server keeps
// Casbin's decisions and the compiled configuration between requests, and
// a record read now fetches the configuration version in its own statement
// (forms.NoteVersion), yet a role's form access or permissions changed by
// another process (here plain SQL on the same database, which no cache of
// this server hears of) act on this server's next request: reads, writes
// and the permission check.
func TestCachedDecisionsAndConfigurationFollowChangesElsewhere(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	id := mb.createCase(t, cw.token, nil)["id"].(string)
	path := "/api/v2/cases/" + id
	read := func() response {
		t.Helper()
		res := mb.call(t, "GET", path, cw.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		return res
	}
	for range 2 { // decisions, validators and the policy cached
		require.Equal(t, "Amina", data(read())["name_first"])
	}
	su := mb.db.Superuser(t)
	exec := func(q string) {
		t.Helper()
		_, err := su.Exec(context.Background(), q)
		require.NoError(t, err)
	}

	// Form access read only, elsewhere: the next write of the form is a 422,
	// its fields still read.
	exec(`update tenant_ke.roles set form_access = form_access || '{"basic_identity": "r"}', updated_at = now() where unique_id = 'role-caseworker'`)
	exec(`update tenant_ke.configuration set version = version + 1`)
	res := read()
	require.Equal(t, "Amina", data(res)["name_first"])
	patch := mb.call(t, "PATCH", path, cw.token, ifMatch(data(res)["version"]), envelope(map[string]any{"name_first": "Halima"}))
	requireProblem(t, patch, http.StatusUnprocessableEntity)

	// The form taken away: the next read leaves its fields out.
	exec(`update tenant_ke.roles set form_access = form_access - 'basic_identity', updated_at = now() where unique_id = 'role-caseworker'`)
	exec(`update tenant_ke.configuration set version = version + 1`)
	require.NotContains(t, data(read()), "name_first")

	// The permission taken away: the next call is refused before any
	// handler runs; given back: allowed again.
	exec(`update tenant_ke.roles set permissions = array_remove(permissions, 'cases:read'), updated_at = now() where unique_id = 'role-caseworker'`)
	requireProblem(t, mb.call(t, "GET", path, cw.token, nil, nil), http.StatusForbidden)
	exec(`update tenant_ke.roles set permissions = permissions || '{cases:read}', updated_at = now() where unique_id = 'role-caseworker'`)
	read()
}

// TestMembershipAndKeyChangesOnAnotherServerActAtTheNextRequest: two API
// servers on one database, each with its own caches (sessions, Casbin
// decisions and policy, API keys' principals, tenant rows), all warm. An
// administrator changes things through the second server: the first
// server's very next request follows each change, with no cache of its
// own told: a member disabled is refused (401) and, enabled again, let in;
// a member's new role gives them its permissions (users:read) and its
// scope at once; a key revoked is refused (401).
func TestMembershipAndKeyChangesOnAnotherServerActAtTheNextRequest(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	enf2, err := policy.NewEnforcer()
	require.NoError(t, err)
	p2 := mb.db.Platform(t, tenancy.Config{Authorizer: enf2})
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv2, err := api.New(p2, enf2, api.Config{Sessions: identity.NewCachedSessions(k, 0), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 10_000, Storage: testStorage(t, nil), Notifier: notify.Notifier{}})
	require.NoError(t, err)
	second := &testBundle{srv: srv2}

	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Sync", "role-case-manager", "agency-unicef")
	require.NoError(t, err)
	kid, key, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "one", nil)
	require.NoError(t, err)
	first := func(path, cred string) response {
		t.Helper()
		return mb.do(t, "GET", "ke.localhost", path, cred, nil)
	}
	for range 2 { // every cache of the first server warm
		require.Equal(t, http.StatusOK, first("/api/v2/users/me", cw.token).Code)
		requireProblem(t, first("/api/v2/users", cw.token), http.StatusForbidden) // a caseworker may not list users
		require.Equal(t, http.StatusOK, first("/api/v2/users", key).Code)
	}
	change := func(method, path string, body any) {
		t.Helper()
		res := second.do(t, method, "ke.localhost", path, admin.token, body)
		require.Less(t, res.Code, 300, res.Body.String())
	}

	change("PATCH", "/api/v2/users/"+cw.userID, map[string]any{"disabled": true})
	res := first("/api/v2/users/me", cw.token)
	requireProblem(t, res, http.StatusUnauthorized)
	require.Contains(t, res.body["detail"], "disabled")
	change("PATCH", "/api/v2/users/"+cw.userID, map[string]any{"disabled": false})
	require.Equal(t, http.StatusOK, first("/api/v2/users/me", cw.token).Code)

	change("PATCH", "/api/v2/users/"+cw.userID, map[string]any{"role_unique_id": "role-case-manager"})
	res = first("/api/v2/users", cw.token)
	require.Equal(t, http.StatusOK, res.Code, "the new role's permission at the next request: %s", res.Body.String())
	me := first("/api/v2/users/me", cw.token)
	require.Equal(t, "role-case-manager", me.body["data"].(map[string]any)["role_unique_id"])

	change("DELETE", "/api/v2/service_accounts/"+sa.ID+"/api_keys/"+kid.ID, nil)
	res = first("/api/v2/users", key)
	requireProblem(t, res, http.StatusUnauthorized)
	require.Contains(t, res.body["detail"], "API key is not valid")
}
