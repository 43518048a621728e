package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Pickers of the transition forms (docs/workflows.md "Pickers"): who the
// caller may send a case to, guarded by the transition's own permission so
// that caseworkers need no users:read.

type receiversInput struct {
	Agency string `query:"agency" maxLength:"70" doc:"Only the users of this agency (unique_id)."`
}

type receiversOutput struct {
	Body struct {
		Data []workflow.Receiver `json:"data"`
	}
}

type referableRolesOutput struct {
	Body struct {
		Data []workflow.ReferableRole `json:"data"`
	}
}

func registerPickers(api huma.API, s *Server) {
	for _, p := range []struct{ id, path, kind, description string }{
		{"list-assign-receivers", "assign-to", workflow.TypeAssign,
			"Enabled users the caller may assign cases to: scope all anyone, scope agency the caller's agency, otherwise the users " +
				"sharing one of the caller's user groups."},
		{"list-transfer-receivers", "transfer-to", workflow.TypeTransfer,
			"Enabled users of the caller's agency and of the agencies the sharing protocol lets it transfer cases to (the caller excluded)."},
		{"list-referral-receivers", "refer-to", workflow.TypeReferral,
			"Enabled users of the caller's agency and of the agencies the sharing protocol lets it refer cases to (the caller excluded)."},
	} {
		huma.Register(api, withPermission(huma.Operation{
			OperationID: p.id, Method: http.MethodGet, Path: "/api/v2/users/" + p.path, Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: "Users a case may be sent to (" + p.kind + ")",
			Description: p.description + " Sorted by name, at most 1000; only the fields a caseworker needs to choose.",
		}, map[string]policy.Permission{workflow.TypeAssign: workflow.PermAssign, workflow.TypeTransfer: workflow.PermTransfer,
			workflow.TypeReferral: workflow.PermRefer}[p.kind]), func(ctx context.Context, in *receiversInput) (*receiversOutput, error) {
			tc, _ := tenantFrom(ctx)
			rs, err := s.workflow.Receivers(ctx, tc.Code, p.kind, workflow.ReceiverFilter{Agency: in.Agency})
			if err != nil {
				return nil, problem(err)
			}
			out := &receiversOutput{}
			out.Body.Data = rs
			return out, nil
		})
	}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-referable-roles", Method: http.MethodGet, Path: "/api/v2/roles/referable", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "Roles a referral may grant",
		Description: "The roles whose forms a referral's receiver may read the case through (authorized_role_unique_id).",
	}, workflow.PermRefer), func(ctx context.Context, _ *struct{}) (*referableRolesOutput, error) {
		tc, _ := tenantFrom(ctx)
		rs, err := s.workflow.ReferableRoles(ctx, tc.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &referableRolesOutput{}
		out.Body.Data = rs
		return out, nil
	})
}
