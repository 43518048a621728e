// Package testtenant provisions a tenant with a signed-in caseworker for
// tests that write records through the services, as a caseworker does.
package testtenant

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// CaseworkerInKenya provisions tenant ke (on a database of the test's own)
// with one agency and a caseworker in it, loads the tenant's policy and
// returns the caseworker's context.
func CaseworkerInKenya(t *testing.T) (*testdb.DB, *tenancy.Platform, context.Context) {
	t.Helper()
	sys := policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder))
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	_, err = p.Create(sys, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(sys, "ke"))
	require.NoError(t, people.New(p).AddAgency(sys, "ke", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	identity := uuid.NewString()
	_, err = people.New(p).AddUser(sys, "ke", people.NewUser{Email: "cw@example.org", FullName: "Caseworker", Locale: "en",
		Role: "role-caseworker", Agency: "agency-unicef"}, func(context.Context) (string, error) { return identity, nil }, nil)
	require.NoError(t, err)
	auth := policy.WithSubject(context.Background(), policy.System(policy.ActorAuthenticator))
	pr, err := p.PrincipalByIdentity(auth, "ke", identity)
	require.NoError(t, err)
	version, roles, err := p.TenantPolicy(auth, "ke")
	require.NoError(t, err)
	require.NoError(t, enf.SetTenantPolicy("ke", version, roles))
	return db, p, policy.WithSubject(context.Background(), pr.Subject())
}
