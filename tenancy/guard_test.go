package tenancy_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/people"
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
	require.NoError(t, people.New(b.p).AddAgency(seeder, "ke", "agency-a", "A", map[string]string{"en": "A"}))
	sa, err := people.New(b.p).CreateServiceAccount(seeder, "ke", "Sync", "role-case-manager", "agency-a")
	require.NoError(t, err)
	_, key, err := people.New(b.p).IssueAPIKey(seeder, "ke", sa.ID, "k", nil)
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

// trips is a pgx tracer counting the queries sent (each a round trip here:
// no batches), and keeping their text.
type trips struct {
	mu  sync.Mutex
	sql []string
}

func (r *trips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sql = append(r.sql, d.SQL)
	return ctx
}

func (r *trips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// during returns the queries f sent.
func (r *trips) during(f func()) []string {
	r.mu.Lock()
	r.sql = nil
	r.mu.Unlock()
	f()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sql
}

// TestKeyCheckAndMembershipRideOneRoundTrip: a call's API key is checked
// again by the query that begins its transaction (BEGIN, settings, key: one
// round trip, then COMMIT), which also records the key's use; a member's
// sign-in read (PrincipalByIdentity) is one round trip, reads the member
// afresh every time (a disable, a role change made elsewhere show at once)
// and leaves no setting on the pooled connection.
func TestKeyCheckAndMembershipRideOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "ke", "Kenya")
	bg := context.Background()
	rec := &trips{}
	cfg, err := pgxpool.ParseConfig(b.db.URL)
	require.NoError(t, err)
	cfg.ConnConfig.Tracer = rec
	cfg.MaxConns = 1 // every query on the one connection: settings must not outlive a read
	pool, err := pgxpool.NewWithConfig(bg, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	p, err := tenancy.New(pool, tenancy.Config{RolePrefix: b.db.RolePrefix})
	require.NoError(t, err)

	seeder := policy.WithSubject(bg, policy.System(policy.ActorSeeder))
	require.NoError(t, people.New(p).AddAgency(seeder, "ke", "agency-a", "A", map[string]string{"en": "A"}))
	sa, err := people.New(p).CreateServiceAccount(seeder, "ke", "Sync", "role-case-manager", "agency-a")
	require.NoError(t, err)
	_, key, err := people.New(p).IssueAPIKey(seeder, "ke", sa.ID, "k", nil)
	require.NoError(t, err)
	auth := policy.WithSubject(bg, policy.System(policy.ActorAuthenticator))
	pr, err := p.PrincipalByAPIKey(auth, "ke", key, time.Now())
	require.NoError(t, err)
	su := b.db.Superuser(t)
	_, err = su.Exec(bg, "update tenant_ke.api_keys set last_used_at = null")
	require.NoError(t, err)
	sent := rec.during(func() {
		g := &tenancy.CallGuard{APIKey: key, PolicyVersion: pr.PolicyVersion, Now: time.Now()}
		require.NoError(t, p.Tx(tenancy.WithCallGuard(policy.WithSubject(bg, pr.Subject()), g), "ke",
			func(context.Context, *tenancy.Conn) error { return nil }))
	})
	require.Len(t, sent, 2, "BEGIN with the settings and the key, then COMMIT: %q", sent)
	require.Contains(t, sent[0], "api_key_check(", "the key checked by the tenant function (its roles version computed as policyVersionSQL, else this call would take the exact way)")
	var used bool
	require.NoError(t, su.QueryRow(bg, "select last_used_at is not null from tenant_ke.api_keys").Scan(&used))
	require.True(t, used, "the key's use is recorded by the same query")

	identity := uuid.NewString()
	_, err = people.New(p).AddUser(seeder, "ke", people.NewUser{Email: "cw@example.org", FullName: "Caseworker", Locale: "en",
		Role: "role-caseworker", Agency: "agency-a"}, func(context.Context) (string, error) { return identity, nil }, nil)
	require.NoError(t, err)
	var m tenancy.Principal
	sent = rec.during(func() {
		m, err = p.PrincipalByIdentity(auth, "ke", identity)
		require.NoError(t, err)
	})
	require.Len(t, sent, 1, "one round trip: %q", sent)
	require.Equal(t, "role-caseworker", m.Role)
	require.Equal(t, "own", m.RecordScope)
	require.False(t, m.Disabled)
	require.Empty(t, m.GroupIDs)
	var user string
	require.NoError(t, pool.QueryRow(bg, "select current_user || ' ' || current_setting('search_path') || ' ' || current_setting('cpims.actor', true)").Scan(&user))
	require.NotContains(t, user, "tenant", "the read's settings ended with it")

	// Changed elsewhere: the very next read sees it.
	// (without the tenant's search_path: the trigger revoking a disabled user's devices names its schema)
	_, err = su.Exec(bg, "update tenant_ke.users set disabled = true, role_id = (select id from tenant_ke.roles where unique_id = 'role-case-manager')")
	require.NoError(t, err)
	m, err = p.PrincipalByIdentity(auth, "ke", identity)
	require.NoError(t, err)
	require.True(t, m.Disabled)
	require.Equal(t, "role-case-manager", m.Role)
	require.Equal(t, "group", m.RecordScope)
	_, err = su.Exec(bg, "delete from tenant_ke.users")
	require.NoError(t, err)
	_, err = p.PrincipalByIdentity(auth, "ke", identity)
	require.ErrorIs(t, err, tenancy.ErrNotFound)
	_, err = p.PrincipalByIdentity(auth, "zz", identity)
	require.ErrorIs(t, err, tenancy.ErrNotFound, "no such tenant")
}
