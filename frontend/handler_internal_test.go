package frontend

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestHandlerServesTheAppWithFallbackAndCaching(t *testing.T) {
	t.Parallel()
	app := fstest.MapFS{
		"index.html":                {Data: []byte("<!doctype html><title>app</title>")},
		"assets/index-abc123.js":    {Data: []byte("console.log(1)")},
		"assets/index-abc123.js.gz": {Data: gz(t, "console.log(1)")},
		"sw.js":                     {Data: []byte("self.x=1")},
		"manifest.webmanifest":      {Data: []byte("{}")},
	}
	h := newHandler(app)
	get := func(path string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, deep := range []string{"/", "/cases/123", "/auth/login?flow=abc", "/admin/users"} {
		res := get(deep)
		require.Equal(t, http.StatusOK, res.Code, deep)
		require.Contains(t, res.Body.String(), "<title>app</title>", deep)
		require.Equal(t, "no-cache", res.Header().Get("Cache-Control"), deep)
		require.Equal(t, "text/html; charset=utf-8", res.Header().Get("Content-Type"))
	}
	res := get("/assets/index-abc123.js")
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, "public, max-age=31536000, immutable", res.Header().Get("Cache-Control"))
	require.Equal(t, "console.log(1)", res.Body.String())
	require.Empty(t, res.Header().Get("Content-Encoding"))

	res = get("/assets/index-abc123.js", "Accept-Encoding", "br, gzip")
	require.Equal(t, "gzip", res.Header().Get("Content-Encoding"))
	require.Equal(t, gz(t, "console.log(1)"), res.Body.Bytes())
	require.Contains(t, res.Header().Values("Vary"), "Accept-Encoding")

	require.Equal(t, "no-cache", get("/sw.js").Header().Get("Cache-Control"))
	require.Equal(t, "application/manifest+json", get("/manifest.webmanifest").Header().Get("Content-Type"))

	// Missing files and API paths are 404s, never the app.
	for _, missing := range []string{"/assets/gone-123.js", "/favicon.ico", "/api/v2/nothing", "/.ory/x", "/assets/index-abc123.js.gz", "/metrics"} {
		require.Equal(t, http.StatusNotFound, get(missing).Code, missing)
	}
	// Every answer carries the app's Content-Security-Policy.
	for _, p := range []string{"/", "/cases/1", "/assets/index-abc123.js", "/sw.js", "/favicon.ico"} {
		require.Equal(t, ContentSecurityPolicy, get(p).Header().Get("Content-Security-Policy"), p)
	}
}

func TestHandlerWithoutTheBuiltAppSaysHowToBuildIt(t *testing.T) {
	t.Parallel()
	res := httptest.NewRecorder()
	newHandler(mustSub(t, "static")).ServeHTTP(res, httptest.NewRequest("GET", "/cases/1", nil))
	require.Equal(t, http.StatusOK, res.Code)
	require.Contains(t, res.Body.String(), "go tool task web:build")
	require.NotContains(t, res.Body.String(), "<script", "no inline script (Content-Security-Policy)")
	require.NotContains(t, res.Body.String(), "<style", "no inline style (Content-Security-Policy)")
}

func mustSub(t *testing.T, dir string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(files, dir)
	require.NoError(t, err)
	return sub
}

// The pages may show images from the file storage's origin (a record's
// photos through presigned links) and from nowhere else.
func TestHandlerAllowsImagesFromTheStorageOrigin(t *testing.T) {
	t.Parallel()
	require.Equal(t, ContentSecurityPolicy, ContentSecurityPolicyWith())
	csp := ContentSecurityPolicyWith("https://bucket.s3.eu-west-1.amazonaws.com")
	require.Contains(t, csp, "img-src 'self' data: https://bucket.s3.eu-west-1.amazonaws.com;")
	require.Contains(t, csp, "connect-src 'self';", "only images, never API calls, may come from storage")

	rec := httptest.NewRecorder()
	HandlerWith("http://127.0.0.1:9000").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cases/1", nil))
	require.Contains(t, rec.Header().Get("Content-Security-Policy"), "img-src 'self' data: http://127.0.0.1:9000;")
}
