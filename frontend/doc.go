// Package frontend serves the web application, embedded in the binary.
//
// The app is a TypeScript single-page application built with Vite from this
// directory (package.json, src/) into dist/app, which is embedded here. A
// binary built without it (a plain `go build` on a fresh checkout) serves
// static/index.html instead: a page saying how to build the app.
//
// Every path that is not a file of the app and has no file extension
// (/cases/123, /auth/login) answers the app's index.html, so that deep links
// work; hashed assets under /assets/ are cached for a year, everything else
// (index.html, the service worker, the manifest) must be revalidated. Files
// the build precompressed (name.gz) are sent gzip-encoded to browsers that
// accept it.
package frontend

import "strings"

// ContentSecurityPolicy is the web application's policy: scripts, styles,
// fonts and API calls from its own origin only (no inline script, no other
// site), images also as data: URLs (the authenticator app's QR code), service
// worker and manifest from its origin, never framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// ContentSecurityPolicyWith is ContentSecurityPolicy with images also from
// the given origins (the file storage's, whose presigned links show a
// record's photos: docs/frontend.md "Casework screens").
func ContentSecurityPolicyWith(imageOrigins ...string) string {
	if len(imageOrigins) == 0 {
		return ContentSecurityPolicy
	}
	return strings.Replace(ContentSecurityPolicy, "img-src 'self' data:;", "img-src 'self' data: "+strings.Join(imageOrigins, " ")+";", 1)
}
