package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/browsertest"
)

// inPage runs an async JavaScript function body in the page and decodes what
// it returns into out.
func inPage(t *testing.T, ctx context.Context, body string, out any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte]("(async () => {"+body+"})()", chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, out), "%s", raw)
}

// TestSignInInARealBrowser signs a caseworker in with headless Chromium
// through the tenant host's /.ory/, as the web app will, and checks what
// only a real browser decides: the cookie it keeps, where it sends it, what
// page scripts can read, and the Origin it attaches to changes.
func TestSignInInARealBrowser(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	m := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	ts := httptest.NewServer(mb.srv)
	t.Cleanup(ts.Close)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	ctx := browsertest.New(t)

	// Chromium resolves *.localhost to this machine by itself.
	ke := fmt.Sprintf("http://ke.localhost:%s", port)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ke+"/")))

	var got struct {
		Action      string `json:"action"`
		Login       int    `json:"login"`
		Me          int    `json:"me"`
		Email       string `json:"email"`
		Patch       int    `json:"patch"`
		PatchDetail string `json:"patchDetail"`
		ScriptSees  bool   `json:"scriptSees"`
		Logout      int    `json:"logout"`
		MeAfter     int    `json:"meAfter"`
	}
	inPage(t, ctx, fmt.Sprintf(`
		const json = {Accept: 'application/json', 'Content-Type': 'application/json'};
		const flow = await (await fetch('/.ory/self-service/login/browser', {headers: json})).json();
		const csrf = flow.ui.nodes.find(n => n.attributes.name === 'csrf_token').attributes.value;
		const login = await fetch(flow.ui.action, {method: 'POST', headers: json,
			body: JSON.stringify({method: 'password', identifier: %q, password: %q, csrf_token: csrf})});
		const me = await fetch('/api/v2/users/me', {headers: json});
		const meBody = await me.json();
		const patch = await fetch('/api/v2/system_settings', {method: 'PATCH', headers: json, body: JSON.stringify({name: 'Renamed'})});
		const patchBody = await patch.json();
		return {action: flow.ui.action, login: login.status, me: me.status, email: meBody.data && meBody.data.email,
			patch: patch.status, patchDetail: patchBody.detail, scriptSees: document.cookie.includes('cpims_session')};`,
		m.email, testPassword), &got)
	require.Equal(t, ke+"/.ory/self-service/login?flow=", got.Action[:len(ke)+len("/.ory/self-service/login?flow=")])
	require.Equal(t, 200, got.Login)
	require.Equal(t, 200, got.Me, "the browser sends the session cookie to this host")
	require.Equal(t, m.email, got.Email)
	require.Equal(t, 403, got.Patch)
	require.NotContains(t, got.PatchDetail, "Cross-site", "the browser's own Origin passes the CSRF check; the role is what refuses")
	require.False(t, got.ScriptSees, "the session cookie is HttpOnly: page scripts cannot read it")

	// Another country's host: the browser does not send ke's cookie there.
	// The pages opened from here on are one of the web app's files, not the
	// app, which moves to another of its pages as it starts (signed out:
	// its sign-in page) and could do so while the script runs ("Inspected
	// target navigated or closed", under CI's load).
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("http://so.localhost:%s/icon.svg", port))))
	var other struct{ Me int }
	inPage(t, ctx, `return {me: (await fetch('/api/v2/users/me')).status};`, &other)
	require.Equal(t, 401, other.Me)

	// Back on ke: signing out ends the session for good.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ke+"/icon.svg")))
	inPage(t, ctx, `
		const json = {Accept: 'application/json'};
		const before = (await fetch('/api/v2/users/me', {headers: json})).status;
		const out = await (await fetch('/.ory/self-service/logout/browser', {headers: json})).json();
		const logout = await fetch(out.logout_url, {headers: json});
		return {me: before, logout: logout.status, meAfter: (await fetch('/api/v2/users/me', {headers: json})).status};`, &got)
	require.Equal(t, 200, got.Me)
	require.Less(t, got.Logout, 300)
	require.Equal(t, 401, got.MeAfter)
}
