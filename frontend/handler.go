package frontend

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static all:dist
var files embed.FS

// Cache-Control values.
const (
	cacheImmutable  = "public, max-age=31536000, immutable" // content-hashed names under /assets/
	cacheRevalidate = "no-cache"                            // index.html, sw.js, manifest, icons
)

// contentTypes completes the standard library's table for the app's files.
var contentTypes = map[string]string{
	".webmanifest": "application/manifest+json",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".html":        "text/html; charset=utf-8",
	".json":        "application/json",
	".woff2":       "font/woff2",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
}

// Built reports whether the binary embeds the built web app (dist/app).
func Built() bool {
	_, err := fs.Stat(files, "dist/app/index.html")
	return err == nil
}

// Handler serves the web application: the built app when embedded, else the
// page that says how to build it.
func Handler() http.Handler { return HandlerWith() }

// HandlerWith is Handler whose pages may show images from imageOrigins
// (ContentSecurityPolicyWith), e.g. the file storage's origin.
func HandlerWith(imageOrigins ...string) http.Handler {
	root := "static"
	if Built() {
		root = "dist/app"
	}
	sub, err := fs.Sub(files, root)
	if err != nil {
		panic(err)
	}
	h := newHandler(sub)
	h.csp = ContentSecurityPolicyWith(imageOrigins...)
	return h
}

func newHandler(fsys fs.FS) *handler { return &handler{fsys: fsys, csp: ContentSecurityPolicy} }

type handler struct {
	fsys fs.FS
	csp  string
}

// modTime is when the binary started: embedded files carry no time, and the
// app's own files change only with a new binary.
var modTime = time.Now()

// reservedPaths are operations endpoints that are never the app's.
var reservedPaths = map[string]bool{"metrics": true, "healthz": true, "readyz": true}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", h.csp)
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	// Paths of the APIs, of the sign-in proxy and of operations endpoints
	// (served elsewhere, or on the operations listener only) never fall back
	// to the app: a missing one answers 404, not the app's page.
	if strings.HasPrefix(p, "api/") || p == "api" || strings.HasPrefix(p, ".ory/") || reservedPaths[p] {
		http.NotFound(w, r)
		return
	}
	if p == "" {
		p = "index.html"
	}
	data, err := fs.ReadFile(h.fsys, p)
	if err != nil || strings.HasSuffix(p, ".gz") {
		if path.Ext(p) != "" {
			http.NotFound(w, r) // a missing asset is a 404, never the app
			return
		}
		p = "index.html" // a route of the app: /cases/123, /auth/login
		if data, err = fs.ReadFile(h.fsys, p); err != nil {
			http.NotFound(w, r)
			return
		}
	}
	hdr := w.Header()
	if strings.HasPrefix(p, "assets/") {
		hdr.Set("Cache-Control", cacheImmutable)
	} else {
		hdr.Set("Cache-Control", cacheRevalidate)
	}
	if ct, ok := contentTypes[path.Ext(p)]; ok {
		hdr.Set("Content-Type", ct)
	}
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		if gz, err := fs.ReadFile(h.fsys, p+".gz"); err == nil {
			hdr.Set("Content-Encoding", "gzip")
			data = gz
		}
	}
	http.ServeContent(w, r, "", modTime, bytes.NewReader(data))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
