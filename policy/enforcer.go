package policy

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sync"

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
//
// The platform domain's policy is built in. A tenant's policy comes from its
// roles table and is loaded with SetTenantPolicy whenever its version (the
// roles' latest change) differs from the one loaded, so a role change takes
// effect on every server at the next request.
//
// Decisions are cached per (tenant, role, permission) until the tenant's
// policy is replaced: Casbin's matcher costs tens of microseconds a call,
// more for a permission the role lacks (every rule of the domain is tried),
// and every API call asks several times.
type Enforcer struct {
	e        *casbin.SyncedEnforcer
	mu       sync.Mutex
	versions map[string]string // tenant -> loaded policy version
	// decided caches Casbin's answers; generation counts policy
	// replacements, so that an answer computed before one is not kept.
	decided    map[decision]bool
	generation uint64
}

type decision struct {
	role, domain string
	perm         Permission
}

// maxDecisions bounds the decision cache; it starts again empty when full.
const maxDecisions = 100_000

// TenantRole is one role's permissions in a tenant's policy.
type TenantRole struct {
	UniqueID    string
	Permissions []string
}

// TenantPolicyVersion is the version of tenant's loaded policy ("" if none).
func (en *Enforcer) TenantPolicyVersion(tenant string) string {
	en.mu.Lock()
	defer en.mu.Unlock()
	return en.versions[tenant]
}

// SetTenantPolicy replaces tenant's policy with roles, at version. Unknown
// permissions are an error and leave the previous policy in place.
func (en *Enforcer) SetTenantPolicy(tenant, version string, roles []TenantRole) error {
	if tenant == DomainPlatform {
		return errors.New("policy: the platform domain's policy is built in")
	}
	var rules [][]string
	for _, r := range roles {
		for _, s := range r.Permissions {
			p, err := ParsePermission(s)
			if err != nil {
				return fmt.Errorf("role %s: %w", r.UniqueID, err)
			}
			rules = append(rules, []string{r.UniqueID, tenant, p.Resource, p.Action})
		}
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if _, err := en.e.RemoveFilteredPolicy(1, tenant); err != nil {
		return err
	}
	if len(rules) > 0 {
		if _, err := en.e.AddPolicies(rules); err != nil {
			return err
		}
	}
	en.versions[tenant] = version
	en.generation++
	for d := range en.decided {
		if d.domain == tenant {
			delete(en.decided, d)
		}
	}
	return nil
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
	return &Enforcer{e: e, versions: map[string]string{}, decided: map[decision]bool{}}, nil
}

// systemGrants are the tenant permissions of each named system actor: the
// least each needs. An unnamed actor has none.
var systemGrants = map[string][]Permission{
	ActorAuthenticator: {{"users", "read"}, {"roles", "read"}, {"service_accounts", "read"}},
	ActorAuditor:       {{"audit_logs", "read"}},
	ActorSeeder: {{"agencies", "read"}, {"agencies", "write"}, {"user_groups", "read"}, {"user_groups", "write"},
		{"users", "read"}, {"users", "write"}, {"roles", "read"}, {"service_accounts", "read"}, {"service_accounts", "write"},
		{"locations", "read"}, {"locations", "write"}},
	ActorLocationImporter: {{"locations", "read"}, {"locations", "write"}},
	// Translations change labels through the forms and locations machinery,
	// which checks these permissions; only texts change (forms.RelabelTx,
	// locations.RenameTx).
	ActorTranslator: {{"translations", "read"}, {"translations", "write"}, {"forms", "read"}, {"forms", "write"},
		{"lookups", "read"}, {"lookups", "write"}, {"locations", "read"}, {"locations", "write"}},
	ActorDemoSeeder: {{"cases", "write"}, {"tracing_requests", "write"}, {"incidents", "write"}, {"users", "read"},
		{"locations", "read"}},
	ActorMatcher: {{"matching", "read"}, {"potential_matches", "match"}},
	// A permission of this actor only, outside the catalogue (no role may
	// hold it): it reads attachment ids and deletes files no row names.
	ActorFileCleaner: {PermAttachmentsClean},
	// Outside the catalogue too: it rewrites records' phone search values
	// from their data, nothing else (records.Service.RewritePhones).
	ActorPhoneRewriter: {PermPhonesRewrite},
	// Outside the catalogue too: it rewrites records' and traces' name keys
	// from their names, nothing else (records.Service.RekeyNames).
	ActorNameRekeyer: {PermNamesRekey},
	// Outside the catalogue too: it re-seals device keys with the current
	// instance secret (devices.Service.Reseal), nothing else.
	ActorDeviceSealer: {PermDeviceKeysReseal},
}

// PermDeviceKeysReseal lets the named system actor device_sealer seal the
// stored device keys with the instance's current secret
// (devices.Service.Reseal). It is not in the Catalog: no role may be granted it.
var PermDeviceKeysReseal = Permission{Resource: "device_keys", Action: "reseal"}

// PermPhonesRewrite lets the named system actor phone_rewriter recompute the
// stored form of records' phone numbers (records.Service.RewritePhones). It
// is not in the Catalog: no role may be granted it.
var PermPhonesRewrite = Permission{Resource: "phone_numbers", Action: "rewrite"}

// PermNamesRekey lets the named system actor name_rekeyer recompute the
// stored phonetic keys of records' and traces' names written under an older
// names.KeysVersion (records.Service.RekeyNames). It is not in the Catalog:
// no role may be granted it.
var PermNamesRekey = Permission{Resource: "name_keys", Action: "rekey"}

// PermAttachmentsClean lets the named system actor file_cleaner delete the
// stored files that no attachment names (attachments.Service.CleanOrphans).
// It is not in the Catalog: no role may be granted it.
var PermAttachmentsClean = Permission{Resource: "attachments", Action: "clean"}

// operatorTenantGrants are what hosting operators may do inside a tenant:
// set up its first agency and administrator, nothing with records.
var operatorTenantGrants = []Permission{{"agencies", "read"}, {"agencies", "write"}, {"users", "read"}, {"users", "write"},
	{"roles", "read"}, {"user_groups", "read"}}

// Allowed reports whether s may perform p in domain. Public permissions are
// always allowed. Named system actors and operators (inside tenants) have the
// fixed grants above; users and service accounts have their role's policy.
func (en *Enforcer) Allowed(s Subject, domain string, p Permission) (bool, error) {
	if p.IsPublic() {
		return true, nil
	}
	switch {
	case s.Kind == KindSystem:
		return slices.Contains(systemGrants[s.ID], p), nil
	case s.Kind == KindOperator && domain != DomainPlatform:
		return slices.Contains(operatorTenantGrants, p), nil
	case s.Kind == KindAnonymous:
		return false, nil
	}
	for _, role := range s.Roles {
		ok, err := en.enforce(role, domain, p)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// enforce is Casbin's decision for role in domain, cached until the
// domain's policy is replaced (SetTenantPolicy).
func (en *Enforcer) enforce(role, domain string, p Permission) (bool, error) {
	d := decision{role: role, domain: domain, perm: p}
	en.mu.Lock()
	ok, known := en.decided[d]
	generation := en.generation
	en.mu.Unlock()
	if known {
		return ok, nil
	}
	ok, err := en.e.Enforce(role, domain, p.Resource, p.Action)
	if err != nil {
		return false, err
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.generation == generation { // no policy replaced meanwhile
		if len(en.decided) >= maxDecisions {
			clear(en.decided)
		}
		en.decided[d] = ok
	}
	return ok, nil
}
