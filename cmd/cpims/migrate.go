package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/tenancy"
)

func newMigrateCmd(g *globals) *cobra.Command {
	var status, asJSON bool
	var concurrency int
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the platform schema, River's schema and every tenant schema up to date",
		Long: "Migrates the platform and River schemas, then every tenant in parallel, each tenant in one transaction.\n" +
			"A tenant that fails stays at its previous version and is reported; the others go on. Running it again resumes.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log, err := g.logger()
			if err != nil {
				return err
			}
			d, err := g.open(ctx, log, tenancy.Config{MigrateConcurrency: concurrency})
			if err != nil {
				return err
			}
			defer d.close()
			if status {
				return printMigrationStatus(cmd, d, asJSON)
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "migrating the platform and River schemas...")
			if err := d.platform.MigratePlatform(ctx); err != nil {
				return err
			}
			st, err := d.platform.MigrationStatus(ctx)
			if err != nil {
				return err
			}
			bar := progressbar.NewOptions(len(st), progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription("migrating tenants"), progressbar.OptionShowCount(),
				progressbar.OptionSetElapsedTime(true), progressbar.OptionSetPredictTime(true),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(cmd.ErrOrStderr()) }))
			rep, err := d.platform.MigrateTenants(ctx, tenancy.MigrateOptions{Progress: func(string, error) { _ = bar.Add(1) }})
			_ = bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "tenants: %d considered, %d migrated, %d already up to date, %d failed (latest version %d)\n",
				rep.Total, rep.Migrated, rep.UpToDate, len(rep.Failed), d.platform.LatestTenantVersion())
			if len(rep.Failed) > 0 {
				codes := make([]string, 0, len(rep.Failed))
				for c := range rep.Failed {
					codes = append(codes, c)
				}
				sort.Strings(codes)
				for _, c := range codes {
					fmt.Fprintf(cmd.ErrOrStderr(), "  %s: %v\n", c, rep.Failed[c])
				}
				return fmt.Errorf("%d tenants were not migrated and stay at their previous version: fix the cause and run `cpims migrate` again to resume", len(rep.Failed))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&status, "status", false, "show each tenant's schema version instead of migrating")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --status, print JSON")
	cmd.Flags().IntVar(&concurrency, "concurrency", tenancy.MigrateConcurrencyDefault, "tenants migrated at once")
	return cmd
}

func printMigrationStatus(cmd *cobra.Command, d *deps, asJSON bool) error {
	st, err := d.platform.MigrationStatus(cmd.Context())
	if err != nil {
		return fmt.Errorf("%w (has `cpims migrate` ever run on this database?)", err)
	}
	if asJSON {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(append([]tenancy.TenantVersion{}, st...))
	}
	ok, err := d.platform.PlatformUpToDate(cmd.Context())
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "platform schema up to date: %v (latest tenant version %d)\n", ok, d.platform.LatestTenantVersion())
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSTATUS\tVERSION\tUP TO DATE")
	for _, v := range st {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%v\n", v.Code, v.Status, v.Version, v.Version == v.Latest)
	}
	_ = os.Stdout.Sync()
	return tw.Flush()
}
