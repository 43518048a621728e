package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestServiceAccountsAndAPIKeys(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	mb.member(t, "ke", "role-caseworker", "agency-unicef")

	res := mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts", admin.token,
		map[string]any{"name": "Registration sync", "role_unique_id": "role-case-manager", "agency_unique_id": "agency-unicef"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	saID := res.body["data"].(map[string]any)["id"].(string)
	require.Contains(t, res.body["data"].(map[string]any)["created_by"], "user:"+admin.userID)

	expires := mb.now.Add(time.Hour).UTC().Format(time.RFC3339)
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/"+saID+"/api_keys", admin.token,
		map[string]any{"name": "production", "expires_at": expires})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	key := res.body["key"].(string)
	keyID := res.body["data"].(map[string]any)["id"].(string)
	require.True(t, strings.HasPrefix(key, "cpk_"))
	require.Len(t, key, 4+43)
	require.Equal(t, key[:10], res.body["data"].(map[string]any)["prefix"])

	res = mb.do(t, "GET", "ke.localhost", "/api/v2/service_accounts/"+saID+"/api_keys", admin.token, nil)
	require.Equal(t, 200, res.Code)
	require.NotContains(t, res.Body.String(), key, "a key is shown only once")
	require.Nil(t, res.body["data"].([]any)[0].(map[string]any)["last_used_at"])

	// The key acts with its role: a case manager may list users (none in its scope) but not roles.
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/users", key, nil)
	require.Equal(t, 200, res.Code, res.Body.String())
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/roles", key, nil), http.StatusForbidden)
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/service_accounts/"+saID+"/api_keys", admin.token, nil)
	require.NotNil(t, res.body["data"].([]any)[0].(map[string]any)["last_used_at"], "use is recorded")

	// Another tenant does not know the key.
	requireProblem(t, mb.do(t, "GET", "so.localhost", "/api/v2/users", key, nil), http.StatusUnauthorized)

	// Expiry, then revocation.
	mb.now = mb.now.Add(2 * time.Hour)
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/users", key, nil), http.StatusUnauthorized)
	mb.now = mb.now.Add(-2 * time.Hour)
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users", key, nil).Code)
	res = mb.do(t, "DELETE", "ke.localhost", "/api/v2/service_accounts/"+saID+"/api_keys/"+keyID, admin.token, nil)
	require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/users", key, nil)
	requireProblem(t, res, http.StatusUnauthorized)
	require.Contains(t, res.body["detail"], "API key is not valid")
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/users", key[:len(key)-1]+"x", nil), http.StatusUnauthorized)
}

func TestServiceAccountBadInput(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	create := func(body map[string]any) response {
		return mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts", admin.token, body)
	}
	ok := map[string]any{"name": "Sync", "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}
	require.Equal(t, http.StatusCreated, create(ok).Code)
	requireProblem(t, create(ok), http.StatusConflict)
	for name, patch := range map[string]map[string]any{
		"EmptyName":     {"name": ""},
		"UnknownRole":   {"role_unique_id": "role-nope"},
		"UnknownAgency": {"agency_unique_id": "agency-nope"},
		"MFARole":       {"role_unique_id": "role-system-administrator"},
	} {
		t.Run(name, func(t *testing.T) {
			b := map[string]any{"name": "Sync " + name, "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}
			for k, v := range patch {
				b[k] = v
			}
			requireProblem(t, create(b), http.StatusUnprocessableEntity)
		})
	}
	list, err := people.New(mb.p).ListServiceAccounts(sys(), "ke")
	require.NoError(t, err)
	require.Len(t, list, 1, "refused requests create nothing")

	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/"+list[0].ID+"/api_keys", admin.token,
		map[string]any{"name": "old", "expires_at": past})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/00000000-0000-0000-0000-000000000000/api_keys", admin.token,
		map[string]any{"name": "x"})
	requireProblem(t, res, http.StatusNotFound)
	keys, err := people.New(mb.p).ListAPIKeys(context.Background(), "ke", list[0].ID)
	require.ErrorContains(t, err, "actor", "no actor, no data")
	require.Empty(t, keys)
}

// TestCachedTenantAndKeyAreCheckedInTheCallsTransaction: the tenant row and
// a valid key's principal are cached between requests, yet a suspension and
// a revocation made by another process (a second Platform on the same
// database: its changes cannot forget this process's caches) act on this
// process's next request, because every tenant transaction of a call checks
// both first (tenancy.CallGuard).
func TestCachedTenantAndKeyAreCheckedInTheCallsTransaction(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	other := mb.db.Platform(t, tenancy.Config{}) // "another process"
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Sync", "role-case-manager", "agency-unicef")
	require.NoError(t, err)
	k1, key1, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "one", nil)
	require.NoError(t, err)
	_, key2, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "two", nil)
	require.NoError(t, err)
	for _, key := range []string{key1, key2} { // both keys and the tenant row cached
		require.Equal(t, http.StatusOK, mb.do(t, "GET", "ke.localhost", "/api/v2/users", key, nil).Code)
	}

	// Revoked elsewhere: refused at the next request, and after.
	require.NoError(t, people.New(other).RevokeAPIKey(sys(), "ke", sa.ID, k1.ID))
	for range 2 {
		res := mb.do(t, "GET", "ke.localhost", "/api/v2/users", key1, nil)
		requireProblem(t, res, http.StatusUnauthorized)
		require.Contains(t, res.body["detail"], "API key is not valid")
	}
	require.Equal(t, http.StatusOK, mb.do(t, "GET", "ke.localhost", "/api/v2/users", key2, nil).Code)

	// Suspended elsewhere: this process still has the tenant row as active
	// in its cache, but no call reaches the tenant's data.
	_, err = other.Suspend(sys(), "ke")
	require.NoError(t, err)
	tn, err := mb.p.Lookup(sys(), "ke")
	require.NoError(t, err, "the cached row (the bound of the cache: Config.TenantCacheTTL)")
	require.Equal(t, tenancy.StatusActive, tn.Status)
	for _, path := range []string{"/api/v2/users", "/api/v2/system_settings"} { // a key's call and a public one
		res := mb.do(t, "GET", "ke.localhost", path, key2, nil)
		requireProblem(t, res, http.StatusForbidden)
		require.Equal(t, "Tenant suspended", res.body["title"], path)
	}
	_, err = other.Resume(sys(), "ke")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, mb.do(t, "GET", "ke.localhost", "/api/v2/users", key2, nil).Code)

	// Through this process, the cache is forgotten at once: the host
	// routing itself answers.
	_, err = mb.p.Suspend(sys(), "ke")
	require.NoError(t, err)
	_, err = mb.p.Lookup(sys(), "ke")
	require.ErrorIs(t, err, tenancy.ErrSuspended)
}
