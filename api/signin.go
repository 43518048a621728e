package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Browsers sign in on the host they use. Kratos' public API is served under
// /.ory/ on every tenant host (and on the platform host, for operators), so
// that the session cookie Kratos sets is a host-only cookie of that host: a
// session made on ke.example.org is never sent to so.example.org. Kratos
// knows one public URL and one app URL; the proxy rewrites both, in Location
// headers and in response bodies (flow action URLs), to the requesting host.
//
// Only the self-service and session endpoints are reachable this way; the
// admin API never is. Unsafe self-service calls count towards the client
// address's failed sign-in budget when Kratos refuses them (wrong password or
// code), so passwords cannot be guessed faster than AuthFailuresPerMinute.

const kratosPrefix = identity.KratosPrefix

// sessionCookie is the name of Kratos' session cookie (config/kratos.yml).
const sessionCookie = "cpims_session"

// AppURLDefault is the app origin in Kratos' default configuration
// (infra/kratos/config/kratos.yml: ui_url, return URLs).
const AppURLDefault = "http://localhost:8080"

type kratosProxy struct {
	s     *Server
	links identity.Links
	rp    *httputil.ReverseProxy
}

type proxyCall struct {
	origin    string // scheme://host the browser used
	ip        string
	sensitive bool // an unsafe self-service call: counts towards failed sign-ins
	login     bool // a login submission: audited in the tenant's log
	audit     tenancy.AuditRequest
}

type proxyCallKey struct{}

func newKratosProxy(s *Server, upstream *url.URL, links identity.Links) *kratosProxy {
	p := &kratosProxy{s: s, links: links}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, kratosPrefix)
			pr.Out.URL.RawPath = ""
			pr.SetURL(upstream)
			pr.SetXForwarded()
			// Plain bodies, so that URLs in them can be rewritten.
			pr.Out.Header.Del("Accept-Encoding")
		},
		ModifyResponse: p.modifyResponse,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// The path only: the query may hold a flow's token.
			s.logFailure(r.Context(), "proxying to Kratos", "path", r.URL.Path, "error", err)
			writeProblem(w, http.StatusBadGateway, "Bad Gateway", "The sign-in service is not reachable; try again shortly.")
		},
	}
	return p
}

// kratosPath reports whether path (below /.ory) is a Kratos public endpoint
// browsers need: self-service flows and the caller's own sessions.
func kratosPath(path string) bool {
	return strings.HasPrefix(path, "/self-service/") || path == "/sessions/whoami" ||
		path == "/sessions" || strings.HasPrefix(path, "/sessions/")
}

func (p *kratosProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, kratosPrefix)
	if !kratosPath(path) {
		writeProblem(w, http.StatusNotFound, "Not Found", "No such sign-in endpoint.")
		return
	}
	if info := infoFrom(r.Context()); info != nil {
		info.operation = "kratos"
	}
	scheme := "http"
	if r.TLS != nil || (p.s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	call := &proxyCall{origin: scheme + "://" + r.Host, ip: clientIP(r, p.s.cfg.TrustProxy),
		sensitive: !safeMethod(r.Method) && strings.HasPrefix(path, "/self-service/"),
		login:     r.Method == http.MethodPost && path == "/self-service/login"}
	call.audit = tenancy.AuditRequest{Operation: "sign-in", Action: signInAction, RemoteIP: call.ip, UserAgent: r.UserAgent()}
	if info := infoFrom(r.Context()); info != nil {
		call.audit.RequestID = info.id
	}
	if call.sensitive {
		if blocked, wait := p.s.authFails.blocked(call.ip); blocked {
			if call.login {
				p.auditSignIn(r.Context(), call, policy.Anonymous(), tenancy.OutcomeDenied, map[string]any{"reason": "too many failed sign-ins"})
			}
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			writeProblem(w, http.StatusTooManyRequests, "Too Many Requests",
				"Too many failed sign-in attempts from your address: wait and try again.")
			return
		}
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), proxyCallKey{}, call)))
}

// maxRewrittenBody bounds the Kratos responses read into memory (flows are a
// few kilobytes).
const maxRewrittenBody = 1 << 20

func (p *kratosProxy) modifyResponse(res *http.Response) error {
	call, _ := res.Request.Context().Value(proxyCallKey{}).(*proxyCall)
	if call == nil {
		return fmt.Errorf("proxy call context missing")
	}
	if call.sensitive && res.StatusCode == http.StatusBadRequest {
		p.s.authFails.allow(call.ip) // Kratos refused the password or code
	}
	rewrite := p.links.To(call.origin)
	if loc := res.Header.Get("Location"); loc != "" {
		res.Header.Set("Location", rewrite.Replace(loc))
	}
	var body []byte // JSON or HTML, rewritten; other bodies pass through untouched
	if ct := res.Header.Get("Content-Type"); strings.Contains(ct, "json") || strings.Contains(ct, "html") {
		raw, err := io.ReadAll(io.LimitReader(res.Body, maxRewrittenBody+1))
		_ = res.Body.Close()
		if err != nil {
			return err
		}
		if len(raw) > maxRewrittenBody {
			return fmt.Errorf("kratos response over %d bytes", maxRewrittenBody)
		}
		body = []byte(rewrite.Replace(string(raw)))
		res.Body = io.NopCloser(bytes.NewReader(body))
		res.ContentLength = int64(len(body))
		res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	if call.login && res.StatusCode < 500 {
		p.auditLogin(res, body, call)
	}
	return nil
}

// signInAction is the audit action of a sign-in through a tenant's host.
const signInAction = "sessions:create"

// auditLogin writes a login submission's outcome to the tenant's audit log:
// allowed with the member as actor when Kratos opened a session for a member
// of this tenant, denied otherwise (wrong credentials, expired flow, not a
// member). Kratos' answer reaches the browser whatever the log says, but a
// failure to write it is logged.
func (p *kratosProxy) auditLogin(res *http.Response, body []byte, call *proxyCall) {
	ctx := res.Request.Context()
	var sess identity.Session
	var err error
	switch token, cookie := loginCredential(res, body); {
	case token != "":
		sess, err = p.s.sessions.FromToken(ctx, token)
	case cookie != "":
		sess, err = p.s.sessions.FromCookie(ctx, cookie)
	default:
		p.auditSignIn(ctx, call, policy.Anonymous(), tenancy.OutcomeDenied, map[string]any{"status": res.StatusCode})
		return
	}
	if err != nil {
		p.auditSignIn(ctx, call, policy.Anonymous(), tenancy.OutcomeFailed, map[string]any{"reason": "session not readable"})
		return
	}
	t, _ := tenantFrom(ctx)
	pr, err := p.s.platform.PrincipalByIdentity(policy.WithSubject(ctx, policy.System(policy.ActorAuthenticator)), t.Code, sess.IdentityID)
	switch {
	case err == nil:
		p.auditSignIn(ctx, call, pr.Subject(), tenancy.OutcomeAllowed, map[string]any{"aal": sess.AAL})
	case errors.Is(err, tenancy.ErrNotFound):
		p.auditSignIn(ctx, call, policy.Anonymous(), tenancy.OutcomeDenied,
			map[string]any{"reason": "not a member", "identity_id": sess.IdentityID})
	default:
		p.s.logFailure(ctx, "auditing a sign-in", "error", err)
	}
}

// loginCredential is the session a successful login answer carries: a
// session token (API flows, in the JSON body) or the session cookie Kratos
// sets (browser flows).
func loginCredential(res *http.Response, body []byte) (token, cookie string) {
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie && c.Value != "" && c.MaxAge >= 0 {
			return "", c.Name + "=" + c.Value
		}
	}
	var answer struct {
		SessionToken string `json:"session_token"`
	}
	if res.StatusCode == http.StatusOK && json.Unmarshal(body, &answer) == nil {
		return answer.SessionToken, ""
	}
	return "", ""
}

// auditSignIn writes one sign-in row when the call came to a tenant's host.
func (p *kratosProxy) auditSignIn(ctx context.Context, call *proxyCall, sub policy.Subject, outcome tenancy.Outcome, meta map[string]any) {
	t, ok := tenantFrom(ctx)
	if !ok {
		return // the platform host: operators, who have no tenant log
	}
	actx := tenancy.WithAuditRequest(policy.WithSubject(ctx, sub), call.audit)
	if err := p.s.platform.AuditOutcome(actx, t.Code, outcome, meta); err != nil {
		p.s.logFailure(ctx, "auditing a sign-in", "tenant", t.Code, "error", err)
	}
}
