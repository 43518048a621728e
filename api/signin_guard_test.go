package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/kratostest"
)

// signInServer is a server over mb's platform with sign-in and the given
// failure budgets; it trusts X-Forwarded-For so tests can play several
// client addresses.
func signInServer(t *testing.T, mb *membersBundle, perAddress, perAccount int) *api.Server {
	t.Helper()
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv, err := api.New(mb.p, mb.enf, api.Config{Sessions: identity.NewCachedSessions(k, 0), TrustProxy: true,
		AuthFailuresPerMinute: perAddress, AccountAuthFailuresPerHour: perAccount,
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()})
	require.NoError(t, err)
	return srv
}

// from makes requests come from a client address (the server trusts X-Forwarded-For).
func from(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr} }

// form posts a form as an HTML page does (no JSON), and returns the answer.
func (b *browser) form(t *testing.T, target string, values url.Values, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", target, strings.NewReader(values.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := b.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res
}

// htmlLoginFlow starts a browser login flow as a page does (a redirect to
// the sign-in page), then reads the flow as that page's script would.
func (b *browser) htmlLoginFlow(t *testing.T, host, query string, header map[string]string) kratostest.Flow {
	t.Helper()
	h := map[string]string{"Accept": "text/html"}
	for k, v := range header {
		h[k] = v
	}
	res := b.do(t, "GET", b.url(host, "/.ory/self-service/login/browser"+query), nil, h, nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	var flow kratostest.Flow
	res = b.do(t, "GET", b.url(host, "/.ory/self-service/login/flows?id="+loc.Query().Get("flow")), nil, header, &flow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	return flow
}

// withoutCookies is a client of the same server without a cookie jar, as a
// native app is.
func (b *browser) withoutCookies() *browser {
	return &browser{port: b.port, Client: &http.Client{Transport: b.Transport, CheckRedirect: b.CheckRedirect}}
}

func hasSessionCookie(res *http.Response) bool {
	for _, c := range res.Cookies() {
		if c.Name == "cpims_session" && c.Value != "" {
			return true
		}
	}
	return false
}

func TestFormPostPasswordGuessingIsLimited(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	srv := signInServer(t, mb, 3, 1000)
	b := newBrowser(t, srv)
	ke := "ke.localhost"

	// A browser form post with a wrong password is answered 303 (back to the
	// sign-in page), like a right one: it still spends a failure.
	for i := range 3 {
		flow := b.htmlLoginFlow(t, ke, "", nil)
		res := b.form(t, flow.UI.Action, url.Values{"method": {"password"}, "identifier": {m.email},
			"password": {fmt.Sprintf("wrong %d", i)}, "csrf_token": {flow.CSRF()}}, nil)
		require.Equal(t, http.StatusSeeOther, res.StatusCode, "attempt %d", i)
		require.False(t, hasSessionCookie(res))
	}
	flow := b.htmlLoginFlow(t, ke, "", nil)
	res := b.form(t, flow.UI.Action, url.Values{"method": {"password"}, "identifier": {m.email},
		"password": {testPassword}, "csrf_token": {flow.CSRF()}}, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, "the address spent its failures: even the right password waits")
	require.NotEmpty(t, res.Header.Get("Retry-After"))

	// Repeated or disguised fields are refused, not passed on.
	res = b.form(t, flow.UI.Action+"&identifier=someone-else@example.org", url.Values{"method": {"password"},
		"identifier": {m.email}, "password": {"x"}, "csrf_token": {flow.CSRF()}}, from("192.0.2.77"))
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "password", "Identifier": m.email, "password": "x"},
		from("192.0.2.77"), nil)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
}

func TestPasswordGuessingIsLimitedPerAccountAcrossAddresses(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	other := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	srv := signInServer(t, mb, 1000, 3)
	b := newBrowser(t, srv)
	ke := "ke.localhost"

	// Three wrong passwords from three addresses, each sent differently.
	flow := b.htmlLoginFlow(t, ke, "", from("192.0.2.1"))
	res := b.form(t, flow.UI.Action, url.Values{"method": {"password"}, "identifier": {m.email}, "password": {"wrong 1"},
		"csrf_token": {flow.CSRF()}}, from("192.0.2.1"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	var jflow kratostest.Flow
	require.Equal(t, http.StatusOK, b.do(t, "GET", b.url(ke, "/.ory/self-service/login/browser"), nil, from("192.0.2.2"), &jflow).StatusCode)
	res = b.do(t, "POST", jflow.UI.Action, map[string]string{"method": "password", "identifier": strings.ToUpper(m.email),
		"password": "wrong 2", "csrf_token": jflow.CSRF()}, from("192.0.2.2"), nil)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	native := b.withoutCookies() // Kratos refuses API flows from a browser
	var aflow kratostest.Flow
	require.Equal(t, http.StatusOK, native.do(t, "GET", b.url(ke, "/.ory/self-service/login/api"), nil, from("2001:db8::3"), &aflow).StatusCode)
	res = native.do(t, "POST", aflow.UI.Action, map[string]string{"method": "password", "identifier": m.email, "password": "wrong 3"},
		from("2001:db8::3"), nil)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)

	// The account has no failures left, whatever the address.
	require.Equal(t, http.StatusOK, native.do(t, "GET", b.url(ke, "/.ory/self-service/login/api"), nil, from("198.51.100.9"), &aflow).StatusCode)
	res = native.do(t, "POST", aflow.UI.Action, map[string]string{"method": "password", "identifier": m.email, "password": testPassword},
		from("198.51.100.9"), nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)

	// Another account from the same addresses is not affected.
	var answer struct {
		SessionToken string `json:"session_token"`
	}
	require.Equal(t, http.StatusOK, native.do(t, "GET", b.url(ke, "/.ory/self-service/login/api"), nil, from("192.0.2.1"), &aflow).StatusCode)
	res = native.do(t, "POST", aflow.UI.Action, map[string]string{"method": "password", "identifier": other.email, "password": testPassword},
		from("192.0.2.1"), &answer)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotEmpty(t, answer.SessionToken)
}

func TestSecondFactorGuessingIsLimited(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ctx := context.Background()
	addr := randomEmail("totp")
	_, err := kratosServer.CreateIdentity(ctx, addr, testPassword, "en")
	require.NoError(t, err)
	token, err := kratosServer.Login(ctx, addr, testPassword)
	require.NoError(t, err)
	secret, err := kratosServer.EnrolTOTP(ctx, token)
	require.NoError(t, err)
	srv := signInServer(t, mb, 1000, 4)
	b := newBrowser(t, srv)
	ke := "ke.localhost"
	wrong := func() string { // a code that is not valid now
		code := kratostest.TOTP(secret, time.Now().Add(-time.Hour))
		if code == kratostest.TOTP(secret, time.Now()) {
			code = "000000"
		}
		return code
	}

	// Password first (browser flow, JSON): a session at aal1 through this
	// host, and a request to go on to the second factor (422).
	res := b.signIn(t, ke, addr, testPassword)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.True(t, hasSessionCookie(res))

	// Wrong TOTP codes, as a form post (303) and as JSON (400), from several addresses.
	for i, ip := range []string{"192.0.2.10", "192.0.2.11"} {
		flow := b.htmlLoginFlow(t, ke, "?aal=aal2", from(ip))
		res := b.form(t, flow.UI.Action, url.Values{"method": {"totp"}, "totp_code": {wrong()}, "csrf_token": {flow.CSRF()}}, from(ip))
		require.Equal(t, http.StatusSeeOther, res.StatusCode, "form attempt %d", i)
		require.False(t, hasSessionCookie(res))
	}
	var flow kratostest.Flow
	require.Equal(t, http.StatusOK, b.do(t, "GET", b.url(ke, "/.ory/self-service/login/browser?aal=aal2"), nil, from("192.0.2.12"), &flow).StatusCode)
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "totp", "totp_code": wrong(), "csrf_token": flow.CSRF()}, from("192.0.2.12"), nil)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	// A lookup (backup) code counts the same.
	require.Equal(t, http.StatusOK, b.do(t, "GET", b.url(ke, "/.ory/self-service/login/browser?aal=aal2"), nil, from("192.0.2.13"), &flow).StatusCode)
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "lookup_secret", "lookup_secret": "abcdefgh", "csrf_token": flow.CSRF()},
		from("192.0.2.13"), nil)
	require.Less(t, res.StatusCode, 500)
	require.False(t, hasSessionCookie(res))

	// The account (known from the password sign-in) has spent its failures: the right code waits.
	require.Equal(t, http.StatusOK, b.do(t, "GET", b.url(ke, "/.ory/self-service/login/browser?aal=aal2"), nil, from("198.51.100.20"), &flow).StatusCode)
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "totp", "totp_code": kratostest.TOTP(secret, time.Now()),
		"csrf_token": flow.CSRF()}, from("198.51.100.20"), nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)

	// So does a fresh password sign-in of the same account (API flow, session token) and its second factor.
	apiToken, err := kratosServer.Login(ctx, addr, testPassword) // Kratos directly: a session this proxy never saw
	require.NoError(t, err)
	native := b.withoutCookies()
	var aflow kratostest.Flow
	require.Equal(t, http.StatusOK, native.do(t, "GET", b.url(ke, "/.ory/self-service/login/api?aal=aal2"), nil,
		map[string]string{"X-Session-Token": apiToken}, &aflow).StatusCode)
	res = native.do(t, "POST", aflow.UI.Action, map[string]string{"method": "totp", "totp_code": wrong()},
		map[string]string{"X-Session-Token": apiToken, "X-Forwarded-For": "198.51.100.21"}, nil)
	require.Equal(t, http.StatusBadRequest, res.StatusCode, "an unknown session counts on its own, and per address")
}

func TestRecoveryCodeGuessingIsLimited(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	srv := signInServer(t, mb, 1000, 3)
	b := newBrowser(t, srv)
	ke := "ke.localhost"

	send := func(ip string) kratostest.Flow {
		var flow kratostest.Flow
		require.Equal(t, http.StatusOK, b.do(t, "GET", b.url(ke, "/.ory/self-service/recovery/browser"), nil, from(ip), &flow).StatusCode)
		var sent kratostest.Flow
		res := b.do(t, "POST", flow.UI.Action, map[string]string{"method": "code", "email": m.email, "csrf_token": flow.CSRF()}, from(ip), &sent)
		require.Equal(t, http.StatusOK, res.StatusCode, "asking for a code is not a guess")
		return sent
	}
	// The right code (a native app's flow) costs nothing.
	native := b.withoutCookies()
	var nflow kratostest.Flow
	require.Equal(t, http.StatusOK, native.do(t, "GET", b.url(ke, "/.ory/self-service/recovery/api"), nil, from("192.0.2.29"), &nflow).StatusCode)
	res := native.do(t, "POST", nflow.UI.Action, map[string]string{"method": "code", "email": m.email}, from("192.0.2.29"), &nflow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	code, err := kratosServer.LastCode(context.Background(), m.email)
	require.NoError(t, err)
	res = native.do(t, "POST", nflow.UI.Action, map[string]string{"method": "code", "code": code}, from("192.0.2.29"), nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "recovered: on to the settings flow")

	flow := send("192.0.2.30")
	// A wrong code is answered 200 with the same flow: a failure all the same.
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "code", "code": "000000", "csrf_token": flow.CSRF()}, from("192.0.2.30"), nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.False(t, hasSessionCookie(res))
	res = b.form(t, flow.UI.Action, url.Values{"method": {"code"}, "code": {"000001"}, "csrf_token": {flow.CSRF()}}, from("192.0.2.31"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	// The code in the query string counts too.
	res = b.do(t, "POST", flow.UI.Action+"&code=000002", map[string]string{"method": "code", "csrf_token": flow.CSRF()}, from("192.0.2.32"), nil)
	require.Less(t, res.StatusCode, 500)

	// The address the codes go to has no failures left, even in a new flow from a new address.
	flow = send("198.51.100.30")
	res = b.do(t, "POST", flow.UI.Action, map[string]string{"method": "code", "code": "123456", "csrf_token": flow.CSRF()}, from("198.51.100.30"), nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
}

func TestManyBadTokensFromOneAddressDoNotLockOutValidSessions(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	colleague := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	srv := signInServer(t, mb, 5, 1000)
	call := func(addr, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/v2/users/me", nil)
		req.Host = "ke.localhost"
		req.Header.Set("X-Forwarded-For", addr)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	office, office2 := "2001:db8:aa:bb::1", "2001:db8:aa:bb:ffff::2" // one /64: one office
	require.Equal(t, http.StatusOK, call(office, colleague.token).Code, "the colleague is signed in")

	for i := range 20 {
		code := call(office2, fmt.Sprintf("ory_st_guess%d", i)).Code
		require.Contains(t, []int{http.StatusUnauthorized, http.StatusTooManyRequests}, code)
	}
	require.Equal(t, http.StatusTooManyRequests, call(office, "ory_st_another_guess").Code, "the office's address is throttled")
	require.Equal(t, http.StatusTooManyRequests, call(office, "cpk_guess").Code)
	require.Equal(t, http.StatusOK, call(office, colleague.token).Code, "a session already seen valid still works")
	require.Equal(t, http.StatusOK, call(office2, colleague.token).Code)
	require.Equal(t, http.StatusUnauthorized, call("2001:db8:aa:bc::1", "ory_st_guess").Code, "the next /64 is another client")
}

func TestEncodedTraversalThroughSignInProxyIsRefused(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin, err := url.Parse(kratosServer.AdminURL)
	require.NoError(t, err)
	public, err := url.Parse(kratosServer.PublicURL)
	require.NoError(t, err)
	for _, path := range []string{
		"/.ory/self-service/..%2f..%2fschemas",
		"/.ory/self-service/..%2F..%2Fadmin%2Fcourier%2Fmessages",
		"/.ory/self-service/..%2f..%2fadmin/identities",
		"/.ory/self-service/%2e%2e/%2e%2e/schemas",
		"/.ory/self-service/..%5c..%5cschemas",
		"/.ory/sessions/..%2f..%2fhealth%2fready",
		"/.ory/self-service/login%2fbrowser",
		"/.ory/self-service/%6cogin/browser",
	} {
		for _, host := range []string{"ke.localhost", "localhost"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Host = host
			rec := httptest.NewRecorder()
			mb.srv.ServeHTTP(rec, req)
			require.Equal(t, http.StatusNotFound, rec.Code, "%s %s: %s", host, path, rec.Body.String())
			out := rec.Body.String() + rec.Header().Get("Location")
			require.NotContains(t, out, admin.Host, path)
			require.NotContains(t, out, public.Host, path)
		}
	}
	// An unencoded "../" never reaches Kratos either: the router cleans it and redirects here.
	req := httptest.NewRequest("GET", "/.ory/self-service/../../admin/courier/messages", nil)
	req.Host = "ke.localhost"
	rec := httptest.NewRecorder()
	mb.srv.ServeHTTP(rec, req)
	require.NotEqual(t, http.StatusOK, rec.Code)
	require.NotContains(t, rec.Body.String()+rec.Header().Get("Location"), admin.Host)
	require.NotContains(t, rec.Header().Get("Location"), "/.ory/")
}

func TestOddHostHeadersAreRefused(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	get := func(host, path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = host
		req.Header.Set("Accept", "text/html")
		rec := httptest.NewRecorder()
		mb.srv.ServeHTTP(rec, req)
		return rec
	}
	for _, host := range []string{"ke.localhost:evil.example", "ke.localhost:8080:9090", "ke.localhost:", "ke.localhost:99999",
		"ke.localhost:80@evil.example", "evil.example@ke.localhost", "ke.localhost:8080/x", "ke.loc_alhost", "[ke.localhost]:80",
		"ke..localhost", "ke.localhost:+80"} {
		for _, path := range []string{"/.ory/self-service/login/browser", "/api/v2/system_settings", "/healthz", "/"} {
			rec := get(host, path)
			require.Equal(t, http.StatusBadRequest, rec.Code, "%q %s", host, path)
			require.NotContains(t, rec.Body.String(), "evil", host)
			require.Empty(t, rec.Header().Get("Location"))
		}
	}
	// Valid hosts keep working, and Kratos' redirects name the host as the browser sent it.
	rec := get("KE.localhost:8080", "/.ory/self-service/login/browser")
	require.Equal(t, http.StatusSeeOther, rec.Code)
	require.True(t, strings.HasPrefix(rec.Header().Get("Location"), "http://ke.localhost:8080/auth/login?flow="), rec.Header().Get("Location"))
	require.Equal(t, http.StatusOK, get("[::1]:8080", "/healthz").Code)
	require.Equal(t, http.StatusOK, get("127.0.0.1", "/healthz").Code)
	require.Equal(t, http.StatusOK, get("ke.localhost.", "/api/v2/system_settings").Code)
}
