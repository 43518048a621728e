package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestEveryAuditedCallLeavesExactlyOneRow(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	logs := func() []tenancy.AuditLog {
		auditor := policy.WithSubject(context.Background(), policy.System(policy.ActorAuditor))
		out, _, err := mb.p.ListAuditLogs(auditor, "ke", tenancy.AuditFilter{Per: 500})
		require.NoError(t, err)
		return out // newest first
	}
	before := len(logs())
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		actor, action, outcome    string
		record                    string
	}{
		{"ReadOwnAccount", "GET", "/api/v2/users/me", cw.token, nil, 200, "user:" + cw.userID, "users:read_self", "allowed", cw.userID},
		{"ReadAUser", "GET", "/api/v2/users/" + cw.userID, admin.token, nil, 200, "user:" + admin.userID, "users:read", "allowed", cw.userID},
		{"ListUsers", "GET", "/api/v2/users", admin.token, nil, 200, "user:" + admin.userID, "users:read", "allowed", ""},
		{"ChangeAUser", "PATCH", "/api/v2/users/" + cw.userID, admin.token, map[string]any{"locale": "fr"}, 200, "user:" + admin.userID, "users:write", "allowed", cw.userID},
		{"RefusedByPolicy", "GET", "/api/v2/roles", cw.token, nil, 403, "user:" + cw.userID, "roles:read", "denied", ""},
		{"ForgedToken", "GET", "/api/v2/users", "ory_st_forged", nil, 401, "anonymous:anonymous", "users:read", "denied", ""},
		{"MissingUser", "GET", "/api/v2/users/00000000-0000-0000-0000-000000000000", admin.token, nil, 404, "user:" + admin.userID, "users:read", "failed", "00000000-0000-0000-0000-000000000000"},
		{"BadChange", "PATCH", "/api/v2/users/" + cw.userID, admin.token, map[string]any{"role_unique_id": "role-nope"}, 422, "user:" + admin.userID, "users:write", "failed", cw.userID},
		{"SettingsOutsideTenantSchema", "PATCH", "/api/v2/system_settings", admin.token, map[string]any{"cors_origins": []string{}}, 200, "user:" + admin.userID, "system_settings:write", "allowed", ""},
	} {
		res := mb.do(t, tc.method, "ke.localhost", tc.path, tc.token, tc.body)
		require.Equal(t, tc.status, res.Code, "%s: %s", tc.name, res.Body.String())
		all := logs()
		require.Len(t, all, before+1, "%s: exactly one audit row", tc.name)
		before = len(all)
		row := all[0]
		require.Equal(t, tc.actor, row.Actor, tc.name)
		require.Equal(t, tc.action, row.Action, tc.name)
		require.Equal(t, tc.outcome, string(row.Outcome), tc.name)
		require.Equal(t, tc.record, row.RecordID, tc.name)
		require.Equal(t, res.Header().Get("X-Request-Id"), row.RequestID, tc.name)
		require.NotEmpty(t, row.Operation, tc.name)
		require.NotEmpty(t, row.RemoteIP, tc.name)
	}
	// Public operations carry no personal data and are not audited.
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil).Code)
	require.Len(t, logs(), before)

	rep, err := mb.p.VerifyAudit(context.Background(), "ke")
	require.NoError(t, err)
	require.True(t, rep.Intact, "%+v", rep)
	require.EqualValues(t, before, rep.Rows)

	// Administrators search it through the API.
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/audit_logs?outcome=denied&per=10", admin.token, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.EqualValues(t, 2, res.body["metadata"].(map[string]any)["total"])
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/audit_logs?record_id=not-a-uuid", admin.token, nil), 422)
}
