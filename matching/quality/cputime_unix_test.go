//go:build unix

package quality

import "syscall"

// processCPU returns the CPU time (user and system) the test process has
// used so far, in nanoseconds: on a shared machine, wall time per
// operation grows with other processes' load, CPU time much less.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
