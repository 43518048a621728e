// Package kratostest runs a real Ory Kratos for tests and the local
// development stack: built from infra/kratos (its own Go module) and started
// with infra/kratos/run.sh on loopback ports, with its own database.
package kratostest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/testdb"
)

// Server is a running Kratos.
type Server struct {
	PublicURL string
	AdminURL  string
	LogPath   string
	cmd       *exec.Cmd
	done      chan error
	keepLog   bool
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Options configures StartWith.
type Options struct {
	DSN        string // Kratos' PostgreSQL database (required)
	PublicPort int    // zero picks a free port
	AdminPort  int    // zero picks a free port
	SMTPURI    string // courier SMTP URI; default: a closed port (emails fail and are retried)
	AppURL     string // the app's origin, for UI and return URLs (run.sh KRATOS_APP_URL)
	LogLevel   string // default "warning"
	// SessionLifespan is Kratos' session.lifespan, the absolute limit of a
	// session; zero keeps config/kratos.yml's 12 hours.
	SessionLifespan time.Duration
	// KeepLog keeps the log file after Stop.
	KeepLog bool
}

// Start builds Kratos if needed and starts it on dsn (an empty PostgreSQL database).
func Start(ctx context.Context, dsn string) (*Server, error) {
	return StartWith(ctx, Options{DSN: dsn})
}

// StartWith builds Kratos if needed and starts it.
func StartWith(ctx context.Context, o Options) (*Server, error) {
	dsn := o.DSN
	root := repoRoot()
	build := exec.CommandContext(ctx, "bash", filepath.Join(root, "infra/kratos/build.sh"))
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building Kratos: %w", err)
	}
	public, admin := o.PublicPort, o.AdminPort
	if public == 0 {
		public = freePort()
	}
	if admin == 0 {
		admin = freePort()
	}
	if o.SMTPURI == "" {
		o.SMTPURI = fmt.Sprintf("smtp://127.0.0.1:%d/?disable_starttls=true", freePort())
	}
	if o.LogLevel == "" {
		o.LogLevel = "warning"
	}
	logFile, err := os.CreateTemp("", "kratos-test-*.log")
	if err != nil {
		return nil, err
	}
	s := &Server{PublicURL: fmt.Sprintf("http://127.0.0.1:%d", public), AdminURL: fmt.Sprintf("http://127.0.0.1:%d", admin),
		LogPath: logFile.Name(), done: make(chan error, 1), keepLog: o.KeepLog}
	s.cmd = exec.Command("bash", filepath.Join(root, "infra/kratos/run.sh"))
	s.cmd.Env = append(os.Environ(), "KRATOS_DSN="+dsn, fmt.Sprintf("KRATOS_PUBLIC_PORT=%d", public),
		fmt.Sprintf("KRATOS_ADMIN_PORT=%d", admin), "KRATOS_SMTP_URI="+o.SMTPURI, "LOG_LEVEL="+o.LogLevel)
	if o.AppURL != "" {
		s.cmd.Env = append(s.cmd.Env, "KRATOS_APP_URL="+o.AppURL)
	}
	if o.SessionLifespan > 0 {
		s.cmd.Env = append(s.cmd.Env, "SESSION_LIFESPAN="+o.SessionLifespan.String())
	}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait(); logFile.Close() }()
	k, err := identity.New(identity.Config{PublicURL: s.PublicURL, AdminURL: s.AdminURL})
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		rctx, cancel := context.WithTimeout(ctx, time.Second)
		err := k.Ready(rctx)
		cancel()
		if err == nil {
			return s, nil
		}
		select {
		case werr := <-s.done:
			return nil, fmt.Errorf("kratos exited during start-up (%v); see %s", werr, s.LogPath)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("kratos not ready after 2 minutes (%v); see %s", err, s.LogPath)
		}
	}
}

// Stop shuts Kratos down.
func (s *Server) Stop() {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
	if !s.keepLog {
		_ = os.Remove(s.LogPath)
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Hook is a testdb.Main hook: it starts a Kratos with a database of its own on
// the test PostgreSQL, stores it in *s, and stops it after the tests.
func Hook(s **Server) func() (func(), error) {
	return func() (func(), error) {
		dsn, err := testdb.CreateDatabase("kratos")
		if err != nil {
			return nil, err
		}
		if *s, err = Start(context.Background(), dsn); err != nil {
			return nil, err
		}
		return (*s).Stop, nil
	}
}
