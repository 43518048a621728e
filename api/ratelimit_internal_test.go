package api

import (
	"strconv"
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

func TestAddressKeyGroupsIPv6ByPrefix(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.7":                 "192.0.2.7",
		"::ffff:192.0.2.7":          "192.0.2.7",
		"2001:db8:1:2::1":           "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::9": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":           "2001:db8:1:3::/64",
		"fe80::1%eth0":              "fe80::/64",
		"not an address":            "not an address",
	} {
		require.Equal(t, want, addressKey(in), in)
	}
}

func TestLimiterForgetsRefilledBucketsFirst(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	l := newLimiter(60, 1, func() time.Time { return now })
	ok, _ := l.allow("attacked")
	require.True(t, ok)
	for i := range maxBuckets {
		l.buckets[strconv.Itoa(i)] = &bucket{tokens: 1, last: now} // full: same as forgotten
	}
	ok, _ = l.allow("newcomer")
	require.True(t, ok)
	blocked, _ := l.blocked("attacked")
	require.True(t, blocked, "a flood of new keys does not wipe a spent bucket")
}

func TestHostHeaderParsing(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ke.localhost": "ke.localhost", "KE.LocalHost:8080": "ke.localhost:8080", "so.localhost.": "so.localhost.",
		"[::1]:8080": "[::1]:8080", "127.0.0.1": "127.0.0.1",
	} {
		h, ok := parseHost(in)
		require.True(t, ok, in)
		require.Equal(t, want, h.String())
	}
	for _, bad := range []string{"", "ke.localhost:evil.example", "ke.localhost:", "ke.localhost:0", "ke.localhost:65536",
		"a b", "ke.localhost:80:80", "[::1", "[zz]:80", "-ke.localhost", "ke.localhost%00", "[127.0.0.1]"} {
		_, ok := parseHost(bad)
		require.False(t, ok, bad)
	}
}
