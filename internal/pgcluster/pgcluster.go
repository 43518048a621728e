// Package pgcluster starts a private PostgreSQL cluster from the machine's
// server binaries. `cpims dev` uses it when DATABASE_URL is unset, and tests
// use it when TEST_DATABASE_URL is unset, so a fresh machine with only the
// PostgreSQL binaries installed can run the whole stack and every test.
//
// The cluster listens on 127.0.0.1 only, with Unix sockets disabled, and
// trusts local TCP connections: it is a development and test tool, never a
// production database. When the process runs as root, the server runs as an
// unprivileged OS user ("postgres" if it exists, else "nobody") because
// PostgreSQL refuses to run as root.
package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options configures a private cluster.
type Options struct {
	// Dir holds the data directory (Dir/data) and the server log (Dir/postgres.log).
	// Required. An existing data directory is reused.
	Dir string
	// Port to listen on. Zero picks a free port.
	Port int
	// Fast disables durability (fsync, full page writes, synchronous commit) for tests.
	Fast bool
	// Log receives progress lines. Defaults to io.Discard.
	Log io.Writer
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	cmd  *exec.Cmd
	dir  string
	port int
	done chan error
}

// SuperuserURL is a connection URL for the cluster's superuser "postgres" to database db.
func (c *Cluster) SuperuserURL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Port is the TCP port the server listens on.
func (c *Cluster) Port() int { return c.port }

// Start initialises the cluster if needed, starts the server and waits until it accepts connections.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("pgcluster: Options.Dir is required")
	}
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	// Parents must be enterable by the server's user; the cluster directory itself is private.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, err
	}
	if cred != nil {
		if err := checkTraversable(dir, cred); err != nil {
			return nil, err
		}
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(logw, "initialising a private PostgreSQL cluster in %s\n", data)
		initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
			"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		var out bytes.Buffer
		initdb.Stdout, initdb.Stderr = &out, &out
		if err := initdb.Run(); err != nil {
			return nil, fmt.Errorf("initdb failed (%w); output:\n%s", err, out.String())
		}
	}
	port := opts.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	args := []string{"-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
		"-c", "max_connections=300", "-c", "shared_buffers=128MB"}
	if opts.Fast {
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if cred != nil {
		_ = logFile.Chown(int(cred.Uid), int(cred.Gid))
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Pdeathsig stops the server if this process dies without calling Stop.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	c := &Cluster{cmd: cmd, dir: dir, port: port, done: make(chan error, 1)}
	go func() { c.done <- cmd.Wait(); logFile.Close() }()
	if err := c.waitReady(ctx); err != nil {
		_ = c.Stop()
		return nil, err
	}
	fmt.Fprintf(logw, "private PostgreSQL listening on 127.0.0.1:%d (log: %s)\n", port, filepath.Join(dir, "postgres.log"))
	return c, nil
}

func (c *Cluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case werr := <-c.done:
			c.done <- werr
			return fmt.Errorf("postgres exited during start-up (%v); see %s", werr, filepath.Join(c.dir, "postgres.log"))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within 60s (%v); see %s", err, filepath.Join(c.dir, "postgres.log"))
		}
	}
}

// Stop shuts the server down (fast shutdown) and waits for it to exit.
func (c *Cluster) Stop() error {
	if c.cmd.Process == nil {
		return nil
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
		return nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return errors.New("postgres did not stop within 30s and was killed")
	}
}

// findBinDir locates the directory holding initdb and postgres: PATH first,
// then the newest /usr/lib/postgresql/<version>/bin.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("postgres"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if _, err := os.Stat(filepath.Join(filepath.Dir(real), "initdb")); err == nil {
				return filepath.Dir(real), nil
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql) or set DATABASE_URL to an existing server")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// serverCredential returns nil when not root, else the unprivileged user to run postgres as.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, but neither a 'postgres' nor a 'nobody' OS user exists to run PostgreSQL as; create one (useradd -r postgres)")
}

// checkTraversable makes sure the unprivileged server user can reach dir.
func checkTraversable(dir string, cred *syscall.Credential) error {
	for p := filepath.Dir(dir); p != "/"; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		ok := mode&0o001 != 0 || (st.Uid == cred.Uid && mode&0o100 != 0) || (st.Gid == cred.Gid && mode&0o010 != 0)
		if !ok {
			return fmt.Errorf("the PostgreSQL server runs as uid %d, which cannot enter %s (mode %v): choose a data directory outside it, or set DATABASE_URL", cred.Uid, p, mode)
		}
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// IsRunningIn reports whether a postmaster.pid exists for the data directory in dir.
func IsRunningIn(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}
