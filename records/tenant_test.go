package records_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// recordsTenant is tenant "ke" provisioned on a fresh database, with a role
// in its roles table (the case manager's form access, the "all" scope) and
// in the policy, and a user of that role.
type recordsTenant struct {
	db   *testdb.DB
	p    *tenancy.Platform
	en   *policy.Enforcer
	su   *pgx.Conn       // the database's superuser
	user context.Context // the role's user
}

// newRecordsTenant sets up recordsTenant with role holding perms and a
// user of id userID.
func newRecordsTenant(t *testing.T, role string, perms []string, userID string) recordsTenant {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	en, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: en})
	sys := policy.WithSubject(ctx, policy.System("test"))
	_, err = p.Create(sys, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(sys, "ke"))
	su := db.Superuser(t)
	// Before the configuration is first read and cached.
	_, err = su.Exec(ctx, `insert into tenant_ke.roles (unique_id, name, description, permissions, record_scope, form_access)
		values ($1, '{"en": "Test"}', '{"en": "Test"}', $2, 'all',
			(select form_access from tenant_ke.roles where unique_id = 'role-case-manager'))`, role, perms)
	require.NoError(t, err)
	require.NoError(t, en.SetTenantPolicy("ke", "test", []policy.TenantRole{{UniqueID: role, Permissions: perms}}))
	user := policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: userID, Roles: []string{role}, Scope: policy.ScopeAll})
	return recordsTenant{db: db, p: p, en: en, su: su, user: user}
}
