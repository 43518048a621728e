package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"

	"github.com/cpims-hosted/cpims/identity"
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
	sensitive bool
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
			s.logFailure(r.Context(), "proxying to Kratos", "error", err)
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
		sensitive: !safeMethod(r.Method) && strings.HasPrefix(path, "/self-service/")}
	if call.sensitive {
		if blocked, wait := p.s.authFails.blocked(call.ip); blocked {
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
	ct := res.Header.Get("Content-Type")
	if !strings.Contains(ct, "json") && !strings.Contains(ct, "html") {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxRewrittenBody+1))
	_ = res.Body.Close()
	if err != nil {
		return err
	}
	if len(body) > maxRewrittenBody {
		return fmt.Errorf("kratos response over %d bytes", maxRewrittenBody)
	}
	body = []byte(rewrite.Replace(string(body)))
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}
