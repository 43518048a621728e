package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/l10n"
)

// formBodyMax bounds a form's request body (hundreds of fields in four languages fit).
const formBodyMax = 4 << 20

type formPath struct {
	ID string `path:"id" maxLength:"80" doc:"The form's unique_id." example:"basic_identity"`
}

type listFormsInput struct {
	RecordType string `query:"record_type" enum:"case,tracing_request,incident" doc:"Only the forms of this record type."`
	ModuleID   string `query:"module_id" maxLength:"80" doc:"Only the forms shown in this module." example:"primeromodule-cp"`
}

type updateFormInput struct {
	ID   string `path:"id" maxLength:"80" doc:"The form's unique_id." example:"basic_identity"`
	Body forms.FormPatch
}

type validateInput struct {
	Body struct {
		RecordType string         `json:"record_type" enum:"case,tracing_request,incident"`
		ModuleID   string         `json:"module_id" maxLength:"80" example:"primeromodule-cp"`
		Data       map[string]any `json:"data" doc:"A record's data, as the caller would write it on a new record."`
	}
}

// validation is the answer of validate-record-data.
type validation struct {
	Valid bool `json:"valid"`
	// Errors are located like those of a 422 problem: body.data.<field>.
	Errors               []*ProblemDetail `json:"errors"`
	Calculated           map[string]any   `json:"calculated" doc:"The calculated fields' values."`
	ConfigurationVersion int64            `json:"configuration_version"`
}

// registerForms registers forms (sections of fields) and the validation of record data against them.
func registerForms(api huma.API, s *Server) {
	tags := []string{"Forms"}
	code := func(ctx context.Context) string { t, _ := tenantFrom(ctx); return t.Code }

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-forms", Method: http.MethodGet, Path: "/api/v2/forms", Tags: tags, Security: memberSecurity,
		Summary:     "List forms",
		Description: "In display order (form group, order). Administrators (forms:write) see every form; others see the forms their role reads (form_access), with the nested forms of their subforms.",
	}, forms.PermFormsRead), func(ctx context.Context, in *listFormsInput) (*listOutput[forms.Form], error) {
		list, err := s.forms.ListForms(ctx, code(ctx), forms.ListFormsParams{RecordType: in.RecordType, ModuleID: in.ModuleID})
		return listOf(list), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-form", Method: http.MethodGet, Path: "/api/v2/forms/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Show a form with its fields", Errors: []int{http.StatusNotFound},
	}, forms.PermFormsRead), func(ctx context.Context, in *formPath) (*dataOutput[forms.Form], error) {
		f, err := s.forms.GetForm(ctx, code(ctx), in.ID)
		return dataOf(f), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-form", Method: http.MethodPost, Path: "/api/v2/forms", Tags: tags, Security: memberSecurity,
		Summary:       "Create a form",
		Description:   "Every problem of the form, and of the configuration it would make, is a 422 naming its path (body.fields[3].display_conditions); nothing is written then.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: formBodyMax,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, forms.PermFormsWrite), func(ctx context.Context, in *struct{ Body forms.Form }) (*dataOutput[forms.Form], error) {
		f, err := s.forms.CreateForm(ctx, code(ctx), in.Body)
		return dataOf(f), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-form", Method: http.MethodPatch, Path: "/api/v2/forms/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Change a form: its attributes, or its fields (add, change, reorder, hide) by sending the whole list",
		Description: "A field that records use cannot be removed or change type: hide it (visible: false). A change that would break " +
			"another form (a display condition over a field removed) is refused, blamed on body.fields.",
		MaxBodyBytes: formBodyMax,
		Errors:       []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, forms.PermFormsWrite), func(ctx context.Context, in *updateFormInput) (*dataOutput[forms.Form], error) {
		f, err := s.forms.UpdateForm(ctx, code(ctx), in.ID, in.Body)
		return dataOf(f), problem(err)
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "delete-form", Method: http.MethodDelete, Path: "/api/v2/forms/{id}", Tags: tags, Security: memberSecurity,
		Summary:       "Delete a form (and the roles' access to it)",
		Description:   "Refused (409, saying why) for core forms, nested forms a subform uses, and forms whose fields other forms or records use.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound, http.StatusConflict},
	}, forms.PermFormsWrite), func(ctx context.Context, in *formPath) (*struct{}, error) {
		return nil, problem(s.forms.DeleteForm(ctx, code(ctx), in.ID))
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "validate-record-data", Method: http.MethodPost, Path: "/api/v2/forms/validate", Tags: tags, Security: memberSecurity,
		Summary: "Check record data against the forms, as the caller's role would write it",
		Description: "Answers 200 with every problem (valid: false) or none: field types, required fields whose display conditions hold, " +
			"unknown keys, subform rows, and the forms the caller's role may write. Records answer 422 with the same errors.",
		MaxBodyBytes: formBodyMax,
		Errors:       []int{http.StatusUnprocessableEntity},
	}, forms.PermFormsRead), func(ctx context.Context, in *validateInput) (*dataOutput[validation], error) {
		res, err := s.forms.Validate(ctx, code(ctx), forms.ValidateParams{RecordType: in.Body.RecordType,
			ModuleID: in.Body.ModuleID, Data: in.Body.Data})
		if err != nil {
			return nil, problem(err)
		}
		out := validation{Valid: res.Valid, Errors: []*ProblemDetail{}, Calculated: res.Calculated,
			ConfigurationVersion: res.Version}
		for _, e := range res.Errors {
			out.Errors = append(out.Errors, newDetail(e.Code, "body."+e.Path, e.Reason, e.Value, e.Params))
		}
		return dataOf(out), nil
	})
}

// deleteRefusedProblem is the 409 of deleting a form or a lookup still in
// use (code in_use, params kind and id): one errors[] entry per use, with
// its own code and params (the validator's and the usage check's reasons),
// and the detail composed in the caller's language from the catalogue's
// in_use:<kind> text and each use's translated reason (docs/errors.md).
func deleteRefusedProblem(e *forms.DeleteRefusedError) error {
	p := &Problem{Status: http.StatusConflict, Title: http.StatusText(http.StatusConflict), Code: "in_use",
		params: map[string]string{"kind": e.Kind, "id": e.ID}}
	english := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		location := "body"
		if r.Path != "" {
			location += "." + r.Path
		}
		d := newDetail(r.Code, location, r.Reason, r.Value, r.Params)
		p.Errors = append(p.Errors, d)
		english[i] = r.Reason
	}
	p.words = func(lang string) {
		reasons := make([]string, len(p.Errors))
		for i, d := range p.Errors {
			d.Message = l10n.Translate(lang, "error:"+d.Code, english[i], d.Params)
			reasons[i] = d.Message
		}
		p.Detail = l10n.Text(lang, "in_use:"+e.Kind, map[string]string{"id": e.ID,
			"reasons": strings.Join(reasons, l10n.Text(lang, "list:reasons", nil))})
	}
	p.words(l10n.Source)
	return p
}
