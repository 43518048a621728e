package tenancy

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
)

// APIKeyPrefix starts every API key, so that keys are recognisable (and
// secret scanners can find leaked ones).
const APIKeyPrefix = "cpk_"

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
		return s, ErrNotFound
	}
	return s, err
}

// CreateServiceAccount adds a service account with a role and an agency. A
// key cannot present a second factor, so roles requiring MFA are refused. As
// for users (AddUser), a subject without the "all" scope adds accounts to its
// own agency only, and no user or service account grants a role reaching
// beyond its own.
func (p *Platform) CreateServiceAccount(ctx context.Context, code, name, role, agency string) (ServiceAccount, error) {
	if err := p.authorize(ctx, code, permServiceAccountsWrite); err != nil {
		return ServiceAccount{}, err
	}
	if n := len([]rune(strings.TrimSpace(name))); n < 1 || n > 200 {
		return ServiceAccount{}, &InvalidError{Field: "name", Value: name, Reason: "must be 1 to 200 characters"}
	}
	var out ServiceAccount
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var roleID, agencyID string
		var mfa bool
		var reach policy.Reach
		err := c.QueryRow(ctx, "select id, mfa_required, record_scope, permissions from roles where unique_id = $1", role).
			Scan(&roleID, &mfa, &reach.Scope, &reach.Permissions)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return &InvalidError{Field: "role_unique_id", Value: role, Reason: "no such role"}
		case err != nil:
			return err
		case mfa:
			return &InvalidError{Field: "role_unique_id", Value: role, Reason: "this role requires a second factor, which an API key cannot present"}
		}
		err = c.QueryRow(ctx, "select id from agencies where unique_id = $1 and not disabled", agency).Scan(&agencyID)
		if errors.Is(err, pgx.ErrNoRows) {
			return &InvalidError{Field: "agency_unique_id", Value: agency, Reason: "no such agency"}
		} else if err != nil {
			return err
		}
		actor, bound, err := actorReach(ctx, c)
		if err != nil {
			return err
		}
		if bound && actor.Scope != policy.ScopeAll && c.Subject().Agency != agencyID {
			return &InvalidError{Field: "agency_unique_id", Value: agency, Reason: "you may only add service accounts to your own agency"}
		}
		if err := checkGrant(actor, bound, "role_unique_id", role, reach); err != nil {
			return err
		}
		var id string
		err = c.QueryRow(ctx, `insert into service_accounts (name, role_id, agency_id, created_by)
			values ($1, $2, $3, $4) returning id`, name, roleID, agencyID, c.Subject().String()).Scan(&id)
		if uniqueViolation(err) {
			return fmt.Errorf("%w: a service account named %q already exists", ErrConflict, name)
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
// power. ErrNotFound if there is no such account.
func checkAccountTarget(ctx context.Context, c *Conn, accountID string) error {
	var reach policy.Reach
	err := c.QueryRow(ctx, `select r.permissions, r.record_scope from service_accounts s join roles r on r.id = s.role_id
		where s.id = $1`, accountID).Scan(&reach.Permissions, &reach.Scope)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	actor, bound, err := actorReach(ctx, c)
	if err != nil {
		return err
	}
	return checkTarget(actor, bound, "this service account: its role", reach)
}

// ListServiceAccounts lists the tenant's service accounts.
func (p *Platform) ListServiceAccounts(ctx context.Context, code string) ([]ServiceAccount, error) {
	if err := p.authorize(ctx, code, permServiceAccountsRead); err != nil {
		return nil, err
	}
	var out []ServiceAccount
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
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
// its own (DeniedError).
func (p *Platform) IssueAPIKey(ctx context.Context, code, accountID, name string, expiresAt *time.Time) (APIKey, string, error) {
	if err := p.authorize(ctx, code, permServiceAccountsWrite); err != nil {
		return APIKey{}, "", err
	}
	if n := len([]rune(strings.TrimSpace(name))); n < 1 || n > 200 {
		return APIKey{}, "", &InvalidError{Field: "name", Value: name, Reason: "must be 1 to 200 characters"}
	}
	if expiresAt != nil && !expiresAt.After(time.Now()) {
		return APIKey{}, "", &InvalidError{Field: "expires_at", Value: expiresAt, Reason: "must be in the future"}
	}
	if !isUUID(accountID) {
		return APIKey{}, "", ErrNotFound
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return APIKey{}, "", err
	}
	key := APIKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(key))
	var k APIKey
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		if err := checkAccountTarget(ctx, c, accountID); err != nil {
			return err
		}
		err := c.QueryRow(ctx, `insert into api_keys (service_account_id, name, prefix, hash, created_by, expires_at)
			select id, $2, $3, $4, $5, $6 from service_accounts where id = $1
			returning id, name, prefix, created_by, created_at, expires_at, revoked_at, last_used_at`,
			accountID, name, key[:len(APIKeyPrefix)+6], sum[:], c.Subject().String(), expiresAt).
			Scan(&k.ID, &k.Name, &k.Prefix, &k.CreatedBy, &k.CreatedAt, &k.ExpiresAt, &k.RevokedAt, &k.LastUsedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	return k, key, err
}

// ListAPIKeys lists a service account's keys (never the keys themselves).
func (p *Platform) ListAPIKeys(ctx context.Context, code, accountID string) ([]APIKey, error) {
	if err := p.authorize(ctx, code, permServiceAccountsRead); err != nil {
		return nil, err
	}
	if !isUUID(accountID) {
		return nil, ErrNotFound
	}
	var out []APIKey
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var exists bool
		if err := c.QueryRow(ctx, "select exists (select from service_accounts where id = $1)", accountID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return ErrNotFound
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
func (p *Platform) RevokeAPIKey(ctx context.Context, code, accountID, keyID string) error {
	if err := p.authorize(ctx, code, permServiceAccountsWrite); err != nil {
		return err
	}
	if !isUUID(accountID) || !isUUID(keyID) {
		return ErrNotFound
	}
	return p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		if err := checkAccountTarget(ctx, c, accountID); err != nil {
			return err
		}
		tag, err := c.Exec(ctx, `update api_keys set revoked_at = coalesce(revoked_at, now())
			where id = $1 and service_account_id = $2`, keyID, accountID)
		// Calls with a cached key check it in their transaction anyway;
		// forgetting them here also stops calls that open none, at once.
		c.p.keys.forgetAll()
		if err == nil && tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return err
	})
}

// PrincipalByAPIKey authenticates an API key of tenant code: valid, not
// revoked, not expired, of an enabled service account. It records the use
// (at most once a minute per key). ErrNotFound for any invalid key.
//
// A valid key's principal is kept for Config.APIKeyCacheTTL, so that a call
// does not need a transaction of its own to authenticate: the API checks
// the key again in the call's own transaction (CallGuard), and revoking a
// key through this Platform forgets the cache at once.
func (p *Platform) PrincipalByAPIKey(ctx context.Context, code, key string, now time.Time) (Principal, error) {
	if err := p.authorize(ctx, code, permServiceAccountsRead); err != nil {
		return Principal{}, err
	}
	if !strings.HasPrefix(key, APIKeyPrefix) || len(key) > 100 {
		return Principal{}, ErrNotFound
	}
	wall := time.Now()
	if k, ok := p.keys.get(code, key, wall); ok && (k.expires == nil || now.Before(*k.expires)) {
		return k.Principal, nil
	}
	var k cachedKey
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var err error
		k, err = readAPIKey(ctx, c, key, now)
		return err
	})
	if err != nil {
		p.keys.forget(code, key)
		return Principal{Kind: policy.KindService}, err
	}
	p.keys.put(code, key, k, wall)
	return k.Principal, nil
}

// ForgetAPIKey drops key's cached principal (PrincipalByAPIKey), so that
// the next call reads it from the database.
func (p *Platform) ForgetAPIKey(code, key string) { p.keys.forget(code, key) }
