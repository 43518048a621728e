package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

var permRolesRead = policy.Permission{Resource: "roles", Action: "read"}

type roleListOutput struct {
	Body struct {
		Data     []tenancy.Role `json:"data"`
		Metadata ListMetadata   `json:"metadata"`
	}
}

func registerRoles(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-roles", Method: http.MethodGet, Path: "/api/v2/roles", Tags: []string{"Roles"}, Security: memberSecurity,
		Summary: "List roles with their permissions, record scope, form access and MFA requirement",
	}, permRolesRead), func(ctx context.Context, _ *struct{}) (*roleListOutput, error) {
		t, _ := tenantFrom(ctx)
		roles, err := s.platform.ListRoles(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &roleListOutput{}
		out.Body.Data = append([]tenancy.Role{}, roles...)
		out.Body.Metadata = ListMetadata{Total: len(roles), Per: max(len(roles), 1), Page: 1}
		return out, nil
	})
}
