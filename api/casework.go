package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Casework on cases (docs/workflows.md): approvals, flags, close and
// reopen. Thin handlers over package workflow.

type approvalData struct {
	ApprovalStatus string `json:"approval_status" enum:"requested,approved,rejected" doc:"requested (by someone who may write the case), approved or rejected (by a manager of the owner's user groups, not the requester)."`
	Notes          string `json:"notes,omitempty" maxLength:"5000" doc:"The request's notes, or the answer's (why rejected)."`
}

type flagData struct {
	Message string `json:"message" minLength:"1" maxLength:"2000" doc:"Why the case is flagged."`
	Date    string `json:"date,omitempty" format:"date" doc:"An optional date the flag is about."`
}

type unflagData struct {
	UnflagMessage string `json:"unflag_message" minLength:"1" maxLength:"2000" doc:"Why the flag is resolved."`
}

type statusChangeData struct {
	Reason string `json:"reason" minLength:"1" maxLength:"2000" doc:"Why the case is closed or reopened (the transition's notes)."`
}

type approvalInput struct {
	ID         string `path:"id" format:"uuid" doc:"The case's id."`
	ApprovalID string `path:"approval_id" enum:"assessment,case_plan,closure,action_plan,gbv_closure" doc:"The approval type (Primero v2's approval_id)."`
	Body       struct {
		Data approvalData `json:"data"`
	}
}

type approvalOutput struct {
	Body struct {
		Data workflow.Approval `json:"data"`
	}
}

type approvalsOutput struct {
	Body struct {
		Data []workflow.Approval `json:"data"`
	}
}

type createFlagInput struct {
	ID   string `path:"id" format:"uuid" doc:"The record's id."`
	Body struct {
		Data flagData `json:"data"`
	}
}

type resolveFlagInput struct {
	ID     string `path:"id" format:"uuid" doc:"The record's id."`
	FlagID string `path:"flag_id" format:"uuid" doc:"The flag's id."`
	Body   struct {
		Data unflagData `json:"data"`
	}
}

type flagOutput struct {
	Body struct {
		Data workflow.Flag `json:"data"`
	}
}

type listFlagsInput struct {
	Page       int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per        int    `query:"per" minimum:"1" maximum:"1000" default:"20" doc:"Flags per page."`
	RecordType string `query:"record_type" enum:"case,tracing_request,incident" doc:"Only flags of this record type; absent: every type the caller may read."`
	Active     string `query:"active" enum:"true,false" doc:"true: unresolved flags only; false: resolved only; absent: all."`
}

type listCaseFlagsInput struct {
	ID     string `path:"id" format:"uuid" doc:"The record's id."`
	Page   int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per    int    `query:"per" minimum:"1" maximum:"1000" default:"20" doc:"Flags per page."`
	Active string `query:"active" enum:"true,false" doc:"true: unresolved flags only; false: resolved only; absent: all."`
}

type listFlagsOutput struct {
	Body struct {
		Data     []workflow.Flag `json:"data"`
		Metadata ListMetadata    `json:"metadata"`
	}
}

type statusChangeInput struct {
	ID   string `path:"id" format:"uuid" doc:"The case's id."`
	Body struct {
		Data statusChangeData `json:"data"`
	}
}

func registerCasework(api huma.API, s *Server) {
	errs := []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-case-approval", Method: http.MethodPatch, Path: "/api/v2/cases/{id}/approvals/{approval_id}",
		Tags: []string{"Transitions"}, Security: memberSecurity, Summary: "Request, approve or reject an approval of a case",
		Description: "requested: by someone who may write the case (cases:write), for an approval type the case's module uses, " +
			"none pending (409); the managers of the owner's user groups are emailed. approved/rejected: only a pending request " +
			"(409), by a manager of one of the owner's user groups holding cases:approve or cases:approve_<type>, never the requester " +
			"(403); the owner is emailed. The case's approval_status_<type> follows.",
		Errors: errs,
	}, workflow.PermRead), func(ctx context.Context, in *approvalInput) (*approvalOutput, error) {
		tc, _ := tenantFrom(ctx)
		a, err := s.workflow.Approve(ctx, tc.Code, in.ID, in.ApprovalID, in.Body.Data.ApprovalStatus, in.Body.Data.Notes)
		if err != nil {
			return nil, problem(err)
		}
		out := &approvalOutput{}
		out.Body.Data = a
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-case-approvals", Method: http.MethodGet, Path: "/api/v2/cases/{id}/approvals", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "List a case's approval requests",
		Description: "Every request and its answer, newest first.", Errors: []int{http.StatusNotFound},
	}, workflow.PermRead), func(ctx context.Context, in *recordIDPath) (*approvalsOutput, error) {
		tc, _ := tenantFrom(ctx)
		as, err := s.workflow.Approvals(ctx, tc.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &approvalsOutput{}
		out.Body.Data = as
		return out, nil
	})

	listFlags := func(ctx context.Context, recordType, recordID string, in listFlagsInput) (*listFlagsOutput, error) {
		tc, _ := tenantFrom(ctx)
		f := workflow.FlagFilter{RecordType: recordType, RecordID: recordID}
		if in.Active != "" {
			active := in.Active == "true"
			f.Active = &active
		}
		fs, total, err := s.workflow.ListFlags(ctx, tc.Code, f, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &listFlagsOutput{}
		out.Body.Data = fs
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-flags", Method: http.MethodGet, Path: "/api/v2/flags", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "List flags across records",
		Description: "Flags of the records within the caller's record scope, newest first: of every record type whose read " +
			"permission the caller holds, or of record_type (which then needs that type's read permission).",
	}, workflow.PermRead), func(ctx context.Context, in *listFlagsInput) (*listFlagsOutput, error) {
		return listFlags(ctx, in.RecordType, "", *in)
	})
	// Each record type has the same flag operations (create, resolve, list).
	for _, t := range []recordTypeAPI{casesAPI, tracingRequestsAPI, incidentsAPI} {
		base := "/api/v2/" + t.resource + "/{id}/flags"
		a := "a "
		if t.noun[0] == 'i' {
			a = "an "
		}
		huma.Register(api, withPermission(huma.Operation{
			OperationID: "create-" + t.singular + "-flag", Method: http.MethodPost, Path: base, Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: "Flag " + a + t.noun, DefaultStatus: http.StatusCreated,
			Description: "The " + t.noun + " becomes flagged (the flagged filter) until every flag is resolved.", Errors: errs,
		}, t.perm("flag")), func(ctx context.Context, in *createFlagInput) (*flagOutput, error) {
			tc, _ := tenantFrom(ctx)
			f, err := s.workflow.AddFlag(ctx, tc.Code, t.recordType, in.ID, in.Body.Data.Message, in.Body.Data.Date)
			return flagOut(f, err)
		})
		huma.Register(api, withPermission(huma.Operation{
			OperationID: "update-" + t.singular + "-flag", Method: http.MethodPatch, Path: base + "/{flag_id}", Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: "Resolve " + a + t.noun + "'s flag",
			Description: "The flag is kept, removed, with the message; a resolved flag: 409.", Errors: errs,
		}, t.perm("flag")), func(ctx context.Context, in *resolveFlagInput) (*flagOutput, error) {
			tc, _ := tenantFrom(ctx)
			f, err := s.workflow.ResolveFlag(ctx, tc.Code, t.recordType, in.ID, in.FlagID, in.Body.Data.UnflagMessage)
			return flagOut(f, err)
		})
		huma.Register(api, withPermission(huma.Operation{
			OperationID: "list-" + t.singular + "-flags", Method: http.MethodGet, Path: base, Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: "List " + a + t.noun + "'s flags", Errors: []int{http.StatusNotFound},
		}, t.perm("read")), func(ctx context.Context, in *listCaseFlagsInput) (*listFlagsOutput, error) {
			return listFlags(ctx, t.recordType, in.ID, listFlagsInput{Page: in.Page, Per: in.Per, Active: in.Active})
		})
	}

	for _, op := range []struct {
		id, verb, summary, description string
		run                            func(ctx context.Context, code, id, reason string) (workflow.Transition, error)
		perm                           string
	}{
		{"close-case", "close", "Close a case", "An open case is closed with a reason (a close transition). If its module uses " +
			"closure approvals, the closure must be approved first (409). A closed case cannot be assigned, referred or transferred.",
			s.workflow.Close, "close"},
		{"reopen-case", "reopen", "Reopen a case", "A closed case is opened again with a reason (a reopen transition); its " +
			"closure approval is cleared.", s.workflow.Reopen, "reopen"},
	} {
		perm := workflow.PermClose
		if op.perm == "reopen" {
			perm = workflow.PermReopen
		}
		huma.Register(api, withPermission(huma.Operation{
			OperationID: op.id, Method: http.MethodPost, Path: "/api/v2/cases/{id}/" + op.verb, Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: op.summary, Description: op.description, Errors: errs,
		}, perm), func(ctx context.Context, in *statusChangeInput) (*transitionOutput, error) {
			tc, _ := tenantFrom(ctx)
			return transitionOut(op.run(ctx, tc.Code, in.ID, in.Body.Data.Reason))
		})
	}
}

func flagOut(f workflow.Flag, err error) (*flagOutput, error) {
	if err != nil {
		return nil, problem(err)
	}
	out := &flagOutput{}
	out.Body.Data = f
	return out, nil
}
