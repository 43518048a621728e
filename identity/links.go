package identity

import (
	"net/url"
	"strings"
)

// Links rewrites the addresses Kratos hands out to the host a person uses.
// Kratos knows one public URL and one app origin (its UI and return URLs);
// people use their country's host, where the app serves Kratos under /.ory/
// (api/signin.go). Both the sign-in proxy and invitation emails use it.
type Links struct {
	// KratosPublic is Kratos' public URL as the app reaches it.
	KratosPublic string
	// App is the platform's origin as configured in Kratos, e.g.
	// https://cpims.example.org or http://localhost:8080: scheme, base domain
	// and port. A tenant's origin is the same with <code>. before the host.
	App string
}

// KratosPrefix is where every host serves Kratos' public API.
const KratosPrefix = "/.ory"

// To returns a replacer of Kratos' public URL with origin's /.ory and of the
// app origin with origin.
func (l Links) To(origin string) *strings.Replacer {
	origin = strings.TrimSuffix(origin, "/")
	return strings.NewReplacer(strings.TrimSuffix(l.KratosPublic, "/"), origin+KratosPrefix,
		strings.TrimSuffix(l.App, "/"), origin)
}

// TenantOrigin is the web address of tenant code: the app origin with the
// code before its host (https://ke.cpims.example.org). Empty when App is not
// an absolute URL.
func (l Links) TenantOrigin(code string) string {
	u, err := url.Parse(l.App)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + code + "." + u.Host
}
