package api

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/identity"
)

// A redirect Kratos might send to one of its own addresses never reaches the
// browser, and its addresses are blanked from bodies (a unit test of the
// rewrite: no Kratos route answers so once paths are checked).
func TestProxyNeverRevealsKratosAddresses(t *testing.T) {
	t.Parallel()
	public, _ := url.Parse("http://127.0.0.1:4433")
	admin, _ := url.Parse("http://127.0.0.1:4434")
	s := &Server{cfg: Config{Logger: slog.New(slog.DiscardHandler)}.WithDefaults()}
	p := newKratosProxy(s, public, admin, identity.Links{KratosPublic: public.String(), App: AppURLDefault})
	answer := func(status int, header http.Header, body string) *http.Response {
		req := httptest.NewRequest("GET", "/self-service/login/browser", nil)
		req = req.WithContext(context.WithValue(req.Context(), proxyCallKey{}, &proxyCall{origin: "http://ke.localhost:8080"}))
		return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body)), Request: req}
	}
	res := answer(http.StatusTemporaryRedirect, http.Header{"Location": {"http://127.0.0.1:4434/admin/courier/messages"}}, "")
	require.NoError(t, p.modifyResponse(res))
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.Empty(t, res.Header.Get("Location"))
	b, _ := io.ReadAll(res.Body)
	require.NotContains(t, string(b), "127.0.0.1")

	res = answer(http.StatusOK, http.Header{"Content-Type": {"application/json"}},
		`{"action":"http://127.0.0.1:4433/self-service/login?flow=x","admin":"see http://127.0.0.1:4434/admin","raw":"127.0.0.1:4434"}`)
	require.NoError(t, p.modifyResponse(res))
	b, _ = io.ReadAll(res.Body)
	require.Contains(t, string(b), `"action":"http://ke.localhost:8080/.ory/self-service/login?flow=x"`)
	require.NotContains(t, string(b), "4434")
	require.NotContains(t, string(b), "4433")
}

// BenchmarkReadSubmission: what the guard adds to a sign-in form post.
func BenchmarkReadSubmission(b *testing.B) {
	body := []byte(url.Values{"method": {"password"}, "identifier": {"amina@example.org"}, "password": {"a long password 42"},
		"csrf_token": {strings.Repeat("x", 88)}}.Encode())
	g := newSignInGuard(20, time.Now)
	for range b.N {
		req := httptest.NewRequest("POST", "/.ory/self-service/login?flow=0b6e9b5e-3f36-4b8e-9a49-6f6cfd7bd1d1", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		sub, err := readSubmission(req, "login")
		if err != nil || !sub.guess() {
			b.Fatal(err)
		}
		g.accounts.blocked(g.account(sub))
	}
}
