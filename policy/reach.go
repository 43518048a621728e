package policy

import (
	"fmt"
	"slices"
	"strings"
)

// scopeRank orders record scopes from the narrowest to the widest.
var scopeRank = map[string]int{ScopeOwn: 0, ScopeGroup: 1, ScopeAgency: 2, ScopeAll: 3}

// Reach is what a tenant role lets its holder do: its permissions
// ("resource:action") and its record scope.
type Reach struct {
	Permissions []string
	Scope       string
}

// personal are permissions every member may hold without gaining power over
// anyone else: over the holder's own account (and own devices), and reading the reference data
// every member's screens are built from (locations, forms, lookups, and the
// sharing protocol: where a caseworker may refer or transfer to).
var personal = []string{"users:read_self", "users:write_self", "locations:read", "forms:read", "lookups:read",
	"sharing_protocol:read", "devices:write_self"}

// Administrative reports whether perm ("resource:action") is an
// administrative permission: one of a catalogue resource not marked Records,
// other than the personal ones. Unknown permissions count as administrative
// (fail closed).
func Administrative(perm string) bool {
	if slices.Contains(personal, perm) {
		return false
	}
	res, _, _ := strings.Cut(perm, ":")
	for _, r := range Catalog {
		if r.Name == res {
			return !r.Records
		}
	}
	return true
}

// Beyond says why role reaches beyond actor, or "" if it does not: a wider
// record scope, or an administrative permission that actor does not hold.
// Record permissions (cases, incidents, ...) are not compared: their reach is
// bounded by the scope, and administrators usually hold none of them, yet
// must be able to give caseworkers theirs. This is the hierarchy rule: a user
// or service account never changes a member, nor grants a role, beyond itself.
func Beyond(actor, role Reach) string {
	ra, ok := scopeRank[role.Scope]
	if aa, aok := scopeRank[actor.Scope]; !ok || !aok || ra > aa {
		return fmt.Sprintf("it reaches %s records, more than your role's %s", role.Scope, actor.Scope)
	}
	var missing []string
	for _, p := range role.Permissions {
		if Administrative(p) && !slices.Contains(actor.Permissions, p) && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return "it holds " + strings.Join(missing, ", ") + ", which your role does not"
	}
	return ""
}
