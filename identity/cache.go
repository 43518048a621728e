package identity

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// SessionCacheTTLDefault is how long a validated session is trusted without
// asking Kratos again. Revocation in Kratos takes effect within this time;
// disabling a user takes effect at once (membership is read on every request).
const SessionCacheTTLDefault = 30 * time.Second

// CachedSessions wraps Kratos with a short cache of validated sessions,
// keyed by a hash of the credential (the credential itself is not kept).
type CachedSessions struct {
	k   *Kratos
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[[32]byte]cacheEntry
}

type cacheEntry struct {
	s       Session
	expires time.Time
}

// maxCacheEntries bounds memory; the cache is emptied when it is full.
const maxCacheEntries = 50_000

// NewCachedSessions caches k's session checks for ttl (SessionCacheTTLDefault if zero).
func NewCachedSessions(k *Kratos, ttl time.Duration) *CachedSessions {
	if ttl == 0 {
		ttl = SessionCacheTTLDefault
	}
	return &CachedSessions{k: k, ttl: ttl, now: time.Now, entries: map[[32]byte]cacheEntry{}}
}

// Kratos is the wrapped client.
func (c *CachedSessions) Kratos() *Kratos { return c.k }

// FromToken resolves a session token, from the cache when fresh.
func (c *CachedSessions) FromToken(ctx context.Context, token string) (Session, error) {
	return c.get(ctx, "t:"+token, func() (Session, error) { return c.k.SessionFromToken(ctx, token) })
}

// FromCookie resolves a session cookie header, from the cache when fresh.
func (c *CachedSessions) FromCookie(ctx context.Context, cookie string) (Session, error) {
	return c.get(ctx, "c:"+cookie, func() (Session, error) { return c.k.SessionFromCookie(ctx, cookie) })
}

// Refresh asks Kratos again for a token's or cookie's session, bypassing
// and updating the cache (e.g. after the session was raised to aal2).
func (c *CachedSessions) Refresh(ctx context.Context, token, cookie string) (Session, error) {
	if token != "" {
		c.drop("t:" + token)
		return c.FromToken(ctx, token)
	}
	c.drop("c:" + cookie)
	return c.FromCookie(ctx, cookie)
}

func (c *CachedSessions) drop(key string) {
	h := sha256.Sum256([]byte(key))
	c.mu.Lock()
	delete(c.entries, h)
	c.mu.Unlock()
}

// Forget drops cached sessions (e.g. after revoking one).
func (c *CachedSessions) Forget(sessionID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.s.ID == sessionID {
			delete(c.entries, k)
		}
	}
}

func (c *CachedSessions) get(_ context.Context, key string, fetch func() (Session, error)) (Session, error) {
	h := sha256.Sum256([]byte(key))
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[h]
	c.mu.Unlock()
	if ok && now.Before(e.expires) && now.Before(e.s.ExpiresAt) {
		return e.s, nil
	}
	s, err := fetch()
	if err != nil {
		return s, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCacheEntries {
		c.entries = map[[32]byte]cacheEntry{}
	}
	c.entries[h] = cacheEntry{s: s, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return s, nil
}
