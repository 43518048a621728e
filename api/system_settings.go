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

type updateSystemSettingsInput struct {
	Body struct {
		CORSOrigins []string `json:"cors_origins" maxItems:"50" doc:"Origins of other web applications allowed to call this API from a browser with a token or API key (never with cookies), e.g. https://registration.example.org." example:"[\"https://registration.example.org\"]"`
	}
}

type corsOutput struct {
	Body struct {
		Data struct {
			CORSOrigins []string `json:"cors_origins"`
		} `json:"data"`
	}
}

func registerSystemSettingsWrite(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-system-settings", Method: http.MethodPatch, Path: "/api/v2/system_settings",
		Tags: []string{"System settings"}, Security: memberSecurity,
		Summary: "Change the country instance's settings: the origins allowed to call the API from other web applications",
		Errors:  []int{http.StatusUnprocessableEntity},
	}, policy.Permission{Resource: "system_settings", Action: "write"}), func(ctx context.Context, in *updateSystemSettingsInput) (*corsOutput, error) {
		t, _ := tenantFrom(ctx)
		updated, err := s.platform.SetCORSOrigins(ctx, t.Code, in.Body.CORSOrigins)
		if err != nil {
			return nil, problem(err)
		}
		out := &corsOutput{}
		out.Body.Data.CORSOrigins = append([]string{}, updated.CORSOrigins...)
		return out, nil
	})
}
