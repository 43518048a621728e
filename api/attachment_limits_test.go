package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/storage"
)

// TestAttachmentLimitsThroughSettings: the four attachment limits are read
// (with the server's storage MaxSize as attachment_max_bytes_allowed) and
// set through the system settings API by an administrator, with an audit
// row; a value below 1 or above the ceiling is a 422 at its field and
// nothing of the request changes; a caseworker gets 403.
func TestAttachmentLimitsThroughSettings(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	const ceiling = 2 << 20
	mb.srv = mb.serverWith(t, testStorage(t, func(c *storage.Config) { c.MaxSize = ceiling }))
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	settings := func() map[string]any {
		res := mb.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		return data(res)
	}
	defaults := map[string]any{"attachment_max_photo_bytes": 10 << 20, "attachment_max_audio_bytes": 25 << 20,
		"attachment_max_document_bytes": 20 << 20, "attachments_per_record": 50}
	got := settings()
	for k, v := range defaults {
		require.EqualValues(t, v, got[k], k)
	}
	require.EqualValues(t, ceiling, got["attachment_max_bytes_allowed"], "the server's storage MaxSize")
	require.EqualValues(t, 30*60, got["session_idle_timeout_seconds"], "the server's idle limit, for the app to word")
	require.EqualValues(t, 12*3600, got["session_lifespan_seconds"], "the configured session lifespan")

	t.Run("BadValuesChangeNothing", func(t *testing.T) {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{
			"time_zone": "Mars/Olympus", "cors_origins": []string{"https://registration.example.org"},
			"attachment_max_photo_bytes": 0, "attachment_max_audio_bytes": ceiling + 1,
			"attachment_max_document_bytes": -5, "attachments_per_record": 10001,
		})
		requireProblem(t, res, http.StatusUnprocessableEntity)
		var locations []string
		for _, e := range res.body["errors"].([]any) {
			locations = append(locations, e.(map[string]any)["location"].(string))
		}
		require.ElementsMatch(t, []string{"body.attachment_max_photo_bytes", "body.attachment_max_audio_bytes",
			"body.attachment_max_document_bytes", "body.attachments_per_record", "body.time_zone"}, locations, res.Body.String())
		require.Contains(t, res.Body.String(), "must be at most 2097152")
		got := settings()
		for k, v := range defaults {
			require.EqualValues(t, v, got[k], k)
		}
		require.Equal(t, "UTC", got["time_zone"], "nothing of the request changed")
		require.Equal(t, "pin", got["offline_unlock"], "nothing of the request changed")
		res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"attachments_per_record": 0})
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.Equal(t, "body.attachments_per_record", res.body["errors"].([]any)[0].(map[string]any)["location"])
		res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"attachments_per_record": "many"})
		requireProblem(t, res, http.StatusUnprocessableEntity)
	})
	t.Run("CaseworkerRefused", func(t *testing.T) {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", cw.token, map[string]any{"attachments_per_record": 5})
		requireProblem(t, res, http.StatusForbidden)
		require.EqualValues(t, 50, settings()["attachments_per_record"])
	})
	t.Run("SetAndAudited", func(t *testing.T) {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{
			"attachment_max_photo_bytes": ceiling, "attachments_per_record": 7})
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.EqualValues(t, ceiling, data(res)["attachment_max_photo_bytes"])
		require.EqualValues(t, 7, data(res)["attachments_per_record"])
		require.EqualValues(t, 25<<20, data(res)["attachment_max_audio_bytes"], "left as it was")
		got := settings()
		require.EqualValues(t, ceiling, got["attachment_max_photo_bytes"])
		require.EqualValues(t, 7, got["attachments_per_record"])
		require.EqualValues(t, 20<<20, got["attachment_max_document_bytes"])
		logs := mb.do(t, "GET", "ke.localhost", "/api/v2/audit_logs?action=system_settings:write&outcome=allowed", admin.token, nil)
		require.Equal(t, http.StatusOK, logs.Code, logs.Body.String())
		rows := logs.body["data"].([]any)
		require.NotEmpty(t, rows)
		meta := rows[0].(map[string]any)["metadata"].(map[string]any)
		require.EqualValues(t, ceiling, meta["attachment_max_photo_bytes"], logs.Body.String())
		require.EqualValues(t, 7, meta["attachments_per_record"])
		require.NotContains(t, meta, "attachment_max_audio_bytes", "only what changed")
	})
	t.Run("OneTransactionOneAuditRow", func(t *testing.T) {
		// The time zone, the offline unlock and a limit change together:
		// one tenant transaction, whose one audit row lists all three.
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{
			"time_zone": "Africa/Nairobi", "offline_unlock": "pin_and_server", "attachments_per_record": 9})
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, "Africa/Nairobi", data(res)["time_zone"])
		require.Equal(t, "pin_and_server", data(res)["offline_unlock"])
		require.EqualValues(t, 9, data(res)["attachments_per_record"])
		logs := mb.do(t, "GET", "ke.localhost", "/api/v2/audit_logs?action=system_settings:write&outcome=allowed", admin.token, nil)
		require.Equal(t, http.StatusOK, logs.Code, logs.Body.String())
		meta := logs.body["data"].([]any)[0].(map[string]any)["metadata"].(map[string]any)
		require.Equal(t, "Africa/Nairobi", meta["time_zone"], logs.Body.String())
		require.Equal(t, "pin_and_server", meta["offline_unlock"])
		require.EqualValues(t, 9, meta["attachments_per_record"])
	})
}

// TestSystemSettingsApplyAllOrNothing: the origins (the platform's row of
// the tenant) and the tenant's settings change in one transaction. A
// failure while writing the tenant's settings, after the origins were
// written, leaves the origins as they were (and the reverse); with both
// parts working, one call changes both, with one audit row naming both.
func TestSystemSettingsApplyAllOrNothing(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	su := mb.db.Superuser(t)
	ctx := context.Background()
	origins := func() []string {
		var o []string
		require.NoError(t, su.QueryRow(ctx, "select cors_origins from platform.tenants where code = 'ke'").Scan(&o))
		return o
	}
	tenantSettings := func() (tz string, perRecord int) {
		require.NoError(t, su.QueryRow(ctx, "select time_zone, attachments_per_record from tenant_ke.system_settings").Scan(&tz, &perRecord))
		return tz, perRecord
	}
	const origin = "https://registration.example.org"
	change := map[string]any{"cors_origins": []string{origin}, "time_zone": "Africa/Nairobi", "attachments_per_record": 9}
	_, err := su.Exec(ctx, `create function public.refuse_change() returns trigger language plpgsql as
		$$ begin raise exception 'refused by the test'; end $$`)
	require.NoError(t, err)

	t.Run("TenantPartFails", func(t *testing.T) {
		_, err := su.Exec(ctx, `create trigger refuse before update on tenant_ke.system_settings for each row execute function public.refuse_change()`)
		require.NoError(t, err)
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, change)
		requireProblem(t, res, http.StatusInternalServerError)
		_, err = su.Exec(ctx, `drop trigger refuse on tenant_ke.system_settings`)
		require.NoError(t, err)
		require.Empty(t, origins(), "the origins, written first, rolled back with the failure")
		tz, per := tenantSettings()
		require.Equal(t, "UTC", tz)
		require.Equal(t, 50, per)
	})
	t.Run("PlatformPartFails", func(t *testing.T) {
		_, err := su.Exec(ctx, `create trigger refuse before update on platform.tenants for each row execute function public.refuse_change()`)
		require.NoError(t, err)
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, change)
		requireProblem(t, res, http.StatusInternalServerError)
		_, err = su.Exec(ctx, `drop trigger refuse on platform.tenants`)
		require.NoError(t, err)
		require.Empty(t, origins())
		tz, per := tenantSettings()
		require.Equal(t, "UTC", tz, "nothing of the tenant's part was written")
		require.Equal(t, 50, per)
	})
	t.Run("BothInOneCall", func(t *testing.T) {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, change)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, []any{origin}, data(res)["cors_origins"])
		require.Equal(t, "Africa/Nairobi", data(res)["time_zone"])
		require.Equal(t, []string{origin}, origins())
		tz, per := tenantSettings()
		require.Equal(t, "Africa/Nairobi", tz)
		require.Equal(t, 9, per)
		logs := mb.do(t, "GET", "ke.localhost", "/api/v2/audit_logs?action=system_settings:write&outcome=allowed", admin.token, nil)
		require.Equal(t, http.StatusOK, logs.Code, logs.Body.String())
		rows := logs.body["data"].([]any)
		require.Len(t, rows, 1, "one audit row for the call")
		meta := rows[0].(map[string]any)["metadata"].(map[string]any)
		require.Equal(t, []any{origin}, meta["cors_origins"], logs.Body.String())
		require.Equal(t, "Africa/Nairobi", meta["time_zone"])
		// A change of the tenant's part alone keeps the origins, and says them.
		res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"offline_unlock": "pin_and_server"})
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, []any{origin}, data(res)["cors_origins"])
	})
}
