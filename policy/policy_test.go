package policy_test

import (
	"context"
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
