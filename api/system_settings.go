package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

type systemSettingsOutput struct {
	Body struct {
		Data tenancy.SystemSettings `json:"data"`
	}
}

func registerSystemSettings(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-system-settings", Method: http.MethodGet, Path: "/api/v2/system_settings",
		Tags:        []string{"System settings"},
		Summary:     "The country instance's name, languages and modules",
		Description: "Public: the sign-in page needs it before anyone is signed in.",
	}, policy.Public), func(ctx context.Context, _ *struct{}) (*systemSettingsOutput, error) {
		t, ok := tenantFrom(ctx)
		if !ok {
			return nil, huma.Error404NotFound(notFoundDetail)
		}
		settings, err := s.platform.GetSystemSettings(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = settings
		return out, nil
	})
}
