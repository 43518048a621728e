package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

var (
	permTenantsRead  = policy.Permission{Resource: "tenants", Action: "read"}
	permTenantsWrite = policy.Permission{Resource: "tenants", Action: "write"}
)

// ListMetadata is the paging metadata of list responses.
type ListMetadata struct {
	Total int `json:"total" doc:"Number of items in all pages."`
	Per   int `json:"per" doc:"Items per page."`
	Page  int `json:"page" doc:"This page's number, from 1."`
}

type tenantCodePath struct {
	Code string `path:"code" doc:"The tenant's code, e.g. ke." example:"ke"`
}

type tenantOutput struct {
	Body tenancy.Tenant
}

type tenantAcceptedOutput struct {
	Location string `header:"Location" doc:"Poll this URL until status is active (or failed)."`
	Body     tenancy.Tenant
}

type tenantListOutput struct {
	Body struct {
		Data     []tenancy.Tenant `json:"data"`
		Metadata ListMetadata     `json:"metadata"`
	}
}

type createTenantInput struct {
	Body struct {
		Code    string   `json:"code" pattern:"^[a-z][a-z0-9]{1,15}$" doc:"Short code: the tenant's host is <code>.<base domain>. Lower-case letters and digits, starting with a letter; not reserved." example:"ke"`
		Name    string   `json:"name" minLength:"1" maxLength:"200" doc:"Display name of the country instance." example:"Kenya"`
		Locales []string `json:"locales" minItems:"1" maxItems:"50" doc:"Languages offered; the first is the default." example:"[\"en\",\"sw\"]"`
	}
}

type deleteTenantInput struct {
	Code    string `path:"code" doc:"The tenant's code, e.g. ke." example:"ke"`
	Confirm string `query:"confirm" doc:"Must repeat the tenant's code to confirm the deletion."`
}

func registerTenants(api huma.API, s *Server) {
	security := []map[string][]string{{schemeOperatorKey: {}}, {schemeSessionToken: {}}, {schemeSessionCookie: {}}}
	tags := []string{"Tenants"}
	base := "/api/platform/v1/tenants"

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-tenants", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Summary: "List tenants",
	}, permTenantsRead), func(ctx context.Context, _ *struct{}) (*tenantListOutput, error) {
		ts, err := s.platform.List(ctx)
		if err != nil {
			return nil, problem(err)
		}
		out := &tenantListOutput{}
		out.Body.Data = append([]tenancy.Tenant{}, ts...)
		out.Body.Metadata = ListMetadata{Total: len(ts), Per: max(len(ts), 1), Page: 1}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-tenant", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Summary:       "Create a tenant",
		Description:   "Registers the tenant and queues its provisioning (schema, role, migrations, default configuration). Answers 202; poll the tenant until its status is active.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, permTenantsWrite), func(ctx context.Context, in *createTenantInput) (*tenantAcceptedOutput, error) {
		t, err := s.platform.Create(ctx, tenancy.CreateParams{Code: in.Body.Code, Name: in.Body.Name, Locales: in.Body.Locales})
		if err != nil {
			return nil, problem(err)
		}
		return &tenantAcceptedOutput{Location: base + "/" + t.Code, Body: t}, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-tenant", Method: http.MethodGet, Path: base + "/{code}", Tags: tags, Security: security,
		Summary: "Show a tenant, including its provisioning progress",
		Errors:  []int{http.StatusNotFound},
	}, permTenantsRead), func(ctx context.Context, in *tenantCodePath) (*tenantOutput, error) {
		t, err := s.platform.Get(ctx, in.Code)
		if err != nil {
			return nil, problem(err)
		}
		return &tenantOutput{Body: t}, nil
	})

	transition := func(id, verb, summary string, fn func(context.Context, string) (tenancy.Tenant, error)) {
		huma.Register(api, withPermission(huma.Operation{
			OperationID: id, Method: http.MethodPost, Path: base + "/{code}/" + verb, Tags: tags, Security: security,
			Summary: summary, Errors: []int{http.StatusNotFound, http.StatusConflict},
		}, permTenantsWrite), func(ctx context.Context, in *tenantCodePath) (*tenantOutput, error) {
			t, err := fn(ctx, in.Code)
			if err != nil {
				return nil, problem(err)
			}
			return &tenantOutput{Body: t}, nil
		})
	}
	transition("suspend-tenant", "suspend", "Suspend a tenant (its API refuses requests; data is kept)",
		func(ctx context.Context, code string) (tenancy.Tenant, error) { return s.platform.Suspend(ctx, code) })
	transition("resume-tenant", "resume", "Resume a suspended tenant, or cancel its pending deletion",
		func(ctx context.Context, code string) (tenancy.Tenant, error) { return s.platform.Resume(ctx, code) })

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "delete-tenant", Method: http.MethodDelete, Path: base + "/{code}", Tags: tags, Security: security,
		Summary:       "Schedule a tenant's deletion",
		Description:   "The tenant becomes inaccessible at once and is purged (schema and role dropped) after the grace period; resume-tenant cancels. The confirm parameter must repeat the code.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, permTenantsWrite), func(ctx context.Context, in *deleteTenantInput) (*tenantOutput, error) {
		t, err := s.platform.Delete(ctx, in.Code, in.Confirm)
		if err != nil {
			return nil, problem(err)
		}
		return &tenantOutput{Body: t}, nil
	})
}
