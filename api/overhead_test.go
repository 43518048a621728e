package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
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
