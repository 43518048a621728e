package devices_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func sys(actor string) context.Context {
	return policy.WithSubject(context.Background(), policy.System(actor))
}

func as(s policy.Subject) context.Context { return policy.WithSubject(context.Background(), s) }

// world is a platform with tenants, a superuser connection (what a dump
// reads) and a device key secret.
type world struct {
	p  *tenancy.Platform
	su *pgx.Conn
}

func setup(t *testing.T, codes ...string) *world {
	t.Helper()
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	for _, code := range codes {
		_, err = p.Create(sys(policy.ActorProvisioner), tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(t, err)
		require.NoError(t, p.Provision(sys(policy.ActorProvisioner), code))
		version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), code)
		require.NoError(t, err)
		require.NoError(t, enf.SetTenantPolicy(code, version, roles))
		require.NoError(t, people.New(p).AddAgency(sys(policy.ActorSeeder), code, "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	}
	return &world{p: p, su: db.Superuser(t)}
}

// user adds a caseworker to tenant code and returns their subject.
func (w *world) user(t *testing.T, code string) policy.Subject {
	t.Helper()
	identity := uuid.NewString()
	_, err := people.New(w.p).AddUser(sys(policy.ActorSeeder), code, people.NewUser{Email: "u" + identity[:8] + "@example.org",
		FullName: "User " + identity[:4], Locale: "en", Role: "role-caseworker", Agency: "agency-unicef"},
		func(context.Context) (string, error) { return identity, nil }, nil)
	require.NoError(t, err)
	pr, err := w.p.PrincipalByIdentity(sys(policy.ActorAuthenticator), code, identity)
	require.NoError(t, err)
	return pr.Subject()
}

func keyring(t *testing.T, secrets ...string) *devices.Keyring {
	t.Helper()
	k, err := devices.NewKeyring(secrets...)
	require.NoError(t, err)
	return k
}

type registered struct {
	code string
	who  policy.Subject
	id   string
	key  []byte
}

func (w *world) register(t *testing.T, s *devices.Service, code string, who policy.Subject) registered {
	t.Helper()
	d, key, err := s.Register(as(who), code, "Phone", "Test browser")
	require.NoError(t, err)
	require.Len(t, key, devices.KeySize)
	return registered{code: code, who: who, id: d.ID, key: key}
}

// dump is what a copy of the devices tables holds: every column of every
// row as text (hex for bytes), as pg_dump writes them.
func (w *world) dump(t *testing.T, codes ...string) string {
	t.Helper()
	var b strings.Builder
	for _, code := range codes {
		rows, err := w.su.Query(context.Background(), "select d::text from "+tenancy.SchemaName(code)+".devices d")
		require.NoError(t, err)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		b.WriteString(strings.Join(lines, "\n"))
	}
	return b.String()
}

func requireKeyAbsent(t *testing.T, dump string, keys ...[]byte) {
	t.Helper()
	for _, k := range keys {
		for _, enc := range []string{hex.EncodeToString(k), base64.StdEncoding.EncodeToString(k), base64.RawURLEncoding.EncodeToString(k)} {
			require.NotContains(t, dump, enc)
		}
		require.False(t, bytes.Contains([]byte(dump), k))
	}
}

func TestADumpOfTheDevicesTableHoldsNoKey(t *testing.T) {
	t.Parallel()
	w := setup(t, "ke")
	s := devices.New(w.p, devices.Config{Keys: keyring(t, devices.NewSecret())})
	a, b := w.user(t, "ke"), w.user(t, "ke")
	ds := []registered{w.register(t, s, "ke", a), w.register(t, s, "ke", a), w.register(t, s, "ke", b)}
	dump := w.dump(t, "ke")
	require.Equal(t, 3, strings.Count(dump, "Test browser"), "the dump has the rows")
	for _, d := range ds {
		requireKeyAbsent(t, dump, d.key)
		// The owner still gets the key back.
		key, err := s.ReleaseKey(as(d.who), "ke", d.id)
		require.NoError(t, err)
		require.Equal(t, d.key, key)
	}
	var clear int
	require.NoError(t, w.su.QueryRow(context.Background(), "select count(*) from tenant_ke.devices where key is not null").Scan(&clear))
	require.Zero(t, clear)
}

func TestASealedKeyOpensOnlyForItsTenantAndDevice(t *testing.T) {
	t.Parallel()
	w := setup(t, "ke", "so")
	s := devices.New(w.p, devices.Config{Keys: keyring(t, devices.NewSecret())})
	a := w.user(t, "ke")
	mine, other := w.register(t, s, "ke", a), w.register(t, s, "ke", a)
	so := w.user(t, "so")
	there := w.register(t, s, "so", so)
	ctx := context.Background()

	// Another device's sealed key copied onto this row (same tenant, same owner).
	_, err := w.su.Exec(ctx, `update tenant_ke.devices set (sealed_key, key_id) = (select sealed_key, key_id from tenant_ke.devices where id = $1)
		where id = $2`, mine.id, other.id)
	require.NoError(t, err)
	_, err = s.ReleaseKey(as(a), "ke", other.id)
	var se *devices.SecretError
	require.ErrorAs(t, err, &se)
	require.True(t, se.Altered)
	require.Contains(t, err.Error(), "revoke the device")

	// A key sealed in tenant ke, copied to tenant so under the same device id.
	_, err = w.su.Exec(ctx, `update tenant_so.devices set id = $1, (sealed_key, key_id) = (select sealed_key, key_id from tenant_ke.devices where id = $1)
		where id = $2`, mine.id, there.id)
	require.NoError(t, err)
	_, err = s.ReleaseKey(as(so), "so", mine.id)
	require.ErrorAs(t, err, &se)
	require.True(t, se.Altered)
	require.Equal(t, "so", se.Tenant)

	// Untouched, the owner's key opens; nobody else's subject reaches it.
	key, err := s.ReleaseKey(as(a), "ke", mine.id)
	require.NoError(t, err)
	require.Equal(t, mine.key, key)
	_, err = s.ReleaseKey(as(so), "ke", mine.id)
	require.True(t, errors.Is(err, tenancy.ErrNotFound) || errors.Is(err, tenancy.ErrForbidden), err)
}

func TestRotationKeepsEveryDeviceWorking(t *testing.T) {
	t.Parallel()
	w := setup(t, "ke", "so")
	oldSecret, newSecret := devices.NewSecret(), devices.NewSecret()
	old := devices.New(w.p, devices.Config{Keys: keyring(t, oldSecret)})
	ke, so := w.user(t, "ke"), w.user(t, "so")
	ds := []registered{w.register(t, old, "ke", ke), w.register(t, old, "ke", ke), w.register(t, old, "so", so)}
	// A key stored in clear before migration device_keys_sealed.
	legacy := w.register(t, old, "ke", ke)
	_, err := w.su.Exec(context.Background(), "update tenant_ke.devices set key = $2, sealed_key = null, key_id = null where id = $1",
		legacy.id, legacy.key)
	require.NoError(t, err)
	ds = append(ds, legacy)
	// A revoked device is resealed too (never released, but kept alike).
	revoked := w.register(t, old, "so", so)
	require.NoError(t, old.RevokeOwn(as(so), "so", revoked.id))

	// The new secret first, the old one after: every key still opens.
	both := devices.New(w.p, devices.Config{Keys: keyring(t, newSecret, oldSecret)})
	for _, d := range ds[:3] {
		key, err := both.ReleaseKey(as(d.who), d.code, d.id)
		require.NoError(t, err)
		require.Equal(t, d.key, key)
	}
	rep, err := both.Reseal(context.Background(), "ke")
	require.NoError(t, err)
	require.Equal(t, devices.ResealReport{Resealed: 2, Sealed: 1}, rep)
	rep, err = both.Reseal(context.Background(), "so")
	require.NoError(t, err)
	require.Equal(t, devices.ResealReport{Resealed: 2}, rep)
	rep, err = both.Reseal(context.Background(), "ke")
	require.NoError(t, err)
	require.Equal(t, devices.ResealReport{Current: 3}, rep, "a second run has nothing to do")
	requireKeyAbsent(t, w.dump(t, "ke", "so"), legacy.key)

	// The old secret removed: every device works, the revoked one stays revoked.
	only := devices.New(w.p, devices.Config{Keys: keyring(t, newSecret)})
	for _, d := range ds {
		key, err := only.ReleaseKey(as(d.who), d.code, d.id)
		require.NoError(t, err)
		require.Equal(t, d.key, key)
	}
	_, err = only.ReleaseKey(as(so), "so", revoked.id)
	require.ErrorIs(t, err, devices.ErrRevoked)
	// The old secret alone opens nothing any more.
	_, err = old.ReleaseKey(as(ke), "ke", ds[0].id)
	var se *devices.SecretError
	require.ErrorAs(t, err, &se)
}

func TestAWrongSecretFailsSayingWhatToDo(t *testing.T) {
	t.Parallel()
	w := setup(t, "ke")
	right := devices.New(w.p, devices.Config{Keys: keyring(t, devices.NewSecret())})
	a := w.user(t, "ke")
	d := w.register(t, right, "ke", a)

	wrongKeys := keyring(t, devices.NewSecret())
	wrong := devices.New(w.p, devices.Config{Keys: wrongKeys})
	_, err := wrong.ReleaseKey(as(a), "ke", d.id)
	var se *devices.SecretError
	require.ErrorAs(t, err, &se)
	require.False(t, se.Altered)
	require.Equal(t, []string{wrongKeys.ID()}, se.Have)
	require.Contains(t, err.Error(), "which this server does not have")
	require.Contains(t, err.Error(), "cpims devices reseal")
	require.Contains(t, err.Error(), "CPIMS_DEVICE_KEY_SECRET")
	// Reseal with the wrong secret changes nothing.
	_, err = wrong.Reseal(context.Background(), "ke")
	require.ErrorAs(t, err, &se)
	key, err := right.ReleaseKey(as(a), "ke", d.id)
	require.NoError(t, err)
	require.Equal(t, d.key, key)

	// No secret at all: nothing is registered in clear.
	none := devices.New(w.p, devices.Config{})
	_, _, err = none.Register(as(a), "ke", "Phone", "")
	require.ErrorIs(t, err, devices.ErrNoSecret)
	require.Contains(t, err.Error(), "--device-key-secret")
	_, err = none.ReleaseKey(as(a), "ke", d.id)
	require.ErrorIs(t, err, devices.ErrNoSecret)

	// Secrets too short, or given twice, are refused when the server starts.
	_, err = devices.NewKeyring("short")
	require.ErrorContains(t, err, "cpims devices new-secret")
	s := devices.NewSecret()
	_, err = devices.NewKeyring(s, s)
	require.ErrorContains(t, err, "twice")
	require.Equal(t, []string{"a", "b"}, devices.ParseSecrets(" a ,\nb,, "))
}

// TestResealIsTheSealerActorsAlone: the reseal runs as its named system
// actor, whatever the caller's context says; a user's subject gains nothing.
func TestResealIsTheSealerActorsAlone(t *testing.T) {
	t.Parallel()
	w := setup(t, "ke")
	s := devices.New(w.p, devices.Config{Keys: keyring(t, devices.NewSecret())})
	a := w.user(t, "ke")
	w.register(t, s, "ke", a)
	_, err := s.Reseal(as(a), "ke")
	require.NoError(t, err)
	ok, err := policyAllows(w, a)
	require.NoError(t, err)
	require.False(t, ok, "no role holds device_keys:reseal")
	_, err = s.Reseal(context.Background(), "xx")
	require.True(t, errors.Is(err, tenancy.ErrNotFound) || errors.Is(err, tenancy.ErrForbidden), err)
}

func policyAllows(w *world, s policy.Subject) (bool, error) {
	err := w.p.Authorize(as(s), "ke", policy.PermDeviceKeysReseal)
	if errors.Is(err, tenancy.ErrForbidden) {
		return false, nil
	}
	return err == nil, err
}
