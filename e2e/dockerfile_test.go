package e2e

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDockerfileBuildsStaticNonRootImages checks the Dockerfile without a
// Docker engine (none runs on these machines): its stages and runtime users,
// and that its build command for cpims gives a static binary, which the
// distroless runtime (no libc) needs. Kratos' build command is the one
// infra/kratos/build.sh runs for every test (CGO_ENABLED=0 as well).
func TestDockerfileBuildsStaticNonRootImages(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../Dockerfile")
	require.NoError(t, err)
	defer f.Close()
	type stage struct {
		from, name string
		lines      []string
	}
	var stages []*stage
	args := map[string]string{}
	argRe := regexp.MustCompile(`^ARG (\w+)=(\S+)$`)
	fromRe := regexp.MustCompile(`^FROM (?:--platform=\S+ )?(\S+) AS (\S+)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := argRe.FindStringSubmatch(line); m != nil && len(stages) == 0 {
			args[m[1]] = m[2]
		}
		if m := fromRe.FindStringSubmatch(line); m != nil {
			stages = append(stages, &stage{from: m[1], name: m[2]})
		} else if len(stages) > 0 {
			stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, line)
		}
	}
	require.NoError(t, sc.Err())
	byName := map[string]*stage{}
	var names []string
	for _, s := range stages {
		byName[s.name] = s
		names = append(names, s.name)
	}
	require.Equal(t, []string{"frontend", "build", "kratos-build", "kratos", "cpims"}, names,
		"multi-stage, with the cpims image last (the default target)")
	require.Equal(t, "gcr.io/distroless/static-debian12:nonroot", args["RUNTIME_IMAGE"])
	for _, name := range []string{"kratos", "cpims"} {
		s := byName[name]
		require.Equal(t, "${RUNTIME_IMAGE}", s.from, "%s runs on the distroless runtime", name)
		require.Contains(t, s.lines, "USER 65532:65532", "%s runs as a non-root user", name)
	}
	for _, name := range []string{"build", "kratos-build"} {
		require.Contains(t, byName[name].lines, "ENV CGO_ENABLED=0 GOFLAGS=-trimpath", "%s builds static binaries", name)
	}

	// The build stage's command, on this machine.
	bin := filepath.Join(t.TempDir(), "cpims")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "../cmd/cpims")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	exe, err := elf.Open(bin)
	require.NoError(t, err)
	defer exe.Close()
	for _, p := range exe.Progs {
		require.NotEqual(t, elf.PT_INTERP, p.Type, "cpims must be static: the runtime image has no dynamic loader")
	}
}
