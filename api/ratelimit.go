package api

import (
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// limiter is a set of token buckets by key (e.g. client IP): each key may
// spend burst tokens at once, refilled at rate per second. In memory, per
// process: behind N servers the effective limit is N times higher.
type limiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute, burst int, now func() time.Time) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow spends one token for key, or reports how long until one is available.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+max(0, now.Sub(b.last).Seconds())*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// maxBuckets bounds a limiter's memory.
const maxBuckets = 100_000

// prune forgets the buckets that have refilled (they equal a new bucket); if
// that frees nothing, as under a flood of distinct keys, it forgets everyone
// rather than grow without bound.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+max(0, now.Sub(b.last).Seconds())*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		l.buckets = map[string]*bucket{}
	}
}

// blocked reports whether key has no token left, without spending one.
func (l *limiter) blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return false, 0
	}
	tokens := math.Min(l.burst, b.tokens+max(0, l.now().Sub(b.last).Seconds())*l.rate)
	if tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - tokens) / l.rate * float64(time.Second))
}

// clientIP is the request's client: the connection's peer, or, when the
// server runs behind a trusted proxy (load balancer), the last address the
// proxy appended to X-Forwarded-For.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// addressKey is the rate-limit key of a client address: the address itself
// for IPv4, its /64 prefix for IPv6 (one subscriber or site usually holds a
// whole /64, so single IPv6 addresses are free to rotate).
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// memo remembers short facts by key (which account a session or flow
// belongs to, which credentials were seen valid) until they expire. Keys are
// hashed, so credentials are not kept. Bounded like limiter.
type memo struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[[32]byte]memoEntry
}

type memoEntry struct {
	value   string
	expires time.Time
}

func newMemo(now func() time.Time) *memo {
	return &memo{now: now, entries: map[[32]byte]memoEntry{}}
}

// put remembers value under key for ttl.
func (m *memo) put(key, value string, ttl time.Duration) {
	if key == "" {
		return
	}
	now := m.now()
	h := sha256.Sum256([]byte(key))
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) >= maxBuckets {
		for k, e := range m.entries {
			if !now.Before(e.expires) {
				delete(m.entries, k)
			}
		}
		if len(m.entries) >= maxBuckets {
			m.entries = map[[32]byte]memoEntry{}
		}
	}
	m.entries[h] = memoEntry{value: value, expires: now.Add(ttl)}
}

// forget drops what is remembered under key.
func (m *memo) forget(key string) {
	h := sha256.Sum256([]byte(key))
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, h)
}

// get returns what is remembered under key, if it has not expired.
func (m *memo) get(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(key))
	m.mu.Lock()
	e, ok := m.entries[h]
	m.mu.Unlock()
	if !ok || !m.now().Before(e.expires) {
		return "", false
	}
	return e.value, true
}
