package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/kratostest"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/internal/testdb"
)

var (
	binary string
	// kratosServer is a real Ory Kratos shared by the package's tests.
	kratosServer *kratostest.Server
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cpims-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "cpims")
	out, err := exec.Command("go", "build", "-o", binary, "../cmd/cpims").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building cpims: %v\n%s", err, out)
		os.Exit(1)
	}
	// testdb.Main exits the process: the binary's directory is removed by a hook.
	removeBinary := func() (func(), error) { return func() { os.RemoveAll(dir) }, nil }
	// versitygw built before the tests (cpims dev starts it), serialised with
	// the other packages' builds.
	buildS3 := func() (func(), error) {
		_, err := s3test.Build(context.Background())
		return func() {}, err
	}
	// A real Kratos, for the invitation of a tenant's first administrator.
	testdb.Main(m, removeBinary, buildS3, kratostest.Hook(&kratosServer))
}

type cli struct {
	t   *testing.T
	env []string
	db  *testdb.DB // the database the commands use
}

func newCLI(t *testing.T) *cli {
	db := testdb.New(t)
	env := append(os.Environ(), "DATABASE_URL="+db.URL, "CPIMS_ROLE_PREFIX="+db.RolePrefix)
	return &cli{t: t, env: env, db: db}
}

type result struct {
	stdout, stderr string
	code           int
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(c.t, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	require.Equal(c.t, 0, r.code, "cpims %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.stdout, r.stderr)
	return r
}

func TestTenantLifecycleThroughCLI(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	r := c.ok("migrate")
	require.Contains(t, r.stdout, "tenants: 0 considered")

	r = c.ok("tenant", "create", "--code", "ke", "--name", "Kenya", "--locales", "en,sw")
	require.Contains(t, r.stderr, "applying migration 1/")
	require.Contains(t, r.stderr, "tenant ke is active")
	require.Contains(t, r.stdout, "status:          active")

	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.ok("tenant", "list", "--json").stdout), &list))
	require.Len(t, list, 1)
	require.Equal(t, "ke", list[0]["code"])
	require.Equal(t, "Kenya", list[0]["name"])
	require.Equal(t, "active", list[0]["status"])
	require.Equal(t, "tenant_ke", list[0]["schema"])
	require.NotEmpty(t, list[0]["created_at"])
	require.Regexp(t, `(?m)^CODE\s+NAME\s+STATUS\s+SCHEMA\s+CREATED_AT\nke\s+Kenya\s+active\s+tenant_ke\s+\d{4}-`, c.ok("tenant", "list").stdout)

	r = c.run("tenant", "create", "--code", "KE", "--name", "Kenya")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "invalid code")
	r = c.run("tenant", "create", "--code", "ke", "--name", "Kenya again")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "already exists")

	require.Contains(t, c.ok("tenant", "suspend", "ke").stdout, "status:          suspended")
	require.Contains(t, c.ok("tenant", "resume", "ke").stdout, "status:          active")

	r = c.run("tenant", "delete", "ke")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "pass --confirm ke")
	r = c.run("tenant", "delete", "ke", "--confirm", "so")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "must repeat the tenant code")
	r = c.ok("tenant", "delete", "ke", "--confirm", "ke", "--delete-grace", "48h", "--json")
	var deleted map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &deleted))
	require.Equal(t, "deleting", deleted["status"])
	after, err := time.Parse(time.RFC3339Nano, deleted["delete_after"].(string))
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(48*time.Hour), after, 5*time.Minute)

	var status []map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.ok("migrate", "--status", "--json").stdout), &status))
	require.Equal(t, status[0]["schema_version"], status[0]["latest_version"])

	r = c.run("tenant", "show", "zz")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "cpims tenant list")
}

func TestMissingDatabaseSaysWhatToDo(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary, "tenant", "list")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "set DATABASE_URL")
}

// startServer runs cpims with args and returns its address once it listens.
// logBuffer collects a process's output while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startServer(t *testing.T, c *cli, args ...string) (*exec.Cmd, string, *logBuffer) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = c.env
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	log := &logBuffer{}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(io.TeeReader(stderr, log))
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) == nil && line["msg"] == "listening" {
				addr <- line["addr"].(string)
			}
			if strings.Contains(sc.Text(), "CPIMS+ is running") {
				addr <- ""
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		require.True(t, ok, "cpims exited before listening:\n%s", log.String())
		return cmd, a, log
	case <-time.After(60 * time.Second):
		t.Fatalf("cpims did not start listening within 60s:\n%s", log.String())
	}
	return nil, "", nil
}

func get(t *testing.T, addr, host, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+path, nil)
	require.NoError(t, err)
	req.Host = host
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

func TestServeAndGracefulShutdown(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("migrate")
	c.ok("tenant", "create", "--code", "so", "--name", "Somalia", "--locales", "so,en,ar")
	opsAddr := freeAddr(t)
	cmd, addr, log := startServer(t, c, "serve", "--addr", freeAddr(t), "--ops-addr", opsAddr, "--workers")

	code, body := get(t, addr, "so.localhost", "/api/v2/system_settings")
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"name":"Somalia"`)
	code, body = get(t, addr, "so.localhost", "/api/v2/openapi.json")
	require.Equal(t, 200, code)
	require.Contains(t, body, `"openapi":"3.1.0"`)
	code, _ = get(t, addr, "so.localhost", "/api/v2/docs")
	require.Equal(t, 200, code)
	code, body = get(t, addr, "localhost", "/api/platform/v1/openapi.yaml")
	require.Equal(t, 200, code)
	require.Contains(t, body, "CPIMS+ platform API")
	code, _ = get(t, addr, "localhost", "/readyz")
	require.Equal(t, 200, code)
	// Metrics only on the operations listener.
	for _, host := range []string{"so.localhost", "localhost"} {
		code, body = get(t, addr, host, "/metrics")
		require.Equal(t, 404, code)
		require.NotContains(t, body, "cpims_http_request_duration_seconds")
	}
	code, body = get(t, opsAddr, "anything", "/metrics")
	require.Equal(t, 200, code)
	require.Contains(t, body, `cpims_http_request_duration_seconds_count{code="200",method="GET",operation="get-system-settings"}`)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, log.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("cpims serve did not stop within 30s of SIGTERM:\n%s", log.String())
	}
	require.Contains(t, log.String(), `"msg":"shutting down"`)
	require.Contains(t, log.String(), `"request_id"`)
	require.Contains(t, log.String(), `"tenant":"so"`)
}

func TestDevWithDatabaseURL(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	data := t.TempDir()
	cmd, _, log := startServer(t, c, "dev", "--addr", freeAddr(t), "--smtp-addr", "127.0.0.1:0", "--s3-port", "0", "--data-dir", data,
		"--ops-addr", "127.0.0.1:0")
	out := log.String()
	require.Contains(t, out, "tenant demo is active")
	require.Regexp(t, `files \(S3, versitygw\):\s+http://127\.0\.0\.1:\d+ bucket cpims \(data `+regexp.QuoteMeta(filepath.Join(data, "s3")), out)
	require.DirExists(t, filepath.Join(data, "s3", "data", "cpims"), "the bucket is a directory of the local S3 server")
	require.Regexp(t, `tenant API docs:\s+http://demo\.localhost:\d+/api/v2/docs`, out)
	require.Regexp(t, `operator API key:\s+dev-[0-9a-f]{32}`, out)
	require.Regexp(t, `demo places:\s+15 \(`, out, "the demo hierarchy is seeded")
	require.Regexp(t, `email:\s+smtp://127\.0\.0\.1:\d+\?tls=none`, out)
	require.NotContains(t, out, "cpims_test_app:cpims_test_app@", "the database password must not be printed")
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	require.NoError(t, cmd.Wait())
}

// TestTaskUpStopsCleanlyOnInterrupt runs `go tool task up` as a terminal
// would and presses Ctrl-C: SIGINT to the whole foreground process group.
// Everything stops, and task reports no failure (`go run` used to exit 1).
func TestTaskUpStopsCleanlyOnInterrupt(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	addr := freeAddr(t)
	cmd := exec.Command("go", "tool", "task", "up", "--", "--addr", addr, "--smtp-addr", "127.0.0.1:0", "--ops-addr", "127.0.0.1:0",
		"--s3-port", "0", "--data-dir", t.TempDir())
	cmd.Dir = ".."
	cmd.Env = c.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	log := &logBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(4 * time.Minute)
	for !strings.Contains(log.String(), "CPIMS+ is running") {
		select {
		case err := <-done:
			t.Fatalf("task up ended before the stack ran (%v):\n%s", err, log.String())
		case <-deadline:
			t.Fatalf("task up not running within 4 minutes:\n%s", log.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	require.Regexp(t, `listening on:\s+`+addr, log.String())
	require.NoError(t, syscall.Kill(-cmd.Process.Pid, syscall.SIGINT))
	select {
	case err := <-done:
		require.NoError(t, err, log.String())
	case <-time.After(time.Minute):
		t.Fatalf("task up did not stop within a minute of Ctrl-C:\n%s", log.String())
	}
	require.Contains(t, log.String(), "shutting down")
	require.NotContains(t, log.String(), "Failed to run task", log.String())
}
