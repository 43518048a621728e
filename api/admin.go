package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// dataOutput wraps one item as {"data": ...}.
type dataOutput[T any] struct {
	Body struct {
		Data T `json:"data"`
	}
}

func dataOf[T any](v T) *dataOutput[T] {
	out := &dataOutput[T]{}
	out.Body.Data = v
	return out
}

// listOutput wraps a whole list as {"data": [...], "metadata": {...}}.
type listOutput[T any] struct {
	Body struct {
		Data     []T          `json:"data"`
		Metadata ListMetadata `json:"metadata"`
	}
}

func listOf[T any](items []T) *listOutput[T] {
	out := &listOutput[T]{}
	out.Body.Data = append([]T{}, items...)
	out.Body.Metadata = ListMetadata{Total: len(items), Per: max(len(items), 1), Page: 1}
	return out
}

type idPath struct {
	ID string `path:"id" format:"uuid"`
}

type agencyBody struct {
	UniqueID   string            `json:"unique_id" example:"agency-unicef"`
	AgencyCode string            `json:"agency_code" minLength:"1" maxLength:"20" example:"UNICEF"`
	Name       map[string]string `json:"name" doc:"The name by language." example:"{\"en\":\"UNICEF\"}"`
}

type updateAgencyInput struct {
	ID   string `path:"id" format:"uuid"`
	Body struct {
		Name     map[string]string `json:"name,omitempty"`
		Disabled *bool             `json:"disabled,omitempty"`
	}
}

type userGroupBody struct {
	UniqueID    string `json:"unique_id" example:"usergroup-nairobi"`
	Name        string `json:"name" minLength:"1" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"2000"`
}

type updateUserGroupInput struct {
	ID   string `path:"id" format:"uuid"`
	Body struct {
		Name        *string `json:"name,omitempty"`
		Description *string `json:"description,omitempty"`
		Disabled    *bool   `json:"disabled,omitempty"`
	}
}

type roleBody struct {
	UniqueID    string            `json:"unique_id,omitempty" example:"role-field-officer"`
	Name        map[string]string `json:"name,omitempty"`
	Description map[string]string `json:"description,omitempty"`
	Permissions []string          `json:"permissions,omitempty" doc:"resource:action pairs of the policy catalogue." example:"[\"cases:read\",\"cases:write\"]"`
	RecordScope string            `json:"record_scope,omitempty" enum:"own,group,agency,all"`
	FormAccess  map[string]string `json:"form_access,omitempty" doc:"Form unique_id to r (read) or rw (read and write)."`
	MFARequired *bool             `json:"mfa_required,omitempty"`
}

func (b roleBody) input() tenancy.RoleInput {
	return tenancy.RoleInput{UniqueID: b.UniqueID, Name: b.Name, Description: b.Description, Permissions: b.Permissions,
		RecordScope: b.RecordScope, FormAccess: b.FormAccess, MFARequired: b.MFARequired}
}

type updateRoleInput struct {
	ID   string `path:"id" format:"uuid"`
	Body roleBody
}

// registerAdmin registers the tenant configuration of people: agencies, user groups and roles.
func registerAdmin(api huma.API, s *Server) {
	perm := func(resource, action string) policy.Permission {
		return policy.Permission{Resource: resource, Action: action}
	}
	op := func(id, method, path, tag, summary string) huma.Operation {
		o := huma.Operation{OperationID: id, Method: method, Path: path, Tags: []string{tag}, Security: memberSecurity, Summary: summary}
		switch method {
		case http.MethodPost:
			o.DefaultStatus = http.StatusCreated
			o.Errors = []int{http.StatusConflict, http.StatusUnprocessableEntity}
		case http.MethodPatch:
			o.Errors = []int{http.StatusNotFound, http.StatusUnprocessableEntity}
			if id == "update-role" {
				o.Errors = []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
			}
		}
		return o
	}
	code := func(ctx context.Context) string { t, _ := tenantFrom(ctx); return t.Code }

	huma.Register(api, withPermission(op("list-agencies", "GET", "/api/v2/agencies", "Agencies", "List agencies"),
		perm("agencies", "read")), func(ctx context.Context, _ *struct{}) (*listOutput[people.Agency], error) {
		list, err := s.people.ListAgencies(ctx, code(ctx))
		return listOf(list), problem(err)
	})
	huma.Register(api, withPermission(op("create-agency", "POST", "/api/v2/agencies", "Agencies", "Create an agency"),
		perm("agencies", "write")), func(ctx context.Context, in *struct{ Body agencyBody }) (*dataOutput[people.Agency], error) {
		a, err := s.people.CreateAgency(ctx, code(ctx), people.Agency{UniqueID: in.Body.UniqueID, AgencyCode: in.Body.AgencyCode, Name: in.Body.Name})
		return dataOf(a), problem(err)
	})
	huma.Register(api, withPermission(op("update-agency", "PATCH", "/api/v2/agencies/{id}", "Agencies", "Rename, disable or re-enable an agency"),
		perm("agencies", "write")), func(ctx context.Context, in *updateAgencyInput) (*dataOutput[people.Agency], error) {
		a, err := s.people.UpdateAgency(ctx, code(ctx), in.ID, people.AgencyPatch{Name: in.Body.Name, Disabled: in.Body.Disabled})
		return dataOf(a), problem(err)
	})

	huma.Register(api, withPermission(op("list-user-groups", "GET", "/api/v2/user_groups", "User groups", "List user groups"),
		perm("user_groups", "read")), func(ctx context.Context, _ *struct{}) (*listOutput[people.UserGroup], error) {
		list, err := s.people.ListUserGroups(ctx, code(ctx))
		return listOf(list), problem(err)
	})
	huma.Register(api, withPermission(op("create-user-group", "POST", "/api/v2/user_groups", "User groups", "Create a user group"),
		perm("user_groups", "write")), func(ctx context.Context, in *struct{ Body userGroupBody }) (*dataOutput[people.UserGroup], error) {
		g, err := s.people.CreateUserGroup(ctx, code(ctx), people.UserGroup{UniqueID: in.Body.UniqueID, Name: in.Body.Name, Description: in.Body.Description})
		return dataOf(g), problem(err)
	})
	huma.Register(api, withPermission(op("update-user-group", "PATCH", "/api/v2/user_groups/{id}", "User groups", "Change a user group"),
		perm("user_groups", "write")), func(ctx context.Context, in *updateUserGroupInput) (*dataOutput[people.UserGroup], error) {
		g, err := s.people.UpdateUserGroup(ctx, code(ctx), in.ID, people.UserGroupPatch{Name: in.Body.Name, Description: in.Body.Description, Disabled: in.Body.Disabled})
		return dataOf(g), problem(err)
	})

	huma.Register(api, withPermission(op("create-role", "POST", "/api/v2/roles", "Roles", "Create a role"),
		perm("roles", "write")), func(ctx context.Context, in *struct{ Body roleBody }) (*dataOutput[tenancy.Role], error) {
		r, err := s.platform.CreateRole(ctx, code(ctx), in.Body.input())
		return dataOf(r), problem(err)
	})
	huma.Register(api, withPermission(op("update-role", "PATCH", "/api/v2/roles/{id}", "Roles",
		"Change a role (takes effect at every user's next request)"),
		perm("roles", "write")), func(ctx context.Context, in *updateRoleInput) (*dataOutput[tenancy.Role], error) {
		r, err := s.platform.UpdateRole(ctx, code(ctx), in.ID, in.Body.input())
		return dataOf(r), problem(err)
	})
}
