package tenancy

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
)

// ErrCredentialInvalid: the API key that authenticated the call is unknown,
// revoked or expired, or its service account is disabled, as read in the
// call's own transaction.
var ErrCredentialInvalid = errors.New("credential not valid")

// ErrCredentialChanged: the API key's role (its record scope or the
// tenant's roles) changed since the key was authenticated from the cache.
// Nothing was done; the cached principal is forgotten, so a retry reads
// the key afresh.
var ErrCredentialChanged = errors.New("credential changed")

// CallGuard is what every tenant transaction of one API call checks first,
// in that transaction, so that the request-level caches (the tenant row,
// API keys) never decide alone: the tenant must be active (ErrSuspended,
// ErrNotFound), and when APIKey is set the key must still be valid
// (ErrCredentialInvalid) with the role the caller was authenticated with
// (ErrCredentialChanged). See docs/tenancy.md "Per-request checks".
type CallGuard struct {
	// APIKey is the key that authenticated the call; empty for other credentials.
	APIKey string
	// PolicyVersion is the tenant's roles version the key's principal was read with.
	PolicyVersion string
	// Now is the call's time, for the key's expiry.
	Now time.Time

	mu     sync.Mutex
	failed bool
}

// WithCallGuard makes every tenant transaction opened with ctx check g
// first (Tx). A guard is shared by the call's transactions.
func WithCallGuard(ctx context.Context, g *CallGuard) context.Context {
	return context.WithValue(ctx, guardKey{}, g)
}

// Failed reports whether a transaction of the call refused its credential.
func (g *CallGuard) Failed() bool {
	if g == nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.failed
}

type guardKey struct{}

func guardFrom(ctx context.Context) *CallGuard {
	g, _ := ctx.Value(guardKey{}).(*CallGuard)
	return g
}

// tenantStatusSQL reads the tenant's status in Tx's first statement. It is
// evaluated before the role changes (select list order), and its privilege
// checked at the statement's start, as the login role, which owns the
// platform schema.
const tenantStatusSQL = `(select status from platform.tenants where code = $4)`

// guardStatus turns the tenant's status read in the transaction into the
// Lookup answer.
func guardStatus(status *string) error {
	switch {
	case status == nil:
		return ErrNotFound
	case Status(*status) == StatusActive:
		return nil
	case Status(*status) == StatusSuspended, Status(*status) == StatusDeleting:
		return ErrSuspended
	default:
		return ErrNotFound
	}
}

// checkKey re-reads the call's API key in its transaction (as the tenant
// role): valid, with the role it was authenticated with. It records the
// key's use (at most once a minute).
func (g *CallGuard) checkKey(ctx context.Context, c *Conn) error {
	pr, err := readAPIKey(ctx, c, g.APIKey, g.Now)
	switch {
	case errors.Is(err, ErrNotFound):
		g.fail()
		c.p.keys.forget(c.tenant, g.APIKey)
		return ErrCredentialInvalid
	case err != nil:
		return err
	case pr.RecordScope != c.subject.Scope || pr.PolicyVersion != g.PolicyVersion || pr.UserID != c.subject.ID:
		c.p.keys.forget(c.tenant, g.APIKey)
		return ErrCredentialChanged
	}
	return nil
}

func (g *CallGuard) fail() {
	g.mu.Lock()
	g.failed = true
	g.mu.Unlock()
}

// readAPIKey reads key's principal in tenant transaction c and records its
// use. ErrNotFound for an unknown, revoked or expired key, or a disabled account.
func readAPIKey(ctx context.Context, c *Conn, key string, now time.Time) (cachedKey, error) {
	sum := sha256.Sum256([]byte(key))
	var k cachedKey
	// One statement: the key, and its use recorded at most once a minute.
	err := c.QueryRow(ctx, `
		with k as (
			select k.id, s.id as account_id, r.unique_id, r.record_scope, s.agency_id, k.expires_at, `+policyVersionSQL+` as policy_version
			from api_keys k join service_accounts s on s.id = k.service_account_id join roles r on r.id = s.role_id
			where k.hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > $2) and not s.disabled),
		used as (
			update api_keys a set last_used_at = $2::timestamptz from k
			where a.id = k.id and (a.last_used_at is null or a.last_used_at < $2::timestamptz - interval '1 minute'))
		select account_id, unique_id, record_scope, agency_id, policy_version, expires_at from k`,
		sum[:], now).Scan(&k.UserID, &k.Role, &k.RecordScope, &k.AgencyID, &k.PolicyVersion, &k.expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return k, ErrNotFound
	}
	k.Kind = policy.KindService
	return k, err
}
