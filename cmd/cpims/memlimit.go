package main

import (
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// memoryLimitFlag is --memory-limit of the processes that run workers: the
// Go runtime's soft memory limit (what GOMEMLIMIT sets), so that the heap
// of a large job (matching estimation holds every consenting case of a
// tenant) is collected harder near the limit instead of growing to twice
// its live size (docs/runbook.md, Worker memory); and --gc-percent, the
// collector's target heap growth (what GOGC sets): matching runs allocate
// fast, and at the default 100 the collector took about a third of a
// batch's CPU (docs/matching-log.md, Speed → Session 19).
type memoryLimitFlag struct {
	value     string
	gcPercent int
	// matchingCases is --matching-cached-cases: the decoded cases a
	// re-matching run keeps (matching.ServiceConfig.CachedCases).
	matchingCases int
	// storeCases is --matching-store-cases: the consenting cases a
	// re-matching run holds in its store (matching.ServiceConfig.StoreCases).
	storeCases int
}

func (f *memoryLimitFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "memory-limit", "",
		"soft memory limit of the Go runtime, e.g. 3GiB or 1500MiB (as GOMEMLIMIT; empty: GOMEMLIMIT's, else none); "+
			"set it below the container's or host's memory, leaving room for other processes")
	cmd.Flags().IntVar(&f.gcPercent, "gc-percent", 0,
		"the Go collector's target heap growth in percent (as GOGC; 0: GOGC's, else 100); "+
			"400 with a --memory-limit spends less CPU collecting during matching runs")
	cmd.Flags().IntVar(&f.matchingCases, "matching-cached-cases", 0,
		"decoded cases a matching run keeps for reuse, about 4-7 KB each (0: 100,000; -1: none); "+
			"every consenting case of a tenant cached made a run's CPU per trace 1.7x smaller (docs/matching-log.md, Session 24)")
	cmd.Flags().IntVar(&f.storeCases, "matching-store-cases", 0,
		"consenting cases of a tenant a matching run holds in its store, about 2 KB each (0: 1,000,000; -1: none); "+
			"a tenant with more is run through the cache of --matching-cached-cases (docs/matching-log.md, Session 26)")
}

// apply sets the runtime's memory limit when the flag is given and logs
// the limit in force.
func (f *memoryLimitFlag) apply(log *slog.Logger) error {
	if f.gcPercent < 0 {
		return fmt.Errorf("--gc-percent: %d is not a percentage (0: GOGC's)", f.gcPercent)
	}
	if f.matchingCases < -1 {
		return fmt.Errorf("--matching-cached-cases: %d is not a number of cases (0: the default, -1: none)", f.matchingCases)
	}
	if f.storeCases < -1 {
		return fmt.Errorf("--matching-store-cases: %d is not a number of cases (0: the default, -1: none)", f.storeCases)
	}
	if f.gcPercent > 0 {
		debug.SetGCPercent(f.gcPercent)
		log.Info("gc percent", "percent", f.gcPercent)
	}
	if f.value != "" {
		n, err := parseMemoryLimit(f.value)
		if err != nil {
			return fmt.Errorf("--memory-limit: %w", err)
		}
		debug.SetMemoryLimit(n)
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		log.Info("memory limit", "bytes", limit, "MiB", limit>>20)
	}
	return nil
}

// parseMemoryLimit reads a size as GOMEMLIMIT writes it: a number of bytes
// with an optional unit B, KiB, MiB, GiB or TiB (also KB, MB, GB, TB as
// powers of 1000); "off" is no limit.
func parseMemoryLimit(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return math.MaxInt64, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{
		{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1},
	}
	num, mult := s, 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	x, err := strconv.ParseFloat(num, 64)
	if err != nil || x <= 0 || math.IsInf(x, 0) || x*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a size such as 3GiB, 1500MiB or off", s)
	}
	return int64(x * mult), nil
}
