package tenancy

import (
	"context"
	"strings"
	"time"

	"github.com/cpims-hosted/cpims/policy"
)

// APIKeyPrefix starts every API key, so that keys are recognisable (and
// secret scanners can find leaked ones).
const APIKeyPrefix = "cpk_"

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

// ForgetAPIKeys drops every cached API key principal: a key revoked
// through this Platform (people.Service.RevokeAPIKey) is refused at once,
// even by calls that open no transaction of their own.
func (p *Platform) ForgetAPIKeys() { p.keys.forgetAll() }
