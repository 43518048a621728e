package matching

import "unsafe"

// prefetch asks the processor to bring the cache line at p in (PREFETCHT0)
// without waiting for it: the pre-score reads each candidate's values and
// memo entries at random, about one memory latency each, and asking for
// the next candidates' lines while this one is scored overlaps those
// waits. p need not be valid memory to prefetch, but it is always taken
// from a live slice here.
//
//go:noescape
func prefetch(p unsafe.Pointer)
