// Package identity talks to Ory Kratos, the platform's one identity provider
// (identities are global; membership of a tenant is ours, in the tenant's
// schema). It wraps kratos-client-go: readiness, and resolving a session
// token to the signed-in identity. Session caching, membership mapping,
// invitations and MFA enforcement build on it (docs/identity.md).
package identity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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
	public    *kratos.APIClient
	admin     *kratos.APIClient
	publicURL *url.URL
	adminURL  *url.URL
}

// ErrUnauthenticated means the credential is missing, invalid, expired or revoked.
var ErrUnauthenticated = errors.New("not authenticated")

// ErrSecondFactorRequired means the session is valid but has only its first
// factor (aal1) while its identity has a second one set up: Kratos answers
// whoami with session_aal2_required until the second factor is given
// (session.whoami.required_aal: highest_available). It is an
// ErrUnauthenticated too: such a session does not sign anyone in.
var ErrSecondFactorRequired = fmt.Errorf("%w: a second factor is required", ErrUnauthenticated)

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
	pub, _ := url.Parse(strings.TrimSuffix(cfg.PublicURL, "/"))
	adm, _ := url.Parse(strings.TrimSuffix(cfg.AdminURL, "/"))
	return &Kratos{public: client(cfg.PublicURL), admin: client(cfg.AdminURL), publicURL: pub, adminURL: adm}, nil
}

// PublicURL is Kratos' public API, without a trailing slash.
func (k *Kratos) PublicURL() *url.URL { u := *k.publicURL; return &u }

// AdminURL is Kratos' admin API, without a trailing slash: never to be shown
// outside the platform.
func (k *Kratos) AdminURL() *url.URL { u := *k.adminURL; return &u }

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
	// EmailVerified: Kratos marks Email verified (its owner proved they receive its mail).
	EmailVerified bool
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
	return k.whoami(ctx, k.public.FrontendAPI.ToSession(ctx).XSessionToken(token))
}

// SessionFromCookie resolves a browser's Kratos session cookie header.
func (k *Kratos) SessionFromCookie(ctx context.Context, cookie string) (Session, error) {
	if cookie == "" {
		return Session{}, ErrUnauthenticated
	}
	return k.whoami(ctx, k.public.FrontendAPI.ToSession(ctx).Cookie(cookie))
}

func (k *Kratos) whoami(ctx context.Context, req kratos.FrontendAPIToSessionRequest) (Session, error) {
	s, res, err := req.Execute()
	if res != nil {
		_ = res.Body.Close()
		if res.StatusCode == http.StatusForbidden && errorID(err) == "session_aal2_required" {
			return Session{}, ErrSecondFactorRequired
		}
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
		a := account(*id)
		out.Email, out.EmailVerified = a.Email, a.Verified
	}
	return out, nil
}

// errorID is the id of Kratos' error answer ({"error": {"id": ...}}) that
// err carries, or "".
func errorID(err error) string {
	var ge *kratos.GenericOpenAPIError
	if !errors.As(err, &ge) {
		return ""
	}
	var body struct {
		Error struct {
			ID string `json:"id"`
		} `json:"error"`
	}
	if json.Unmarshal(ge.Body(), &body) != nil {
		return ""
	}
	return body.Error.ID
}

// IdentityByEmail finds the identity signed in with email ("" if none).
func (k *Kratos) IdentityByEmail(ctx context.Context, email string) (string, error) {
	ids, res, err := k.admin.IdentityAPI.ListIdentities(ctx).CredentialsIdentifier(email).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return "", fmt.Errorf("looking up %s in Kratos: %w", email, err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0].Id, nil
}

// createIdentity creates an identity without credentials (the person sets a
// password through the recovery code of their invitation), marked as invited
// at email when invited is set (binding.go).
func (k *Kratos) createIdentity(ctx context.Context, email, fullName, locale string, invited bool) (string, error) {
	first, last, _ := strings.Cut(strings.TrimSpace(fullName), " ")
	traits := map[string]any{"email": email, "name": map[string]any{"first": first, "last": last}, "preferred_locale": locale}
	body := kratos.NewCreateIdentityBody("person", traits)
	if invited {
		body.MetadataAdmin = map[string]any{invitedAddressKey: strings.ToLower(email)}
	}
	id, res, err := k.admin.IdentityAPI.CreateIdentity(ctx).CreateIdentityBody(*body).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return "", fmt.Errorf("creating the identity of %s in Kratos: %w", email, err)
	}
	return id.Id, nil
}

// RecoveryCode issues a one-time code (and link) with which the identity
// sets its password; it expires after expiresIn.
func (k *Kratos) RecoveryCode(ctx context.Context, identityID string, expiresIn time.Duration) (code, link string, err error) {
	body := kratos.NewCreateRecoveryCodeForIdentityBody(identityID)
	body.SetExpiresIn(expiresIn.String())
	rc, res, err := k.admin.IdentityAPI.CreateRecoveryCodeForIdentity(ctx).CreateRecoveryCodeForIdentityBody(*body).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return "", "", fmt.Errorf("creating a recovery code in Kratos: %w", err)
	}
	return rc.RecoveryCode, rc.RecoveryLink, nil
}

// RevokeSessions ends every session of an identity.
func (k *Kratos) RevokeSessions(ctx context.Context, identityID string) error {
	res, err := k.admin.IdentityAPI.DeleteIdentitySessions(ctx, identityID).Execute()
	if res != nil {
		_ = res.Body.Close()
		if res.StatusCode == http.StatusNotFound {
			return nil // no sessions
		}
	}
	if err != nil {
		return fmt.Errorf("revoking sessions in Kratos: %w", err)
	}
	return nil
}

// RevokeSession ends one session.
func (k *Kratos) RevokeSession(ctx context.Context, sessionID string) error {
	res, err := k.admin.IdentityAPI.DisableSession(ctx, sessionID).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("revoking a session in Kratos: %w", err)
	}
	return nil
}
