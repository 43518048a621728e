package matching

import (
	"bytes"
	"sync"
	"time"
)

// A re-matching run reads the same cases again and again: 100,000 traces
// with up to MaxCandidates candidates each read about 200 million stored
// subjects, from at most as many cases as the tenant has, and the cases of
// common names are candidates of thousands of traces. Decoding a stored
// subject is most of a trace's CPU (docs/matching-log.md, Speed → Session 21),
// so a run keeps the decoded subjects it read in a SubjectCache and decodes
// a case again only when its stored form changed or it was evicted.

// SubjectCache holds decoded cases (DecodeCase) for reuse across the traces
// of a run, at most a fixed number, each with the stored form it was
// decoded from: a case is served from the cache only when the stored form
// read now is byte for byte the one decoded, so a case re-stored meanwhile
// is decoded again. The cache belongs to one decoding context (the
// matcher's fingerprint, its day and its locations: what DecodeCase reads
// besides the form); Matcher.DecodeCaseCached clears it when the context
// changes. Safe for concurrent use. Cached subjects are shared: callers
// must not modify them (copy one to set its Fields).
type SubjectCache struct {
	mu      sync.Mutex
	max     int
	context string
	cases   map[string]cachedSubject
	hits    int64
	misses  int64
	// values interns the values of the cases decoded (decodeShared).
	values *valueTable
}

type cachedSubject struct {
	stored []byte
	s      *Subject
}

// NewSubjectCache returns a cache of at most max decoded cases (with their
// stored form and their share of the values table, measured: 3.8 KB each
// when every case of a tenant is cached, about 7 KB when a tenth is, the
// table keeping values of evicted cases too); max <= 0 caches nothing.
func NewSubjectCache(max int) *SubjectCache {
	return &SubjectCache{max: max, cases: map[string]cachedSubject{},
		values: newValueTable(max * ValuesPerCachedCase)}
}

// ValuesPerCachedCase bounds a SubjectCache's distinct decoded values, and
// its names (shared by its cases and those decoded through it), by its
// cases.
const ValuesPerCachedCase = 2

// ValueStats returns how many values of the cases decoded through the
// cache were shared and how many decoded, and how many names inside the
// values decoded were shared and how many decoded.
func (c *SubjectCache) ValueStats() (shared, decoded, sharedNames, decodedNames int64) {
	t := c.values
	return t.hits.Load(), t.misses.Load(), t.nameHits.Load(), t.nameMisses.Load()
}

// Stats returns how many reads the cache served and how many it decoded.
func (c *SubjectCache) Stats() (hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Len returns how many decoded cases the cache holds.
func (c *SubjectCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cases)
}

// DecodeContext identifies what a decoded case depends on besides its
// stored form: the fingerprint, the day ages are given on, and the
// locations (locations identifies the hierarchy's version: the caller's
// digest of it).
func (m *Matcher) DecodeContext(locations string) string {
	return string(appendInt64(nil, m.fingerprint)) + m.today.UTC().Format(time.DateOnly) + "\x00" + locations
}

func appendInt64(b []byte, v int64) []byte {
	for i := range 8 {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// DecodeCaseCached is DecodeCase through the cache c (nil: no cache) in
// the decoding context ctx (DecodeContext): the cached subject when c
// holds the case decoded from the same stored form in the same context,
// else the form decoded and cached. The result is shared: do not modify
// it.
func (m *Matcher) DecodeCaseCached(c *SubjectCache, ctx string, id string, data []byte) (*Subject, error) {
	if c == nil || c.max <= 0 {
		return m.DecodeCase(id, data)
	}
	c.mu.Lock()
	if c.context != ctx {
		clear(c.cases)
		c.context = ctx
	}
	if e, ok := c.cases[id]; ok && bytes.Equal(e.stored, data) {
		c.hits++
		c.mu.Unlock()
		return e.s, nil
	}
	c.misses++
	c.mu.Unlock()
	s, err := m.decodeShared(c.values, ctx, id, data)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.context != ctx {
		return s, nil
	}
	if _, ok := c.cases[id]; !ok && len(c.cases) >= c.max {
		for k := range c.cases { // evict one case at random (map order)
			delete(c.cases, k)
			break
		}
	}
	c.cases[id] = cachedSubject{stored: bytes.Clone(data), s: s}
	return s, nil
}
