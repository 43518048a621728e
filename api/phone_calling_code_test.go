package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSetPhoneCallingCodeThroughTheAPI: a bad code is a 422 problem at the
// field and changes nothing; a good one is set, audited with its old and
// new values, and its rewrite's progress is readable.
func TestSetPhoneCallingCodeThroughTheAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	const path = "/api/v2/system_settings/phone_calling_code"
	for _, bad := range []string{"0254", "+254", "25a", "12345"} {
		res := mb.do(t, "PUT", "ke.localhost", path, admin.token, map[string]any{"phone_calling_code": bad})
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.Equal(t, "body.phone_calling_code", res.body["errors"].([]any)[0].(map[string]any)["location"], bad)
	}
	res := mb.do(t, "GET", "ke.localhost", path, admin.token, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, map[string]any{"phone_calling_code": ""}, res.body["data"], "bad input changed nothing")

	res = mb.do(t, "PUT", "ke.localhost", path, admin.token, map[string]any{"phone_calling_code": "254"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	data := res.body["data"].(map[string]any)
	require.Equal(t, "254", data["phone_calling_code"])
	require.Equal(t, "254", data["rewrite"].(map[string]any)["phone_calling_code"])
	require.Contains(t, data["rewrite"].(map[string]any)["requested_by"], admin.userID)

	var metadata map[string]any
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), `select metadata from tenant_ke.audit_logs
		where operation = 'set-phone-calling-code' and outcome = 'allowed'`).Scan(&metadata))
	require.Equal(t, map[string]any{"from": "", "to": "254"}, metadata["phone_calling_code"])
	require.Contains(t, mb.do(t, "GET", "ke.localhost", path, admin.token, nil).Body.String(), `"phone_calling_code":"254"`)
}
