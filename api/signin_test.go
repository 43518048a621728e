package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/kratostest"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// browser is an HTTP client with a cookie jar that reaches every
// <host>:<port> at one test server, as a browser reaches *.localhost.
type browser struct {
	*http.Client
	port string
}

func newBrowser(t *testing.T, h http.Handler) *browser {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	addr := ts.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	dial := &net.Dialer{}
	return &browser{port: port, Client: &http.Client{Jar: jar,
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dial.DialContext(ctx, network, addr)
		}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) url(host, path string) string { return "http://" + host + ":" + b.port + path }

// do sends a request as a single-page app does (JSON) and decodes a JSON answer into out.
func (b *browser) do(t *testing.T, method, url string, body any, header map[string]string, out any) *http.Response {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, r)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := b.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	if out != nil && len(raw) > 0 {
		require.NoError(t, json.Unmarshal(raw, out), "%s %s: %d %s", method, url, res.StatusCode, raw)
	}
	return res
}

// signIn runs Kratos' browser login flow through host's /.ory/ and returns
// the answer to the password submission.
func (b *browser) signIn(t *testing.T, host, email, password string) *http.Response {
	t.Helper()
	var flow kratostest.Flow
	res := b.do(t, "GET", b.url(host, "/.ory/self-service/login/browser"), nil, nil, &flow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, strings.HasPrefix(flow.UI.Action, b.url(host, "/.ory/self-service/login?flow=")),
		"the form posts back through this host: %s", flow.UI.Action)
	require.NotEmpty(t, flow.CSRF())
	return b.do(t, "POST", flow.UI.Action, map[string]string{"method": "password", "identifier": email,
		"password": password, "csrf_token": flow.CSRF()}, nil, nil)
}

// signInRows are tenant code's sign-in audit rows, oldest first.
func signInRows(t *testing.T, p *tenancy.Platform, code string) []tenancy.AuditLog {
	t.Helper()
	auditor := policy.WithSubject(context.Background(), policy.System(policy.ActorAuditor))
	rows, _, err := p.ListAuditLogs(auditor, code, tenancy.AuditFilter{Action: "sessions:create", Per: 500})
	require.NoError(t, err)
	slices.Reverse(rows)
	return rows
}

func TestBrowserSignInThroughTenantHost(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	b := newBrowser(t, mb.srv)
	ke := "ke.localhost"

	// Not signed in yet.
	res := b.do(t, "GET", b.url(ke, "/api/v2/users/me"), nil, nil, nil)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)

	// A browser without JSON is sent to the sign-in page of this host, not of the app's default origin.
	res = b.do(t, "GET", b.url(ke, "/.ory/self-service/login/browser"), nil, map[string]string{"Accept": "text/html"}, nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.True(t, strings.HasPrefix(res.Header.Get("Location"), b.url(ke, "/auth/login?flow=")), res.Header.Get("Location"))

	res = b.signIn(t, ke, m.email, testPassword)
	require.Equal(t, http.StatusOK, res.StatusCode)
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "cpims_session" {
			session = c
		}
	}
	require.NotNil(t, session, "Kratos set the session cookie")
	require.Empty(t, session.Domain, "a host-only cookie: never sent to another tenant's host")
	require.True(t, session.HttpOnly)

	// The sign-in is in the tenant's audit log, by the member, from the browser's address.
	rows := signInRows(t, mb.p, "ke")
	require.Len(t, rows, 1)
	require.Equal(t, "user:"+m.userID, rows[0].Actor)
	require.Equal(t, tenancy.OutcomeAllowed, rows[0].Outcome)
	require.Equal(t, "sign-in", rows[0].Operation)
	require.Equal(t, "127.0.0.1", rows[0].RemoteIP)
	require.Equal(t, "aal1", rows[0].Metadata["aal"])

	var me struct {
		Data struct {
			Email string `json:"email"`
		} `json:"data"`
	}
	res = b.do(t, "GET", b.url(ke, "/api/v2/users/me"), nil, nil, &me)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, m.email, me.Data.Email)

	// The cookie is this host's only.
	u, _ := url.Parse(b.url("so.localhost", "/"))
	require.Empty(t, b.Jar.Cookies(u))

	// A change made with the cookie needs this host's Origin (CSRF defence).
	var problem struct{ Detail string }
	patch := map[string]any{"name": "Renamed"}
	res = b.do(t, "PATCH", b.url(ke, "/api/v2/system_settings"), patch, nil, &problem)
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Contains(t, problem.Detail, "Cross-site")
	res = b.do(t, "PATCH", b.url(ke, "/api/v2/system_settings"), patch, map[string]string{"Origin": "http://" + ke + ":" + b.port}, &problem)
	require.Equal(t, http.StatusForbidden, res.StatusCode, "same-site, but a caseworker may not configure the instance")
	require.NotContains(t, problem.Detail, "Cross-site")

	// Signing out through this host ends the session.
	var logout struct {
		URL string `json:"logout_url"`
	}
	res = b.do(t, "GET", b.url(ke, "/.ory/self-service/logout/browser"), nil, nil, &logout)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, strings.HasPrefix(logout.URL, b.url(ke, "/.ory/self-service/logout?token=")), logout.URL)
	res = b.do(t, "GET", logout.URL, nil, nil, nil)
	require.Less(t, res.StatusCode, 400)
	res = b.do(t, "GET", b.url(ke, "/api/v2/users/me"), nil, nil, nil)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

// TestSecondFactorSignInIsAuditedStepByStep: the password step of an account
// with an authenticator app is a right password, not a failure: one allowed
// row at aal1 with its second factor pending (by the member, for a JSON and
// for a form post), then one row per second-factor submission: denied for a
// wrong code, allowed at aal2 for the right one.
func TestSecondFactorSignInIsAuditedStepByStep(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ctx := context.Background()
	addr := randomEmail("totp-audit")
	id, err := kratosServer.CreateIdentity(ctx, addr, testPassword, "en")
	require.NoError(t, err)
	u, err := people.New(mb.p).AddUser(sys(), "ke", people.NewUser{Email: addr, FullName: "Test TOTP", Locale: "en", Role: "role-caseworker",
		Agency: "agency-unicef"}, func(context.Context) (string, error) { return id, nil }, nil)
	require.NoError(t, err)
	token, err := kratosServer.Login(ctx, addr, testPassword)
	require.NoError(t, err)
	secret, err := kratosServer.EnrolTOTP(ctx, token)
	require.NoError(t, err)
	b := newBrowser(t, mb.srv)
	ke := "ke.localhost"

	res := b.signIn(t, ke, addr, testPassword)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "go on to the second factor")
	require.True(t, hasSessionCookie(res))
	rows := signInRows(t, mb.p, "ke")
	require.Len(t, rows, 1)
	require.Equal(t, tenancy.OutcomeAllowed, rows[0].Outcome, "a right password is not a failure: %v", rows[0].Metadata)
	require.Equal(t, "user:"+u.ID, rows[0].Actor)
	require.Equal(t, "aal1", rows[0].Metadata["aal"])
	require.Equal(t, "pending", rows[0].Metadata["second_factor"])

	// A wrong code, then the right one (JSON, as the web app sends them).
	var flow kratostest.Flow
	require.Equal(t, http.StatusOK, b.do(t, "GET", b.url(ke, "/.ory/self-service/login/browser?aal=aal2"), nil, nil, &flow).StatusCode)
	wrong := kratostest.TOTP(secret, time.Now().Add(-time.Hour))
	if wrong == kratostest.TOTP(secret, time.Now()) {
		wrong = "000000"
	}
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "totp", "totp_code": wrong, "csrf_token": flow.CSRF()}, nil, &flow)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "totp", "totp_code": kratostest.TOTP(secret, time.Now()),
		"csrf_token": flow.CSRF()}, nil, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	rows = signInRows(t, mb.p, "ke")
	require.Len(t, rows, 3)
	require.Equal(t, tenancy.OutcomeDenied, rows[1].Outcome)
	require.Equal(t, tenancy.OutcomeAllowed, rows[2].Outcome)
	require.Equal(t, "user:"+u.ID, rows[2].Actor)
	require.Equal(t, "aal2", rows[2].Metadata["aal"])
	require.NotContains(t, rows[2].Metadata, "second_factor")

	// A form post of the password (HTML, answered 303) is audited the same.
	html := newBrowser(t, mb.srv)
	hflow := html.htmlLoginFlow(t, ke, "", nil)
	res = html.form(t, hflow.UI.Action, url.Values{"method": {"password"}, "identifier": {addr}, "password": {testPassword},
		"csrf_token": {hflow.CSRF()}}, nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	rows = signInRows(t, mb.p, "ke")
	require.Len(t, rows, 4)
	require.Equal(t, tenancy.OutcomeAllowed, rows[3].Outcome)
	require.Equal(t, "user:"+u.ID, rows[3].Actor)
	require.Equal(t, "pending", rows[3].Metadata["second_factor"])
	for _, r := range rows {
		require.NotEqual(t, tenancy.OutcomeFailed, r.Outcome, "%v", r.Metadata)
	}
}

func TestSignInProxyServesOnlyPublicSelfService(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	b := newBrowser(t, mb.srv)

	// The platform host serves it too (operators), rewritten to that host.
	var flow kratostest.Flow
	res := b.do(t, "GET", b.url("localhost", "/.ory/self-service/login/browser"), nil, nil, &flow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, strings.HasPrefix(flow.UI.Action, b.url("localhost", "/.ory/self-service/login?flow=")), flow.UI.Action)

	for _, path := range []string{"/.ory/admin/identities", "/.ory/identities", "/.ory/health/ready", "/.ory/", "/.ory/schemas"} {
		res := b.do(t, "GET", b.url("ke.localhost", path), nil, nil, nil)
		require.Equal(t, http.StatusNotFound, res.StatusCode, path)
	}
	res = b.do(t, "GET", b.url("nowhere.localhost", "/.ory/self-service/login/browser"), nil, nil, nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode, "an unknown tenant's host serves nothing")
}

func TestSignInProxyLimitsPasswordGuessing(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv, err := api.New(mb.p, mb.enf, api.Config{Sessions: identity.NewCachedSessions(k, 0), AuthFailuresPerMinute: 3,
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()})
	require.NoError(t, err)
	b := newBrowser(t, srv)

	for i := range 3 {
		res := b.signIn(t, "ke.localhost", m.email, fmt.Sprintf("wrong password %d", i))
		require.Equal(t, http.StatusBadRequest, res.StatusCode, "Kratos refuses attempt %d", i+1)
	}
	res := b.signIn(t, "ke.localhost", m.email, testPassword)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, "even the right password waits once the address spent its failures")
	require.NotEmpty(t, res.Header.Get("Retry-After"))

	// Every refused attempt is in the tenant's audit log, with nobody as the actor.
	rows := signInRows(t, mb.p, "ke")
	require.Len(t, rows, 4)
	for i, r := range rows {
		require.Equal(t, tenancy.OutcomeDenied, r.Outcome, i)
		require.Equal(t, policy.Anonymous().String(), r.Actor, i)
	}
	require.EqualValues(t, http.StatusBadRequest, rows[0].Metadata["status"])
	require.Equal(t, "too many failed sign-ins", rows[3].Metadata["reason"])
}

func TestSignInOfANonMemberIsAuditedAsDenied(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	addr := randomEmail("outsider")
	id, err := kratosServer.CreateIdentity(context.Background(), addr, testPassword, "en")
	require.NoError(t, err)
	b := newBrowser(t, mb.srv)

	res := b.signIn(t, "ke.localhost", addr, testPassword)
	require.Equal(t, http.StatusOK, res.StatusCode, "Kratos knows the person")
	res = b.do(t, "GET", b.url("ke.localhost", "/api/v2/users/me"), nil, nil, nil)
	require.Equal(t, http.StatusForbidden, res.StatusCode, "but this country instance does not")

	rows := signInRows(t, mb.p, "ke")
	require.Len(t, rows, 1)
	require.Equal(t, tenancy.OutcomeDenied, rows[0].Outcome)
	require.Equal(t, "not a member", rows[0].Metadata["reason"])
	require.Equal(t, id, rows[0].Metadata["identity_id"])

	// Operators sign in on the platform host, which has no tenant log.
	res = b.signIn(t, "localhost", addr, "a wrong password for the platform")
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	require.Len(t, signInRows(t, mb.p, "ke"), 1)
}

func TestSignInProxyWithKratosDownAnswers502AndLogsNoToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	k, err := identity.New(identity.Config{PublicURL: "http://127.0.0.1:1", AdminURL: "http://127.0.0.1:1"})
	require.NoError(t, err)
	var mu sync.Mutex
	var logs bytes.Buffer
	srv, err := api.New(b.p, b.enf, api.Config{Sessions: identity.NewCachedSessions(k, 0), Registry: prometheus.NewRegistry(),
		Logger: slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	req := httptest.NewRequest("GET", "/.ory/self-service/logout?token=logoutsecret", nil)
	req.Host = "ke.localhost"
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	require.Equal(t, http.StatusBadGateway, rec.Code)
	require.Contains(t, rec.Body.String(), "sign-in service is not reachable")
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	require.Contains(t, out, "proxying to Kratos")
	require.NotContains(t, out, "logoutsecret")
}

func TestNativeSignInThroughTenantHostIsAudited(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	b := newBrowser(t, mb.srv)

	// A native app's (API) flow: a session token in the answer, no cookie.
	var flow kratostest.Flow
	res := b.do(t, "GET", b.url("ke.localhost", "/.ory/self-service/login/api"), nil, nil, &flow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	var answer struct {
		SessionToken string `json:"session_token"`
	}
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "password", "identifier": m.email, "password": testPassword}, nil, &answer)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotEmpty(t, answer.SessionToken)

	rows := signInRows(t, mb.p, "ke")
	require.Len(t, rows, 1)
	require.Equal(t, "user:"+m.userID, rows[0].Actor)
	require.Equal(t, tenancy.OutcomeAllowed, rows[0].Outcome)
}
