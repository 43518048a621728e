//go:build !amd64

package matching

import "unsafe"

// prefetch does nothing where no assembly asks the processor for a line
// ahead (prefetch_amd64.s).
func prefetch(p unsafe.Pointer) {}
