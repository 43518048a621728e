package policy_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
)

func TestEnforcer(t *testing.T) {
	t.Parallel()
	e, err := policy.NewEnforcer()
	require.NoError(t, err)
	operator := policy.Subject{Kind: policy.KindOperator, ID: "op", Roles: []string{policy.RoleOperator}}
	write := policy.Permission{Resource: "tenants", Action: "write"}
	for _, tc := range []struct {
		name    string
		subject policy.Subject
		domain  string
		perm    policy.Permission
		want    bool
	}{
		{"OperatorWritesTenants", operator, policy.DomainPlatform, write, true},
		{"OperatorReadsTenants", operator, policy.DomainPlatform, policy.Permission{Resource: "tenants", Action: "read"}, true},
		{"OperatorHasNoPowerInATenant", operator, "ke", write, false},
		{"OperatorCannotReadCases", operator, policy.DomainPlatform, policy.Permission{Resource: "cases", Action: "read"}, false},
		{"SystemIsNotAnOperator", policy.System("worker"), policy.DomainPlatform, write, false},
		{"AnonymousDenied", policy.Anonymous(), policy.DomainPlatform, write, false},
		{"AnonymousMayCallPublic", policy.Anonymous(), "ke", policy.Public, true},
		{"RoleNameIsNotADomainWildcard", policy.Subject{Roles: []string{"*"}}, policy.DomainPlatform, write, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Allowed(tc.subject, tc.domain, tc.perm)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSubjectContext(t *testing.T) {
	t.Parallel()
	_, err := policy.SubjectFrom(context.Background())
	require.ErrorIs(t, err, policy.ErrNoActor)
	_, err = policy.SubjectFrom(policy.WithSubject(context.Background(), policy.Subject{}))
	require.ErrorIs(t, err, policy.ErrNoActor, "an empty subject is no actor")
	s, err := policy.SubjectFrom(policy.WithSubject(context.Background(), policy.System(policy.ActorProvisioner)))
	require.NoError(t, err)
	require.Equal(t, "system:provisioner", s.String())
}

func BenchmarkAllowed(b *testing.B) {
	e, err := policy.NewEnforcer()
	require.NoError(b, err)
	s := policy.Subject{Kind: policy.KindOperator, Roles: []string{policy.RoleOperator}}
	p := policy.Permission{Resource: "tenants", Action: "write"}
	b.ResetTimer()
	for range b.N {
		if ok, _ := e.Allowed(s, policy.DomainPlatform, p); !ok {
			b.Fatal("denied")
		}
	}
}

// TestCachedDecisionsFollowPolicyChanges: decisions are cached, but a
// replaced tenant policy (a role changed, at a new version) decides the
// next call, both ways, and leaves other tenants' decisions alone.
func TestCachedDecisionsFollowPolicyChanges(t *testing.T) {
	t.Parallel()
	e, err := policy.NewEnforcer()
	require.NoError(t, err)
	worker := policy.Subject{Kind: policy.KindUser, ID: "u1", Roles: []string{"role-caseworker"}}
	read := policy.Permission{Resource: "cases", Action: "read"}
	write := policy.Permission{Resource: "cases", Action: "write"}
	allowed := func(domain string, p policy.Permission) bool {
		t.Helper()
		ok, err := e.Allowed(worker, domain, p)
		require.NoError(t, err)
		return ok
	}
	for _, tenant := range []string{"ke", "so"} {
		require.NoError(t, e.SetTenantPolicy(tenant, "v1", []policy.TenantRole{{UniqueID: "role-caseworker", Permissions: []string{"cases:read"}}}))
	}
	for range 3 { // asked again: the cached answers
		require.True(t, allowed("ke", read))
		require.False(t, allowed("ke", write))
		require.True(t, allowed("so", read))
	}
	require.NoError(t, e.SetTenantPolicy("ke", "v2", []policy.TenantRole{{UniqueID: "role-caseworker", Permissions: []string{"cases:write"}}}))
	require.False(t, allowed("ke", read), "revoked: the cached allow is gone")
	require.True(t, allowed("ke", write), "granted: the cached denial is gone")
	require.True(t, allowed("so", read), "another tenant keeps its policy")
	require.NoError(t, e.SetTenantPolicy("ke", "v3", nil))
	require.False(t, allowed("ke", write))
}

// BenchmarkAllowedTenant: decisions in a tenant of 10 roles with 40
// permissions each, allowed and denied (Casbin tries every rule of the
// domain before denying); cached after the first call.
func BenchmarkAllowedTenant(b *testing.B) {
	e, err := policy.NewEnforcer()
	require.NoError(b, err)
	var roles []policy.TenantRole
	for r := range 10 {
		role := policy.TenantRole{UniqueID: fmt.Sprint("role-", r)}
		for _, res := range policy.Catalog {
			for _, a := range res.Actions {
				if res.Domain == "" && len(role.Permissions) < 40 {
					role.Permissions = append(role.Permissions, res.Name+":"+a.Name)
				}
			}
		}
		roles = append(roles, role)
	}
	require.NoError(b, e.SetTenantPolicy("ke", "v1", roles))
	s := policy.Subject{Kind: policy.KindUser, ID: "u1", Roles: []string{"role-9"}}
	allowed, err := policy.ParsePermission(roles[9].Permissions[39])
	require.NoError(b, err)
	for name, p := range map[string]policy.Permission{"Allowed": allowed, "Denied": {Resource: "cases", Action: "view_hidden_name"}} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				_, _ = e.Allowed(s, "ke", p)
			}
		})
	}
}
