package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/forms"
)

type lookupPath struct {
	ID string `path:"id" maxLength:"88" doc:"The lookup's unique_id." example:"lookup-sex"`
}

type updateLookupInput struct {
	ID   string `path:"id" maxLength:"88" doc:"The lookup's unique_id." example:"lookup-sex"`
	Body forms.LookupPatch
}

// registerLookups registers lookups: the option lists of select fields.
func registerLookups(api huma.API, s *Server) {
	tags := []string{"Lookups"}
	code := func(ctx context.Context) string { t, _ := tenantFrom(ctx); return t.Code }

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-lookups", Method: http.MethodGet, Path: "/api/v2/lookups", Tags: tags, Security: memberSecurity,
		Summary: "List lookups (option lists) with their options",
	}, forms.PermLookupsRead), func(ctx context.Context, _ *struct{}) (*listOutput[forms.Lookup], error) {
		list, err := s.forms.ListLookups(ctx, code(ctx))
		return listOf(list), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-lookup", Method: http.MethodGet, Path: "/api/v2/lookups/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Show a lookup", Errors: []int{http.StatusNotFound},
	}, forms.PermLookupsRead), func(ctx context.Context, in *lookupPath) (*dataOutput[forms.Lookup], error) {
		l, err := s.forms.GetLookup(ctx, code(ctx), in.ID)
		return dataOf(l), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-lookup", Method: http.MethodPost, Path: "/api/v2/lookups", Tags: tags, Security: memberSecurity,
		Summary: "Create a lookup", DefaultStatus: http.StatusCreated, MaxBodyBytes: formBodyMax,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, forms.PermLookupsWrite), func(ctx context.Context, in *struct{ Body forms.Lookup }) (*dataOutput[forms.Lookup], error) {
		l, err := s.forms.CreateLookup(ctx, code(ctx), in.Body)
		return dataOf(l), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-lookup", Method: http.MethodPatch, Path: "/api/v2/lookups/{id}", Tags: tags, Security: memberSecurity,
		Summary:      "Change a lookup's name or options (the whole list)",
		Description:  "An option that records use cannot be removed: disable it (disabled: true). Options that display conditions name cannot be removed either.",
		MaxBodyBytes: formBodyMax,
		Errors:       []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, forms.PermLookupsWrite), func(ctx context.Context, in *updateLookupInput) (*dataOutput[forms.Lookup], error) {
		l, err := s.forms.UpdateLookup(ctx, code(ctx), in.ID, in.Body)
		return dataOf(l), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "delete-lookup", Method: http.MethodDelete, Path: "/api/v2/lookups/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Delete a lookup that no field uses", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, forms.PermLookupsWrite), func(ctx context.Context, in *lookupPath) (*struct{}, error) {
		return nil, problem(s.forms.DeleteLookup(ctx, code(ctx), in.ID))
	})
}
