package api_test

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/frontend"
	"github.com/cpims-hosted/cpims/internal/browsertest"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/storage"
)

func get(t *testing.T, h http.Handler, host, path string, edit func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Host = host
	if edit != nil {
		edit(req)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	const docsCSP = "script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
	for _, tc := range []struct {
		name, host, path string
		status           int
		csp              string // a part of the expected policy
	}{
		{"WebApp", "ke.localhost", "/", 200, frontend.ContentSecurityPolicy},
		{"WebAppDeepLink", "ke.localhost", "/cases/123", 200, frontend.ContentSecurityPolicy},
		{"TenantDocs", "ke.localhost", "/api/v2/docs", 200, docsCSP},
		{"PlatformDocs", "localhost", "/api/platform/v1/docs", 200, docsCSP},
		{"TenantAPI", "ke.localhost", "/api/v2/system_settings", 200, "default-src 'none'"},
		{"TenantSpec", "ke.localhost", "/api/v2/openapi.json", 200, "default-src 'none'"},
		{"PlatformAPIProblem", "localhost", "/api/platform/v1/tenants", 401, "default-src 'none'"},
		{"UnknownHost", "nowhere.localhost", "/", 404, "default-src 'none'"},
		{"Health", "anything", "/healthz", 200, "default-src 'none'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, b.srv, tc.host, tc.path, nil)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			require.Contains(t, csp, tc.csp)
			require.Contains(t, csp, "frame-ancestors 'none'")
			require.NotContains(t, csp, "unsafe-")
			require.NotContains(t, csp, "http", "no other site is allowed")
			require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
			require.Equal(t, "DENY", h.Get("X-Frame-Options"))
			require.Equal(t, "no-referrer", h.Get("Referrer-Policy"))
			require.Empty(t, h.Get("Strict-Transport-Security"), "no HSTS over plain HTTP")
		})
	}

	// HSTS only over TLS: the connection's own, or the trusted proxy's.
	tlsReq := func(r *http.Request) { r.TLS = &tls.ConnectionState{} }
	forwarded := func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") }
	require.Equal(t, "max-age=31536000", get(t, b.srv, "ke.localhost", "/", tlsReq).Header().Get("Strict-Transport-Security"))
	require.Empty(t, get(t, b.srv, "ke.localhost", "/", forwarded).Header().Get("Strict-Transport-Security"),
		"X-Forwarded-Proto is not trusted without TrustProxy")
	proxied, err := api.New(b.p, b.enf, api.Config{TrustProxy: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry()})
	require.NoError(t, err)
	require.Equal(t, "max-age=31536000", get(t, proxied, "ke.localhost", "/api/v2/system_settings", forwarded).Header().Get("Strict-Transport-Security"))
	require.Empty(t, get(t, proxied, "ke.localhost", "/", nil).Header().Get("Strict-Transport-Security"))
}

// vendoredSums reads api/docsui/SHA256SUMS: file name -> sha256.
func vendoredSums(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("docsui", "SHA256SUMS"))
	require.NoError(t, err)
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		require.True(t, ok, sc.Text())
		sums[name] = sum
	}
	return sums
}

func TestDocsPagesLoadNothingFromOtherSites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	sums := vendoredSums(t)
	for host, path := range map[string]string{"ke.localhost": "/api/v2/docs", "localhost": "/api/platform/v1/docs"} {
		rec := get(t, b.srv, host, path, nil)
		require.Equal(t, 200, rec.Code)
		page := rec.Body.String()
		require.NotContains(t, page, "unpkg.com")
		refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1)
		require.Len(t, refs, 3, page) // stylesheet, renderer, our start-up script
		for _, ref := range refs {
			require.True(t, strings.HasPrefix(ref[1], path+"/"), "%s loads %s: only this server's files", path, ref[1])
			asset := get(t, b.srv, host, ref[1], nil)
			require.Equal(t, 200, asset.Code, ref[1])
			name := strings.TrimPrefix(ref[1], path+"/")
			if want, vendored := sums[name]; vendored {
				got := sha256.Sum256(asset.Body.Bytes())
				require.Equal(t, want, hex.EncodeToString(got[:]), "%s is the vendored file (api/docsui/fetch.sh)", name)
			}
		}
		require.Contains(t, page, `data-url="`+strings.TrimSuffix(path, "/docs")+`/openapi.json"`)
	}
	require.Equal(t, 404, get(t, b.srv, "ke.localhost", "/api/v2/docs/SHA256SUMS", nil).Code, "only the renderer's files are served")
	require.Equal(t, 404, get(t, b.srv, "ke.localhost", "/api/v2/docs/fetch.sh", nil).Code)
}

// TestDocsAndAppRenderUnderTheirPolicies loads the docs page and the web app
// in a real Chromium, which enforces the Content-Security-Policy: Swagger UI
// must render every operation, the app's script must run, and nothing may
// come from another origin.
func TestDocsAndAppRenderUnderTheirPolicies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	ts := httptest.NewServer(b.srv)
	t.Cleanup(ts.Close)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	ctx := browsertest.New(t)
	ke := fmt.Sprintf("http://ke.localhost:%s", port)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ke+"/api/v2/docs"), chromedp.WaitVisible(chromedp.CSS(".opblock"))))
	var docs struct {
		Operations int      `json:"operations"`
		Resources  []string `json:"resources"`
		Styled     bool     `json:"styled"`
	}
	inPage(t, ctx, `return {operations: document.querySelectorAll('.opblock').length,
		resources: performance.getEntriesByType('resource').map(e => e.name),
		styled: getComputedStyle(document.querySelector('.opblock')).borderStyle !== 'none'};`, &docs)
	require.Equal(t, len(api.Operations(b.srv.TenantAPI())), docs.Operations, "every operation is rendered")
	require.True(t, docs.Styled, "the stylesheet applies")
	require.NotEmpty(t, docs.Resources)
	for _, r := range docs.Resources {
		require.True(t, strings.HasPrefix(r, ke+"/"), "loaded from another origin: %s", r)
	}

	// The app's script runs and renders the tenant's name from the API (or, when the web app
	// is not built, the placeholder page's script does).
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ke+"/"), chromedp.WaitVisible(chromedp.Search(`//*[normalize-space(text())="Kenya"]`))))
}

// TestAppShowsImagesFromTheStorageOrigin: with file storage configured, the
// web app's pages may show images from the origin of its presigned links (a
// record's photos), and only images.
func TestAppShowsImagesFromTheStorageOrigin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	cfg := s3test.Bucket(t)
	store, err := storage.New(cfg)
	require.NoError(t, err)
	b.srv, err = api.New(b.p, b.enf, api.Config{Storage: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	u, err := url.Parse(cfg.Endpoint)
	require.NoError(t, err)
	res := b.do(t, "GET", "ke.localhost", "/cases/123", "", nil)
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, frontend.ContentSecurityPolicyWith(u.Scheme+"://"+u.Host), res.Header().Get("Content-Security-Policy"))
	require.Contains(t, res.Header().Get("Content-Security-Policy"), "connect-src 'self';")
}
