package people_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// setup provisions tenant ke on a fresh database and returns its platform
// and people service.
func setup(t *testing.T) (*tenancy.Platform, *people.Service) {
	t.Helper()
	p := testdb.New(t).Platform(t, tenancy.Config{})
	ctx := policy.WithSubject(context.Background(), policy.System("test"))
	_, err := p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en", "fr"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(ctx, "ke"))
	return p, people.New(p)
}

// TestUseCasesCheckTheActorsPermission: people's use cases fail closed: a
// subject without the permission is refused (tenancy.ErrForbidden) and
// changes nothing, no subject at all is policy.ErrNoActor.
func TestUseCasesCheckTheActorsPermission(t *testing.T) {
	t.Parallel()
	_, ppl := setup(t)
	agency := people.Agency{UniqueID: "agency-x", AgencyCode: "X", Name: map[string]string{"en": "X"}}
	// An unnamed system actor has no grants; the mailer has none on people.
	for _, s := range []policy.Subject{policy.System("test"), policy.System(policy.ActorMailer), policy.Anonymous(),
		{Kind: policy.KindUser, ID: "11111111-1111-1111-1111-111111111111", Roles: []string{"role-caseworker"}, Scope: policy.ScopeAll}} {
		actx := policy.WithSubject(context.Background(), s)
		_, _, err := ppl.ListUsers(actx, "ke", tenancy.Page{Page: 1, Per: 10})
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
		_, err = ppl.CreateAgency(actx, "ke", agency)
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
		_, err = ppl.CreateServiceAccount(actx, "ke", "Sync", "role-case-manager", "agency-x")
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
	}
	seeder := policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder))
	list, err := ppl.ListAgencies(seeder, "ke")
	require.NoError(t, err)
	for _, a := range list {
		require.NotEqual(t, "agency-x", a.UniqueID, "a refused call changed nothing")
	}
	_, err = ppl.CreateAgency(seeder, "ke", agency)
	require.NoError(t, err)
	_, _, err = ppl.ListUsers(context.Background(), "ke", tenancy.Page{Page: 1, Per: 10})
	require.ErrorIs(t, err, policy.ErrNoActor)
}
