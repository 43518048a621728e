package api

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
)

// The API docs pages render each OpenAPI document with Swagger UI, served from
// the binary: no page of ours loads anything from another site (on-premises
// and offline installs reach no CDN). api/docsui/fetch.sh re-fetches the
// vendored files from the npm registry at the pinned version and checks them.

//go:embed docsui/swagger-ui-bundle.js docsui/swagger-ui.css docsui/init.js
var docsUI embed.FS

// Content security policies. Every response gets defaultCSP (nothing may be
// loaded or framed); the pages that are HTML replace it with their own.
const (
	defaultCSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	// docsCSP lets the docs page run Swagger UI from this server and fetch the spec.
	docsCSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
		"script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"sandbox allow-same-origin allow-scripts"
)

var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Docs}}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{{.Docs}}/swagger-ui-bundle.js"></script>
<script src="{{.Docs}}/init.js" data-url="{{.Spec}}"></script>
</body>
</html>
`))

// registerDocs serves the docs page of an API at docsPath (its spec at
// specPath.json) and the renderer's files below it.
func registerDocs(mux *http.ServeMux, title, docsPath, specPath string) {
	mux.HandleFunc("GET "+docsPath, func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", docsCSP)
		h.Set("Content-Type", "text/html; charset=utf-8")
		_ = docsPage.Execute(w, map[string]string{"Title": title, "Docs": docsPath, "Spec": specPath + ".json"})
	})
	mux.HandleFunc("GET "+docsPath+"/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		b, err := docsUI.ReadFile("docsui/" + name)
		if err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=86400")
		switch {
		case strings.HasSuffix(name, ".js"):
			h.Set("Content-Type", "text/javascript; charset=utf-8")
		case strings.HasSuffix(name, ".css"):
			h.Set("Content-Type", "text/css; charset=utf-8")
		}
		_, _ = w.Write(b)
	})
}
