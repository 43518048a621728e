package api_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
)

func TestCORSAllowListPerTenant(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	origin := "https://registration.example.org"
	preflight := func(host string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("OPTIONS", "/api/v2/users", nil)
		req.Host = host
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		rec := httptest.NewRecorder()
		mb.srv.ServeHTTP(rec, req)
		return rec
	}
	require.Empty(t, preflight("ke.localhost").Header().Get("Access-Control-Allow-Origin"), "not allowed before it is listed")

	for _, bad := range []string{"http://registration.example.org", "https://*.example.org", "https://x.org/path", "registration.example.org"} {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"cors_origins": []string{bad}})
		requireProblem(t, res, http.StatusUnprocessableEntity)
	}
	res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/system_settings", admin.token, map[string]any{"cors_origins": []string{origin}})
	require.Equal(t, 200, res.Code, res.Body.String())

	rec := preflight("ke.localhost")
	require.Equal(t, http.StatusNoContent, rec.Code)
	require.Equal(t, origin, rec.Header().Get("Access-Control-Allow-Origin"))
	require.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), "Authorization")
	require.Empty(t, rec.Header().Get("Access-Control-Allow-Credentials"), "cookies never cross origins")
	require.Empty(t, preflight("so.localhost").Header().Get("Access-Control-Allow-Origin"), "the list is per tenant")

	req := httptest.NewRequest("GET", "/api/v2/users/me", nil)
	req.Host = "ke.localhost"
	req.Header.Set("Origin", origin)
	req.Header.Set("Authorization", "Bearer "+admin.token)
	rec = httptest.NewRecorder()
	mb.srv.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code)
	require.Equal(t, origin, rec.Header().Get("Access-Control-Allow-Origin"))
}

func TestFailedSignInsAreRateLimitedPerAddress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv, err := api.New(b.p, b.enf, api.Config{OperatorAPIKey: operatorKey, Sessions: identity.NewCachedSessions(k, 0),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 5})
	require.NoError(t, err)
	call := func(addr, host, token string) *httptest.ResponseRecorder {
		path := "/api/v2/users"
		if host == "localhost" {
			path = "/api/platform/v1/tenants"
		}
		req := httptest.NewRequest("GET", path, nil)
		req.Host = host
		req.RemoteAddr = addr + ":5555"
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	for i := range 5 {
		require.Equal(t, 401, call("10.1.1.1", "ke.localhost", "cpk_guess").Code, "attempt %d", i)
	}
	rec := call("10.1.1.1", "ke.localhost", "cpk_guess")
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.NotEmpty(t, rec.Header().Get("Retry-After"))
	require.Equal(t, http.StatusTooManyRequests, call("10.1.1.1", "localhost", "wrong-operator-key").Code, "the platform API shares the limit")
	require.Equal(t, 401, call("10.2.2.2", "ke.localhost", "cpk_guess").Code, "other addresses are not affected")

}

func TestSecretsStayOutOfLogs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	var mu sync.Mutex
	var logs bytes.Buffer
	srv, err := api.New(b.p, b.enf, api.Config{OperatorAPIKey: operatorKey, Registry: prometheus.NewRegistry(),
		Logger: slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	for _, tc := range []struct{ host, path, auth string }{
		{"localhost", "/api/platform/v1/tenants", "Bearer " + operatorKey},
		{"localhost", "/api/platform/v1/tenants", "Bearer wrong-" + operatorKey},
		{"ke.localhost", "/api/v2/users?token=cpk_secretinquery", "Bearer cpk_secretvalue"},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		req.Host = tc.host
		req.Header.Set("Authorization", tc.auth)
		req.Header.Set("Cookie", "cpims_session=cookiesecret")
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	require.Contains(t, out, `"operation":"list-tenants"`, "requests are logged")
	for _, secret := range []string{operatorKey, "cpk_secretvalue", "cpk_secretinquery", "cookiesecret"} {
		require.False(t, strings.Contains(out, secret), "secret %q found in the logs", secret)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
