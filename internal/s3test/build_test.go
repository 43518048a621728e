package s3test_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBuildRunsOnceWhenCalledConcurrently: test binaries of several packages
// call build.sh at the same moment; exactly one builds (the others wait on
// the lock) and all get the same working binary. A fresh binary path forces
// a real build (quick: the Go build cache holds the compiled packages).
func TestBuildRunsOnceWhenCalledConcurrently(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "versitygw")
	const callers = 3
	var wg sync.WaitGroup
	stdout, stderr := make([]bytes.Buffer, callers), make([]bytes.Buffer, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			cmd := exec.Command("bash", filepath.Join("..", "..", "infra", "versitygw", "build.sh"))
			cmd.Env = append(os.Environ(), "VERSITYGW_BIN="+bin)
			cmd.Stdout, cmd.Stderr = &stdout[i], &stderr[i]
			errs[i] = cmd.Run()
		})
	}
	wg.Wait()
	builds := 0
	for i := range callers {
		require.NoError(t, errs[i], stderr[i].String())
		require.Equal(t, bin, strings.TrimSpace(stdout[i].String()))
		builds += strings.Count(stderr[i].String(), "building versitygw")
	}
	require.Equal(t, 1, builds, "exactly one caller builds")
	out, err := exec.Command(bin, "--version").CombinedOutput()
	require.NoError(t, err)
	require.Contains(t, string(out), "v1.8.0")
}
