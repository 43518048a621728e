// Package testdb gives tests a real PostgreSQL database of their own.
//
// Main (from TestMain) uses TEST_DATABASE_URL, a superuser URL, or else starts
// a private cluster from the machine's PostgreSQL binaries for the test
// binary's lifetime. It creates the application login role (NOINHERIT,
// CREATEROLE, no superuser: like production) and a template database with the
// platform and River schemas migrated, keyed by a hash of the migrations.
// New clones the template into a fresh database per test and gives it a
// unique role prefix, so tests run in parallel and never share data or roles.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/pgcluster"
	"github.com/cpims-hosted/cpims/migrations"
	"github.com/cpims-hosted/cpims/tenancy"
)

// AppRole is the login role tests connect as.
const AppRole = "cpims_test_app"

var (
	adminURL string
	template string
)

// Main runs the package's tests with a database server available. Each hook
// runs after the server is ready and before the tests; the function it
// returns runs after them (e.g. start and stop a Kratos).
func Main(m *testing.M, hooks ...func() (func(), error)) {
	os.Exit(run(m, hooks))
}

func run(m *testing.M, hooks []func() (func(), error)) int {
	ctx := context.Background()
	adminURL = os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		dir, err := os.MkdirTemp("", "cpims-testpg-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, "testdb: starting a private PostgreSQL (set TEST_DATABASE_URL to use an existing server):", err)
			return 1
		}
		defer c.Stop()
		adminURL = c.SuperuserURL("postgres")
	}
	if err := prepare(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		return 1
	}
	for _, h := range hooks {
		teardown, err := h()
		if err != nil {
			fmt.Fprintln(os.Stderr, "testdb: test set-up:", err)
			return 1
		}
		defer teardown()
	}
	return m.Run()
}

// CreateDatabase creates an empty database for a component with its own schema
// (e.g. Kratos) and returns its superuser URL. It lives as long as the server.
func CreateDatabase(prefix string) (string, error) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", err
	}
	defer admin.Close(ctx)
	name := prefix + "_" + randomHex(5)
	if _, err := admin.Exec(ctx, "create database "+name); err != nil {
		return "", err
	}
	u, _ := url.Parse(adminURL)
	u.Path = "/" + name
	return u.String(), nil
}

func migrationsHash() string {
	h := sha256.New()
	for _, f := range []fs.FS{migrations.Platform(), migrations.Tenant()} {
		_ = fs.WalkDir(f, ".", func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(f, path)
				h.Write([]byte(path))
				h.Write(b)
			}
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// prepare creates the app role and the template database once per server and migration set.
func prepare(ctx context.Context) error {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connecting to TEST_DATABASE_URL: %w", err)
	}
	defer admin.Close(ctx)
	// Serialise test binaries preparing the same server.
	if _, err := admin.Exec(ctx, "select pg_advisory_lock(727274)"); err != nil {
		return err
	}
	defer admin.Exec(ctx, "select pg_advisory_unlock(727274)")
	var exists bool
	if err := admin.QueryRow(ctx, "select exists (select from pg_roles where rolname = $1)", AppRole).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := admin.Exec(ctx, fmt.Sprintf("create role %s login noinherit createrole password '%s'", AppRole, AppRole)); err != nil {
			return err
		}
	}
	template = "cpims_tpl_" + migrationsHash()
	if err := admin.QueryRow(ctx, "select exists (select from pg_database where datname = $1)", template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := template + "_building"
	if _, err := admin.Exec(ctx, "drop database if exists "+building); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, "create database "+building+" owner "+AppRole); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, AppURL(building))
	if err != nil {
		return err
	}
	p, err := tenancy.New(pool, tenancy.Config{RolePrefix: "tpl_", Logger: quiet()})
	if err == nil {
		err = p.MigratePlatform(ctx)
	}
	pool.Close()
	if err != nil {
		return fmt.Errorf("migrating template database: %w", err)
	}
	_, err = admin.Exec(ctx, "alter database "+building+" rename to "+template)
	return err
}

// AppURL is the URL of database db for the application login role.
func AppURL(db string) string {
	u, err := url.Parse(adminURL)
	if err != nil {
		panic(err)
	}
	u.User = url.UserPassword(AppRole, AppRole)
	u.Path = "/" + db
	return u.String()
}

// DB is a fresh database for one test.
type DB struct {
	Name       string
	RolePrefix string
	// Pool connects as the application login role.
	Pool *pgxpool.Pool
	// URL connects as the application login role.
	URL string
}

// New clones the template into a new database owned by the app role, with a
// unique role prefix, and drops both at the end of the test.
func New(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	suffix := randomHex(5)
	db := &DB{Name: "cpims_t_" + suffix, RolePrefix: "t" + suffix + "_"}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "create database "+db.Name+" template "+template+" owner "+AppRole); err != nil {
		t.Fatal(err)
	}
	db.URL = AppURL(db.Name)
	db.Pool, err = pgxpool.New(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Pool.Close()
		admin, err := pgx.Connect(ctx, adminURL)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "drop database "+db.Name+" with (force)"); err != nil {
			t.Error(err)
		}
		rows, _ := admin.Query(ctx, "select rolname from pg_roles where starts_with(rolname, $1)", db.RolePrefix)
		roles, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Error(err)
		}
		for _, r := range roles {
			if _, err := admin.Exec(ctx, "drop role "+pgx.Identifier{r}.Sanitize()); err != nil {
				t.Error(err)
			}
		}
	})
	return db
}

// Kept opens the database "cpims_keep_<name>", cloning the template when it
// does not exist yet, and keeps it (and its roles, prefix "k<name>_") after
// the test: for benchmarks whose data takes long to build (a seeded tenant of
// a million records), run against a persistent server (TEST_DATABASE_URL).
// Its platform schema is migrated by Platform like any other; tenants in it
// must be brought up to date by the caller (tenancy.Platform.MigrateTenants).
func Kept(t testing.TB, name string) *DB {
	t.Helper()
	ctx := context.Background()
	db := &DB{Name: "cpims_keep_" + name, RolePrefix: "k" + name + "_"}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, "select exists (select from pg_database where datname = $1)", db.Name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "create database "+db.Name+" template "+template+" owner "+AppRole); err != nil {
			t.Fatal(err)
		}
	}
	db.URL = AppURL(db.Name)
	db.Pool, err = pgxpool.New(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Pool.Close)
	return db
}

// Platform returns a migrated tenancy.Platform on db with the test's role
// prefix. Provisioning seeds the default configuration (forms.Seed), as
// cmd/cpims does, unless cfg.Seed is set.
func (db *DB) Platform(t testing.TB, cfg tenancy.Config) *tenancy.Platform {
	t.Helper()
	cfg.RolePrefix = db.RolePrefix
	if cfg.Seed == nil {
		cfg.Seed = []tenancy.SeedFunc{forms.Seed}
	}
	if cfg.Logger == nil {
		cfg.Logger = quiet()
	}
	p, err := tenancy.New(db.Pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.MigratePlatform(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

// SuperuserURL connects to db as the server's superuser.
func (db *DB) SuperuserURL() string {
	u, _ := url.Parse(adminURL)
	u.Path = "/" + db.Name
	return u.String()
}

// Superuser opens a superuser connection to db, for assertions a tenant role cannot make.
func (db *DB) Superuser(t testing.TB) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), db.SuperuserURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func quiet() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
