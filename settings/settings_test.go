package settings_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func sys(actor string) context.Context {
	return policy.WithSubject(context.Background(), policy.System(actor))
}

// setup provisions tenant ke (en, fr) with a system administrator and
// returns the platform, the settings service and the administrator's context.
func setup(t *testing.T) (*tenancy.Platform, *settings.Service, context.Context) {
	t.Helper()
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := testdb.New(t).Platform(t, tenancy.Config{Authorizer: enf})
	_, err = p.Create(sys(policy.ActorProvisioner), tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en", "fr"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(sys(policy.ActorProvisioner), "ke"))
	version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), "ke")
	require.NoError(t, err)
	require.NoError(t, enf.SetTenantPolicy("ke", version, roles))
	ppl := people.New(p)
	require.NoError(t, ppl.AddAgency(sys(policy.ActorSeeder), "ke", "agency-a", "A", map[string]string{"en": "A"}))
	identity := uuid.NewString()
	_, err = ppl.AddUser(sys(policy.ActorSeeder), "ke", people.NewUser{Email: "admin@example.org", FullName: "Admin", Locale: "en",
		Role: "role-system-administrator", Agency: "agency-a"}, func(context.Context) (string, error) { return identity, nil }, nil)
	require.NoError(t, err)
	pr, err := p.PrincipalByIdentity(sys(policy.ActorAuthenticator), "ke", identity)
	require.NoError(t, err)
	return p, settings.New(p), policy.WithSubject(context.Background(), pr.Subject())
}

// TestLanguagesAndOriginsReachThePlatformRowAtOnce: a language added or
// removed, and new CORS origins, are written to the tenant's settings and to
// its platform row (what host routing reads) in one transaction, and this
// server's cached row (Lookup) is forgotten, so the next request sees them;
// a bad change is refused whole and changes neither.
func TestLanguagesAndOriginsReachThePlatformRowAtOnce(t *testing.T) {
	t.Parallel()
	p, st, admin := setup(t)
	ctx := context.Background()
	row := func() tenancy.Tenant {
		t.Helper()
		tn, err := p.Lookup(ctx, "ke")
		require.NoError(t, err)
		return tn
	}
	require.Equal(t, []string{"en", "fr"}, row().Locales, "the row is now cached")

	s, err := st.AddLocale(admin, "ke", "ar")
	require.NoError(t, err)
	require.Equal(t, []string{"en", "fr", "ar"}, s.Locales)
	require.Equal(t, settings.DirectionRTL, s.Directions["ar"])
	require.Equal(t, []string{"en", "fr", "ar"}, row().Locales, "the cached row was forgotten")

	up, err := st.UpdateSystemSettings(admin, "ke", settings.SystemSettingsChange{CORSOrigins: []string{"https://app.example.org"}}, 1<<20)
	require.NoError(t, err)
	require.Equal(t, []string{"https://app.example.org"}, up.CORSOrigins)
	require.Equal(t, []string{"https://app.example.org"}, row().CORSOrigins)

	zone := "Mars/Olympus_Mons"
	_, err = st.UpdateSystemSettings(admin, "ke", settings.SystemSettingsChange{TimeZone: &zone,
		CORSOrigins: []string{"http://evil.example.org"}}, 1<<20)
	var ve *tenancy.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Errors, 2, "both bad values at once")
	require.Equal(t, []string{"https://app.example.org"}, row().CORSOrigins, "refused whole")
	got, err := st.GetSystemSettings(admin, "ke")
	require.NoError(t, err)
	require.Equal(t, "UTC", got.TimeZone)

	_, err = st.RemoveLocale(admin, "ke", "en")
	require.ErrorIs(t, err, tenancy.ErrConflict, "the default language stays")
	s, err = st.RemoveLocale(admin, "ke", "ar")
	require.NoError(t, err)
	require.Equal(t, []string{"en", "fr"}, s.Locales)
	require.Equal(t, []string{"en", "fr"}, row().Locales)
}
