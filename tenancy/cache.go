package tenancy

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Defaults for the request caches (Config.TenantCacheTTL, Config.APIKeyCacheTTL).
const (
	TenantCacheTTLDefault = 10 * time.Second
	APIKeyCacheTTLDefault = 30 * time.Second
)

// tenantCache keeps tenant rows read by Lookup for a short time. Changes
// made through this Platform forget the row at once; changes made by
// another process reach this one within the TTL, and the status check of
// every API call's transaction (CallGuard) does not wait for it.
type tenantCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]tenantEntry
}

type tenantEntry struct {
	t     Tenant
	until time.Time
}

func (c *tenantCache) get(code string, now time.Time) (Tenant, bool) {
	if c.ttl <= 0 {
		return Tenant{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[code]
	if !ok || !now.Before(e.until) {
		return Tenant{}, false
	}
	return e.t, true
}

func (c *tenantCache) put(t Tenant, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]tenantEntry{}
	}
	c.entries[t.Code] = tenantEntry{t: t, until: now.Add(c.ttl)}
}

func (c *tenantCache) forget(code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, code)
}

// keyCache keeps the principals of API keys that were valid a moment ago,
// by a hash of tenant and key. A call authenticated from it is checked again
// in its own transaction (CallGuard), so a revoked key fails at once.
type keyCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[[32]byte]keyEntry
}

// cachedKey is an API key's principal and its expiry.
type cachedKey struct {
	Principal
	expires *time.Time
}

type keyEntry struct {
	k     cachedKey
	until time.Time
}

func keyHash(code, key string) [32]byte { return sha256.Sum256([]byte(code + "\x00" + key)) }

func (c *keyCache) get(code, key string, now time.Time) (cachedKey, bool) {
	if c.ttl <= 0 {
		return cachedKey{}, false
	}
	h := keyHash(code, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[h]
	if !ok || !now.Before(e.until) {
		return cachedKey{}, false
	}
	return e.k, true
}

func (c *keyCache) put(code, key string, k cachedKey, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedKeys {
		c.entries = map[[32]byte]keyEntry{}
	}
	c.entries[keyHash(code, key)] = keyEntry{k: k, until: now.Add(c.ttl)}
}

func (c *keyCache) forget(code, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, keyHash(code, key))
}

// forgetAll forgets every cached key (revocation through this process
// takes effect at once even for calls that open no transaction).
func (c *keyCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}

// maxCachedKeys bounds the key cache; it starts again empty when full.
const maxCachedKeys = 10_000
