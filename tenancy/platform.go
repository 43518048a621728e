package tenancy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/cpims-hosted/cpims/migrations"
	"github.com/cpims-hosted/cpims/policy"
)

// Defaults for Config.
const (
	RolePrefixDefault         = "cpims_"
	DeleteGraceDefault        = 7 * 24 * time.Hour
	MigrateConcurrencyDefault = 8
	// RiverSchema is the schema of River's tables (one queue shared by all tenants).
	RiverSchema = "river"
	// PlatformSchema is the control plane's schema.
	PlatformSchema = "platform"
	// ExtensionsSchema holds the PostgreSQL extensions tenant schemas use
	// (ltree), created once per database by MigratePlatform. It is on every
	// tenant transaction's search_path, after the tenant's schema; tenant
	// roles may use it, never create in it. See docs/tenancy.md.
	ExtensionsSchema = "extensions"
)

// tenantSearchPath is the search_path of tenant code's transactions: its own
// schema first, then the shared extensions.
func tenantSearchPath(code string) string { return searchPath(SchemaName(code)) }

// searchPath is the search_path for working in schema: the schema, then the
// extensions; empty for no schema.
func searchPath(schema string) string {
	if schema == "" {
		return ""
	}
	return ident(schema) + ", " + ExtensionsSchema
}

var rolePrefixRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,20}$`)

// Config configures a Platform.
type Config struct {
	// RolePrefix starts the names of the roles the platform creates: the owner
	// role <prefix>owner and the tenant roles <prefix>tenant_<code>. Roles are
	// cluster-wide, so two deployments sharing a PostgreSQL cluster need
	// different prefixes. Defaults to RolePrefixDefault.
	RolePrefix string
	// DeleteGrace is how long a deleted tenant is kept (inaccessible, restorable
	// with Resume) before it is purged. Defaults to DeleteGraceDefault; must not be negative.
	DeleteGrace time.Duration
	// MigrateConcurrency is how many tenants MigrateTenants migrates at once.
	// Defaults to MigrateConcurrencyDefault.
	MigrateConcurrency int
	// Authorizer checks the permission of every data method against the
	// acting subject. Give the API's policy.Enforcer, so that the tenant
	// policies it loads apply here too. Defaults to a new policy.Enforcer
	// (named system actors and operators only).
	Authorizer Authorizer
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Seed writes the parts of a new tenant's default configuration that
	// other packages own (forms, lookups, module options, roles' form
	// access: forms.Seed), in order, after the tenancy's own seed. Each runs in
	// the provisioning transaction as the tenant's role with search_path set
	// to its schema; an error fails the provisioning. They run only when a
	// tenant is provisioned at the latest migration (always, outside tests
	// of upgrades). Defaults to none.
	Seed []SeedFunc
	// TenantCacheTTL is how long Lookup keeps a tenant row (changes through
	// this Platform forget it at once; every API call's transaction checks
	// the status anyway: CallGuard). Defaults to TenantCacheTTLDefault;
	// negative: no cache.
	TenantCacheTTL time.Duration
	// APIKeyCacheTTL is how long PrincipalByAPIKey keeps a valid key's
	// principal (every API call's transaction checks the key anyway:
	// CallGuard). Defaults to APIKeyCacheTTLDefault; negative: no cache.
	APIKeyCacheTTL time.Duration
}

// SeedFunc writes part of a new tenant's default configuration in tx, the
// provisioning transaction (see Config.Seed).
type SeedFunc func(ctx context.Context, tx pgx.Tx, t Tenant) error

// WithDefaults returns a copy of c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.RolePrefix = cmp.Or(c.RolePrefix, RolePrefixDefault)
	c.DeleteGrace = cmp.Or(c.DeleteGrace, DeleteGraceDefault)
	c.MigrateConcurrency = cmp.Or(c.MigrateConcurrency, MigrateConcurrencyDefault)
	c.TenantCacheTTL = cmp.Or(c.TenantCacheTTL, TenantCacheTTLDefault)
	c.APIKeyCacheTTL = cmp.Or(c.APIKeyCacheTTL, APIKeyCacheTTLDefault)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Authorizer == nil {
		if en, err := policy.NewEnforcer(); err == nil {
			c.Authorizer = en
		}
	}
	return c
}

func (c Config) validate() error {
	if c.Authorizer == nil {
		return errors.New("tenancy: no Authorizer")
	}
	if !rolePrefixRE.MatchString(c.RolePrefix) {
		return fmt.Errorf("tenancy: RolePrefix %q must match %s", c.RolePrefix, rolePrefixRE)
	}
	if c.DeleteGrace < 0 {
		return errors.New("tenancy: DeleteGrace must not be negative")
	}
	if c.MigrateConcurrency < 1 {
		return errors.New("tenancy: MigrateConcurrency must be at least 1")
	}
	return nil
}

// Platform is the control plane: tenants, their lifecycle and the one entry
// point to tenant data (Tx).
type Platform struct {
	pool     *pgxpool.Pool
	cfg      Config
	log      *slog.Logger
	inserter *river.Client[pgx.Tx] // insert-only River client
	tenants  *tenantCache          // tenant rows for Lookup
	keys     *keyCache             // API keys' principals for PrincipalByAPIKey

	platformMigrations []*migrate.Migration
	tenantMigrations   []*migrate.Migration
}

// New builds a Platform on pool. It does not touch the database; call
// MigratePlatform before use on a new database.
func New(pool *pgxpool.Pool, cfg Config) (*Platform, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	pm, err := loadMigrations(migrations.Platform())
	if err != nil {
		return nil, fmt.Errorf("loading platform migrations: %w", err)
	}
	tm, err := loadMigrations(migrations.Tenant())
	if err != nil {
		return nil, fmt.Errorf("loading tenant migrations: %w", err)
	}
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Schema: RiverSchema, Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("creating River insert client: %w", err)
	}
	return &Platform{pool: pool, cfg: cfg, log: cfg.Logger, inserter: inserter,
		tenants: &tenantCache{ttl: cfg.TenantCacheTTL}, keys: &keyCache{ttl: cfg.APIKeyCacheTTL},
		platformMigrations: pm, tenantMigrations: tm}, nil
}

// Config returns the effective configuration.
func (p *Platform) Config() Config { return p.cfg }

// Ping checks that the database answers.
func (p *Platform) Ping(ctx context.Context) error { return p.pool.Ping(ctx) }

// OwnerRole is the NOLOGIN role owning every tenant schema and object.
func (p *Platform) OwnerRole() string { return p.cfg.RolePrefix + "owner" }

// TenantRole is the NOLOGIN role through which the application reaches a tenant's data.
func (p *Platform) TenantRole(code string) string { return p.cfg.RolePrefix + "tenant_" + code }

// LatestTenantVersion is the number of tenant migrations embedded in this binary.
func (p *Platform) LatestTenantVersion() int { return len(p.tenantMigrations) }

// LatestPlatformVersion is the number of platform migrations embedded in this binary.
func (p *Platform) LatestPlatformVersion() int { return len(p.platformMigrations) }

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }
