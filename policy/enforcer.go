package policy

import (
	_ "embed"
	"fmt"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
)

// DomainPlatform is the Casbin domain of the control plane (hosting operators).
const DomainPlatform = "platform"

// Built-in roles.
const (
	RoleOperator = "platform_operator"
	RoleSystem   = "system"
)

// Permission is a resource and an action, e.g. {Resource: "tenants", Action: "write"}.
// Public marks the few operations that anyone may call.
type Permission struct {
	Resource string
	Action   string
}

// Public is the permission of anonymous operations (health, specs, login page settings).
var Public = Permission{Resource: "public", Action: "read"}

// IsPublic reports whether p is the public permission.
func (p Permission) IsPublic() bool { return p == Public }

func (p Permission) String() string { return p.Resource + ":" + p.Action }

//go:embed model.conf
var modelText string

// platformPolicy is the platform domain's policy: operators manage tenants.
var platformPolicy = [][]string{
	{RoleOperator, DomainPlatform, "tenants", "read"},
	{RoleOperator, DomainPlatform, "tenants", "write"},
}

// Enforcer decides permissions. It is safe for concurrent use.
type Enforcer struct {
	e *casbin.SyncedEnforcer
}

// NewEnforcer builds the enforcer with the built-in platform policy.
func NewEnforcer() (*Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("parsing casbin model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, err
	}
	if _, err := e.AddPolicies(platformPolicy); err != nil {
		return nil, err
	}
	return &Enforcer{e: e}, nil
}

// Allowed reports whether s may perform p in domain. Public permissions are always allowed.
func (en *Enforcer) Allowed(s Subject, domain string, p Permission) (bool, error) {
	if p.IsPublic() {
		return true, nil
	}
	for _, role := range s.Roles {
		ok, err := en.e.Enforce(role, domain, p.Resource, p.Action)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}
