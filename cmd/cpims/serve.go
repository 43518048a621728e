package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

type serveFlags struct {
	addr        string
	opsAddr     string
	baseDomain  string
	operatorKey string
	workers     bool
	deleteGrace time.Duration
	shutdown    time.Duration
	kratosPub   string
	kratosAdmin string
	appURL      string
	idle        time.Duration
	lifespan    time.Duration
	emailURL    string
	storage     storageFlags
	memory      memoryLimitFlag
	deviceKeys  deviceKeyFlags
}

func (f *serveFlags) register(cmd *cobra.Command, workersDefault bool, addrDefault string) {
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", addrDefault, "address to listen on")
	fl.StringVar(&f.opsAddr, "ops-addr", opsAddrDefault, "address of the operations listener: /metrics, /healthz, /readyz "+
		"(metrics are never served on --addr); keep it off the internet, e.g. loopback or a private network; empty: none")
	fl.StringVar(&f.baseDomain, "base-domain", api.BaseDomainDefault, "tenants are served on <code>.<base-domain>, the platform API on <base-domain>")
	fl.StringVar(&f.operatorKey, "operator-api-key", "", "API key of hosting operators on the platform API (bootstrap until operators sign in through Kratos)")
	fl.BoolVar(&f.workers, "workers", workersDefault, "also run the background workers in this process")
	fl.DurationVar(&f.deleteGrace, "delete-grace", tenancy.DeleteGraceDefault, "how long a deleted tenant is kept, restorable, before it is purged")
	fl.DurationVar(&f.shutdown, "shutdown-timeout", 20*time.Second, "how long to let in-flight requests and jobs finish on shutdown")
	fl.StringVar(&f.emailURL, "email-url", "", "how email is sent: smtp://user:pass@host:587?from=... or ses://?region=...&from=... (see email.FromURL)")
	fl.StringVar(&f.kratosPub, "kratos-public-url", "", "Ory Kratos public API URL (identity); with --kratos-admin-url, checked by /readyz")
	fl.StringVar(&f.kratosAdmin, "kratos-admin-url", "", "Ory Kratos admin API URL (never exposed publicly)")
	fl.StringVar(&f.appURL, "app-url", api.AppURLDefault, "the app origin Kratos' UI and return URLs use (KRATOS_APP_URL); Kratos is served under /.ory/ on every host with it rewritten to that host")
	fl.DurationVar(&f.idle, "session-idle-timeout", tenancy.IdleTimeoutDefault, "a signed-in session ends after this long without a request")
	fl.DurationVar(&f.lifespan, "session-lifespan", tenancy.SessionLifespanDefault, "Kratos' session.lifespan (SESSION_LIFESPAN): the server does not enforce it (Kratos does) but tells it to the web app, which words it")
	f.storage.register(cmd)
	f.memory.register(cmd)
	f.deviceKeys.register(cmd)
}

func newServeCmd(g *globals) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the tenant and platform APIs and the web app (and, with --workers, the background jobs)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := g.logger()
			if err != nil {
				return err
			}
			d, err := g.open(cmd.Context(), log, tenancy.Config{DeleteGrace: f.deleteGrace})
			if err != nil {
				return err
			}
			defer d.close()
			return serve(cmd.Context(), d, f, nil)
		},
	}
	f.register(cmd, false, ":8080")
	return cmd
}

func newWorkerCmd(g *globals) *cobra.Command {
	var shutdown time.Duration
	var emailURL, appURL string
	var sf storageFlags
	var mem memoryLimitFlag
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run the background workers (provisioning, purges; later email, exports, matching)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := g.logger()
			if err != nil {
				return err
			}
			d, err := g.open(cmd.Context(), log, tenancy.Config{})
			if err != nil {
				return err
			}
			defer d.close()
			if err := mem.apply(log); err != nil {
				return err
			}
			d.matchingCachedCases, d.matchingStoreCases = mem.matchingCases, mem.storeCases
			store, err := sf.open()
			if err != nil {
				return err
			}
			client, err := startWorkers(cmd.Context(), d, emailURL, appURL, store)
			if err != nil {
				return err
			}
			log.Info("workers running; stop with Ctrl-C or SIGTERM")
			<-cmd.Context().Done()
			return stopWorkers(client, shutdown, log)
		},
	}
	cmd.Flags().DurationVar(&shutdown, "shutdown-timeout", 20*time.Second, "how long to let running jobs finish on shutdown")
	cmd.Flags().StringVar(&emailURL, "email-url", "", "how email is sent: smtp://user:pass@host:587?from=... or ses://?region=...&from=...")
	cmd.Flags().StringVar(&appURL, "app-url", api.AppURLDefault, "the app origin: links in notification emails go to <tenant>.<its host>")
	sf.register(cmd)
	mem.register(cmd)
	return cmd
}

// startWorkers runs the River workers; emailURL "platform-only" works just
// the platform queue. store (may be nil) holds the tenants' files; appURL
// is the app origin (links in notification emails).
func startWorkers(ctx context.Context, d *deps, emailURL, appURL string, store *storage.Store) (*river.Client[pgx.Tx], error) {
	cfg := jobs.Config{Logger: d.log, Storage: store, Origin: identity.Links{App: appURL}.TenantOrigin,
		MatchingCachedCases: d.matchingCachedCases, MatchingStoreCases: d.matchingStoreCases}
	if store == nil && emailURL != platformOnly {
		d.log.Warn("no --s3-bucket: purging a deleted tenant leaves any files it stored")
	}
	switch {
	case emailURL == platformOnly:
		cfg.OnlyPlatform = true
	case emailURL != "":
		sender, err := email.FromURL(ctx, emailURL)
		if err != nil {
			return nil, err
		}
		cfg.Email = sender
	default:
		d.log.Warn("no --email-url: emails stay queued and are retried until one is configured")
	}
	client, err := jobs.NewClient(d.pool, d.platform, cfg)
	if err != nil {
		return nil, err
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("starting River workers: %w", err)
	}
	return client, nil
}

const platformOnly = "platform-only"

// opsAddrDefault keeps the operations listener on loopback.
const opsAddrDefault = "127.0.0.1:9090"

func stopWorkers(client *river.Client[pgx.Tx], timeout time.Duration, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := client.Stop(ctx); err != nil {
		log.Warn("jobs still running at shutdown were cancelled", "error", err)
		return client.StopAndCancel(context.Background())
	}
	return nil
}

// serve runs the HTTP server (and workers with --workers) until ctx ends,
// then shuts down gracefully. ready, if set, is called once listening, with
// the addresses of the listener and of the operations listener ("" if none).
func serve(ctx context.Context, d *deps, f *serveFlags, ready func(addr, opsAddr string)) error {
	if err := f.memory.apply(d.log); err != nil {
		return err
	}
	d.matchingCachedCases, d.matchingStoreCases = f.memory.matchingCases, f.memory.storeCases
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		jobs.NewCollector(d.pool))
	store, err := f.storage.open()
	if err != nil {
		return err
	}
	keys, err := f.deviceKeys.keyring()
	if err != nil {
		return err
	}
	if keys == nil {
		d.log.Warn("no --device-key-secret: browsers cannot keep offline copies (registering a device and releasing its key answer 503)")
	} else {
		d.log.Info("device keys sealed with secret "+keys.ID(), "secrets", keys.IDs())
	}
	cfg := api.Config{BaseDomain: f.baseDomain, OperatorAPIKey: f.operatorKey, Logger: d.log, Registry: reg, AppURL: f.appURL,
		IdleTimeout: f.idle, SessionLifespan: f.lifespan, Storage: store, Notifier: notify.Notifier{}, DeviceKeys: keys}
	if f.kratosPub != "" || f.kratosAdmin != "" {
		k, err := identity.New(identity.Config{PublicURL: f.kratosPub, AdminURL: f.kratosAdmin})
		if err != nil {
			return fmt.Errorf("%w (set both --kratos-public-url and --kratos-admin-url, or neither)", err)
		}
		cfg.Identity = k
		cfg.Sessions = identity.NewCachedSessions(k, 0)
	}
	srv, err := api.New(d.platform, d.enforcer, cfg)
	if err != nil {
		return err
	}
	var workers *river.Client[pgx.Tx]
	if f.workers {
		if workers, err = startWorkers(ctx, d, f.emailURL, f.appURL, store); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w (is another cpims running? use --addr)", f.addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	var ops *http.Server
	var opsAddr string
	if f.opsAddr != "" {
		oln, err := net.Listen("tcp", f.opsAddr)
		if err != nil {
			_ = hs.Close()
			return fmt.Errorf("listening on %s: %w (use --ops-addr)", f.opsAddr, err)
		}
		ops = &http.Server{Handler: srv.OpsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- ops.Serve(oln) }()
		opsAddr = oln.Addr().String()
		d.log.Info("operations listener (metrics, health)", "addr", opsAddr)
	}
	d.log.Info("listening", "addr", ln.Addr().String(), "base_domain", f.baseDomain, "workers", f.workers)
	if ready != nil {
		ready(ln.Addr().String(), opsAddr)
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		d.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), f.shutdown)
		err = hs.Shutdown(sctx)
		cancel()
	}
	if ops != nil {
		_ = ops.Close()
	}
	if workers != nil {
		err = errors.Join(err, stopWorkers(workers, f.shutdown, d.log))
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
