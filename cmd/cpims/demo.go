package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/demo"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

func newDemoCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "demo", Short: "Demonstration and benchmark data"}
	var code, places string
	var cases, batch int
	seed := &cobra.Command{
		Use:   "seed --tenant demo --cases 1000000",
		Short: "Fill a tenant with synthetic cases and tracing requests (continues an interrupted seed)",
		Long: "Generates realistic cases (names in Latin and Arabic script, families, services, ages, locations from the\n" +
			"tenant's hierarchy, owners across six seed agencies and their groups) and one tracing request per ten cases,\n" +
			"in batches of one transaction each, with progress. Record n is always the same record: run it again after an\n" +
			"interruption and it continues. The owners are users who never sign in (seed-owner-NNNNN@demo.invalid).",
		Args: cobra.NoArgs,
	}
	seed.Flags().StringVar(&code, "tenant", "demo", "tenant code")
	seed.Flags().IntVar(&cases, "cases", 10_000, "number of cases")
	seed.Flags().IntVar(&batch, "batch", demo.BatchSizeDefault, "records per transaction")
	seed.Flags().StringVar(&places, "places", "", "first add a synthetic hierarchy under this country code (8 regions x 6 districts x 5 camps)")
	seed.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx, d, err := g.openCLI(cmd.Context(), tenancy.Config{})
		if err != nil {
			return err
		}
		defer d.close()
		out := cmd.ErrOrStderr()
		if places != "" {
			sctx := policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
			if _, err := locations.New(d.platform).Upsert(sctx, code, demo.Places(places, 8, 6, 5)); err != nil {
				return fmt.Errorf("places: %w", err)
			}
		}
		rs := records.New(d.platform, records.Config{Schemas: recordSchemas(d)})
		last := time.Now()
		pr, err := demo.Seed(ctx, d.platform, rs, code, demo.Options{Cases: cases, BatchSize: batch, Progress: func(p demo.Progress) {
			if time.Since(last) > 5*time.Second || p.Done == p.Total {
				last = time.Now()
				fmt.Fprintf(out, "%d/%d records (%d written by this run), %s, %.0f records/s\n", p.Done, p.Total, p.Written,
					p.Elapsed.Round(time.Second), float64(p.Written)/p.Elapsed.Seconds())
			}
		}})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "seeded %d records in %s\n", pr.Done, pr.Elapsed.Round(time.Second))
		return nil
	}
	cmd.AddCommand(seed)
	return cmd
}

// recordSchemas is the configuration records are written with (their ID,
// phone and filterable fields), as the server has it.
func recordSchemas(d *deps) records.Schemas {
	return records.FormsSchemas(forms.New(d.platform, forms.Config{Locations: locations.New(d.platform)}))
}
