package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/forms"
)

// bundleBodyMax bounds an imported configuration bundle.
const bundleBodyMax = 32 << 20

type modulePath struct {
	ID string `path:"id" maxLength:"80" doc:"The module's unique_id." example:"primeromodule-cp"`
}

type updateModuleInput struct {
	ID   string `path:"id" maxLength:"80" doc:"The module's unique_id." example:"primeromodule-cp"`
	Body forms.ModulePatch
}

type exportOutput struct {
	ETag string `header:"ETag" doc:"The configuration version, for If-Match on import."`
	Body struct {
		Data forms.Bundle `json:"data"`
	}
}

type importInput struct {
	DryRun  bool   `query:"dry_run" doc:"Check the bundle and list the changes without applying them."`
	IfMatch string `header:"If-Match" doc:"Apply only if the configuration is still at this version (an export's ETag); else 412."`
	Body    struct {
		Data forms.Bundle `json:"data" doc:"A bundle, as GET /api/v2/configuration exports it."`
	}
}

// registerConfiguration registers modules (their options) and the whole
// configuration as one bundle.
func registerConfiguration(api huma.API, s *Server) {
	code := func(ctx context.Context) string { t, _ := tenantFrom(ctx); return t.Code }

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-modules", Method: http.MethodGet, Path: "/api/v2/modules", Tags: []string{"Modules"}, Security: memberSecurity,
		Summary: "List modules with their record types and options",
	}, forms.PermFormsRead), func(ctx context.Context, _ *struct{}) (*listOutput[forms.ModuleConfig], error) {
		list, err := s.forms.ListModules(ctx, code(ctx))
		return listOf(list), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-module", Method: http.MethodGet, Path: "/api/v2/modules/{id}", Tags: []string{"Modules"}, Security: memberSecurity,
		Summary: "Show a module", Errors: []int{http.StatusNotFound},
	}, forms.PermFormsRead), func(ctx context.Context, in *modulePath) (*dataOutput[forms.ModuleConfig], error) {
		m, err := s.forms.GetModule(ctx, code(ctx), in.ID)
		return dataOf(m), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-module", Method: http.MethodPatch, Path: "/api/v2/modules/{id}", Tags: []string{"Modules"}, Security: memberSecurity,
		Summary: "Change a module's name or options (which workflows are on)",
		Errors:  []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, forms.PermFormsWrite), func(ctx context.Context, in *updateModuleInput) (*dataOutput[forms.ModuleConfig], error) {
		m, err := s.forms.UpdateModule(ctx, code(ctx), in.ID, in.Body)
		return dataOf(m), problem(err)
	})

	tags := []string{"Configuration"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "export-configuration", Method: http.MethodGet, Path: "/api/v2/configuration", Tags: tags, Security: memberSecurity,
		Summary:     "Export the whole configuration as one bundle",
		Description: "Modules, lookups, forms and roles' form access, sorted by unique_id. Importing it into another country instance and exporting again gives the same JSON.",
	}, forms.PermConfigurationRead), func(ctx context.Context, _ *struct{}) (*exportOutput, error) {
		b, version, err := s.forms.Export(ctx, code(ctx))
		if err != nil {
			return nil, problem(err)
		}
		out := &exportOutput{ETag: strconv.Quote(strconv.FormatInt(version, 10))}
		out.Body.Data = b
		return out, nil
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "import-configuration", Method: http.MethodPost, Path: "/api/v2/configuration", Tags: tags, Security: memberSecurity,
		Summary: "Import a configuration bundle: a dry run lists the changes, otherwise all or nothing",
		Description: "The bundle becomes the configuration: forms and lookups it lacks are removed (core forms cannot be), the others created " +
			"or replaced; listed modules get its names and options; listed roles get its form access. Every problem is a 422 naming its " +
			"path (body.data.forms[3].fields[2].display_conditions); then nothing changes.",
		MaxBodyBytes: bundleBodyMax,
		Errors:       []int{http.StatusPreconditionFailed, http.StatusUnprocessableEntity},
	}, forms.PermConfigurationWrite), func(ctx context.Context, in *importInput) (*dataOutput[forms.ImportResult], error) {
		opts := forms.ImportOptions{DryRun: in.DryRun}
		if in.IfMatch != "" {
			v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(in.IfMatch, "W/"), `"`), 10, 64)
			if err != nil {
				return nil, huma.Error422UnprocessableEntity("The request is not valid.",
					&huma.ErrorDetail{Location: "header.If-Match", Message: "must be an ETag of GET /api/v2/configuration", Value: in.IfMatch})
			}
			opts.IfVersion = &v
		}
		res, err := s.forms.Import(ctx, code(ctx), in.Body.Data, opts)
		if res.Changes == nil {
			res.Changes = []forms.Change{}
		}
		return dataOf(res), problem(err)
	})
}
