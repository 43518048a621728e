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

// Agency is an organisation whose staff use the tenant.
type Agency struct {
	ID         string            `json:"id"`
	UniqueID   string            `json:"unique_id"`
	AgencyCode string            `json:"agency_code"`
	Name       map[string]string `json:"name"`
	Disabled   bool              `json:"disabled"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// UserGroup is a group of users; case managers supervise groups.
type UserGroup struct {
	ID          string    `json:"id"`
	UniqueID    string    `json:"unique_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

var (
	agencyIDRE    = regexp.MustCompile(`^agency-[a-z0-9-]{1,60}$`)
	userGroupIDRE = regexp.MustCompile(`^usergroup-[a-z0-9-]{1,60}$`)
	roleIDRE      = regexp.MustCompile(`^role-[a-z0-9-]{1,60}$`)
)

// validateNames checks a translated name: at least one language, each a locale tag, 1 to 200 characters.
func validateNames(field string, names map[string]string) error {
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

const agencyColumns = "id, unique_id, agency_code, name, disabled, created_at, updated_at"

func scanAgency(r pgx.Row) (Agency, error) {
	var a Agency
	err := r.Scan(&a.ID, &a.UniqueID, &a.AgencyCode, &a.Name, &a.Disabled, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// ListAgencies lists agencies by unique_id.
func (p *Platform) ListAgencies(ctx context.Context, code string) ([]Agency, error) {
	if err := p.authorize(ctx, code, permAgenciesRead); err != nil {
		return nil, err
	}
	return listAll(ctx, p, code, "select "+agencyColumns+" from agencies order by unique_id", scanAgency)
}

// CreateAgency adds an agency.
func (p *Platform) CreateAgency(ctx context.Context, code string, a Agency) (Agency, error) {
	if err := p.authorize(ctx, code, permAgenciesWrite); err != nil {
		return Agency{}, err
	}
	switch {
	case !agencyIDRE.MatchString(a.UniqueID):
		return Agency{}, &InvalidError{Field: "unique_id", Value: a.UniqueID, Reason: "must look like agency-unicef (lower-case letters, digits, dashes)"}
	case len(a.AgencyCode) < 1 || len(a.AgencyCode) > 20:
		return Agency{}, &InvalidError{Field: "agency_code", Value: a.AgencyCode, Reason: "must be 1 to 20 characters"}
	}
	if err := validateNames("name", a.Name); err != nil {
		return Agency{}, err
	}
	var out Agency
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var err error
		out, err = scanAgency(c.QueryRow(ctx, `insert into agencies (unique_id, agency_code, name) values ($1, $2, $3)
			returning `+agencyColumns, a.UniqueID, a.AgencyCode, a.Name))
		if uniqueViolation(err) {
			return fmt.Errorf("%w: an agency with this unique_id or agency_code already exists", ErrConflict)
		}
		return err
	})
	return out, err
}

// AgencyPatch changes an agency; nil fields stay.
type AgencyPatch struct {
	Name     map[string]string
	Disabled *bool
}

// UpdateAgency changes an agency.
func (p *Platform) UpdateAgency(ctx context.Context, code, id string, patch AgencyPatch) (Agency, error) {
	if err := p.authorize(ctx, code, permAgenciesWrite); err != nil {
		return Agency{}, err
	}
	if patch.Name != nil {
		if err := validateNames("name", patch.Name); err != nil {
			return Agency{}, err
		}
	}
	if !isUUID(id) {
		return Agency{}, ErrNotFound
	}
	var out Agency
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var err error
		out, err = scanAgency(c.QueryRow(ctx, `update agencies set name = coalesce($2, name), disabled = coalesce($3, disabled),
			updated_at = now() where id = $1 returning `+agencyColumns, id, patch.Name, patch.Disabled))
		return err
	})
	return out, err
}

const userGroupColumns = "id, unique_id, name, description, disabled, created_at, updated_at"

func scanUserGroup(r pgx.Row) (UserGroup, error) {
	var g UserGroup
	err := r.Scan(&g.ID, &g.UniqueID, &g.Name, &g.Description, &g.Disabled, &g.CreatedAt, &g.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return g, ErrNotFound
	}
	return g, err
}

// ListUserGroups lists user groups by unique_id.
func (p *Platform) ListUserGroups(ctx context.Context, code string) ([]UserGroup, error) {
	if err := p.authorize(ctx, code, permUserGroupsRead); err != nil {
		return nil, err
	}
	return listAll(ctx, p, code, "select "+userGroupColumns+" from user_groups order by unique_id", scanUserGroup)
}

func validateGroupText(name, description string) error {
	if l := len([]rune(name)); l < 1 || l > 200 {
		return &InvalidError{Field: "name", Value: name, Reason: "must be 1 to 200 characters"}
	}
	if len([]rune(description)) > 2000 {
		return &InvalidError{Field: "description", Reason: "must be at most 2000 characters"}
	}
	return nil
}

// CreateUserGroup adds a user group.
func (p *Platform) CreateUserGroup(ctx context.Context, code string, g UserGroup) (UserGroup, error) {
	if err := p.authorize(ctx, code, permUserGroupsWrite); err != nil {
		return UserGroup{}, err
	}
	if !userGroupIDRE.MatchString(g.UniqueID) {
		return UserGroup{}, &InvalidError{Field: "unique_id", Value: g.UniqueID, Reason: "must look like usergroup-nairobi (lower-case letters, digits, dashes)"}
	}
	if err := validateGroupText(g.Name, g.Description); err != nil {
		return UserGroup{}, err
	}
	var out UserGroup
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var err error
		out, err = scanUserGroup(c.QueryRow(ctx, `insert into user_groups (unique_id, name, description) values ($1, $2, $3)
			returning `+userGroupColumns, g.UniqueID, g.Name, g.Description))
		if uniqueViolation(err) {
			return fmt.Errorf("%w: a user group %s already exists", ErrConflict, g.UniqueID)
		}
		return err
	})
	return out, err
}

// UserGroupPatch changes a user group; nil fields stay.
type UserGroupPatch struct {
	Name        *string
	Description *string
	Disabled    *bool
}

// UpdateUserGroup changes a user group.
func (p *Platform) UpdateUserGroup(ctx context.Context, code, id string, patch UserGroupPatch) (UserGroup, error) {
	if err := p.authorize(ctx, code, permUserGroupsWrite); err != nil {
		return UserGroup{}, err
	}
	name, desc := "x", ""
	if patch.Name != nil {
		name = *patch.Name
	}
	if patch.Description != nil {
		desc = *patch.Description
	}
	if err := validateGroupText(name, desc); err != nil {
		return UserGroup{}, err
	}
	if !isUUID(id) {
		return UserGroup{}, ErrNotFound
	}
	var out UserGroup
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var err error
		out, err = scanUserGroup(c.QueryRow(ctx, `update user_groups set name = coalesce($2, name),
			description = coalesce($3, description), disabled = coalesce($4, disabled), updated_at = now()
			where id = $1 returning `+userGroupColumns, id, patch.Name, patch.Description, patch.Disabled))
		return err
	})
	return out, err
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
		if err := validateNames("name", in.Name); err != nil {
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
		actor, bound, err := actorReach(ctx, c)
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
		actor, bound, err := actorReach(ctx, c)
		if err != nil {
			return err
		}
		if err := checkTarget(actor, bound, "this role: it", cur); err != nil {
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
			return keepAdministrator(ctx, c, update)
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

// listAll runs a list query in a tenant transaction.
func listAll[T any](ctx context.Context, p *Platform, code, query string, scan func(pgx.Row) (T, error)) ([]T, error) {
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
