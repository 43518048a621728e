package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/tenancy"
)

func newOperatorCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "operator",
		Short: "Manage hosting operators: the people allowed on the platform API (with a second factor)",
	}
	var kratosPublic, kratosAdmin string
	cmd.PersistentFlags().StringVar(&kratosPublic, "kratos-public-url", "", "Ory Kratos public API URL")
	cmd.PersistentFlags().StringVar(&kratosAdmin, "kratos-admin-url", "", "Ory Kratos admin API URL")
	run := func(fn func(ctx context.Context, cmd *cobra.Command, d *deps, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			ctx, d, err := g.openCLI(cmd.Context(), tenancy.Config{})
			if err != nil {
				return err
			}
			defer d.close()
			return fn(ctx, cmd, d, args)
		}
	}

	var name string
	var codeTTL time.Duration
	add := &cobra.Command{
		Use:   "add EMAIL",
		Short: "Make a person an operator; prints a one-time code with which they choose a password",
		Long: "Makes the identity signing in with EMAIL an operator, or creates one without a password. An existing identity is " +
			"accepted only if its address is verified, or if it has no way to sign in yet (a code is then printed); an identity " +
			"with a password and an unverified address is refused: the person must first prove the address (\"Forgot password\" " +
			"on the sign-in page).",
		Args: cobra.ExactArgs(1),
		RunE: run(func(ctx context.Context, cmd *cobra.Command, d *deps, args []string) error {
			k, err := identity.New(identity.Config{PublicURL: kratosPublic, AdminURL: kratosAdmin})
			if err != nil {
				return fmt.Errorf("%w (set --kratos-public-url and --kratos-admin-url, or CPIMS_KRATOS_PUBLIC_URL and CPIMS_KRATOS_ADMIN_URL)", err)
			}
			email := args[0]
			// The grant binds to the identity of a proven address only (see identity.InvitationIdentity).
			a, created, err := k.InvitationIdentity(ctx, email, name, "en")
			if err != nil {
				return cliError(err)
			}
			if _, err := d.platform.AddOperator(ctx, a.ID, email); err != nil {
				return cliError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is an operator.\n", email)
			if a.Credentials {
				fmt.Fprintln(cmd.OutOrStdout(), "They already have an identity: they sign in with their password and second factor.")
				return nil
			}
			code, link, err := k.RecoveryCode(ctx, a.ID, codeTTL)
			if err != nil {
				return err
			}
			how := "They already have an identity without a password (an invitation they have not accepted)."
			if created {
				how = "A new identity was created for them."
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s Give them, over a trusted channel, this one-time code (valid %s) to choose a password:\n  code: %s\n  link: %s\nThen they must enrol an authenticator app: the platform API refuses operators without a second factor.\n",
				how, codeTTL, code, link)
			return nil
		}),
	}
	add.Flags().StringVar(&name, "name", "Operator", "full name, for a new identity")
	add.Flags().DurationVar(&codeTTL, "code-ttl", 24*time.Hour, "how long the one-time code is valid")

	list := &cobra.Command{
		Use:   "list",
		Short: "List operators",
		Args:  cobra.NoArgs,
		RunE: run(func(ctx context.Context, cmd *cobra.Command, d *deps, _ []string) error {
			ops, err := d.platform.ListOperators(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "EMAIL\tDISABLED\tADDED BY\tADDED AT")
			for _, o := range ops {
				fmt.Fprintf(tw, "%s\t%v\t%s\t%s\n", o.Email, o.Disabled, o.CreatedBy, o.CreatedAt.UTC().Format(time.RFC3339))
			}
			return tw.Flush()
		}),
	}

	toggle := func(use, short string, disabled bool) *cobra.Command {
		return &cobra.Command{Use: use + " EMAIL", Short: short, Args: cobra.ExactArgs(1),
			RunE: run(func(ctx context.Context, cmd *cobra.Command, d *deps, args []string) error {
				if _, err := d.platform.SetOperatorDisabled(ctx, args[0], disabled); err != nil {
					return cliError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: disabled=%v (takes effect at their next request)\n", args[0], disabled)
				return nil
			})}
	}
	cmd.AddCommand(add, list, toggle("disable", "Disable an operator", true), toggle("enable", "Re-enable an operator", false))
	return cmd
}
