package tenancy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cpims-hosted/cpims/policy"
)

// Role is a tenant role.
type Role struct {
	ID          string            `json:"id"`
	UniqueID    string            `json:"unique_id"`
	Name        map[string]string `json:"name"`
	Description map[string]string `json:"description"`
	Permissions []string          `json:"permissions"`
	RecordScope string            `json:"record_scope" enum:"own,group,agency,all"`
	FormAccess  map[string]string `json:"form_access"`
	MFARequired bool              `json:"mfa_required"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// roleIDRE is the form of a role's unique_id.
var roleIDRE = regexp.MustCompile(`^role-[a-z0-9-]{1,60}$`)

// ValidateNames checks a translated name: at least one language, each a locale tag, 1 to 200 characters.
func ValidateNames(field string, names map[string]string) error {
	if len(names) == 0 {
		return &InvalidError{Field: field, Reason: "give the name in at least one language, e.g. {\"en\": \"...\"}"}
	}
	for lang, n := range names {
		if ValidateLocales([]string{lang}) != nil {
			return &InvalidError{Field: field, Value: lang, Reason: "keys must be language tags such as \"en\""}
		}
		if l := len([]rune(n)); l < 1 || l > 200 {
			return &InvalidError{Field: field + "." + lang, Value: n, Reason: "must be 1 to 200 characters"}
		}
	}
	return nil
}

func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// ListRoles lists the tenant's roles.
func (p *Platform) ListRoles(ctx context.Context, code string) ([]Role, error) {
	if err := p.authorize(ctx, code, permRolesRead); err != nil {
		return nil, err
	}
	return ListAll(ctx, p, code, "select "+roleColumns+" from roles order by unique_id", scanRole)
}

// RoleInput creates or (with nil fields staying) changes a role.
type RoleInput struct {
	UniqueID    string
	Name        map[string]string
	Description map[string]string
	Permissions []string
	RecordScope string
	FormAccess  map[string]string
	MFARequired *bool
}

func (in RoleInput) validate(creating bool) error {
	if creating && !roleIDRE.MatchString(in.UniqueID) {
		return &InvalidError{Field: "unique_id", Value: in.UniqueID, Reason: "must look like role-field-officer (lower-case letters, digits, dashes)"}
	}
	if creating || in.Name != nil {
		if err := ValidateNames("name", in.Name); err != nil {
			return err
		}
	}
	for _, perm := range in.Permissions {
		p, err := policy.ParsePermission(perm)
		if err != nil || p.Resource == "tenants" {
			return &InvalidError{Field: "permissions", Value: perm, Reason: "not a tenant permission of the policy catalogue"}
		}
	}
	if (creating || in.RecordScope != "") && !slices.Contains([]string{policy.ScopeOwn, policy.ScopeGroup, policy.ScopeAgency, policy.ScopeAll}, in.RecordScope) {
		return &InvalidError{Field: "record_scope", Value: in.RecordScope, Reason: "must be own, group, agency or all"}
	}
	for form, access := range in.FormAccess {
		if access != "r" && access != "rw" {
			return &InvalidError{Field: "form_access." + form, Value: access, Reason: "must be r or rw"}
		}
	}
	return nil
}

const roleColumns = `id, unique_id, name, description, permissions, record_scope, form_access, mfa_required, created_at, updated_at`

func scanRole(r pgx.Row) (Role, error) {
	var x Role
	err := r.Scan(&x.ID, &x.UniqueID, &x.Name, &x.Description, &x.Permissions, &x.RecordScope, &x.FormAccess,
		&x.MFARequired, &x.CreatedAt, &x.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, ErrNotFound
	}
	return x, err
}

// CreateRole adds a role. Its permissions must be in the policy catalogue,
// and a user or service account may not define a role reaching beyond its own.
func (p *Platform) CreateRole(ctx context.Context, code string, in RoleInput) (Role, error) {
	if err := p.authorize(ctx, code, permRolesWrite); err != nil {
		return Role{}, err
	}
	if err := in.validate(true); err != nil {
		return Role{}, err
	}
	if in.Description == nil {
		in.Description = map[string]string{}
	}
	if in.FormAccess == nil {
		in.FormAccess = map[string]string{}
	}
	mfa := false
	if in.MFARequired != nil {
		mfa = *in.MFARequired
	}
	var out Role
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		actor, bound, err := ActorReach(ctx, c)
		if err != nil {
			return err
		}
		if err := checkRoleGrant(actor, bound, policy.Reach{Permissions: in.Permissions, Scope: in.RecordScope}); err != nil {
			return err
		}
		// A new role is part of the configuration (its form access, even empty).
		if err := setFormAccess(ctx, c, in.FormAccess); err != nil {
			return err
		}
		out, err = scanRole(c.QueryRow(ctx, `insert into roles (unique_id, name, description, permissions, record_scope, form_access, mfa_required)
			values ($1, $2, $3, $4, $5, $6, $7) returning `+roleColumns,
			in.UniqueID, in.Name, in.Description, append([]string{}, in.Permissions...), in.RecordScope, in.FormAccess, mfa))
		if uniqueViolation(err) {
			return fmt.Errorf("%w: a role %s already exists", ErrConflict, in.UniqueID)
		}
		return err
	})
	return out, err
}

// UpdateRole changes a role; the new policy applies at the next request of
// every user. A user or service account may change neither a role reaching
// beyond its own (DeniedError) nor a role into one; a change that would leave
// the tenant without an active administrator is refused (ErrConflict).
func (p *Platform) UpdateRole(ctx context.Context, code, id string, in RoleInput) (Role, error) {
	if err := p.authorize(ctx, code, permRolesWrite); err != nil {
		return Role{}, err
	}
	if err := in.validate(false); err != nil {
		return Role{}, err
	}
	if !isUUID(id) {
		return Role{}, ErrNotFound
	}
	var perms []string
	if in.Permissions != nil {
		perms = append([]string{}, in.Permissions...)
	}
	var scope *string
	if in.RecordScope != "" {
		scope = &in.RecordScope
	}
	var out Role
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var cur policy.Reach
		err := c.QueryRow(ctx, "select permissions, record_scope from roles where id = $1", id).Scan(&cur.Permissions, &cur.Scope)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		actor, bound, err := ActorReach(ctx, c)
		if err != nil {
			return err
		}
		if err := CheckTarget(actor, bound, "this role: it", cur); err != nil {
			return err
		}
		next := policy.Reach{Permissions: perms, Scope: cmp.Or(in.RecordScope, cur.Scope)}
		if perms == nil {
			next.Permissions = cur.Permissions
		}
		if err := checkRoleGrant(actor, bound, next); err != nil {
			return err
		}
		if in.FormAccess != nil {
			if err := setFormAccess(ctx, c, in.FormAccess); err != nil {
				return err
			}
		}
		update := func() error {
			var err error
			out, err = scanRole(c.QueryRow(ctx, `update roles set name = coalesce($2, name), description = coalesce($3, description),
			permissions = coalesce($4, permissions), record_scope = coalesce($5, record_scope),
			form_access = coalesce($6, form_access), mfa_required = coalesce($7, mfa_required), updated_at = now()
			where id = $1 returning `+roleColumns, id, in.Name, in.Description, perms, scope, in.FormAccess, in.MFARequired))
			return err
		}
		if perms != nil || scope != nil {
			return KeepAdministrator(ctx, c, update)
		}
		return update()
	})
	return out, err
}

// checkRoleGrant refuses a role definition that reaches beyond the actor's own.
func checkRoleGrant(actor policy.Reach, bound bool, reach policy.Reach) error {
	if !bound {
		return nil
	}
	why := policy.Beyond(actor, reach)
	switch {
	case why == "":
		return nil
	case strings.HasPrefix(why, "it reaches"):
		return &InvalidError{Field: "record_scope", Value: reach.Scope, Reason: "you may not define a role beyond yours: " + why}
	default:
		return &InvalidError{Field: "permissions", Value: reach.Permissions, Reason: "you may not define a role beyond yours: " + why}
	}
}

// setFormAccess prepares writing a role's form access in c: every key must
// name a form of the tenant that is not nested (a nested form's access
// follows the form of its subform field). Form access is part of the
// configuration (docs/configuration.md), so writing it bumps the
// configuration version: every server then rebuilds its validators for the
// role at its next request.
func setFormAccess(ctx context.Context, c *Conn, access map[string]string) error {
	// First the version: its row lock orders this change after (or before)
	// any configuration change, so the forms read below stay as read.
	if _, err := c.Exec(ctx, "update configuration set version = version + 1, updated_at = now()"); err != nil {
		return err
	}
	keys := slices.Sorted(maps.Keys(access))
	rows, err := c.Query(ctx, "select unique_id, is_nested from forms where unique_id = any($1)", keys)
	if err != nil {
		return err
	}
	nested := map[string]bool{}
	var id string
	var isNested bool
	if _, err := pgx.ForEachRow(rows, []any{&id, &isNested}, func() error { nested[id] = isNested; return nil }); err != nil {
		return err
	}
	var bad []FieldError
	for _, k := range keys {
		n, ok := nested[k]
		switch {
		case !ok:
			bad = append(bad, FieldError{Path: "form_access." + k, Value: k, Reason: "no such form"})
		case n:
			bad = append(bad, FieldError{Path: "form_access." + k, Value: k,
				Reason: "is a nested form: its access follows the form of its subform field"})
		}
	}
	if len(bad) > 0 {
		return &ValidationError{Title: "The role's form access names forms that cannot be granted.", Errors: bad}
	}
	return nil
}

// ListAll runs a list query in a tenant transaction and scans each row
// with scan (roles here; agencies and user groups in package people).
func ListAll[T any](ctx context.Context, p *Platform, code, query string, scan func(pgx.Row) (T, error)) ([]T, error) {
	var out []T
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		rows, err := c.Query(ctx, query)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
		return err
	})
	return out, err
}
