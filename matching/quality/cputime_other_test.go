//go:build !unix

package quality

func processCPU() int64 { return 0 }
