package main

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseMemoryLimit: --memory-limit (CPIMS_MEMORY_LIMIT) reads sizes as
// GOMEMLIMIT writes them and refuses anything else.
func TestParseMemoryLimit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"3GiB":      3 << 30,
		"1500MiB":   1500 << 20,
		"1.5 GiB":   3 << 29,
		"2GB":       2e9,
		"524288KiB": 512 << 20,
		"1048576":   1 << 20,
		"100B":      100,
		"off":       math.MaxInt64,
	} {
		got, err := parseMemoryLimit(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "lots", "-1GiB", "0", "3GB5", "1e30TiB", "GiB"} {
		_, err := parseMemoryLimit(in)
		require.Error(t, err, in)
	}
}
