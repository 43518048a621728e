package tenancy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestCallGuardRefusesAChangedOrRevokedKey: a call authenticated with a
// cached key's principal is checked again in its own transaction: the
// role's scope changed since → ErrCredentialChanged (and the cache entry is
// dropped: the next read has the new scope); the key revoked →
// ErrCredentialInvalid, and the next authentication fails too.
func TestCallGuardRefusesAChangedOrRevokedKey(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "ke", "Kenya")
	bg := context.Background()
	seeder := policy.WithSubject(bg, policy.System(policy.ActorSeeder))
	require.NoError(t, b.p.AddAgency(seeder, "ke", "agency-a", "A", map[string]string{"en": "A"}))
	sa, err := b.p.CreateServiceAccount(seeder, "ke", "Sync", "role-case-manager", "agency-a")
	require.NoError(t, err)
	_, key, err := b.p.IssueAPIKey(seeder, "ke", sa.ID, "k", nil)
	require.NoError(t, err)
	auth := policy.WithSubject(bg, policy.System(policy.ActorAuthenticator))
	pr, err := b.p.PrincipalByAPIKey(auth, "ke", key, time.Now())
	require.NoError(t, err)
	call := func(pr tenancy.Principal) error {
		g := &tenancy.CallGuard{APIKey: key, PolicyVersion: pr.PolicyVersion, Now: time.Now()}
		return b.p.Tx(tenancy.WithCallGuard(policy.WithSubject(bg, pr.Subject()), g), "ke",
			func(context.Context, *tenancy.Conn) error { return nil })
	}
	require.NoError(t, call(pr))

	su := b.db.Superuser(t)
	_, err = su.Exec(bg, "update tenant_ke.roles set record_scope = 'own', updated_at = now() where unique_id = 'role-case-manager'")
	require.NoError(t, err)
	cached, err := b.p.PrincipalByAPIKey(auth, "ke", key, time.Now())
	require.NoError(t, err)
	require.Equal(t, pr, cached, "from the cache")
	require.ErrorIs(t, call(cached), tenancy.ErrCredentialChanged)
	fresh, err := b.p.PrincipalByAPIKey(auth, "ke", key, time.Now())
	require.NoError(t, err)
	require.Equal(t, "own", fresh.RecordScope, "read afresh after the refusal")
	require.NoError(t, call(fresh))

	_, err = su.Exec(bg, "update tenant_ke.api_keys set revoked_at = now()")
	require.NoError(t, err)
	require.ErrorIs(t, call(fresh), tenancy.ErrCredentialInvalid)
	_, err = b.p.PrincipalByAPIKey(auth, "ke", key, time.Now())
	require.ErrorIs(t, err, tenancy.ErrNotFound)
}
