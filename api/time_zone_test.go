package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTimeZonesThroughTheAPI: a person sets their own time zone (PATCH
// users/me), an administrator a user's and the instance's default (PATCH
// users/{id}, system_settings); an unknown zone is a 422 problem at
// time_zone and changes nothing; "" puts a person back on the default.
func TestTimeZonesThroughTheAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	location := func(res response) string {
		return res.body["errors"].([]any)[0].(map[string]any)["location"].(string)
	}
	for _, bad := range []string{"Mars/Olympus", "Local", "Europe/../etc"} {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/me", cw.token, map[string]any{"time_zone": bad})
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.Equal(t, "body.time_zone", location(res), res.Body.String())
		res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+cw.userID, admin.token, map[string]any{"time_zone": bad})
		requireProblem(t, res, http.StatusUnprocessableEntity)
		res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"time_zone": bad})
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.Equal(t, "body.time_zone", location(res), res.Body.String())
	}
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil)
	require.Equal(t, "", res.body["data"].(map[string]any)["time_zone"], "nothing changed")
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil)
	require.Equal(t, "UTC", res.body["data"].(map[string]any)["time_zone"], "nothing changed")

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/me", cw.token, map[string]any{"time_zone": "Africa/Nairobi"})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, "Africa/Nairobi", res.body["data"].(map[string]any)["time_zone"])
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+cw.userID, admin.token, map[string]any{"time_zone": "Asia/Kabul"})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, "Asia/Kabul", res.body["data"].(map[string]any)["time_zone"])
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/me", cw.token, map[string]any{"time_zone": ""})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, "", res.body["data"].(map[string]any)["time_zone"])

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"time_zone": "Africa/Nairobi"})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, "Africa/Nairobi", res.body["data"].(map[string]any)["time_zone"])
	require.Equal(t, []any{}, res.body["data"].(map[string]any)["cors_origins"], "left as it was")
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil)
	require.Equal(t, "Africa/Nairobi", res.body["data"].(map[string]any)["time_zone"])
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", cw.token, map[string]any{"time_zone": "UTC"})
	requireProblem(t, res, http.StatusForbidden)
}
