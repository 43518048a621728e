// Package api is the HTTP surface: the tenant API under /api/v2 on
// <code>.<base domain> and the platform API (hosting team) under
// /api/platform/v1 on the bare base domain, both Huma v2 APIs with their own
// OpenAPI 3.1 documents, plus /healthz, /readyz and /metrics on any host.
//
// The tenant is resolved from the Host header only. Every operation declares
// its permission (operation metadata, shown as x-permission in the spec); a
// middleware enforces it before the handler runs, and New refuses to build a
// server in which an operation lacks one. Domain errors become RFC 9457
// problems in one place (errors.go). The committed specs (openapi/*.yaml) are
// checked against the code by a test.
package api
