package main

import (
	"log/slog"
	"math"
	"runtime/debug"
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

// TestGCPercentRefusesNegative: --gc-percent below 0 is refused before
// anything is set (GOGC=off is not offered: without a memory limit the
// heap would grow unbounded).
func TestGCPercentRefusesNegative(t *testing.T) {
	t.Parallel()
	f := memoryLimitFlag{gcPercent: -1, value: "1GiB"}
	before := debug.SetMemoryLimit(-1)
	require.ErrorContains(t, f.apply(slog.New(slog.DiscardHandler)), "--gc-percent")
	require.Equal(t, before, debug.SetMemoryLimit(-1), "the memory limit was left as it was")
}

// TestMatchingCachedCasesRefusesBelowMinusOne: --matching-cached-cases
// and --matching-store-cases take a number of cases, 0 for the default or
// -1 for none; anything lower is refused before the memory limit is set.
func TestMatchingCachedCasesRefusesBelowMinusOne(t *testing.T) {
	t.Parallel()
	f := memoryLimitFlag{matchingCases: -2, value: "1GiB"}
	before := debug.SetMemoryLimit(-1)
	require.ErrorContains(t, f.apply(slog.New(slog.DiscardHandler)), "--matching-cached-cases")
	require.Equal(t, before, debug.SetMemoryLimit(-1), "the memory limit was left as it was")
	for _, n := range []int{-1, 0, 1_000_000} {
		f := memoryLimitFlag{matchingCases: n, storeCases: n}
		require.NoError(t, f.apply(slog.New(slog.DiscardHandler)), n)
	}
	f = memoryLimitFlag{storeCases: -2, value: "1GiB"}
	require.ErrorContains(t, f.apply(slog.New(slog.DiscardHandler)), "--matching-store-cases")
	require.Equal(t, before, debug.SetMemoryLimit(-1), "the memory limit was left as it was")
}
