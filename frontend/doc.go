// Package frontend serves the caseworkers' web application, embedded in the
// binary. This first slice is a placeholder page that reads the tenant's
// system settings; the TypeScript PWA (Vite, typed client generated from the
// OpenAPI spec) replaces static/ with its build output.
package frontend

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// ContentSecurityPolicy is the web application's policy: scripts, styles,
// fonts and API calls from its own origin only (no inline script, no other
// site), images also as data: URLs, never framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the web application, with its Content-Security-Policy.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		files.ServeHTTP(w, r)
	})
}
