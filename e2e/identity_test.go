package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const e2ePassword = "an end-to-end test password"

func kratosCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	c.env = append(c.env, "CPIMS_KRATOS_PUBLIC_URL="+kratosServer.PublicURL, "CPIMS_KRATOS_ADMIN_URL="+kratosServer.AdminURL)
	c.ok("migrate")
	return c
}

func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s-%d@example.org", prefix, time.Now().UnixNano())
}

// The data analyst of issue 8 changed their own email to an address about
// to be granted operator rights. The change is refused now; an address set
// that way before (simulated through the admin API) is refused by the grant.
func TestOperatorGrantBindsOnlyToAProvenAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := kratosCLI(t)
	analyst := uniqueEmail("analyst")
	id, err := kratosServer.CreateIdentity(ctx, analyst, e2ePassword, "en")
	require.NoError(t, err)
	token, err := kratosServer.Login(ctx, analyst, e2ePassword)
	require.NoError(t, err)
	target := uniqueEmail("new-operator")
	require.Error(t, kratosServer.ChangeOwnEmail(ctx, token, target), "the profile settings method is off")

	require.NoError(t, kratosServer.SetEmail(ctx, id, target))
	r := c.run("operator", "add", target)
	require.Equal(t, 1, r.code, r.stdout)
	require.Contains(t, r.stderr, "has not proved it receives mail at this address")
	require.Contains(t, r.stderr, "Forgot password")
	require.NotContains(t, c.ok("operator", "list").stdout, target, "no operator was added")

	// The same address as a tenant's first administrator: refused too, and not
	// mistaken for "already a user".
	c.ok("tenant", "create", "--code", "ke", "--name", "Kenya", "--locales", "en")
	r = c.run("tenant", "invite-admin", "ke", "--email", target, "--name", "Captured Admin", "--email-wait", "0")
	require.Equal(t, 1, r.code, r.stdout)
	require.Contains(t, r.stderr, "has not proved it receives mail at this address")
	require.NotContains(t, r.stdout+r.stderr, "already a user")

	// A verified address binds; a new one gets an identity and a one-time code.
	verified := uniqueEmail("verified-operator")
	vid, err := kratosServer.CreateVerifiedIdentity(ctx, verified, e2ePassword, "en")
	require.NoError(t, err)
	r = c.ok("operator", "add", verified)
	require.Contains(t, r.stdout, "they sign in with their password and second factor")
	fresh := uniqueEmail("fresh-operator")
	r = c.ok("operator", "add", fresh, "--name", "Fresh Operator")
	require.Contains(t, r.stdout, "A new identity was created for them.")
	require.Regexp(t, `code: \d{6}`, r.stdout)
	list := c.ok("operator", "list").stdout
	require.Contains(t, list, verified)
	require.Contains(t, list, fresh)
	var opID string
	require.NoError(t, c.db.Superuser(t).QueryRow(ctx, "select identity_id::text from platform.operators where email = $1", verified).Scan(&opID))
	require.Equal(t, vid, opID)
}

func TestRevokeSessionsThroughCLI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := kratosCLI(t)
	addr := uniqueEmail("lost-phone")
	_, err := kratosServer.CreateIdentity(ctx, addr, e2ePassword, "en")
	require.NoError(t, err)
	first, err := kratosServer.Login(ctx, addr, e2ePassword)
	require.NoError(t, err)
	second, err := kratosServer.Login(ctx, addr, e2ePassword)
	require.NoError(t, err)

	r := c.ok("identity", "revoke-sessions", "--email", addr)
	require.Contains(t, r.stdout, addr+": every session ended")
	require.Contains(t, r.stderr, "identity sessions revoked")
	require.Contains(t, r.stderr, `"actor":"operator:cli:`)
	for _, token := range []string{first, second} {
		_, err := kratosServer.WhoAmI(ctx, token)
		require.Error(t, err, "the session has ended")
	}

	r = c.run("identity", "revoke-sessions", "--email", uniqueEmail("nobody"))
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "no identity signs in with")
	r = c.run("identity", "revoke-sessions")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "--email is required")
}
