package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
)

func TestBeyondComparesScopeAndAdministrativePermissions(t *testing.T) {
	t.Parallel()
	sysAdmin := policy.Reach{Scope: policy.ScopeAll, Permissions: []string{"users:read", "users:write", "roles:read", "roles:write", "agencies:write"}}
	agencyAdmin := policy.Reach{Scope: policy.ScopeAgency, Permissions: []string{"users:read", "users:write", "roles:read"}}
	caseworker := policy.Reach{Scope: policy.ScopeOwn, Permissions: []string{"cases:read", "cases:write", "users:read_self", "users:write_self"}}
	caseManager := policy.Reach{Scope: policy.ScopeGroup, Permissions: []string{"cases:approve", "users:read"}}
	analyst := policy.Reach{Scope: policy.ScopeAll, Permissions: []string{"dashboards:read", "reports:read"}}
	for _, tc := range []struct {
		name        string
		actor, role policy.Reach
		beyond      string
	}{
		{"AgencyAdminOverCaseworker", agencyAdmin, caseworker, ""},
		{"AgencyAdminOverCaseManager", agencyAdmin, caseManager, ""},
		{"AgencyAdminOverSystemAdmin", agencyAdmin, sysAdmin, "it reaches all records, more than your role's agency"},
		{"AgencyAdminOverAnalyst", agencyAdmin, analyst, "it reaches all records, more than your role's agency"},
		{"SameScopeMorePermissions", policy.Reach{Scope: policy.ScopeAll, Permissions: []string{"users:write"}}, sysAdmin,
			"it holds agencies:write, roles:read, roles:write, users:read, which your role does not"},
		{"SystemAdminOverEveryone", sysAdmin, caseManager, ""},
		{"RecordPermissionsAreNotCompared", sysAdmin, analyst, ""},
		{"EqualRoles", agencyAdmin, agencyAdmin, ""},
		{"UnknownScopeIsBeyond", sysAdmin, policy.Reach{Scope: "everything"}, "it reaches everything records, more than your role's all"},
		{"ReadingFormsAndLookupsIsNotAdministrative", policy.Reach{Scope: policy.ScopeAll, Permissions: []string{"service_accounts:write"}},
			policy.Reach{Scope: policy.ScopeOwn, Permissions: []string{"cases:read", "forms:read", "lookups:read", "users:read_self"}}, ""},
		{"WritingFormsIsAdministrative", agencyAdmin, policy.Reach{Scope: policy.ScopeOwn, Permissions: []string{"forms:write", "configuration:read"}},
			"it holds configuration:read, forms:write, which your role does not"},
		{"UnknownPermissionIsAdministrative", sysAdmin, policy.Reach{Scope: policy.ScopeOwn, Permissions: []string{"nuclear:launch"}},
			"it holds nuclear:launch, which your role does not"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.beyond, policy.Beyond(tc.actor, tc.role))
		})
	}
}
