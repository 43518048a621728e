package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cpims-hosted/cpims/tenancy"
)

func newTenantCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tenant",
		Short: "Manage country instances (tenants): create, list, show, suspend, resume, delete",
	}
	var asJSON bool
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")

	// withPlatform runs fn with an open platform; CLI logs only warnings, as text.
	withPlatform := func(cfg tenancy.Config, fn func(ctx context.Context, d *deps) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			ctx, d, err := g.openCLI(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer d.close()
			return fn(ctx, d)
		}
	}
	print := func(w io.Writer, t tenancy.Tenant) error {
		if asJSON {
			return writeJSON(w, t)
		}
		printTenant(w, t)
		return nil
	}

	var create tenancy.CreateParams
	var locales string
	var wait, work, existsOK bool
	var timeout time.Duration
	createCmd := &cobra.Command{
		Use:     "create --code ke --name Kenya --locales en,sw",
		Short:   "Create a tenant and wait until it is provisioned",
		Example: "  cpims tenant create --code ke --name Kenya --locales en,sw",
		Args:    cobra.NoArgs,
	}
	createCmd.RunE = withPlatform(tenancy.Config{}, func(ctx context.Context, d *deps) error {
		create.Locales = splitList(locales)
		if existsOK {
			w := createCmd.ErrOrStderr()
			t, outcome, err := ensureTenant(ctx, d, create, work, timeout, w, "`cpims tenant create` again")
			if err != nil {
				return err
			}
			switch outcome {
			case tenantExisted:
				fmt.Fprintf(w, "tenant %s already exists and is active: nothing to do\n", t.Code)
			case tenantSuspended:
				fmt.Fprintf(w, "tenant %s exists and is suspended: left suspended (`cpims tenant resume %s` resumes it)\n", t.Code, t.Code)
			}
			return print(createCmd.OutOrStdout(), t)
		}
		// Listening before the job exists: its every step is shown (no
		// listener when not waiting).
		var watch *tenancy.ProvisionWatch
		if wait {
			w, err := d.platform.WatchProvisioning(ctx)
			if err != nil {
				return err
			}
			defer w.Close(ctx)
			watch = w
		}
		t, err := d.platform.Create(ctx, create)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(createCmd.ErrOrStderr(), "tenant %s registered; provisioning is queued\n", t.Code)
		if !wait {
			return print(createCmd.OutOrStdout(), t)
		}
		if work {
			// Work the job here too, so creating a tenant does not depend on a running worker.
			client, err := startWorkers(ctx, d, platformOnly, "", nil)
			if err != nil {
				return err
			}
			defer func() { _ = stopWorkers(client, 10*time.Second, d.log) }()
		}
		t, err = waitProvisionedRetry(ctx, watch.Wait, t.Code, timeout, createCmd.ErrOrStderr(),
			"`cpims tenant create` again with the same code")
		if err != nil {
			return err
		}
		return print(createCmd.OutOrStdout(), t)
	})
	createCmd.Flags().StringVar(&create.Code, "code", "", "tenant code: 2-16 lower-case letters and digits (the host is <code>.<base domain>)")
	createCmd.Flags().StringVar(&create.Name, "name", "", "display name, e.g. Kenya")
	createCmd.Flags().StringVar(&locales, "locales", "en", "comma-separated languages; the first is the default")
	createCmd.Flags().BoolVar(&wait, "wait", true, "wait until provisioning ends, showing progress")
	createCmd.Flags().BoolVar(&work, "work", true, "while waiting, also run the provisioning job in this process")
	createCmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "give up waiting after this long")
	createCmd.Flags().BoolVar(&existsOK, "exists-ok", false, "succeed if the tenant already exists (active or suspended: left as is); "+
		"a tenant whose provisioning failed is created again, one being provisioned is waited for, always waiting (as cpims provision does)")
	_ = createCmd.MarkFlagRequired("code")
	_ = createCmd.MarkFlagRequired("name")

	listCmd := &cobra.Command{Use: "list", Short: "List tenants", Args: cobra.NoArgs}
	listCmd.RunE = withPlatform(tenancy.Config{}, func(ctx context.Context, d *deps) error {
		ts, err := d.platform.List(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(listCmd.OutOrStdout(), append([]tenancy.Tenant{}, ts...))
		}
		tw := tabwriter.NewWriter(listCmd.OutOrStdout(), 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tNAME\tSTATUS\tSCHEMA\tCREATED_AT")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Code, t.Name, t.Status, t.SchemaName, t.CreatedAt.UTC().Format(time.RFC3339))
		}
		return tw.Flush()
	})

	// codeCmd builds a command acting on one tenant; cfg is read when it runs, after flags are parsed.
	codeCmd := func(use, short string, cfg func() tenancy.Config, fn func(ctx context.Context, d *deps, code string) (tenancy.Tenant, error)) *cobra.Command {
		c := &cobra.Command{Use: use + " CODE", Short: short, Args: cobra.ExactArgs(1)}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			return withPlatform(cfg(), func(ctx context.Context, d *deps) error {
				t, err := fn(ctx, d, args[0])
				if err != nil {
					return cliError(err)
				}
				return print(cmd.OutOrStdout(), t)
			})(cmd, args)
		}
		return c
	}
	noCfg := func() tenancy.Config { return tenancy.Config{} }
	showCmd := codeCmd("show", "Show a tenant", noCfg, func(ctx context.Context, d *deps, code string) (tenancy.Tenant, error) {
		return d.platform.Get(ctx, code)
	})
	suspendCmd := codeCmd("suspend", "Suspend a tenant: its API refuses requests, its data is kept", noCfg,
		func(ctx context.Context, d *deps, code string) (tenancy.Tenant, error) {
			return d.platform.Suspend(ctx, code)
		})
	resumeCmd := codeCmd("resume", "Resume a suspended tenant, or cancel its pending deletion", noCfg,
		func(ctx context.Context, d *deps, code string) (tenancy.Tenant, error) {
			return d.platform.Resume(ctx, code)
		})

	var confirm string
	var grace time.Duration
	deleteCmd := codeCmd("delete", "Delete a tenant after a grace period (confirmation required)",
		func() tenancy.Config { return tenancy.Config{DeleteGrace: grace} },
		func(ctx context.Context, d *deps, code string) (tenancy.Tenant, error) {
			if confirm == "" {
				c, err := promptConfirm(code)
				if err != nil {
					return tenancy.Tenant{}, err
				}
				confirm = c
			}
			return d.platform.Delete(ctx, code, confirm)
		})
	deleteCmd.Flags().StringVar(&confirm, "confirm", "", "repeat the tenant code to confirm (asked interactively when omitted)")
	deleteCmd.Flags().DurationVar(&grace, "delete-grace", tenancy.DeleteGraceDefault, "how long the tenant stays restorable (cpims tenant resume) before it is purged")

	cmd.AddCommand(createCmd, listCmd, showCmd, suspendCmd, resumeCmd, deleteCmd, newInviteAdminCmd(g))
	return cmd
}

// tenantOutcome is what ensureTenant found or did.
type tenantOutcome int

const (
	tenantCreated   tenantOutcome = iota + 1 // created now (again, if its last provisioning had failed)
	tenantExisted                            // already active: nothing done
	tenantWaited                             // was being provisioned by another process: waited for it
	tenantSuspended                          // exists and is suspended: left as is
)

// ensureTenant makes sure tenant params.Code exists and is provisioned, with
// the rules of `tenant create --exists-ok` (modules/tenant) and `cpims
// provision`: an active tenant is fine; a suspended one is reported and left
// suspended; one whose provisioning failed is created again; one being
// provisioned is waited for; one scheduled for deletion is an error. With
// work, the provisioning job also runs in this process while waiting. retry
// names the command to run again after a failure.
func ensureTenant(ctx context.Context, d *deps, params tenancy.CreateParams, work bool, timeout time.Duration, w io.Writer,
	retry string) (tenancy.Tenant, tenantOutcome, error) {
	code := params.Code
	// Listening before the job exists: a tenant created here shows its every step.
	watch, err := d.platform.WatchProvisioning(ctx)
	if err != nil {
		return tenancy.Tenant{}, 0, err
	}
	defer watch.Close(ctx)
	for attempt := 0; ; attempt++ {
		t, err := d.platform.Get(ctx, code)
		var outcome tenantOutcome
		switch {
		case errors.Is(err, tenancy.ErrNotFound) || (err == nil && t.Status == tenancy.StatusFailed):
			if err == nil {
				fmt.Fprintf(w, "tenant %s: its last provisioning failed (%s); creating it again\n", code, t.Failure)
			}
			t, err = d.platform.Create(ctx, params)
			if errors.Is(err, tenancy.ErrConflict) && attempt == 0 {
				continue // created meanwhile by someone else: look again
			}
			if err != nil {
				return t, 0, cliError(err)
			}
			fmt.Fprintf(w, "tenant %s registered; provisioning is queued\n", code)
			outcome = tenantCreated
		case err != nil:
			return t, 0, err
		case t.Status == tenancy.StatusActive:
			return t, tenantExisted, nil
		case t.Status == tenancy.StatusSuspended:
			return t, tenantSuspended, nil
		case t.Status == tenancy.StatusDeleting:
			return t, 0, fmt.Errorf("tenant %s is scheduled for deletion: nothing was changed; `cpims tenant resume %s` cancels the deletion", code, code)
		case t.Status == tenancy.StatusProvisioning:
			fmt.Fprintf(w, "tenant %s is already being provisioned; waiting for it\n", code)
			outcome = tenantWaited
		default:
			return t, 0, fmt.Errorf("tenant %s has an unexpected status %q", code, t.Status)
		}
		if work {
			// Work the job here too, so creating a tenant does not depend on a running worker.
			client, err := startWorkers(ctx, d, platformOnly, "", nil)
			if err != nil {
				return t, 0, err
			}
			defer func() { _ = stopWorkers(client, 10*time.Second, d.log) }()
		}
		wait := watch.Wait
		if outcome == tenantWaited {
			wait = d.platform.WaitProvisioned // started earlier: its current step first
		}
		t, err = waitProvisionedRetry(ctx, wait, code, timeout, w, retry)
		return t, outcome, err
	}
}

// waitProvisioned waits for provisioning to end, printing each step as it happens.
func waitProvisioned(ctx context.Context, p *tenancy.Platform, code string, timeout time.Duration, w io.Writer) (tenancy.Tenant, error) {
	return waitProvisionedRetry(ctx, p.WaitProvisioned, code, timeout, w, "`cpims tenant create` again with the same code")
}

// waitProvisionedRetry is waitProvisioned through wait (Platform.WaitProvisioned,
// or a ProvisionWatch's Wait opened before the job); retry names the command
// to run again after a failure.
func waitProvisionedRetry(ctx context.Context, wait func(context.Context, string, func(string)) (tenancy.Tenant, error),
	code string, timeout time.Duration, w io.Writer, retry string) (tenancy.Tenant, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	t, err := wait(ctx, code, func(step string) {
		fmt.Fprintf(w, "  [%5.1fs] %s\n", time.Since(start).Seconds(), step)
	})
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return t, fmt.Errorf("tenant %s is still %s after %s: is a worker running (`cpims worker`, or `cpims serve --workers`)? `cpims tenant show %s` shows its progress", code, t.Status, timeout, code)
	case err != nil:
		return t, err
	case t.Status == tenancy.StatusFailed:
		return t, fmt.Errorf("provisioning tenant %s failed and was rolled back: %s\nfix the cause, then run %s", code, t.Failure, retry)
	}
	fmt.Fprintf(w, "tenant %s is %s (schema %s, version %d) after %.1fs\n", t.Code, t.Status, t.SchemaName, t.SchemaVersion, time.Since(start).Seconds())
	return t, nil
}

func promptConfirm(code string) (string, error) {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return "", fmt.Errorf("deleting a tenant needs confirmation: pass --confirm %s", code)
	}
	fmt.Fprintf(os.Stderr, "Tenant %s will be inaccessible at once and purged after the grace period.\nType its code to confirm: ", code)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// cliError adds what to do next to domain errors.
func cliError(err error) error {
	var ie *tenancy.InvalidError
	switch {
	case errors.As(err, &ie):
		return fmt.Errorf("%w (value %q)", err, fmt.Sprint(ie.Value))
	case errors.Is(err, tenancy.ErrNotFound):
		return fmt.Errorf("%w: no such tenant (`cpims tenant list` shows them)", err)
	}
	return err
}

func printTenant(w io.Writer, t tenancy.Tenant) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "code:\t%s\nname:\t%s\nstatus:\t%s\nlocales:\t%s\nschema:\t%s\nschema version:\t%d\nprogress:\t%s\ncreated at:\t%s\n",
		t.Code, t.Name, t.Status, strings.Join(t.Locales, ","), t.SchemaName, t.SchemaVersion, t.Progress, t.CreatedAt.UTC().Format(time.RFC3339))
	if t.Failure != "" {
		fmt.Fprintf(tw, "failure:\t%s\n", t.Failure)
	}
	if t.DeleteAfter != nil {
		fmt.Fprintf(tw, "purged after:\t%s\n", t.DeleteAfter.UTC().Format(time.RFC3339))
	}
	_ = tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
