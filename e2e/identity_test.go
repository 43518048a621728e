package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/identity"
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

// TestInviteAdminWithATimeZone: `tenant invite-admin --time-zone` refuses a
// name that is not an IANA zone before anything is created (no identity, no
// user, no default agency), then gives the administrator the zone; without
// it the account keeps the instance's default (no zone of its own).
func TestInviteAdminWithATimeZone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := kratosCLI(t)
	c.ok("tenant", "create", "--code", "tz", "--name", "Zoned", "--locales", "en")
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	db := c.db.Superuser(t)
	zoneOf := func(email string) (zone *string) {
		t.Helper()
		require.NoError(t, db.QueryRow(ctx, "select time_zone from tenant_tz.users where email = $1", email).Scan(&zone))
		return zone
	}

	admin := uniqueEmail("zoned-admin")
	r := c.run("tenant", "invite-admin", "tz", "--email", admin, "--name", "Zoned Admin", "--time-zone", "Mars/Olympus", "--email-wait", "0")
	require.Equal(t, 1, r.code, r.stdout)
	require.Contains(t, r.stderr, "--time-zone")
	require.Contains(t, r.stderr, `"Mars/Olympus"`)
	require.Contains(t, r.stderr, "IANA time zone")
	id, err := k.IdentityByEmail(ctx, admin)
	require.NoError(t, err)
	require.Empty(t, id, "no Kratos identity was created")
	var users, agencies int
	require.NoError(t, db.QueryRow(ctx, "select (select count(*) from tenant_tz.users), (select count(*) from tenant_tz.agencies where unique_id = 'agency-tz')").
		Scan(&users, &agencies))
	require.Zero(t, users)
	require.Zero(t, agencies, "the default agency is not created either")

	r = c.ok("tenant", "invite-admin", "tz", "--email", admin, "--name", "Zoned Admin", "--time-zone", "Asia/Tokyo", "--email-wait", "0")
	require.Contains(t, r.stderr, "language en, time zone Asia/Tokyo); invitation email queued")
	require.Equal(t, "Asia/Tokyo", *zoneOf(admin))
	id, err = k.IdentityByEmail(ctx, admin)
	require.NoError(t, err)
	require.NotEmpty(t, id)

	other := uniqueEmail("default-zone-admin")
	r = c.ok("tenant", "invite-admin", "tz", "--email", other, "--name", "Default Zone", "--email-wait", "0")
	require.Contains(t, r.stderr, "time zone the instance's default)")
	require.Nil(t, zoneOf(other), "no zone of their own: the instance's default applies")
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
