package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// deps are what most commands need: a pool and the platform on it.
type deps struct {
	pool     *pgxpool.Pool
	platform *tenancy.Platform
	enforcer *policy.Enforcer // shared by the platform's data methods and the API
	log      *slog.Logger
	// matchingCachedCases and matchingStoreCases are the workers'
	// --matching-cached-cases and --matching-store-cases.
	matchingCachedCases, matchingStoreCases int
}

func (d *deps) close() { d.pool.Close() }

func (g *globals) open(ctx context.Context, log *slog.Logger, cfg tenancy.Config) (*deps, error) {
	if g.databaseURL == "" {
		return nil, errors.New("no database: set DATABASE_URL (or --database-url), or use `cpims dev` for a local stack")
	}
	pcfg, err := pgxpool.ParseConfig(g.databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parsing the database URL: %w", err)
	}
	pcfg.ConnConfig.RuntimeParams["application_name"] = "cpims"
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach the database at %s@%s:%d/%s: %w (is PostgreSQL running and DATABASE_URL right?)",
			pcfg.ConnConfig.User, pcfg.ConnConfig.Host, pcfg.ConnConfig.Port, pcfg.ConnConfig.Database, err)
	}
	enforcer, err := policy.NewEnforcer()
	if err != nil {
		pool.Close()
		return nil, err
	}
	cfg.RolePrefix = g.rolePrefix
	cfg.Logger = log
	cfg.Authorizer = enforcer
	// New tenants get the default configuration (tenancy cannot import forms).
	cfg.Seed = append(cfg.Seed, forms.Seed)
	p, err := tenancy.New(pool, cfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &deps{pool: pool, platform: p, enforcer: enforcer, log: log}, nil
}

// openCLI opens the platform for a hosting command: warnings only, as text,
// and a context acting as the operator who runs it. Close the deps after use.
func (g *globals) openCLI(ctx context.Context, cfg tenancy.Config) (context.Context, *deps, error) {
	g.logFormat, g.logLevel = "text", "warn"
	log, err := g.logger()
	if err != nil {
		return nil, nil, err
	}
	d, err := g.open(ctx, log, cfg)
	if err != nil {
		return nil, nil, err
	}
	return operatorContext(ctx), d, nil
}

// operatorContext marks CLI actions with the OS user who ran them.
func operatorContext(ctx context.Context) context.Context {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return policy.WithSubject(ctx, policy.Subject{Kind: policy.KindOperator, ID: "cli:" + name + "@" + host,
		Roles: []string{policy.RoleOperator}, Scope: policy.ScopeAll})
}
