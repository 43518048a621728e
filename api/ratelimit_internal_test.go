package api

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimiterRefillsAndNeverGoesNegative(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	l := newLimiter(6, 2, func() time.Time { return now }) // one token every 10 s, burst 2
	for range 2 {
		ok, _ := l.allow("a")
		require.True(t, ok)
	}
	ok, wait := l.allow("a")
	require.False(t, ok)
	require.InDelta(t, 10*time.Second, wait, float64(time.Millisecond))
	blocked, _ := l.blocked("a")
	require.True(t, blocked)
	now = now.Add(10 * time.Second)
	ok, _ = l.allow("a")
	require.True(t, ok, "refilled")
	now = now.Add(-time.Hour) // a clock going backwards must not drain the bucket
	now = now.Add(time.Hour + 20*time.Second)
	ok, _ = l.allow("a")
	require.True(t, ok)
	ok, _ = l.allow("b")
	require.True(t, ok, "keys are independent")
}
