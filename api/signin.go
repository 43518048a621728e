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
	"time"

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
// Only the self-service and session endpoints are reachable this way, by
// clean paths only (no dot segments, no percent-encoding: an encoded "../"
// must not lead Kratos' router elsewhere); the admin API never is, and no
// answer reveals Kratos' own addresses. Every submission of a password or a
// code is limited per account and per client address (signin_guard.go).

const kratosPrefix = identity.KratosPrefix

// sessionCookie is the name of Kratos' session cookie (config/kratos.yml).
const sessionCookie = "cpims_session"

// AppURLDefault is the app origin in Kratos' default configuration
// (infra/kratos/config/kratos.yml: ui_url, return URLs).
const AppURLDefault = "http://localhost:8080"

type kratosProxy struct {
	s        *Server
	links    identity.Links
	upstream *url.URL
	internal []string // Kratos' own addresses (host:port), never shown to browsers
	client   *http.Client
	rp       *httputil.ReverseProxy
}

type proxyCall struct {
	origin     string // scheme://host the browser used, built from the validated Host
	ip         string
	addr       string // the address's rate-limit key
	credential string // the session the request carries, if any
	sensitive  bool   // an unsafe self-service call: refused while the address has no failures left
	login      bool   // a login submission: audited in the tenant's log
	guess      bool   // a password or code submission: limited per account and address
	sub        submission
	account    string
	audit      tenancy.AuditRequest
}

type proxyCallKey struct{}

func newKratosProxy(s *Server, upstream *url.URL, admin *url.URL, links identity.Links) *kratosProxy {
	p := &kratosProxy{s: s, links: links, upstream: upstream, internal: []string{upstream.Host, admin.Host},
		client: &http.Client{Timeout: 10 * time.Second}}
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

// cleanPath reports whether the request's path is plain: letters, digits,
// "/", "-", "_" and "." only, sent without percent-encoding (Kratos' public
// paths never need it), and no empty, "." or ".." segment. Anything else
// could mean one path to our allow list and another to Kratos' router.
func cleanPath(r *http.Request) bool {
	p := r.URL.Path
	if r.URL.RawPath != "" || !strings.HasPrefix(p, "/") {
		return false
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func (p *kratosProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, kratosPrefix)
	if !cleanPath(r) || !kratosPath(path) {
		writeProblem(w, http.StatusNotFound, "Not Found", "No such sign-in endpoint.")
		return
	}
	if info := infoFrom(r.Context()); info != nil {
		info.operation = "kratos"
	}
	host, ok := hostFrom(r.Context())
	if !ok { // unreachable: route validates the Host first
		writeProblem(w, http.StatusBadRequest, "Bad Request", "The Host header is not valid.")
		return
	}
	scheme := "http"
	if r.TLS != nil || (p.s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	ip := clientIP(r, p.s.cfg.TrustProxy)
	call := &proxyCall{origin: scheme + "://" + host.String(), ip: ip, addr: addressKey(ip),
		credential: sessionCredential(r.Header),
		sensitive:  !safeMethod(r.Method) && strings.HasPrefix(path, "/self-service/"),
		login:      r.Method == http.MethodPost && path == "/self-service/login"}
	call.audit = tenancy.AuditRequest{Operation: "sign-in", Action: signInAction, RemoteIP: call.ip, UserAgent: r.UserAgent()}
	if info := infoFrom(r.Context()); info != nil {
		call.audit.RequestID = info.id
	}
	if kind, ok := submitPaths[path]; ok {
		sub, err := readSubmission(r, kind)
		var se *submissionError
		switch {
		case errors.As(err, &se):
			writeProblem(w, se.status, http.StatusText(se.status), se.detail)
			return
		case err != nil:
			writeProblem(w, http.StatusBadRequest, "Bad Request", "The sign-in form could not be read.")
			return
		}
		call.sub = sub
		if sub.guess() {
			call.guess, call.sensitive = true, true
			call.account = p.s.guard.account(sub)
		} else if sub.email != "" && sub.flow != "" && kind != "login" {
			// The flow's next code goes to this address: its guesses count against it.
			p.s.guard.flows.put(kind+":"+sub.flow, accountKey(sub.email), flowTTL)
		}
	}
	if call.sensitive {
		blocked, wait := p.s.authFails.blocked(call.addr)
		reason := "Too many failed sign-in attempts from your address: wait and try again."
		if _, known := p.s.known.get(call.credential); blocked && known && !call.guess {
			blocked = false // a session already seen valid keeps working from a busy address
		}
		if !blocked && call.guess {
			if blocked, wait = p.s.guard.accounts.blocked(call.account); blocked {
				reason = "Too many failed attempts for this account: wait and try again."
			}
		}
		if blocked {
			if call.login {
				p.auditSignIn(r.Context(), call, policy.Anonymous(), tenancy.OutcomeDenied, map[string]any{"reason": "too many failed sign-ins"})
			}
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			writeProblem(w, http.StatusTooManyRequests, "Too Many Requests", reason)
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
	rewrite := p.links.To(call.origin)
	if loc := res.Header.Get("Location"); loc != "" {
		loc = rewrite.Replace(loc)
		if p.revealsInternal(loc) {
			// Kratos sends browsers to an address of its own: never show it.
			p.s.logFailure(res.Request.Context(), "Kratos redirected to an internal address", "path", res.Request.URL.Path)
			return p.replaceWithNotFound(res)
		}
		res.Header.Set("Location", loc)
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
		body = []byte(p.hideInternal(rewrite.Replace(string(raw))))
		res.Body = io.NopCloser(bytes.NewReader(body))
		res.ContentLength = int64(len(body))
		res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	issued := issuedSession(res, body)
	if call.guess {
		succeeded := issued != ""
		switch call.sub.kind {
		case "recovery":
			// Kratos v1.3 answers a JSON recovery that succeeded with a
			// request to move on to the settings flow, and an API flow's
			// session token is not in that answer.
			succeeded = succeeded || locationChangeRequired(res, body)
		case "verification":
			succeeded = p.verificationPassed(res.Request.Context(), res, body, call.sub.flow)
		}
		if !succeeded {
			p.s.authFails.allow(call.addr)
			p.s.guard.accounts.allow(call.account)
		}
	}
	if issued != "" {
		// Remember whose session this is, for its second factor and for busy addresses.
		account := call.account
		if !call.guess || call.sub.kind != "login" {
			account, _ = p.s.guard.sessions.get(call.credential)
		}
		if account != "" {
			p.s.guard.sessions.put(issued, account, sessionTTL)
		}
		p.s.known.put(issued, "1", sessionTTL)
	}
	if call.login && res.StatusCode < 500 {
		p.auditLogin(res, body, call)
	}
	return nil
}

// revealsInternal reports whether s names one of Kratos' own addresses.
func (p *kratosProxy) revealsInternal(s string) bool {
	for _, h := range p.internal {
		if h != "" && strings.Contains(s, h) {
			return true
		}
	}
	return false
}

// hideInternal blanks Kratos' own addresses out of a body.
func (p *kratosProxy) hideInternal(s string) string {
	for _, h := range p.internal {
		if h != "" {
			s = strings.ReplaceAll(s, h, "kratos.invalid")
		}
	}
	return s
}

// replaceWithNotFound turns a Kratos answer into our 404 problem.
func (p *kratosProxy) replaceWithNotFound(res *http.Response) error {
	_ = res.Body.Close()
	b, _ := json.Marshal(map[string]any{"type": "about:blank", "title": "Not Found", "status": http.StatusNotFound,
		"detail": "No such sign-in endpoint."})
	res.StatusCode, res.Status = http.StatusNotFound, "404 Not Found"
	res.Header = http.Header{"Content-Type": {"application/problem+json"}, "Content-Length": {strconv.Itoa(len(b))}}
	res.Body = io.NopCloser(bytes.NewReader(b))
	res.ContentLength = int64(len(b))
	return nil
}

// signInAction is the audit action of a sign-in through a tenant's host.
const signInAction = "sessions:create"

// auditLogin writes a login submission's outcome to the tenant's audit log:
// allowed with the member as actor when Kratos opened a session for a member
// of this tenant (with aal1 and second_factor "pending" when the password of
// an account with a second factor was right: the next step is its own row),
// denied otherwise (wrong credentials, expired flow, not a
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
	meta := map[string]any{}
	if errors.Is(err, identity.ErrSecondFactorRequired) {
		// The password was right and Kratos opened a session, but the
		// identity has a second factor: the session signs nobody in until it
		// is given (the next submission, audited on its own). Whose session
		// it is, Kratos does not say before then; the identifier that
		// matched the password does.
		sess.AAL, meta["second_factor"] = "aal1", "pending"
		sess.IdentityID, err = p.identityOf(ctx, call.sub.identifier)
	}
	if err != nil {
		p.auditSignIn(ctx, call, policy.Anonymous(), tenancy.OutcomeFailed, map[string]any{"reason": "session not readable"})
		return
	}
	t, _ := tenantFrom(ctx)
	pr, err := p.s.platform.PrincipalByIdentity(policy.WithSubject(ctx, policy.System(policy.ActorAuthenticator)), t.Code, sess.IdentityID)
	switch {
	case err == nil:
		meta["aal"] = sess.AAL
		p.auditSignIn(ctx, call, pr.Subject(), tenancy.OutcomeAllowed, meta)
	case errors.Is(err, tenancy.ErrNotFound):
		p.auditSignIn(ctx, call, policy.Anonymous(), tenancy.OutcomeDenied,
			map[string]any{"reason": "not a member", "identity_id": sess.IdentityID})
	default:
		p.s.logFailure(ctx, "auditing a sign-in", "error", err)
	}
}

// identityOf is the Kratos identity that signs in with identifier.
func (p *kratosProxy) identityOf(ctx context.Context, identifier string) (string, error) {
	if identifier == "" {
		return "", identity.ErrUnauthenticated
	}
	id, err := p.s.sessions.Kratos().IdentityByEmail(ctx, identifier)
	if err == nil && id == "" {
		err = identity.ErrUnauthenticated
	}
	return id, err
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
