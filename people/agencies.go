package people

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
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
)

const agencyColumns = "id, unique_id, agency_code, name, disabled, created_at, updated_at"

func scanAgency(r pgx.Row) (Agency, error) {
	var a Agency
	err := r.Scan(&a.ID, &a.UniqueID, &a.AgencyCode, &a.Name, &a.Disabled, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, tenancy.ErrNotFound
	}
	return a, err
}

// ListAgencies lists agencies by unique_id.
func (s *Service) ListAgencies(ctx context.Context, code string) ([]Agency, error) {
	if err := s.p.Authorize(ctx, code, permAgenciesRead); err != nil {
		return nil, err
	}
	return tenancy.ListAll(ctx, s.p, code, "select "+agencyColumns+" from agencies order by unique_id", scanAgency)
}

// CreateAgency adds an agency.
func (s *Service) CreateAgency(ctx context.Context, code string, a Agency) (Agency, error) {
	if err := s.p.Authorize(ctx, code, permAgenciesWrite); err != nil {
		return Agency{}, err
	}
	switch {
	case !agencyIDRE.MatchString(a.UniqueID):
		return Agency{}, &tenancy.InvalidError{Field: "unique_id", Value: a.UniqueID, Reason: "must look like agency-unicef (lower-case letters, digits, dashes)"}
	case len(a.AgencyCode) < 1 || len(a.AgencyCode) > 20:
		return Agency{}, &tenancy.InvalidError{Field: "agency_code", Value: a.AgencyCode, Reason: "must be 1 to 20 characters"}
	}
	if err := tenancy.ValidateNames("name", a.Name); err != nil {
		return Agency{}, err
	}
	var out Agency
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = scanAgency(c.QueryRow(ctx, `insert into agencies (unique_id, agency_code, name) values ($1, $2, $3)
			returning `+agencyColumns, a.UniqueID, a.AgencyCode, a.Name))
		if uniqueViolation(err) {
			return fmt.Errorf("%w: an agency with this unique_id or agency_code already exists", tenancy.ErrConflict)
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
func (s *Service) UpdateAgency(ctx context.Context, code, id string, patch AgencyPatch) (Agency, error) {
	if err := s.p.Authorize(ctx, code, permAgenciesWrite); err != nil {
		return Agency{}, err
	}
	if patch.Name != nil {
		if err := tenancy.ValidateNames("name", patch.Name); err != nil {
			return Agency{}, err
		}
	}
	if !tenancy.IsUUID(id) {
		return Agency{}, tenancy.ErrNotFound
	}
	var out Agency
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
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
		return g, tenancy.ErrNotFound
	}
	return g, err
}

// ListUserGroups lists user groups by unique_id.
func (s *Service) ListUserGroups(ctx context.Context, code string) ([]UserGroup, error) {
	if err := s.p.Authorize(ctx, code, permUserGroupsRead); err != nil {
		return nil, err
	}
	return tenancy.ListAll(ctx, s.p, code, "select "+userGroupColumns+" from user_groups order by unique_id", scanUserGroup)
}

func validateGroupText(name, description string) error {
	if l := len([]rune(name)); l < 1 || l > 200 {
		return &tenancy.InvalidError{Field: "name", Value: name, Reason: "must be 1 to 200 characters"}
	}
	if len([]rune(description)) > 2000 {
		return &tenancy.InvalidError{Field: "description", Reason: "must be at most 2000 characters"}
	}
	return nil
}

// CreateUserGroup adds a user group.
func (s *Service) CreateUserGroup(ctx context.Context, code string, g UserGroup) (UserGroup, error) {
	if err := s.p.Authorize(ctx, code, permUserGroupsWrite); err != nil {
		return UserGroup{}, err
	}
	if !userGroupIDRE.MatchString(g.UniqueID) {
		return UserGroup{}, &tenancy.InvalidError{Field: "unique_id", Value: g.UniqueID, Reason: "must look like usergroup-nairobi (lower-case letters, digits, dashes)"}
	}
	if err := validateGroupText(g.Name, g.Description); err != nil {
		return UserGroup{}, err
	}
	var out UserGroup
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = scanUserGroup(c.QueryRow(ctx, `insert into user_groups (unique_id, name, description) values ($1, $2, $3)
			returning `+userGroupColumns, g.UniqueID, g.Name, g.Description))
		if uniqueViolation(err) {
			return fmt.Errorf("%w: a user group %s already exists", tenancy.ErrConflict, g.UniqueID)
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
func (s *Service) UpdateUserGroup(ctx context.Context, code, id string, patch UserGroupPatch) (UserGroup, error) {
	if err := s.p.Authorize(ctx, code, permUserGroupsWrite); err != nil {
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
	if !tenancy.IsUUID(id) {
		return UserGroup{}, tenancy.ErrNotFound
	}
	var out UserGroup
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = scanUserGroup(c.QueryRow(ctx, `update user_groups set name = coalesce($2, name),
			description = coalesce($3, description), disabled = coalesce($4, disabled), updated_at = now()
			where id = $1 returning `+userGroupColumns, id, patch.Name, patch.Description, patch.Disabled))
		return err
	})
	return out, err
}

// AddAgency creates an agency (seeds and tests).
func (s *Service) AddAgency(ctx context.Context, code, uniqueID, agencyCode string, name map[string]string) error {
	_, err := s.CreateAgency(ctx, code, Agency{UniqueID: uniqueID, AgencyCode: agencyCode, Name: name})
	return err
}

// AddUserGroup creates a user group (seeds and tests).
func (s *Service) AddUserGroup(ctx context.Context, code, uniqueID, name string) error {
	_, err := s.CreateUserGroup(ctx, code, UserGroup{UniqueID: uniqueID, Name: name})
	return err
}
