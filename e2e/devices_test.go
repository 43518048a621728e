package e2e

import (
	"context"
	"regexp"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestDeviceKeySecretRotationThroughCLI: the hosting team rotates the device
// key secret with `cpims devices reseal`, which also seals keys stored in
// clear by an older release; a missing old secret fails saying what to do and
// changes nothing; afterwards every device opens with the new secret alone.
func TestDeviceKeySecretRotationThroughCLI(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("migrate")
	c.ok("tenant", "create", "--code", "ke", "--name", "Kenya")
	c.ok("tenant", "create", "--code", "so", "--name", "Somalia")

	r := c.ok("devices", "new-secret")
	require.Regexp(t, `^[A-Za-z0-9_-]{43}\n$`, r.stdout)
	oldSecret, newSecret := devices.NewSecret(), devices.NewSecret()

	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := c.db.Platform(t, tenancy.Config{Authorizer: enf})
	sys := func(actor string) context.Context {
		return policy.WithSubject(context.Background(), policy.System(actor))
	}
	oldKeys, err := devices.NewKeyring(oldSecret)
	require.NoError(t, err)
	old := devices.New(p, devices.Config{Keys: oldKeys})
	type device struct {
		code string
		who  policy.Subject
		id   string
		key  []byte
	}
	var ds []device
	for _, code := range []string{"ke", "so"} {
		version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), code)
		require.NoError(t, err)
		require.NoError(t, enf.SetTenantPolicy(code, version, roles))
		require.NoError(t, people.New(p).AddAgency(sys(policy.ActorSeeder), code, "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
		identity := uuid.NewString()
		_, err = people.New(p).AddUser(sys(policy.ActorSeeder), code, people.NewUser{Email: "cw@example.org", FullName: "Caseworker", Locale: "en",
			Role: "role-caseworker", Agency: "agency-unicef"}, func(context.Context) (string, error) { return identity, nil }, nil)
		require.NoError(t, err)
		pr, err := p.PrincipalByIdentity(sys(policy.ActorAuthenticator), code, identity)
		require.NoError(t, err)
		who := pr.Subject()
		for range 2 {
			d, key, err := old.Register(policy.WithSubject(context.Background(), who), code, "Phone", "")
			require.NoError(t, err)
			ds = append(ds, device{code, who, d.ID, key})
		}
	}
	// One key as an older release stored it: in clear.
	_, err = c.db.Superuser(t).Exec(context.Background(), "update tenant_ke.devices set key = $2, sealed_key = null, key_id = null where id = $1",
		ds[0].id, ds[0].key)
	require.NoError(t, err)

	// The new secret alone: the old-sealed keys do not open; nothing changes.
	c.env = append(c.env, "CPIMS_DEVICE_KEY_SECRET="+newSecret)
	r = c.run("devices", "reseal", "--all")
	require.Equal(t, 1, r.code, r.stdout)
	require.Contains(t, r.stderr, "which this server does not have")
	require.Contains(t, r.stderr, "--device-key-secret \"NEW,OLD\"")
	require.Contains(t, r.stderr, "device keys of 2 tenant(s) not sealed (")

	// New first, old after: every key resealed, tenant by tenant, with progress.
	c.env = append(c.env, "CPIMS_DEVICE_KEY_SECRET="+newSecret+","+oldSecret)
	r = c.ok("devices", "reseal", "--all", "--concurrency", "1")
	newKeys, err := devices.NewKeyring(newSecret)
	require.NoError(t, err)
	require.Contains(t, r.stdout, "sealing device keys with secret "+newKeys.ID()+" in 2 tenant(s)\n")
	require.Contains(t, r.stdout, "] tenant ke: 1 sealed (were in clear), 1 resealed, 0 already current\n")
	require.Contains(t, r.stdout, "] tenant so: 0 sealed (were in clear), 2 resealed, 0 already current\n")
	require.Len(t, regexp.MustCompile(`(?m)^\[[12]/2\] tenant `).FindAllString(r.stdout, -1), 2)
	r = c.ok("devices", "reseal", "--tenant", "ke")
	require.Contains(t, r.stdout, "[1/1] tenant ke: 0 sealed (were in clear), 0 resealed, 2 already current\n")

	// The old secret dropped: every device still gets its own key.
	only := devices.New(p, devices.Config{Keys: newKeys})
	for _, d := range ds {
		key, err := only.ReleaseKey(policy.WithSubject(context.Background(), d.who), d.code, d.id)
		require.NoError(t, err)
		require.Equal(t, d.key, key)
	}

	// No secret, or a short one: refused before touching anything.
	c.env = append(c.env, "CPIMS_DEVICE_KEY_SECRET=")
	r = c.run("devices", "reseal", "--all")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "no device key secret is configured")
	r = c.run("devices", "reseal", "--all", "--device-key-secret", "short")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "cpims devices new-secret")
}
