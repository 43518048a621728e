package tenancy

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
) // Principal is what authorization needs to know about a signed-in member
// (a user, or a service account with Kind policy.KindService).
type Principal struct {
	Kind        policy.Kind // defaults to policy.KindUser
	UserID      string
	Email       string
	Locale      string
	Role        string // role unique_id
	RecordScope string
	MFARequired bool
	Disabled    bool
	AgencyID    string
	GroupIDs    []string
	// PolicyVersion identifies the tenant's current roles, to reload the policy when it changes.
	PolicyVersion string
}

// Subject turns the principal into the request's acting subject.
func (pr Principal) Subject() policy.Subject {
	kind := pr.Kind
	if kind == "" {
		kind = policy.KindUser
	}
	return policy.Subject{Kind: kind, ID: pr.UserID, Roles: []string{pr.Role},
		Scope: pr.RecordScope, Agency: pr.AgencyID, Groups: pr.GroupIDs}
}

// policyVersionSQL is the tenant's roles version. The tenant function
// api_key_check (migration 042) computes it the same way: change both.
const policyVersionSQL = `(select coalesce(max(updated_at)::text, '') || '/' || count(*) from roles)`

// PrincipalByIdentity finds the member of tenant code signed in as a Kratos
// identity. ErrNotFound means the identity is not a member of this tenant.
//
// It runs on every signed-in request, before the call's own transactions,
// and reads the member afresh each time (nothing cached: a disabled member,
// a changed role, agency or groups, and the roles' version act on the very
// next request, whichever server made the change), in one round trip
// (readOnce) instead of a transaction's three.
func (p *Platform) PrincipalByIdentity(ctx context.Context, code, identityID string) (Principal, error) {
	if err := p.authorize(ctx, code, permUsersRead); err != nil {
		return Principal{}, err
	}
	var pr Principal
	scan := func(r pgx.Row) error {
		err := r.Scan(&pr.UserID, &pr.Email, &pr.Locale, &pr.Role, &pr.RecordScope, &pr.MFARequired, &pr.Disabled, &pr.AgencyID,
			&pr.GroupIDs, &pr.PolicyVersion)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	}
	if id, ok := literal(identityID); ok && isUUID(identityID) {
		if ok, err := p.readOnce(ctx, code, principalSQL+id, func(rows pgx.Rows) error {
			if !rows.Next() {
				if err := rows.Err(); err != nil {
					return err
				}
				return ErrNotFound
			}
			return scan(rows)
		}); ok {
			return pr, err
		}
	}
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		return scan(c.QueryRow(ctx, principalSQL+"$1", identityID))
	})
	return pr, err
}

// principalSQL reads a member by Kratos identity, given last.
const principalSQL = `
	select u.id, u.email, u.locale, r.unique_id, r.record_scope, r.mfa_required, u.disabled, u.agency_id,
		coalesce((select array_agg(user_group_id::text order by user_group_id) from user_groups_users where user_id = u.id), '{}'),
		` + policyVersionSQL + `
	from users u join roles r on r.id = u.role_id
	where u.identity_id = `

// TenantPolicy reads every role's permissions, and the policy version.
func (p *Platform) TenantPolicy(ctx context.Context, code string) (string, []policy.TenantRole, error) {
	if err := p.authorize(ctx, code, permRolesRead); err != nil {
		return "", nil, err
	}
	var version string
	var roles []policy.TenantRole
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		if err := c.QueryRow(ctx, "select "+policyVersionSQL).Scan(&version); err != nil {
			return err
		}
		rows, err := c.Query(ctx, "select unique_id, permissions from roles order by unique_id")
		if err != nil {
			return err
		}
		roles, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (policy.TenantRole, error) {
			var tr policy.TenantRole
			return tr, r.Scan(&tr.UniqueID, &tr.Permissions)
		})
		return err
	})
	return version, roles, err
}

// Page selects a page of a list: Page from 1, Per items.
type Page struct {
	Page int
	Per  int
}

// IsUUID reports whether s is a UUID in its canonical text form (ids from
// paths are checked before they reach SQL: a malformed id is not found).
func IsUUID(s string) bool { return isUUID(s) }

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'):
			return false
		}
	}
	return true
}
