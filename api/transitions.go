package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Transitions of cases (docs/workflows.md): assigns, referrals, transfers
// and transfer requests in Primero v2's shapes, and the information sharing
// protocol. Thin handlers over package workflow.

type transitionData struct {
	TransitionedTo            string `json:"transitioned_to,omitempty" maxLength:"320" doc:"The receiver's user name (email). Ignored for a transfer request (the owner receives it)."`
	TransitionedToAgency      string `json:"transitioned_to_agency,omitempty" maxLength:"70" doc:"The receiver's agency (unique_id); optional, checked against the receiver's. A referral with this and no transitioned_to goes to the agency's managers (users whose role may assign cases): any of them accepts it (it becomes theirs) or rejects it."`
	Notes                     string `json:"notes,omitempty" maxLength:"5000"`
	Service                   string `json:"service,omitempty" maxLength:"200" doc:"A referral: the service asked for (an option of the service type lookup)."`
	AuthorizedRoleUniqueID    string `json:"authorized_role_unique_id,omitempty" maxLength:"70" doc:"A referral: the role whose forms the receiver reads the case through; defaults to the receiver's role; required for a referral to an agency without a user."`
	ConsentIndividualTransfer bool   `json:"consent_individual_transfer,omitempty" doc:"Send without the child's recorded consent to share (disclosure_other_orgs): needs cases:consent_override and consent_override_reason."`
	ConsentOverrideReason     string `json:"consent_override_reason,omitempty" maxLength:"2000" doc:"Why consent is overridden (recorded on the transition)."`
}

func (d transitionData) input() workflow.Input {
	return workflow.Input{TransitionedTo: d.TransitionedTo, TransitionedToAgency: d.TransitionedToAgency, Notes: d.Notes,
		Service: d.Service, AuthorizedRole: d.AuthorizedRoleUniqueID, ConsentOverride: d.ConsentIndividualTransfer,
		ConsentOverrideReason: d.ConsentOverrideReason}
}

type createTransitionInput struct {
	ID   string `path:"id" format:"uuid" doc:"The case's id."`
	Body struct {
		Data transitionData `json:"data"`
	}
}

type transitionOutput struct {
	Body struct {
		Data workflow.Transition `json:"data"`
	}
}

type transitionsOutput struct {
	Body struct {
		Data []workflow.Transition `json:"data"`
	}
}

type bulkAssignData struct {
	IDs            []string `json:"ids" minItems:"1" maxItems:"100" doc:"The cases to assign (1 to 100): all are assigned, or none."`
	TransitionedTo string   `json:"transitioned_to" maxLength:"320" doc:"The receiver's user name (email)."`
	Notes          string   `json:"notes,omitempty" maxLength:"5000"`
}

type bulkAssignInput struct {
	Body struct {
		Data bulkAssignData `json:"data"`
	}
}

type respondTransitionInput struct {
	ID           string `path:"id" format:"uuid" doc:"The case's id."`
	TransitionID string `path:"transition_id" format:"uuid" doc:"The transition's id."`
	Body         struct {
		Data transitionAnswer `json:"data"`
	}
}

type transitionAnswer struct {
	Status         string `json:"status" enum:"accepted,rejected,done,revoked" doc:"accepted, rejected or done (referrals) by the receiver; revoked by the sender."`
	RejectedReason string `json:"rejected_reason,omitempty" maxLength:"2000" doc:"Notes of the answer (why it is rejected)."`
	// The owner accepting a transfer request without the child's consent.
	ConsentOverride       bool   `json:"consent_individual_transfer,omitempty" doc:"Only when the owner accepts a transfer request to another agency: move the case without the child's recorded consent (needs cases:consent_override and a consent_override_reason)."`
	ConsentOverrideReason string `json:"consent_override_reason,omitempty" maxLength:"2000" doc:"Why consent is overridden (recorded on the transition)."`
}

type protocolOutput struct {
	Body struct {
		Data []workflow.ProtocolRule `json:"data"`
	}
}

type protocolInput struct {
	Body struct {
		Data []workflow.ProtocolRule `json:"data" maxItems:"10000" doc:"Every pair of agencies allowed to refer and/or transfer across; the rest may not."`
	}
}

func transitionOut(t workflow.Transition, err error) (*transitionOutput, error) {
	if err != nil {
		return nil, problem(err)
	}
	out := &transitionOutput{}
	out.Body.Data = t
	return out, nil
}

func registerTransitions(api huma.API, s *Server) {
	registerPickers(api, s)
	cases := func(action string) policy.Permission { return policy.Permission{Resource: "cases", Action: action} }
	errs := []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	create := []struct {
		id, path, summary, description, perm string
		run                                  func(ctx context.Context, code, id string, in workflow.Input) (workflow.Transition, error)
	}{
		{"create-case-assign", "assigns", "Assign a case",
			"The receiver (transitioned_to) becomes the case's owner. Within the caller's reach: scope all anyone, scope agency the " +
				"caller's agency, otherwise the caller's user groups (403 naming the rule).", "assign", s.workflow.Assign},
		{"create-case-referral", "referrals", "Refer a case",
			"The receiver reads the case through the access role's forms until the referral is rejected, done or revoked. Across " +
				"agencies the sharing protocol must allow it (403) and the child must have consented (409), unless the role overrides consent with a reason.",
			"refer", s.workflow.Refer},
		{"create-case-transfer", "transfers", "Transfer a case",
			"Pending until the receiver or their manager accepts (ownership moves) or rejects; the sender may revoke. Across agencies " +
				"the sharing protocol must allow it (403) and the child must have consented (409), unless the role overrides consent with a reason.",
			"transfer", s.workflow.Transfer},
		{"create-case-transfer-request", "transfer_requests", "Ask the owner to transfer a case to you",
			"The owner accepts (the case becomes the caller's, within the sharing protocol and consent) or rejects.",
			"request_transfer", s.workflow.RequestTransfer},
	}
	for _, c := range create {
		huma.Register(api, withPermission(huma.Operation{
			OperationID: c.id, Method: http.MethodPost, Path: "/api/v2/cases/{id}/" + c.path, Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: c.summary, Description: c.description, Errors: errs,
		}, cases(c.perm)), func(ctx context.Context, in *createTransitionInput) (*transitionOutput, error) {
			tc, _ := tenantFrom(ctx)
			return transitionOut(c.run(ctx, tc.Code, in.ID, in.Body.Data.input()))
		})
	}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-cases-assigns", Method: http.MethodPost, Path: "/api/v2/cases/assigns", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "Assign many cases",
		Description: "Assigns 1 to 100 cases to one user in one transaction: all or none (422 naming each case that cannot be). " +
			"Cases the receiver already owns are left as they are (a retried call changes nothing more).",
		Errors: errs,
	}, cases("assign")), func(ctx context.Context, in *bulkAssignInput) (*transitionsOutput, error) {
		tc, _ := tenantFrom(ctx)
		d := in.Body.Data
		ts, err := s.workflow.BulkAssign(ctx, tc.Code, d.IDs, workflow.Input{TransitionedTo: d.TransitionedTo, Notes: d.Notes})
		if err != nil {
			return nil, problem(err)
		}
		out := &transitionsOutput{}
		out.Body.Data = ts
		return out, nil
	})

	for _, r := range []struct{ id, path, typ, name string }{
		{"update-case-referral", "referrals", workflow.TypeReferral, "referral"},
		{"update-case-transfer", "transfers", workflow.TypeTransfer, "transfer"},
		{"update-case-transfer-request", "transfer_requests", workflow.TypeTransferRequest, "transfer request"},
	} {
		huma.Register(api, withPermission(huma.Operation{
			OperationID: r.id, Method: http.MethodPatch, Path: "/api/v2/cases/{id}/" + r.path + "/{transition_id}", Tags: []string{"Transitions"},
			Security: memberSecurity, Summary: "Answer or revoke a " + r.name,
			Description: "The receiver accepts or rejects" + map[bool]string{true: " or marks it done", false: ""}[r.typ == workflow.TypeReferral] +
				"; the sender revokes it while pending. A status the " + r.name + "'s state does not allow is a 409 naming both; someone " +
				"else is refused (403, or 404 if they cannot see the case).",
			Errors: append([]int{http.StatusForbidden}, errs...),
		}, cases("read")), func(ctx context.Context, in *respondTransitionInput) (*transitionOutput, error) {
			tc, _ := tenantFrom(ctx)
			d := in.Body.Data
			return transitionOut(s.workflow.Answer(ctx, tc.Code, r.typ, in.ID, in.TransitionID, workflow.Answer{Status: d.Status,
				Notes: d.RejectedReason, ConsentOverride: d.ConsentOverride, ConsentOverrideReason: d.ConsentOverrideReason}))
		})
	}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-case-transitions", Method: http.MethodGet, Path: "/api/v2/cases/{id}/transitions", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "List a case's transitions",
		Description: "Assigns, referrals, transfers and transfer requests of the case, newest first.", Errors: []int{http.StatusNotFound},
	}, cases("read")), func(ctx context.Context, in *recordIDPath) (*transitionsOutput, error) {
		tc, _ := tenantFrom(ctx)
		ts, err := s.workflow.List(ctx, tc.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &transitionsOutput{}
		out.Body.Data = ts
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-sharing-protocol", Method: http.MethodGet, Path: "/api/v2/sharing_protocol", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "Get the information sharing protocol",
		Description: "Which agency may refer or transfer cases to which other agency. Within an agency everything is allowed; across, only these pairs.",
	}, workflow.PermProtocolRead), func(ctx context.Context, _ *struct{}) (*protocolOutput, error) {
		tc, _ := tenantFrom(ctx)
		rules, err := s.workflow.Protocol(ctx, tc.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &protocolOutput{}
		out.Body.Data = rules
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "replace-sharing-protocol", Method: http.MethodPut, Path: "/api/v2/sharing_protocol", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "Replace the information sharing protocol",
		Description: "The pairs listed become the protocol; unknown agencies or a pair listed twice: 422, nothing changed.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, workflow.PermProtocolWrite), func(ctx context.Context, in *protocolInput) (*protocolOutput, error) {
		tc, _ := tenantFrom(ctx)
		rules, err := s.workflow.SetProtocol(ctx, tc.Code, in.Body.Data)
		if err != nil {
			return nil, problem(err)
		}
		out := &protocolOutput{}
		out.Body.Data = rules
		return out, nil
	})
}
