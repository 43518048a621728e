package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

func decode(t *testing.T, res response, out any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(res.Body.Bytes(), out), res.Body.String())
}

// deviceKeys is the bundle's device key secret, made once per bundle as
// `cpims dev` does.
func (mb *membersBundle) deviceKeys(t testing.TB) *devices.Keyring {
	t.Helper()
	if mb.keys == nil {
		var err error
		mb.keys, err = devices.NewKeyring(devices.NewSecret())
		require.NoError(t, err)
	}
	return mb.keys
}

type deviceAnswer struct {
	Data devices.Device `json:"data"`
	Key  string         `json:"key"`
}

type deviceList struct {
	Data []devices.Device `json:"data"`
}

// signedInBrowser signs m in through the browser flow on host and returns the browser.
func signedInBrowser(t *testing.T, mb *membersBundle, host string, m member) *browser {
	t.Helper()
	b := newBrowser(t, mb.srv)
	require.Equal(t, http.StatusOK, b.signIn(t, host, m.email, testPassword).StatusCode)
	return b
}

// registerDevice registers a device through b's session on host.
func registerDevice(t *testing.T, b *browser, host, label string) deviceAnswer {
	t.Helper()
	var d deviceAnswer
	res := b.do(t, "POST", b.url(host, "/api/v2/devices"), map[string]any{"label": label, "user_agent": "Test browser"},
		map[string]string{"Origin": "http://" + host + ":" + b.port}, &d)
	require.Equal(t, http.StatusCreated, res.StatusCode)
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	raw, err := base64.RawURLEncoding.DecodeString(d.Key)
	require.NoError(t, err)
	require.Len(t, raw, devices.KeySize)
	return d
}

func releaseKey(t *testing.T, b *browser, host, id string) (int, string) {
	t.Helper()
	var out struct {
		Key  string `json:"key"`
		Code string `json:"code"`
	}
	res := b.do(t, "GET", b.url(host, "/api/v2/devices/"+id+"/key"), nil, nil, &out)
	return res.StatusCode, out.Key + out.Code
}

func TestDeviceKeyIsReleasedOnlyToItsOwnersBrowserUntilRevoked(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ke := "ke.localhost"
	owner := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	other := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	ob := signedInBrowser(t, mb, ke, owner)
	d := registerDevice(t, ob, ke, "Work phone")
	require.Equal(t, owner.userID, d.Data.UserID)
	require.Equal(t, "Test browser", d.Data.UserAgent)

	// The owner's browser gets the same key again, as often as it asks.
	for range 2 {
		status, key := releaseKey(t, ob, ke, d.Data.ID)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, d.Key, key)
	}
	// Never to a session token (even the owner's), nor to an API key.
	res := mb.call(t, "GET", "/api/v2/devices/"+d.Data.ID+"/key", owner.token, nil, nil)
	require.Equal(t, http.StatusForbidden, res.Code, res.Body.String())
	require.NotContains(t, res.Body.String(), d.Key)
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Device integration", "role-caseworker", "agency-unicef")
	require.NoError(t, err)
	_, apiKey, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "k", nil)
	require.NoError(t, err)
	res = mb.call(t, "GET", "/api/v2/devices/"+d.Data.ID+"/key", apiKey, nil, nil)
	require.Equal(t, http.StatusForbidden, res.Code, res.Body.String())
	// Another person's browser: no such device.
	xb := signedInBrowser(t, mb, ke, other)
	status, _ := releaseKey(t, xb, ke, d.Data.ID)
	require.Equal(t, http.StatusNotFound, status)
	res = mb.call(t, "DELETE", "/api/v2/devices/"+d.Data.ID, other.token, nil, nil)
	require.Equal(t, http.StatusNotFound, res.Code, res.Body.String())

	// Each release is audited, on the device.
	rows, _, err := mb.p.ListAuditLogs(policy.WithSubject(context.Background(), policy.System(policy.ActorAuditor)), "ke", tenancy.AuditFilter{Action: "devices:write_self", RecordID: d.Data.ID, Per: 50})
	require.NoError(t, err)
	outcomes := map[string]map[tenancy.Outcome]int{}
	for _, r := range rows {
		if outcomes[r.Operation] == nil {
			outcomes[r.Operation] = map[tenancy.Outcome]int{}
		}
		outcomes[r.Operation][r.Outcome]++
	}
	require.Equal(t, 2, outcomes["get-device-key"][tenancy.OutcomeAllowed], rows)
	require.Equal(t, 1, outcomes["register-device"][tenancy.OutcomeAllowed], rows)

	// The owner lists it (released), revokes it; the key is gone for good.
	var list deviceList
	res2 := ob.do(t, "GET", ob.url(ke, "/api/v2/devices"), nil, nil, &list)
	require.Equal(t, http.StatusOK, res2.StatusCode)
	require.Len(t, list.Data, 1)
	require.NotNil(t, list.Data[0].LastReleasedAt)
	require.Nil(t, list.Data[0].RevokedAt)
	res2 = ob.do(t, "DELETE", ob.url(ke, "/api/v2/devices/"+d.Data.ID), nil, map[string]string{"Origin": "http://" + ke + ":" + ob.port}, nil)
	require.Equal(t, http.StatusNoContent, res2.StatusCode)
	status, code := releaseKey(t, ob, ke, d.Data.ID)
	require.Equal(t, http.StatusGone, status)
	require.Equal(t, "device_revoked", code)
	res2 = ob.do(t, "GET", ob.url(ke, "/api/v2/devices"), nil, nil, &list)
	require.Equal(t, http.StatusOK, res2.StatusCode)
	require.NotNil(t, list.Data[0].RevokedAt)
	require.Equal(t, devices.RevokedByOwner, list.Data[0].RevokedReason)
	require.Equal(t, "user:"+owner.userID, list.Data[0].RevokedBy)
	// A new opt-in registers a new device with another key.
	d2 := registerDevice(t, ob, ke, "Work phone")
	require.NotEqual(t, d.Key, d2.Key)
	status, key := releaseKey(t, ob, ke, d2.Data.ID)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, d2.Key, key)
}

func TestDisablingAUserRevokesTheirDevicesForGood(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ke := "ke.localhost"
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	b := signedInBrowser(t, mb, ke, cw)
	d := registerDevice(t, b, ke, "Phone")
	for _, disabled := range []bool{true, false} {
		res := mb.call(t, "PATCH", "/api/v2/users/"+cw.userID, admin.token, nil, map[string]any{"disabled": disabled})
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		if disabled {
			status, _ := releaseKey(t, b, ke, d.Data.ID)
			require.Equal(t, http.StatusUnauthorized, status, "a disabled user is refused")
		}
	}
	// Enabled again, the person signs in but the device stays revoked.
	status, code := releaseKey(t, b, ke, d.Data.ID)
	require.Equal(t, http.StatusGone, status)
	require.Equal(t, "device_revoked", code)
	var list deviceList
	res := mb.call(t, "GET", "/api/v2/users/"+cw.userID+"/devices", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	decode(t, res, &list)
	require.Len(t, list.Data, 1)
	require.Equal(t, devices.RevokedUserDisabled, list.Data[0].RevokedReason)
	require.Equal(t, "user:"+admin.userID, list.Data[0].RevokedBy)
}

func TestAdministratorRevokesADeviceReportedLostWithinTheirReach(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ke := "ke.localhost"
	agencyAdmin := mb.member(t, "ke", "role-agency-admin", "agency-unicef")
	analyst := mb.member(t, "ke", "role-data-analyst", "agency-unicef") // all records: beyond an agency's
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	elsewhere := mb.member(t, "ke", "role-caseworker", "agency-save")
	b := signedInBrowser(t, mb, ke, cw)
	d := registerDevice(t, b, ke, "Field phone")

	var list deviceList
	res := mb.call(t, "GET", "/api/v2/users/"+cw.userID+"/devices", agencyAdmin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	decode(t, res, &list)
	require.Len(t, list.Data, 1)
	require.Equal(t, "Field phone", list.Data[0].Label)
	// Outside the agency administrator's scope: as if it did not exist.
	res = mb.call(t, "GET", "/api/v2/users/"+elsewhere.userID+"/devices", agencyAdmin.token, nil, nil)
	require.Equal(t, http.StatusNotFound, res.Code, res.Body.String())
	// A user whose role reaches beyond the agency administrator's: refused.
	sb := signedInBrowser(t, mb, ke, analyst)
	sd := registerDevice(t, sb, ke, "Analyst laptop")
	res = mb.call(t, "DELETE", "/api/v2/users/"+analyst.userID+"/devices/"+sd.Data.ID, agencyAdmin.token, nil, nil)
	require.Equal(t, http.StatusForbidden, res.Code, res.Body.String())
	// A device id of another user under this user's path: not found.
	res = mb.call(t, "DELETE", "/api/v2/users/"+cw.userID+"/devices/"+sd.Data.ID, agencyAdmin.token, nil, nil)
	require.Equal(t, http.StatusNotFound, res.Code, res.Body.String())

	res = mb.call(t, "DELETE", "/api/v2/users/"+cw.userID+"/devices/"+d.Data.ID, agencyAdmin.token, nil, nil)
	require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
	status, _ := releaseKey(t, b, ke, d.Data.ID)
	require.Equal(t, http.StatusGone, status)
	res = mb.call(t, "GET", "/api/v2/devices", cw.token, nil, nil)
	decode(t, res, &list)
	require.Equal(t, devices.RevokedByAdministrator, list.Data[0].RevokedReason)
	status, _ = releaseKey(t, sb, ke, sd.Data.ID)
	require.Equal(t, http.StatusOK, status, "the refused revocation changed nothing")
}

func TestAnotherTenantsDeviceIsNotFound(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "so", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	// The same person is a member of both tenants.
	_, err := people.New(mb.p).AddUser(sys(), "so", people.NewUser{Email: cw.email, FullName: "Test", Locale: "en", Role: "role-caseworker",
		Agency: "agency-unicef"}, func(context.Context) (string, error) { return cw.identityID, nil }, nil)
	require.NoError(t, err)
	soAdmin := mb.member(t, "so", "role-system-administrator", "agency-unicef")
	kb := signedInBrowser(t, mb, "ke.localhost", cw)
	d := registerDevice(t, kb, "ke.localhost", "Phone")
	sb := signedInBrowser(t, mb, "so.localhost", cw)
	status, _ := releaseKey(t, sb, "so.localhost", d.Data.ID)
	require.Equal(t, http.StatusNotFound, status)
	res := mb.do(t, "DELETE", "so.localhost", "/api/v2/users/"+cw.userID+"/devices/"+d.Data.ID, soAdmin.token, nil)
	require.Equal(t, http.StatusNotFound, res.Code, res.Body.String())
	status, _ = releaseKey(t, kb, "ke.localhost", d.Data.ID)
	require.Equal(t, http.StatusOK, status)
}

func TestOfflineUnlockIsATenantSetting(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	res := mb.call(t, "GET", "/api/v2/system_settings", "", nil, nil)
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, settings.OfflineUnlockPIN, data(res)["offline_unlock"])
	res = mb.call(t, "PATCH", "/api/v2/system_settings", admin.token, nil, map[string]any{"offline_unlock": "server"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body.String())
	res = mb.call(t, "PATCH", "/api/v2/system_settings", admin.token, nil, map[string]any{"offline_unlock": "pin_and_server"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, settings.OfflineUnlockPINAndServer, data(res)["offline_unlock"])
	res = mb.call(t, "GET", "/api/v2/system_settings", "", nil, nil)
	require.Equal(t, settings.OfflineUnlockPINAndServer, data(res)["offline_unlock"])
}

// TestDeviceKeysWithoutTheirSecretAre503: a server started without the
// device key secret, or with another one, answers a key's release with a
// 503 `device_keys_unavailable` (the hosting team's to fix, nothing the
// person did) and leaves the key as it was; without a secret it registers
// nothing either (a server with another secret seals new keys with it).
func TestDeviceKeysWithoutTheirSecretAre503(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ke := "ke.localhost"
	owner := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	b := signedInBrowser(t, mb, ke, owner)
	d := registerDevice(t, b, ke, "Work phone")

	server := func(keys *devices.Keyring) *browser {
		t.Helper()
		enf, err := policy.NewEnforcer()
		require.NoError(t, err)
		k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
		require.NoError(t, err)
		srv, err := api.New(mb.db.Platform(t, tenancy.Config{Authorizer: enf}), enf, api.Config{Sessions: identity.NewCachedSessions(k, 0),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 10_000,
			Storage: testStorage(t, nil), Notifier: notify.Notifier{}, DeviceKeys: keys})
		require.NoError(t, err)
		sb := newBrowser(t, srv)
		require.Equal(t, http.StatusOK, sb.signIn(t, ke, owner.email, testPassword).StatusCode)
		return sb
	}
	unavailable := func(t *testing.T, res *http.Response, code string) {
		t.Helper()
		require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
		require.Equal(t, "device_keys_unavailable", code)
	}
	type answer struct {
		Key  string `json:"key"`
		Code string `json:"code"`
	}
	other, err := devices.NewKeyring(devices.NewSecret())
	require.NoError(t, err)
	for name, sb := range map[string]*browser{"no secret": server(nil), "another secret": server(other)} {
		t.Run(name, func(t *testing.T) {
			var out answer
			res := sb.do(t, "GET", sb.url(ke, "/api/v2/devices/"+d.Data.ID+"/key"), nil, nil, &out)
			unavailable(t, res, out.Code)
			require.Empty(t, out.Key)
		})
	}
	t.Run("no secret registers nothing", func(t *testing.T) {
		sb := server(nil)
		var out answer
		res := sb.do(t, "POST", sb.url(ke, "/api/v2/devices"), map[string]any{"label": "Second phone", "user_agent": "Test browser"},
			map[string]string{"Origin": "http://" + ke + ":" + sb.port}, &out)
		unavailable(t, res, out.Code)
		require.Empty(t, out.Key)
	})
	// Nothing registered, and the key still opens on the server holding its secret.
	var list deviceList
	res := b.do(t, "GET", b.url(ke, "/api/v2/devices"), nil, nil, &list)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Len(t, list.Data, 1)
	status, key := releaseKey(t, b, ke, d.Data.ID)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, d.Key, key)
}
