// Package identity talks to Ory Kratos, the platform's one identity provider
// (identities are global; membership of a tenant is ours, in the tenant's
// schema). It wraps kratos-client-go: readiness, and resolving a session
// token to the signed-in identity. Session caching, membership mapping,
// invitations and MFA enforcement build on it (docs/identity.md).
package identity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	kratos "github.com/ory/kratos-client-go"
)

// Config locates Kratos.
type Config struct {
	// PublicURL is Kratos' public API (self-service flows, whoami). Required.
	PublicURL string
	// AdminURL is Kratos' admin API (identities, health). Never exposed publicly. Required.
	AdminURL string
	// HTTPClient defaults to a client with a 10 s timeout.
	HTTPClient *http.Client
}

// Kratos is a client of one Kratos deployment.
type Kratos struct {
	public *kratos.APIClient
	admin  *kratos.APIClient
}

// ErrUnauthenticated means the credential is missing, invalid, expired or revoked.
var ErrUnauthenticated = errors.New("not authenticated")

// New builds a client. It does not contact Kratos.
func New(cfg Config) (*Kratos, error) {
	for name, u := range map[string]string{"PublicURL": cfg.PublicURL, "AdminURL": cfg.AdminURL} {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return nil, fmt.Errorf("identity: %s %q must be an http(s) URL", name, u)
		}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	client := func(base string) *kratos.APIClient {
		c := kratos.NewConfiguration()
		c.Servers = kratos.ServerConfigurations{{URL: base}}
		c.HTTPClient = hc
		c.UserAgent = "cpims"
		return kratos.NewAPIClient(c)
	}
	return &Kratos{public: client(cfg.PublicURL), admin: client(cfg.AdminURL)}, nil
}

// Ready reports whether Kratos answers and its database is reachable.
func (k *Kratos) Ready(ctx context.Context) error {
	_, res, err := k.admin.MetadataAPI.IsReady(ctx).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("identity provider (Kratos) not ready: %w", err)
	}
	return nil
}

// Session is an authenticated Kratos session.
type Session struct {
	ID         string
	IdentityID string
	Email      string
	// AAL is the authenticator assurance level reached: "aal1" (password) or "aal2" (with a second factor).
	AAL       string
	ExpiresAt time.Time
}

// SessionFromToken resolves a session token (native and integration clients)
// with Kratos' whoami. Invalid, expired and revoked tokens give ErrUnauthenticated.
func (k *Kratos) SessionFromToken(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrUnauthenticated
	}
	s, res, err := k.public.FrontendAPI.ToSession(ctx).XSessionToken(token).Execute()
	if res != nil {
		_ = res.Body.Close()
		if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden {
			return Session{}, ErrUnauthenticated
		}
	}
	if err != nil {
		return Session{}, fmt.Errorf("checking the session with Kratos: %w", err)
	}
	if !s.GetActive() {
		return Session{}, ErrUnauthenticated
	}
	out := Session{ID: s.Id, AAL: string(s.GetAuthenticatorAssuranceLevel()), ExpiresAt: s.GetExpiresAt()}
	if id, ok := s.GetIdentityOk(); ok {
		out.IdentityID = id.Id
		if traits, ok := id.Traits.(map[string]any); ok {
			out.Email, _ = traits["email"].(string)
		}
	}
	return out, nil
}
