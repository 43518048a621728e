package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/kratostest"
	"github.com/cpims-hosted/cpims/internal/pgcluster"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/internal/smtptest"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Local development database and S3 credentials (private servers on loopback only).
const (
	devPGPortDefault = 54329
	devRole          = "cpims"
	devDatabase      = "cpims"
	devS3PortDefault = 7070
	devS3AccessKey   = "cpims-dev"
	devS3SecretKey   = "cpims-dev-secret"
	devS3Bucket      = "cpims"
)

func newDevCmd(g *globals) *cobra.Command {
	f := &serveFlags{}
	var dataDir string
	var pgPort int
	var demo, smtpAddr, kratosDSN string
	var kratosPublicPort, kratosAdminPort, s3Port int
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run the whole stack locally: database, migrations, a demo tenant, API, web app and workers",
		Long: "Uses DATABASE_URL when set; otherwise starts a private PostgreSQL under --data-dir from the machine's\n" +
			"PostgreSQL binaries. Starts Kratos and versitygw (S3), both built from their Go modules on first use.\n" +
			"Migrates, creates the demo tenant, and serves http://<demo>.localhost:8080.\n" +
			"Listens on loopback only (" + devAddrDefault + "): the demo users' password is public and anyone may\n" +
			"register. --addr :8080 listens on every interface. Ctrl-C stops everything it started.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			g.logFormat = "text"
			log, err := g.logger()
			if err != nil {
				return err
			}
			out := cmd.ErrOrStderr()
			if !loopbackAddr(f.addr) {
				log.Warn("listening beyond loopback: the demo users' password is public and self-registration is open; "+
					"anyone who reaches this machine can sign in", "addr", f.addr)
			}
			if g.databaseURL == "" {
				cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(dataDir, "pg"), Port: pgPort, Log: out})
				if err != nil {
					return fmt.Errorf("starting the local PostgreSQL: %w", err)
				}
				defer func() {
					fmt.Fprintln(out, "stopping PostgreSQL")
					_ = cluster.Stop()
				}()
				if g.databaseURL, err = bootstrapDevDatabase(ctx, cluster); err != nil {
					return err
				}
				if kratosDSN == "" && f.kratosPub == "" {
					if kratosDSN, err = devKratosDatabase(ctx, cluster); err != nil {
						return err
					}
				}
			}
			d, err := g.open(ctx, log, tenancy.Config{DeleteGrace: f.deleteGrace})
			if err != nil {
				return err
			}
			defer d.close()
			fmt.Fprintln(out, "migrating...")
			if err := d.platform.MigratePlatform(ctx); err != nil {
				return err
			}
			if rep, err := d.platform.MigrateTenants(ctx, tenancy.MigrateOptions{}); err != nil || len(rep.Failed) > 0 {
				return errors.Join(err, fmt.Errorf("tenant migrations failed: %v", rep.Failed))
			}
			if f.emailURL == "" {
				capture, err := smtptest.Start(smtpAddr, func(m smtptest.Message) {
					subject := ""
					if msg, err := mail.ReadMessage(bytes.NewReader(m.Data)); err == nil {
						subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
					}
					log.Info("email captured (not delivered)", "to", m.To, "subject", subject)
				})
				if err != nil {
					return fmt.Errorf("starting the local SMTP capture on %s: %w (use --smtp-addr)", smtpAddr, err)
				}
				defer capture.Close()
				f.emailURL = "smtp://" + capture.Addr + "?tls=none&from=no-reply@" + f.baseDomain
			}
			s3URL := "(external: " + cmp.Or(f.storage.endpoint, "AWS S3") + ", bucket " + f.storage.bucket + ")"
			if f.storage.bucket == "" {
				fmt.Fprintln(out, "starting versitygw, the S3 server (the first run builds it from its Go module: a few minutes)...")
				s3srv, err := s3test.Start(ctx, s3test.Options{Dir: filepath.Join(dataDir, "s3"), Port: s3Port,
					AccessKey: devS3AccessKey, SecretKey: devS3SecretKey, KeepLog: true})
				if err != nil {
					return fmt.Errorf("starting versitygw: %w (use --s3-port, or --s3-bucket for another server)", err)
				}
				defer s3srv.Stop()
				if err := s3srv.CreateBucket(ctx, devS3Bucket); err != nil {
					return err
				}
				f.storage = storageFlags{endpoint: s3srv.URL, bucket: devS3Bucket, region: s3test.Region,
					accessKey: devS3AccessKey, secretKey: devS3SecretKey}
				s3URL = fmt.Sprintf("%s bucket %s (data %s, log %s)", s3srv.URL, devS3Bucket, s3srv.Dir, s3srv.LogPath)
			}
			var kratos *kratostest.Server
			if f.kratosPub == "" && kratosDSN != "" {
				fmt.Fprintln(out, "starting Ory Kratos (the first run builds it from its Go module: a few minutes)...")
				f.appURL = "http://" + f.baseDomain + ":" + f.addr[strings.LastIndex(f.addr, ":")+1:]
				kratos, err = kratostest.StartWith(ctx, kratostest.Options{DSN: kratosDSN, PublicPort: kratosPublicPort,
					AdminPort: kratosAdminPort, SMTPURI: smtpURIForKratos(f.emailURL), AppURL: f.appURL, LogLevel: "info", KeepLog: true})
				if err != nil {
					return fmt.Errorf("starting Kratos: %w", err)
				}
				defer kratos.Stop()
				f.kratosPub, f.kratosAdmin = kratos.PublicURL, kratos.AdminURL
			} else if f.kratosPub == "" {
				log.Warn("no Kratos: sign-in is unavailable (give --kratos-dsn, or --kratos-public-url and --kratos-admin-url)")
			}
			if f.operatorKey == "" {
				b := make([]byte, 16)
				_, _ = rand.Read(b)
				f.operatorKey = "dev-" + hex.EncodeToString(b)
			}
			if f.deviceKeys.secret == "" && f.deviceKeys.file == "" {
				if f.deviceKeys.secret, err = devDeviceKeySecret(dataDir); err != nil {
					return fmt.Errorf("the local device key secret: %w", err)
				}
			}
			f.workers = true
			opctx := operatorContext(ctx)
			return serve(ctx, d, f, func(addr, opsAddr string) {
				if err := ensureDemoTenant(opctx, d, demo, out); err != nil {
					log.Error("creating the demo tenant", "error", err)
					return
				}
				places, err := ensureDemoLocations(ctx, d, demo)
				if err != nil {
					log.Error("creating the demo places", "error", err)
					return
				}
				users := "(none: Kratos is not running)"
				if kratos != nil {
					if users, err = ensureDemoUsers(opctx, d, kratos, demo); err != nil {
						log.Error("creating the demo users", "error", err)
						return
					}
				}
				port := addr[strings.LastIndex(addr, ":")+1:]
				fmt.Fprintf(out, `
CPIMS+ is running. Ctrl-C stops everything.

  web app (demo tenant):  http://%[1]s.%[2]s:%[3]s/
  tenant API docs:        http://%[1]s.%[2]s:%[3]s/api/v2/docs
  tenant API spec:        http://%[1]s.%[2]s:%[3]s/api/v2/openapi.yaml
  platform API docs:      http://%[2]s:%[3]s/api/platform/v1/docs
  operator API key:       %[4]s
  listening on:           %[11]s
  health:                 http://%[2]s:%[3]s/healthz  /readyz
  metrics:                %[12]s
  database:               %[5]s
  email:                  %[6]s
  Kratos (sign-in):       http://%[1]s.%[2]s:%[3]s/.ory/ (public %[7]s, admin %[8]s)
  files (S3, versitygw):  %[10]s
  demo users:             %[9]s
  demo places:            %[13]s

`, demo, f.baseDomain, port, f.operatorKey, redact(g.databaseURL), redact(f.emailURL), f.kratosPub, f.kratosAdmin, users, s3URL,
					addr, metricsURL(opsAddr), places)
			})
		},
	}
	f.register(cmd, true, devAddrDefault)
	cmd.Flags().StringVar(&dataDir, "data-dir", ".data", "where the private PostgreSQL keeps its data (when DATABASE_URL is unset)")
	cmd.Flags().IntVar(&pgPort, "pg-port", devPGPortDefault, "port of the private PostgreSQL")
	cmd.Flags().StringVar(&demo, "demo-tenant", "demo", "code of the demo tenant to create")
	cmd.Flags().StringVar(&kratosDSN, "kratos-dsn", "", "PostgreSQL URL of Kratos' own database (default with the private PostgreSQL: its database \"kratos\")")
	cmd.Flags().IntVar(&kratosPublicPort, "kratos-public-port", 4433, "port of the local Kratos public API")
	cmd.Flags().IntVar(&kratosAdminPort, "kratos-admin-port", 4434, "port of the local Kratos admin API")
	cmd.Flags().IntVar(&s3Port, "s3-port", devS3PortDefault, "port of the local S3 server (versitygw, data under --data-dir/s3; started unless --s3-bucket is set)")
	cmd.Flags().StringVar(&smtpAddr, "smtp-addr", "127.0.0.1:1025", "local SMTP capture server (used unless --email-url is set); captured emails are logged, not delivered")
	return cmd
}

// devAddrDefault keeps the local stack, with its public demo password, on loopback.
const devAddrDefault = "127.0.0.1:8080"

// loopbackAddr reports whether a listen address only accepts local connections.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func metricsURL(opsAddr string) string {
	if opsAddr == "" {
		return "(none: --ops-addr is empty)"
	}
	return "http://" + opsAddr + "/metrics (operations listener, never on the app's address)"
}

// devKratosDatabase creates Kratos' database on the private cluster.
func devKratosDatabase(ctx context.Context, c *pgcluster.Cluster) (string, error) {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "select exists (select from pg_database where datname = 'kratos')").Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "create database kratos"); err != nil {
			return "", err
		}
	}
	return c.SuperuserURL("kratos"), nil
}

// smtpURIForKratos turns our email URL into Kratos' courier URI (local capture only).
func smtpURIForKratos(emailURL string) string {
	u, err := url.Parse(emailURL)
	if err != nil || u.Scheme != "smtp" {
		return ""
	}
	return "smtp://" + u.Host + "/?disable_starttls=true"
}

// demoPassword is the password of every demo user (local development only).
const demoPassword = "demo-password-change-me"

// ensureDemoUsers creates an agency and one user per default role in the demo tenant.
func ensureDemoUsers(ctx context.Context, d *deps, k *kratostest.Server, code string) (string, error) {
	if err := people.New(d.platform).AddAgency(ctx, code, "agency-demo", "DEMO", map[string]string{"en": "Demo agency"}); err != nil &&
		!errors.Is(err, tenancy.ErrConflict) {
		return "", err
	}
	kc, err := identity.New(identity.Config{PublicURL: k.PublicURL, AdminURL: k.AdminURL})
	if err != nil {
		return "", err
	}
	var lines []string
	for _, role := range []string{"caseworker", "case-manager", "agency-admin", "system-administrator", "data-analyst"} {
		addr := role + "@" + code + ".example.org"
		id, err := kc.IdentityByEmail(ctx, addr)
		if err != nil {
			return "", err
		}
		if id == "" {
			if id, err = k.CreateVerifiedIdentity(ctx, addr, demoPassword, "en"); err != nil {
				return "", err
			}
		}
		_, err = people.New(d.platform).AddUser(ctx, code, people.NewUser{Email: addr, FullName: "Demo " + role, Locale: "en",
			Role: "role-" + role, Agency: "agency-demo"}, func(context.Context) (string, error) { return id, nil }, nil)
		if err != nil && !errors.Is(err, tenancy.ErrConflict) {
			return "", err
		}
		lines = append(lines, addr)
	}
	return strings.Join(lines, ", ") + "\n                          password " + demoPassword +
		" (agency and system administrators must enrol a TOTP second factor)", nil
}

// bootstrapDevDatabase creates the login role and database of a private cluster,
// with the privileges production gives it: NOINHERIT, CREATEROLE, no superuser.
func bootstrapDevDatabase(ctx context.Context, c *pgcluster.Cluster) (string, error) {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "select exists (select from pg_roles where rolname = $1)", devRole).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "create role "+devRole+" login noinherit createrole password '"+devRole+"'"); err != nil {
			return "", err
		}
	}
	if err := conn.QueryRow(ctx, "select exists (select from pg_database where datname = $1)", devDatabase).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "create database "+devDatabase+" owner "+devRole); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", devRole, devRole, c.Port(), devDatabase), nil
}

func ensureDemoTenant(ctx context.Context, d *deps, code string, out io.Writer) error {
	t, err := d.platform.Get(ctx, code)
	switch {
	case errors.Is(err, tenancy.ErrNotFound) || (err == nil && t.Status == tenancy.StatusFailed):
		// Listening before the job exists: its every step is shown.
		watch, err := d.platform.WatchProvisioning(ctx)
		if err != nil {
			return err
		}
		defer watch.Close(ctx)
		fmt.Fprintf(out, "creating the demo tenant %q...\n", code)
		if _, err := d.platform.Create(ctx, tenancy.CreateParams{Code: code, Name: "Demo country", Locales: []string{"en", "fr", "es", "ar"}}); err != nil {
			return err
		}
		_, err = waitProvisionedRetry(ctx, watch.Wait, code, defaultWait, out, "`cpims dev` again")
		return err
	case err != nil:
		return err
	}
	_, err = waitProvisioned(ctx, d.platform, code, defaultWait, out)
	return err
}

const defaultWait = 5 * time.Minute

// redact hides the password of a URL for printing.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
