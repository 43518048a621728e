package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

type phoneCallingCodeOutput struct {
	Body struct {
		Data records.PhoneCallingCode `json:"data"`
	}
}

type setPhoneCallingCodeInput struct {
	Body struct {
		CallingCode string `json:"phone_calling_code" maxLength:"4" doc:"The country calling code: 1 to 4 digits without + and not starting with 0 (E.164 country code, e.g. 254); empty for none." example:"254"`
	}
}

func registerPhoneCallingCode(api huma.API, s *Server) {
	perm := policy.Permission{Resource: "system_settings", Action: "write"}
	tags := []string{"System settings"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-phone-calling-code", Method: http.MethodGet, Path: "/api/v2/system_settings/phone_calling_code",
		Tags: tags, Security: memberSecurity,
		Summary:     "The country calling code of phone numbers, and the progress of the rewrite its latest change started",
		Description: "For the administrators who change it (permission system_settings:write).",
	}, perm), func(ctx context.Context, _ *struct{}) (*phoneCallingCodeOutput, error) {
		t, _ := tenantFrom(ctx)
		pc, err := s.records.PhoneCallingCode(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &phoneCallingCodeOutput{}
		out.Body.Data = pc
		return out, nil
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "set-phone-calling-code", Method: http.MethodPut, Path: "/api/v2/system_settings/phone_calling_code",
		Tags: tags, Security: memberSecurity,
		Summary: "Set the country calling code of phone numbers",
		Description: "With a code, phone numbers written the local way (0712 345 678) are stored and searched in international " +
			"form (254712345678). A change starts a background job that rewrites the stored form of every record's numbers, so " +
			"searches and duplicate checks find records written before; `rewrite` shows its progress. Setting the current code " +
			"changes nothing.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, perm), func(ctx context.Context, in *setPhoneCallingCodeInput) (*phoneCallingCodeOutput, error) {
		t, _ := tenantFrom(ctx)
		pc, err := s.records.SetPhoneCallingCode(ctx, t.Code, in.Body.CallingCode)
		if err != nil {
			return nil, problem(err)
		}
		out := &phoneCallingCodeOutput{}
		out.Body.Data = pc
		return out, nil
	})
}
