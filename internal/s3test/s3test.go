// Package s3test runs a real S3 server for tests and the local development
// stack: versitygw (POSIX backend), built from infra/versitygw (its own Go
// module) by infra/versitygw/build.sh and started on a free loopback port.
//
// A test binary starts one server in TestMain (Main, or Hook with
// testdb.Main); each test then gets a bucket of its own with Bucket(t).
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sys/unix"

	"github.com/cpims-hosted/cpims/storage"
)

// Region is the region versitygw is started with (its default).
const Region = "us-east-1"

// healthPath answers GET without authentication once the server is up.
const healthPath = "/health"

// Server is a running versitygw.
type Server struct {
	// URL is the S3 endpoint, e.g. http://127.0.0.1:41234.
	URL string
	// AccessKey and SecretKey are the root credentials.
	AccessKey string
	SecretKey string
	// Dir holds the objects (Dir/data, one directory per bucket), earlier
	// versions in versioned buckets (Dir/versions) and, when the file system
	// has no extended attributes, their metadata (Dir/meta).
	Dir string
	// Sidecar reports that metadata is kept in Dir/meta, not in xattrs.
	Sidecar bool
	// LogPath is the server's output.
	LogPath string

	cmd     *exec.Cmd
	done    chan error
	keepLog bool
	tempDir bool
}

// Options configures Start.
type Options struct {
	// Dir keeps the data; empty: a temporary directory removed by Stop.
	Dir string
	// Port on 127.0.0.1; zero picks a free one.
	Port int
	// AccessKey and SecretKey of the root account; empty: random.
	AccessKey string
	SecretKey string
	// KeepLog keeps the log file after Stop.
	KeepLog bool
	// Sidecar keeps object metadata in Dir/meta even when the file system
	// has extended attributes (chosen by itself when it has none).
	Sidecar bool
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Build builds versitygw if needed (infra/versitygw/build.sh: once per
// checkout and version, serialised between concurrent callers) and returns
// the binary's path.
func Build(ctx context.Context) (string, error) {
	build := exec.CommandContext(ctx, "bash", filepath.Join(repoRoot(), "infra/versitygw/build.sh"))
	build.Stderr = os.Stderr
	out, err := build.Output()
	if err != nil {
		return "", fmt.Errorf("building versitygw: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Start builds versitygw if needed and starts it, returning once it answers.
func Start(ctx context.Context, o Options) (*Server, error) {
	bin, err := Build(ctx)
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: o.Dir, AccessKey: o.AccessKey, SecretKey: o.SecretKey, keepLog: o.KeepLog, Sidecar: o.Sidecar}
	if s.Dir == "" {
		if s.Dir, err = os.MkdirTemp("", "cpims-s3-"); err != nil {
			return nil, err
		}
		s.tempDir = true
	}
	if s.AccessKey == "" {
		s.AccessKey, s.SecretKey = "test"+randomHex(8), randomHex(20)
	}
	data, meta, versions := filepath.Join(s.Dir, "data"), filepath.Join(s.Dir, "meta"), filepath.Join(s.Dir, "versions")
	for _, d := range []string{data, versions} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	if s.Sidecar || !hasXattrs(data) {
		// versitygw keeps object metadata in extended attributes; without
		// them, in a directory beside the data.
		if err := os.MkdirAll(meta, 0o700); err != nil {
			return nil, err
		}
		s.Sidecar = true
	}
	// A port picked free may be taken before the server binds it: retry.
	for attempt := 1; ; attempt++ {
		port := o.Port
		if port == 0 {
			port = freePort()
		}
		// --versioning-dir lets a bucket turn versioning on, as AWS buckets do.
		args := []string{"--quiet", "--health", healthPath, "--port", fmt.Sprintf("127.0.0.1:%d", port),
			"posix", "--versioning-dir", versions}
		if s.Sidecar {
			args = append(args, "--sidecar", meta)
		}
		err = s.start(ctx, bin, append(args, data), port)
		if err == nil || o.Port != 0 || attempt == 3 {
			break
		}
	}
	if err != nil {
		s.cleanup()
		return nil, err
	}
	return s, nil
}

func (s *Server) start(ctx context.Context, bin string, args []string, port int) error {
	logFile, err := os.CreateTemp("", "versitygw-*.log")
	if err != nil {
		return err
	}
	s.LogPath = logFile.Name()
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	s.done = make(chan error, 1)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+s.AccessKey, "ROOT_SECRET_KEY="+s.SecretKey)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return err
	}
	go func() { s.done <- s.cmd.Wait(); logFile.Close() }()
	deadline := time.Now().Add(time.Minute)
	for {
		if s.healthy(ctx) {
			return nil
		}
		select {
		case werr := <-s.done:
			log, _ := os.ReadFile(s.LogPath)
			_ = os.Remove(s.LogPath)
			return fmt.Errorf("versitygw exited during start-up (%v): %s", werr, strings.TrimSpace(string(log)))
		case <-ctx.Done():
			s.Stop()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("versitygw not answering on %s after a minute; see %s", s.URL, s.LogPath)
		}
	}
}

func (s *Server) healthy(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+healthPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Stop shuts the server down and removes its temporary data.
func (s *Server) Stop() {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
	if !s.keepLog {
		_ = os.Remove(s.LogPath)
	}
	s.cleanup()
}

func (s *Server) cleanup() {
	if s.tempDir {
		_ = os.RemoveAll(s.Dir)
	}
}

// Config is a storage configuration for bucket on this server, as root.
func (s *Server) Config(bucket string) storage.Config {
	return storage.Config{Endpoint: s.URL, Region: Region, Bucket: bucket, AccessKey: s.AccessKey,
		SecretKey: s.SecretKey, PathStyle: true}
}

// Client is an S3 client of the root account, for set-up and for assertions
// that look past the storage package.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{Region: Region, BaseEndpoint: aws.String(s.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, "")})
}

// CreateBucket creates bucket unless this account already has it.
func (s *Server) CreateBucket(ctx context.Context, bucket string) error {
	_, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("creating bucket %s: %w", bucket, err)
	}
	return nil
}

// hasXattrs reports whether dir's file system keeps user extended attributes.
func hasXattrs(dir string) bool {
	f, err := os.CreateTemp(dir, ".xattr-check-")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	f.Close()
	return unix.Setxattr(f.Name(), "user.cpims-check", []byte("1"), 0) == nil
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// server is the test binary's versitygw (Hook, Main).
var server *Server

// Hook is a testdb.Main hook: it starts the test binary's versitygw, used by
// Bucket and Default, and stops it after the tests.
func Hook() (func(), error) {
	var err error
	if server, err = Start(context.Background(), Options{}); err != nil {
		return nil, err
	}
	return server.Stop, nil
}

// Main runs a package's tests with a versitygw (for packages that need no
// database; others pass Hook to testdb.Main).
func Main(m *testing.M) {
	stop, err := Hook()
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3test:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

// Default is the test binary's server (started by Hook or Main).
func Default() *Server {
	if server == nil {
		panic("s3test: no server: call s3test.Main, or pass s3test.Hook to testdb.Main, from TestMain")
	}
	return server
}

// Bucket creates a new, empty bucket for the test on the test binary's
// server and returns a storage configuration for it.
func Bucket(t testing.TB) storage.Config {
	t.Helper()
	name := "t-" + randomHex(8)
	if err := Default().CreateBucket(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return Default().Config(name)
}
