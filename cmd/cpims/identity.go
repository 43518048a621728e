package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/policy"
)

// identity: hosting-team actions on a person's sign-in identity, which is
// shared by every country instance they belong to.
func newIdentityCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "identity",
		Short: "Hosting-team actions on a person's sign-in identity (shared by all their country instances)",
	}
	var kratosPublic, kratosAdmin string
	cmd.PersistentFlags().StringVar(&kratosPublic, "kratos-public-url", "", "Ory Kratos public API URL")
	cmd.PersistentFlags().StringVar(&kratosAdmin, "kratos-admin-url", "", "Ory Kratos admin API URL")

	var email string
	revoke := &cobra.Command{
		Use:   "revoke-sessions --email EMAIL",
		Short: "End every session of a person, in every country instance (e.g. a lost phone or a compromised account)",
		Long: "Ends every Kratos session of the identity signed in with EMAIL: they must sign in again everywhere. " +
			"Disabling a user in one country instance (PATCH /api/v2/users/{id}) locks them out of that instance only; " +
			"this command is for the hosting team when the person, not one membership, is the problem. It is logged " +
			"with the operating-system user who ran it.",
		Example: "  cpims identity revoke-sessions --email amina@example.org",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email = strings.TrimSpace(email); email == "" {
				return errors.New("--email is required")
			}
			k, err := identity.New(identity.Config{PublicURL: kratosPublic, AdminURL: kratosAdmin})
			if err != nil {
				return fmt.Errorf("%w (set --kratos-public-url and --kratos-admin-url, or CPIMS_KRATOS_PUBLIC_URL and CPIMS_KRATOS_ADMIN_URL)", err)
			}
			ctx := operatorContext(cmd.Context())
			id, err := k.IdentityByEmail(ctx, email)
			if err != nil {
				return err
			}
			if id == "" {
				return fmt.Errorf("no identity signs in with %s (check the address)", email)
			}
			if err := k.RevokeSessions(ctx, id); err != nil {
				return err
			}
			actor := "unknown"
			if s, err := policy.SubjectFrom(ctx); err == nil {
				actor = s.String()
			}
			log, err := g.logger()
			if err != nil {
				log = slog.New(slog.NewTextHandler(os.Stderr, nil))
			}
			log.WarnContext(ctx, "identity sessions revoked", "email", email, "identity_id", id, "actor", actor)
			fmt.Fprintf(cmd.OutOrStdout(), "%s: every session ended (identity %s); they must sign in again in every country instance\n", email, id)
			return nil
		},
	}
	revoke.Flags().StringVar(&email, "email", "", "the person's sign-in email address")
	cmd.AddCommand(revoke)
	return cmd
}
