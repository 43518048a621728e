package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/tenancy"
)

func newAuditCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the tenants' tamper-evident audit logs",
	}
	var code, anchor string
	var all, asJSON bool
	var concurrency int
	verifyCmd := &cobra.Command{
		Use:   "verify (--tenant CODE [--anchor ROW:HASH] | --all)",
		Short: "Recompute the audit hash chain of a tenant, or of all, and report the first broken row",
		Long: "Walks each audit log from row 1, recomputing every row's hash and link, and reports the first row that\n" +
			"was altered, deleted, inserted or moved. It reads only. Exits 1 if a chain is broken.\n\n" +
			"A consistent rewrite of the chain, or rows removed from its end, leave no trace inside the database:\n" +
			"keep the printed \"last row ROW hash HASH\" outside it, and check it later with --anchor ROW:HASH.",
		Example: "  cpims audit verify --tenant ke\n  cpims audit verify --tenant ke --anchor 1234:9f86d081...\n  cpims audit verify --all",
		Args:    cobra.NoArgs,
	}
	verifyCmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if anchor != "" && all {
			return errors.New("--anchor needs --tenant: an anchor belongs to one tenant's log")
		}
		var a tenancy.AuditAnchor
		if anchor != "" {
			var err error
			if a, err = tenancy.ParseAuditAnchor(anchor); err != nil {
				return cliError(err)
			}
		}
		ctx := cmd.Context()
		d, codes, err := openTenants(ctx, g, code, all)
		if err != nil {
			return err
		}
		defer d.close()
		results := verifyAudits(ctx, d.platform, codes, a, max(concurrency, 1))
		out := cmd.OutOrStdout()
		if asJSON {
			reports := make([]tenancy.AuditReport, 0, len(results))
			for _, r := range results {
				if r.err == nil {
					reports = append(reports, r.rep)
				}
			}
			if !all && len(reports) == 1 {
				err = writeJSON(out, reports[0])
			} else {
				err = writeJSON(out, reports)
			}
			if err != nil {
				return err
			}
		}
		return reportAudits(out, cmd.ErrOrStderr(), results, all, asJSON)
	}
	f := verifyCmd.Flags()
	f.StringVar(&code, "tenant", "", "code of the tenant to verify")
	f.BoolVar(&all, "all", false, "verify every tenant that has data (active or suspended)")
	f.StringVar(&anchor, "anchor", "", "ROW:HASH recorded from an earlier run: also require that row to still have that hash")
	f.IntVar(&concurrency, "concurrency", 4, "with --all, tenants verified at once")
	f.BoolVar(&asJSON, "json", false, "print the reports as JSON")
	verifyCmd.MarkFlagsMutuallyExclusive("tenant", "all")
	verifyCmd.MarkFlagsOneRequired("tenant", "all")
	cmd.AddCommand(verifyCmd)
	return cmd
}

// openTenants opens the platform for a command over one tenant (code) or,
// with all, every tenant that has data; it logs warnings only, as text.
func openTenants(ctx context.Context, g *globals, code string, all bool) (*deps, []string, error) {
	g.logFormat, g.logLevel = "text", "warn"
	log, err := g.logger()
	if err != nil {
		return nil, nil, err
	}
	d, err := g.open(ctx, log, tenancy.Config{})
	if err != nil {
		return nil, nil, err
	}
	codes := []string{code}
	if all {
		if codes, err = verifiableTenants(ctx, d.platform); err != nil {
			d.close()
			return nil, nil, err
		}
	}
	return d, codes, nil
}

// verifiableTenants lists the tenants whose schema holds data.
func verifiableTenants(ctx context.Context, p *tenancy.Platform) ([]string, error) {
	ts, err := p.List(ctx)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, t := range ts {
		if t.Status == tenancy.StatusActive || t.Status == tenancy.StatusSuspended {
			codes = append(codes, t.Code)
		}
	}
	return codes, nil
}

type auditResult struct {
	code string
	rep  tenancy.AuditReport
	err  error
}

// verifyAudits verifies the tenants' chains, concurrency at a time, and
// returns the results in the order of codes.
func verifyAudits(ctx context.Context, p *tenancy.Platform, codes []string, a tenancy.AuditAnchor, concurrency int) []auditResult {
	results := make([]auditResult, len(codes))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(concurrency, max(len(codes), 1)) {
		wg.Go(func() {
			for i := range next {
				rep, err := p.VerifyAuditAnchor(ctx, codes[i], a)
				results[i] = auditResult{code: codes[i], rep: rep, err: err}
			}
		})
	}
	for i := range codes {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// reportAudits prints one line per tenant (unless the reports went out as
// JSON) and, for --all, a summary; it returns an error saying what to do if
// any chain is broken or could not be verified.
func reportAudits(out, errw io.Writer, results []auditResult, all, quiet bool) error {
	var broken, failed []string
	for _, r := range results {
		switch {
		case r.err != nil:
			failed = append(failed, r.code)
			fmt.Fprintf(errw, "tenant %s: audit log not verified: %v\n", r.code, cliError(r.err))
		case !r.rep.Intact:
			broken = append(broken, r.code)
			if !quiet {
				fmt.Fprintf(out, "tenant %s: audit chain BROKEN at row %d: %s\n", r.code, r.rep.BrokenAt, r.rep.Problem)
			}
		case !quiet && r.rep.Rows == 0:
			fmt.Fprintf(out, "tenant %s: 0 audit rows, chain intact\n", r.code)
		case !quiet:
			fmt.Fprintf(out, "tenant %s: %d audit rows, chain intact (last row %d hash %s)\n", r.code, r.rep.Rows, r.rep.Rows, r.rep.LastHash)
		}
	}
	if all && !quiet {
		fmt.Fprintf(out, "%d tenants: %d intact, %d broken, %d not verified\n",
			len(results), len(results)-len(broken)-len(failed), len(broken), len(failed))
	}
	if len(broken) > 0 {
		return fmt.Errorf("the audit log of tenant %s was altered outside the application. Treat it as a security incident:\n"+
			"  1. keep the database as it is (take a snapshot) and restrict superuser and owner-role access;\n"+
			"  2. find who could write to it: superuser and owner-role sessions, PostgreSQL logs, backups restored;\n"+
			"  3. compare the rows from the broken one on with a backup taken before the break, and restore the\n"+
			"     audit log from that backup; the rows before the broken one are intact.\n"+
			"See docs/audit.md", strings.Join(broken, ", "))
	}
	if len(failed) > 0 {
		return fmt.Errorf("the audit log of tenant %s could not be verified (see above)", strings.Join(failed, ", "))
	}
	return nil
}
