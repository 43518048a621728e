package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
	list, err := mb.p.ListServiceAccounts(sys(), "ke")
	require.NoError(t, err)
	require.Len(t, list, 1, "refused requests create nothing")

	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/"+list[0].ID+"/api_keys", admin.token,
		map[string]any{"name": "old", "expires_at": past})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/service_accounts/00000000-0000-0000-0000-000000000000/api_keys", admin.token,
		map[string]any{"name": "x"})
	requireProblem(t, res, http.StatusNotFound)
	keys, err := mb.p.ListAPIKeys(context.Background(), "ke", list[0].ID)
	require.ErrorContains(t, err, "actor", "no actor, no data")
	require.Empty(t, keys)
}
