package people

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// ServiceAccount is an integration client of a tenant.
type ServiceAccount struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role_unique_id"`
	Agency    string    `json:"agency_unique_id"`
	Disabled  bool      `json:"disabled"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// APIKey describes a key; the key itself is only ever returned by IssueAPIKey.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"The key's first characters, to recognise it."`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

const serviceAccountColumns = `s.id, s.name, r.unique_id, a.unique_id, s.disabled, s.created_by, s.created_at`

const serviceAccountFrom = ` from service_accounts s join roles r on r.id = s.role_id join agencies a on a.id = s.agency_id `

func scanServiceAccount(r pgx.Row) (ServiceAccount, error) {
	var s ServiceAccount
	err := r.Scan(&s.ID, &s.Name, &s.Role, &s.Agency, &s.Disabled, &s.CreatedBy, &s.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, tenancy.ErrNotFound
	}
	return s, err
}

// CreateServiceAccount adds a service account with a role and an agency. A
// key cannot present a second factor, so roles requiring MFA are refused. As
// for users (AddUser), a subject without the "all" scope adds accounts to its
// own agency only, and no user or service account grants a role reaching
// beyond its own.
func (s *Service) CreateServiceAccount(ctx context.Context, code, name, role, agency string) (ServiceAccount, error) {
	if err := s.p.Authorize(ctx, code, permServiceAccountsWrite); err != nil {
		return ServiceAccount{}, err
	}
	if n := len([]rune(strings.TrimSpace(name))); n < 1 || n > 200 {
		return ServiceAccount{}, &tenancy.InvalidError{Field: "name", Value: name, Reason: "must be 1 to 200 characters"}
	}
	var out ServiceAccount
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var roleID, agencyID string
		var mfa bool
		var reach policy.Reach
		err := c.QueryRow(ctx, "select id, mfa_required, record_scope, permissions from roles where unique_id = $1", role).
			Scan(&roleID, &mfa, &reach.Scope, &reach.Permissions)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return &tenancy.InvalidError{Field: "role_unique_id", Value: role, Reason: "no such role"}
		case err != nil:
			return err
		case mfa:
			return &tenancy.InvalidError{Field: "role_unique_id", Value: role, Reason: "this role requires a second factor, which an API key cannot present"}
		}
		err = c.QueryRow(ctx, "select id from agencies where unique_id = $1 and not disabled", agency).Scan(&agencyID)
		if errors.Is(err, pgx.ErrNoRows) {
			return &tenancy.InvalidError{Field: "agency_unique_id", Value: agency, Reason: "no such agency"}
		} else if err != nil {
			return err
		}
		actor, bound, err := tenancy.ActorReach(ctx, c)
		if err != nil {
			return err
		}
		if bound && actor.Scope != policy.ScopeAll && c.Subject().Agency != agencyID {
			return &tenancy.InvalidError{Field: "agency_unique_id", Value: agency, Reason: "you may only add service accounts to your own agency"}
		}
		if err := tenancy.CheckGrant(actor, bound, "role_unique_id", role, reach); err != nil {
			return err
		}
		var id string
		err = c.QueryRow(ctx, `insert into service_accounts (name, role_id, agency_id, created_by)
			values ($1, $2, $3, $4) returning id`, name, roleID, agencyID, c.Subject().String()).Scan(&id)
		if uniqueViolation(err) {
			return fmt.Errorf("%w: a service account named %q already exists", tenancy.ErrConflict, name)
		} else if err != nil {
			return err
		}
		out, err = scanServiceAccount(c.QueryRow(ctx, "select "+serviceAccountColumns+serviceAccountFrom+"where s.id = $1", id))
		return err
	})
	return out, err
}

// checkAccountTarget refuses acting on (the keys of) a service account whose
// role reaches beyond the actor's: issuing one of its keys hands out its
// power. tenancy.ErrNotFound if there is no such account.
func checkAccountTarget(ctx context.Context, c *tenancy.Conn, accountID string) error {
	var reach policy.Reach
	err := c.QueryRow(ctx, `select r.permissions, r.record_scope from service_accounts s join roles r on r.id = s.role_id
		where s.id = $1`, accountID).Scan(&reach.Permissions, &reach.Scope)
	if errors.Is(err, pgx.ErrNoRows) {
		return tenancy.ErrNotFound
	} else if err != nil {
		return err
	}
	actor, bound, err := tenancy.ActorReach(ctx, c)
	if err != nil {
		return err
	}
	return tenancy.CheckTarget(actor, bound, "this service account: its role", reach)
}

// ListServiceAccounts lists the tenant's service accounts.
func (s *Service) ListServiceAccounts(ctx context.Context, code string) ([]ServiceAccount, error) {
	if err := s.p.Authorize(ctx, code, permServiceAccountsRead); err != nil {
		return nil, err
	}
	var out []ServiceAccount
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		rows, err := c.Query(ctx, "select "+serviceAccountColumns+serviceAccountFrom+"order by s.name")
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ServiceAccount, error) { return scanServiceAccount(r) })
		return err
	})
	return out, err
}

// IssueAPIKey creates a key for a service account and returns it: the only
// time the key is visible. expiresAt may be nil (no expiry). A user or
// service account may not issue keys of an account whose role reaches beyond
// its own (tenancy.DeniedError).
func (s *Service) IssueAPIKey(ctx context.Context, code, accountID, name string, expiresAt *time.Time) (APIKey, string, error) {
	if err := s.p.Authorize(ctx, code, permServiceAccountsWrite); err != nil {
		return APIKey{}, "", err
	}
	if n := len([]rune(strings.TrimSpace(name))); n < 1 || n > 200 {
		return APIKey{}, "", &tenancy.InvalidError{Field: "name", Value: name, Reason: "must be 1 to 200 characters"}
	}
	if expiresAt != nil && !expiresAt.After(time.Now()) {
		return APIKey{}, "", &tenancy.InvalidError{Field: "expires_at", Value: expiresAt, Reason: "must be in the future"}
	}
	if !tenancy.IsUUID(accountID) {
		return APIKey{}, "", tenancy.ErrNotFound
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return APIKey{}, "", err
	}
	key := tenancy.APIKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(key))
	var k APIKey
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := checkAccountTarget(ctx, c, accountID); err != nil {
			return err
		}
		err := c.QueryRow(ctx, `insert into api_keys (service_account_id, name, prefix, hash, created_by, expires_at)
			select id, $2, $3, $4, $5, $6 from service_accounts where id = $1
			returning id, name, prefix, created_by, created_at, expires_at, revoked_at, last_used_at`,
			accountID, name, key[:len(tenancy.APIKeyPrefix)+6], sum[:], c.Subject().String(), expiresAt).
			Scan(&k.ID, &k.Name, &k.Prefix, &k.CreatedBy, &k.CreatedAt, &k.ExpiresAt, &k.RevokedAt, &k.LastUsedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		return err
	})
	return k, key, err
}

// ListAPIKeys lists a service account's keys (never the keys themselves).
func (s *Service) ListAPIKeys(ctx context.Context, code, accountID string) ([]APIKey, error) {
	if err := s.p.Authorize(ctx, code, permServiceAccountsRead); err != nil {
		return nil, err
	}
	if !tenancy.IsUUID(accountID) {
		return nil, tenancy.ErrNotFound
	}
	var out []APIKey
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var exists bool
		if err := c.QueryRow(ctx, "select exists (select from service_accounts where id = $1)", accountID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return tenancy.ErrNotFound
		}
		rows, err := c.Query(ctx, `select id, name, prefix, created_by, created_at, expires_at, revoked_at, last_used_at
			from api_keys where service_account_id = $1 order by created_at, id`, accountID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIKey, error) {
			var k APIKey
			return k, r.Scan(&k.ID, &k.Name, &k.Prefix, &k.CreatedBy, &k.CreatedAt, &k.ExpiresAt, &k.RevokedAt, &k.LastUsedAt)
		})
		return err
	})
	return out, err
}

// RevokeAPIKey revokes a key at once. Revoking a revoked key is not an error.
// The hierarchy rule applies as for IssueAPIKey.
func (s *Service) RevokeAPIKey(ctx context.Context, code, accountID, keyID string) error {
	if err := s.p.Authorize(ctx, code, permServiceAccountsWrite); err != nil {
		return err
	}
	if !tenancy.IsUUID(accountID) || !tenancy.IsUUID(keyID) {
		return tenancy.ErrNotFound
	}
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := checkAccountTarget(ctx, c, accountID); err != nil {
			return err
		}
		tag, err := c.Exec(ctx, `update api_keys set revoked_at = coalesce(revoked_at, now())
			where id = $1 and service_account_id = $2`, keyID, accountID)
		// Calls with a cached key check it in their transaction anyway;
		// forgetting them here also stops calls that open none, at once.
		s.p.ForgetAPIKeys()
		if err == nil && tag.RowsAffected() == 0 {
			return tenancy.ErrNotFound
		}
		return err
	})
}
