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

// Handler serves the web application.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	return http.FileServerFS(sub)
}
