package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Queues across cases (docs/workflows.md, "Session 19: queues"): pending
// transfers, referrals and transfer requests in and out, and approval
// requests with server-side filters. Thin handlers over package workflow.

type listTransitionsInput struct {
	Status    string `query:"status" enum:"pending,accepted,rejected,done,revoked" default:"pending" doc:"pending: awaiting an answer (in progress); or the answer given."`
	Direction string `query:"direction" enum:"in,out" default:"in" doc:"in: addressed to you (or, with cases:assign, to the users you manage; a referral to your agency while you are one of its managers); out: sent by you (or, with cases:assign, by the users you manage)."`
	Type      string `query:"type" enum:"referral,transfer,transfer_request" doc:"Only this type; absent: the three."`
	Page      int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per       int    `query:"per" minimum:"1" maximum:"1000" default:"20" doc:"Transitions per page."`
}

type listTransitionsOutput struct {
	Body struct {
		Data     []workflow.QueuedTransition `json:"data"`
		Metadata ListMetadata                `json:"metadata"`
	}
}

type listApprovalsInput struct {
	Status       string `query:"status" enum:"pending,approved,rejected" default:"pending" doc:"pending: awaiting an answer (requested); or the answer given."`
	ApprovalType string `query:"approval_type" enum:"assessment,case_plan,closure,action_plan,gbv_closure" doc:"Only this approval type."`
	Record       string `query:"record" format:"uuid" doc:"Only this case's requests (404 if you cannot see it)."`
	ToAnswer     bool   `query:"to_answer" doc:"Only the requests you may answer: pending, of a type your role approves, not requested by you, on a case whose owner shares one of your user groups."`
	Page         int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per          int    `query:"per" minimum:"1" maximum:"1000" default:"20" doc:"Requests per page."`
}

type listApprovalsOutput struct {
	Body struct {
		Data     []workflow.QueuedApproval `json:"data"`
		Metadata ListMetadata              `json:"metadata"`
	}
}

func registerQueues(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-transitions", Method: http.MethodGet, Path: "/api/v2/transitions", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "List transfers, referrals and transfer requests across cases",
		Description: "The queue of a caseworker or manager, newest first, on the cases within the caller's record scope (a " +
			"transition of a case you cannot see is not listed; the total is exact). Each item has the case's short id, its " +
			"name as you may see it, and whether you may answer (may_answer) or revoke (may_revoke) it now.",
	}, workflow.PermTransitionsQueue), func(ctx context.Context, in *listTransitionsInput) (*listTransitionsOutput, error) {
		tc, _ := tenantFrom(ctx)
		ts, total, err := s.workflow.ListTransitions(ctx, tc.Code, workflow.TransitionFilter{Status: in.Status, Direction: in.Direction,
			Type: in.Type}, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &listTransitionsOutput{}
		out.Body.Data, out.Body.Metadata = ts, ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-approvals", Method: http.MethodGet, Path: "/api/v2/approvals", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "List approval requests across cases",
		Description: "Approval requests on the cases within the caller's record scope, newest request first, with the exact " +
			"total; to_answer=true keeps those you may answer (the managers' queue). Each item has the case's short id, its " +
			"name as you may see it, and may_answer.",
		Errors: []int{http.StatusNotFound},
	}, workflow.PermApprovalsQueue), func(ctx context.Context, in *listApprovalsInput) (*listApprovalsOutput, error) {
		tc, _ := tenantFrom(ctx)
		as, total, err := s.workflow.ListApprovals(ctx, tc.Code, workflow.ApprovalFilter{Status: in.Status, Type: in.ApprovalType,
			RecordID: in.Record, ToAnswer: in.ToAnswer}, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &listApprovalsOutput{}
		out.Body.Data, out.Body.Metadata = as, ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})
}
