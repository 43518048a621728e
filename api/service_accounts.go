package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
)

var (
	permServiceAccountsRead  = policy.Permission{Resource: "service_accounts", Action: "read"}
	permServiceAccountsWrite = policy.Permission{Resource: "service_accounts", Action: "write"}
)

type serviceAccountOutput struct {
	Body struct {
		Data people.ServiceAccount `json:"data"`
	}
}

type serviceAccountListOutput struct {
	Body struct {
		Data     []people.ServiceAccount `json:"data"`
		Metadata ListMetadata            `json:"metadata"`
	}
}

type createServiceAccountInput struct {
	Body struct {
		Name   string `json:"name" minLength:"1" maxLength:"200" example:"UNHCR registration sync"`
		Role   string `json:"role_unique_id" example:"role-caseworker" doc:"The role the integration acts with (not one requiring MFA)."`
		Agency string `json:"agency_unique_id" example:"agency-unhcr"`
	}
}

type accountPath struct {
	ID string `path:"id" format:"uuid" doc:"The service account's id."`
}

type apiKeyListOutput struct {
	Body struct {
		Data     []people.APIKey `json:"data"`
		Metadata ListMetadata    `json:"metadata"`
	}
}

type issueAPIKeyInput struct {
	ID   string `path:"id" format:"uuid" doc:"The service account's id."`
	Body struct {
		Name      string     `json:"name" minLength:"1" maxLength:"200" example:"production"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the key stops working; omit for no expiry."`
	}
}

type issueAPIKeyOutput struct {
	Body struct {
		Data people.APIKey `json:"data"`
		Key  string        `json:"key" doc:"The API key. Shown only now: store it safely; it cannot be shown again."`
	}
}

type revokeAPIKeyInput struct {
	ID    string `path:"id" format:"uuid" doc:"The service account's id."`
	KeyID string `path:"key_id" format:"uuid" doc:"The key's id."`
}

func registerServiceAccounts(api huma.API, s *Server) {
	tags := []string{"Service accounts"}
	base := "/api/v2/service_accounts"
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-service-accounts", Method: http.MethodGet, Path: base, Tags: tags, Security: memberSecurity,
		Summary: "List service accounts (integration clients)",
	}, permServiceAccountsRead), func(ctx context.Context, _ *struct{}) (*serviceAccountListOutput, error) {
		t, _ := tenantFrom(ctx)
		list, err := s.people.ListServiceAccounts(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &serviceAccountListOutput{}
		out.Body.Data = append([]people.ServiceAccount{}, list...)
		out.Body.Metadata = ListMetadata{Total: len(list), Per: max(len(list), 1), Page: 1}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-service-account", Method: http.MethodPost, Path: base, Tags: tags, Security: memberSecurity,
		Summary: "Create a service account", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, permServiceAccountsWrite), func(ctx context.Context, in *createServiceAccountInput) (*serviceAccountOutput, error) {
		t, _ := tenantFrom(ctx)
		sa, err := s.people.CreateServiceAccount(ctx, t.Code, in.Body.Name, in.Body.Role, in.Body.Agency)
		if err != nil {
			return nil, problem(err)
		}
		out := &serviceAccountOutput{}
		out.Body.Data = sa
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-api-keys", Method: http.MethodGet, Path: base + "/{id}/api_keys", Tags: tags, Security: memberSecurity,
		Summary: "List a service account's API keys (never the keys themselves)", Errors: []int{http.StatusNotFound},
	}, permServiceAccountsRead), func(ctx context.Context, in *accountPath) (*apiKeyListOutput, error) {
		t, _ := tenantFrom(ctx)
		keys, err := s.people.ListAPIKeys(ctx, t.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &apiKeyListOutput{}
		out.Body.Data = append([]people.APIKey{}, keys...)
		out.Body.Metadata = ListMetadata{Total: len(keys), Per: max(len(keys), 1), Page: 1}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "issue-api-key", Method: http.MethodPost, Path: base + "/{id}/api_keys", Tags: tags, Security: memberSecurity,
		Summary: "Issue an API key (shown once)", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, permServiceAccountsWrite), func(ctx context.Context, in *issueAPIKeyInput) (*issueAPIKeyOutput, error) {
		t, _ := tenantFrom(ctx)
		k, key, err := s.people.IssueAPIKey(ctx, t.Code, in.ID, in.Body.Name, in.Body.ExpiresAt)
		if err != nil {
			return nil, problem(err)
		}
		out := &issueAPIKeyOutput{}
		out.Body.Data, out.Body.Key = k, key
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "revoke-api-key", Method: http.MethodDelete, Path: base + "/{id}/api_keys/{key_id}", Tags: tags,
		Security: memberSecurity, Summary: "Revoke an API key at once", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, permServiceAccountsWrite), func(ctx context.Context, in *revokeAPIKeyInput) (*struct{}, error) {
		t, _ := tenantFrom(ctx)
		return nil, problem(s.people.RevokeAPIKey(ctx, t.Code, in.ID, in.KeyID))
	})
}
