package api

import (
	"sync"
	"time"
)

// touchEvery is how often one server records a session's activity in the
// database. In between, requests of a session this server saw active less
// than a minute ago skip the write: the idle limit (30 minutes) is then
// measured from a last activity up to a minute old, so a session may end up
// to a minute early, never late.
const touchEvery = time.Minute

// touches remembers when this server last recorded each session's activity.
type touches struct {
	mu sync.Mutex
	at map[string]time.Time
}

// recent reports whether session id's activity was recorded less than
// touchEvery before now.
func (t *touches) recent(id string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok := t.at[id]
	return ok && !now.Before(at) && now.Sub(at) < touchEvery
}

// record notes that session id's activity was recorded at now.
func (t *touches) record(id string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.at == nil || len(t.at) > 100_000 { // bound memory: forget everyone
		t.at = map[string]time.Time{}
	}
	t.at[id] = now
}

// forget drops session id (it ended).
func (t *touches) forget(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.at, id)
}
