// Command cpims is the one binary of the CPIMS+ platform: the API server, the
// background workers, migrations, the hosting team's tenant commands, the
// OpenAPI specs and the local development stack.
//
// Configuration comes from flags; every flag can also be set through an
// environment variable CPIMS_<FLAG_NAME> (e.g. --base-domain as
// CPIMS_BASE_DOMAIN), and --database-url also from DATABASE_URL. Flags win.
// This package is the only place that reads the environment.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	// The IANA time zone database in the binary: users' time zones
	// (settings.ValidateTimeZone) must not depend on the host's files.
	_ "time/tzdata"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// globals are the flags shared by every command.
type globals struct {
	databaseURL string
	rolePrefix  string
	logLevel    string
	logFormat   string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "cpims",
		Short:         "CPIMS+: child protection information management, hosted for many countries",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return applyEnv(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.databaseURL, "database-url", "", "PostgreSQL URL of the login role (env DATABASE_URL or CPIMS_DATABASE_URL)")
	pf.StringVar(&g.rolePrefix, "role-prefix", "cpims_", "prefix of the PostgreSQL roles the platform creates (owner and tenant roles)")
	pf.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.StringVar(&g.logFormat, "log-format", "json", "log format: json or text")
	root.AddCommand(newServeCmd(g), newWorkerCmd(g), newMigrateCmd(g), newTenantCmd(g), newProvisionCmd(g), newAuditCmd(g), newOperatorCmd(g), newIdentityCmd(g), newDevicesCmd(g), newOpenAPICmd(), newDevCmd(g), newDemoCmd(g))
	return root
}

// applyEnv sets every flag not given on the command line from CPIMS_<NAME>.
func applyEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "CPIMS_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v, ok := os.LookupEnv(name)
		if !ok && f.Name == "database-url" {
			v, ok = os.LookupEnv("DATABASE_URL")
		}
		if ok {
			if serr := f.Value.Set(v); serr != nil {
				err = fmt.Errorf("environment variable %s: %w", name, serr)
			}
		}
	})
	return err
}

func (g *globals) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch g.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format must be json or text, not %q", g.logFormat)
	}
}
