package kratostest

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// do sends a JSON request to Kratos and decodes the JSON answer into out;
// any status from 300 up is an error (API flows never redirect).
func (s *Server) do(ctx context.Context, method, url, token string, body, out any) error {
	status, err := browse(ctx, http.DefaultClient, method, url, token, body, out)
	if err == nil && status >= 300 {
		err = fmt.Errorf("kratos %s %s: unexpected status %d", method, url, status)
	}
	return err
}

// CreateIdentity creates an identity with a password through the admin API.
func (s *Server) CreateIdentity(ctx context.Context, email, password, locale string) (string, error) {
	var id struct{ ID string }
	err := s.do(ctx, "POST", s.AdminURL+"/admin/identities", "", map[string]any{
		"schema_id":   "person",
		"traits":      map[string]any{"email": email, "name": map[string]any{"first": "Test", "last": "User"}, "preferred_locale": locale},
		"credentials": map[string]any{"password": map[string]any{"config": map[string]any{"password": password}}},
	}, &id)
	return id.ID, err
}

// Login signs in with a password through the native (API) flow and returns the session token.
func (s *Server) Login(ctx context.Context, email, password string) (string, error) {
	var flow struct{ ID string }
	if err := s.do(ctx, "GET", s.PublicURL+"/self-service/login/api", "", nil, &flow); err != nil {
		return "", err
	}
	var res struct {
		SessionToken string `json:"session_token"`
	}
	err := s.do(ctx, "POST", s.PublicURL+"/self-service/login?flow="+flow.ID, "",
		map[string]any{"method": "password", "identifier": email, "password": password}, &res)
	return res.SessionToken, err
}

// Flow is what a client reads of a Kratos self-service flow (login,
// settings, recovery): its id, where its form posts, and its form fields.
type Flow struct {
	ID string `json:"id"`
	UI struct {
		Action string `json:"action"`
		Nodes  []struct {
			Attributes struct {
				ID    string `json:"id"`
				Name  string `json:"name"`
				Value any    `json:"value"`
				Text  struct {
					Text string `json:"text"`
				} `json:"text"`
			} `json:"attributes"`
		} `json:"nodes"`
	} `json:"ui"`
}

// CSRF is the flow's anti-CSRF token (browser flows), or "".
func (f Flow) CSRF() string {
	for _, n := range f.UI.Nodes {
		if n.Attributes.Name == "csrf_token" {
			v, _ := n.Attributes.Value.(string)
			return v
		}
	}
	return ""
}

// EnrolTOTP adds a TOTP second factor to the session's identity and returns its secret.
func (s *Server) EnrolTOTP(ctx context.Context, token string) (string, error) {
	var flow Flow
	if err := s.do(ctx, "GET", s.PublicURL+"/self-service/settings/api", token, nil, &flow); err != nil {
		return "", err
	}
	secret := ""
	for _, n := range flow.UI.Nodes {
		if n.Attributes.ID == "totp_secret_key" {
			secret = n.Attributes.Text.Text
		}
	}
	if secret == "" {
		return "", fmt.Errorf("kratos settings flow offered no TOTP secret")
	}
	err := s.do(ctx, "POST", s.PublicURL+"/self-service/settings?flow="+flow.ID, token,
		map[string]any{"method": "totp", "totp_code": TOTP(secret, time.Now())}, nil)
	return secret, err
}

// LoginSecondFactor raises the session to aal2 with a TOTP code (if it is
// not already: enrolling a factor raises the enrolling session).
func (s *Server) LoginSecondFactor(ctx context.Context, token, secret string) error {
	if who, err := s.WhoAmI(ctx, token); err == nil && who["authenticator_assurance_level"] == "aal2" {
		return nil
	}
	var flow struct{ ID string }
	if err := s.do(ctx, "GET", s.PublicURL+"/self-service/login/api?aal=aal2", token, nil, &flow); err != nil {
		return err
	}
	return s.do(ctx, "POST", s.PublicURL+"/self-service/login?flow="+flow.ID, token,
		map[string]any{"method": "totp", "totp_code": TOTP(secret, time.Now())}, nil)
}

// TOTP computes the RFC 6238 code (SHA-1, 6 digits, 30 s steps) of a base32 secret.
func TOTP(secret string, now time.Time) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		panic(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(now.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1_000_000)
}

// WhoAmI asks Kratos for the token's session; an error means it is not valid.
func (s *Server) WhoAmI(ctx context.Context, token string) (map[string]any, error) {
	var out map[string]any
	err := s.do(ctx, "GET", s.PublicURL+"/sessions/whoami", token, nil, &out)
	return out, err
}

// CreateVerifiedIdentity creates an identity with a password whose address
// is verified, as after the person used a code mailed to it.
func (s *Server) CreateVerifiedIdentity(ctx context.Context, email, password, locale string) (string, error) {
	var id struct{ ID string }
	err := s.do(ctx, "POST", s.AdminURL+"/admin/identities", "", map[string]any{
		"schema_id":   "person",
		"traits":      map[string]any{"email": email, "name": map[string]any{"first": "Test", "last": "User"}, "preferred_locale": locale},
		"credentials": map[string]any{"password": map[string]any{"config": map[string]any{"password": password}}},
		"verifiable_addresses": []map[string]any{{"value": strings.ToLower(email), "via": "email", "verified": true,
			"status": "completed"}},
	}, &id)
	return id.ID, err
}

// SetEmail changes an identity's email through the admin API, unverified:
// what a self-service profile change did before that method was turned off.
func (s *Server) SetEmail(ctx context.Context, identityID, email string) error {
	return s.do(ctx, "PATCH", s.AdminURL+"/admin/identities/"+identityID, "",
		[]map[string]any{{"op": "replace", "path": "/traits/email", "value": email}}, nil)
}

// Identity reads an identity through the admin API.
func (s *Server) Identity(ctx context.Context, identityID string) (map[string]any, error) {
	var out map[string]any
	err := s.do(ctx, "GET", s.AdminURL+"/admin/identities/"+identityID, "", nil, &out)
	return out, err
}

// EmailVerified reports whether Kratos marks the identity's email verified.
func (s *Server) EmailVerified(ctx context.Context, identityID string) (bool, error) {
	id, err := s.Identity(ctx, identityID)
	if err != nil {
		return false, err
	}
	email, _ := id["traits"].(map[string]any)["email"].(string)
	addrs, _ := id["verifiable_addresses"].([]any)
	for _, a := range addrs {
		m, _ := a.(map[string]any)
		if strings.EqualFold(fmt.Sprint(m["value"]), email) && m["verified"] == true {
			return true, nil
		}
	}
	return false, nil
}

// LastCode is the newest six-digit code Kratos' courier queued for
// recipient (recovery and verification emails; message bodies are readable
// through the admin API because tests run Kratos with --dev).
func (s *Server) LastCode(ctx context.Context, recipient string) (string, error) {
	var msgs []struct {
		Recipient string    `json:"recipient"`
		Body      string    `json:"body"`
		CreatedAt time.Time `json:"created_at"`
	}
	if err := s.do(ctx, "GET", s.AdminURL+"/admin/courier/messages?page_size=500", "", nil, &msgs); err != nil {
		return "", err
	}
	var newest time.Time
	code := ""
	for _, m := range msgs {
		if strings.EqualFold(m.Recipient, recipient) && !m.CreatedAt.Before(newest) {
			if c := sixDigits.FindString(m.Body); c != "" {
				code, newest = c, m.CreatedAt
			}
		}
	}
	if code == "" {
		return "", fmt.Errorf("no code mailed to %s", recipient)
	}
	return code, nil
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// ChangeOwnEmail tries what a signed-in person would to change their own
// email: a settings flow with the profile method. An error means Kratos
// refused it.
func (s *Server) ChangeOwnEmail(ctx context.Context, token, email string) error {
	var flow Flow
	if err := s.do(ctx, "GET", s.PublicURL+"/self-service/settings/api", token, nil, &flow); err != nil {
		return err
	}
	return s.do(ctx, "POST", s.PublicURL+"/self-service/settings?flow="+flow.ID, token,
		map[string]any{"method": "profile", "traits": map[string]any{"email": email}}, nil)
}
