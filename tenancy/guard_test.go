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

// TestTxStartsInOneRoundTrip: Tx sends BEGIN with its settings (role,
// search_path, actor) in one query; with a call's guard that query refuses
// a tenant that is not active, and the answer is still exact (suspended,
// deleting, unknown), while a transaction without a guard (jobs) works on a
// suspended tenant as before. An actor that cannot be a plain literal takes
// the former way.
func TestTxStartsInOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "ke", "Kenya")
	bg := context.Background()
	settings := func(ctx context.Context) (string, error) {
		var got string
		err := b.p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			return c.QueryRow(ctx, "select current_user || ' ' || current_setting('search_path') || ' ' || current_setting('cpims.actor')").Scan(&got)
		})
		return got, err
	}
	guarded := func(s policy.Subject) context.Context {
		return tenancy.WithCallGuard(policy.WithSubject(bg, s), &tenancy.CallGuard{Now: time.Now()})
	}
	user := policy.Subject{Kind: policy.KindUser, ID: "u1"}
	want := b.p.TenantRole("ke") + ` "tenant_ke", extensions user:u1`
	for _, ctx := range []context.Context{policy.WithSubject(bg, user), guarded(user)} {
		got, err := settings(ctx)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	odd := policy.Subject{Kind: policy.KindUser, ID: `o'brien\x`} // quotes doubled; a backslash: the former way
	got, err := settings(guarded(odd))
	require.NoError(t, err)
	require.Equal(t, b.p.TenantRole("ke")+` "tenant_ke", extensions user:o'brien\x`, got)

	_, err = b.p.Suspend(ctx, "ke")
	require.NoError(t, err)
	_, err = settings(guarded(user))
	require.ErrorIs(t, err, tenancy.ErrSuspended)
	got, err = settings(policy.WithSubject(bg, user))
	require.NoError(t, err, "jobs keep working on a suspended tenant")
	require.Equal(t, want, got)
	_, err = b.p.Resume(ctx, "ke")
	require.NoError(t, err)
	_, err = settings(guarded(user))
	require.NoError(t, err)

	require.ErrorIs(t, b.p.Tx(guarded(user), "zz", func(context.Context, *tenancy.Conn) error { return nil }), tenancy.ErrNotFound)
	require.ErrorIs(t, b.p.Tx(policy.WithSubject(bg, user), "zz", func(context.Context, *tenancy.Conn) error { return nil }), tenancy.ErrNotFound)
}
