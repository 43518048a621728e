package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/records"
)

// Erasing one record for good (docs/records.md, "Session 22: erasure").

type eraseRecordInput struct {
	ID   string `path:"id" format:"uuid" doc:"The record's id."`
	Body struct {
		Data eraseData `json:"data"`
	}
}

// eraseData is why a record is erased: codes, never free text, since the
// audit log that keeps them is never erased.
type eraseData struct {
	Reason    string `json:"reason" enum:"registered_by_mistake,erasure_request,duplicate,other" doc:"Why the record is erased: registered by mistake, a right-to-erasure request, a duplicate, or another reason. Kept in the audit log."`
	Reference string `json:"reference,omitempty" required:"false" maxLength:"64" pattern:"^[A-Za-z0-9._/-]+$" doc:"Optional: the request or ticket behind the erasure (e.g. DPO-2026-041), kept in the audit log. Letters, digits, dots, underscores, slashes and hyphens only: no names."`
}

type findErasableInput struct {
	ID string `path:"id" minLength:"7" maxLength:"36" pattern:"^([0-9A-Za-z]{7}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$" doc:"The record's id, or its 7-character short id as shown on its page (case does not matter; i and l read as 1, o as 0)."`
}

type findErasableOutput struct {
	Body struct {
		Data records.Erasable `json:"data"`
	}
}

// registerErase registers erase-<type>: DELETE /api/v2/<resource>/{id}, and
// get-<type>-erasure: GET /api/v2/<resource>/{id}/erasure, which finds the
// disabled record to erase by its short id for a holder of <resource>:erase
// who may not read it (the system administrator).
func registerErase(api huma.API, s *Server, t recordTypeAPI) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-" + t.singular + "-erasure", Method: http.MethodGet, Path: "/api/v2/" + t.resource + "/{id}/erasure",
		Tags: []string{t.tag}, Security: memberSecurity, Summary: "Find a disabled " + t.noun + " to erase",
		Description: "Finds the " + t.noun + " by its id or by its short id (what the person who asks for the erasure reads on " +
			"its page) and tells only what the person erasing it needs to be sure: its id, short id, and when and by whom it " +
			"was disabled; none of its data. Needs the erase permission, not read: the system administrator reads no records. " +
			"An enabled " + t.noun + " is refused (409 record_enabled); an unknown id, or one out of the caller's scope, is 404.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, t.perm("erase")), func(ctx context.Context, in *findErasableInput) (*findErasableOutput, error) {
		tc, _ := tenantFrom(ctx)
		found, err := s.records.FindErasable(ctx, tc.Code, t.recordType, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &findErasableOutput{}
		out.Body.Data = found
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "erase-" + t.singular, Method: http.MethodDelete, Path: "/api/v2/" + t.resource + "/{id}", Tags: []string{t.tag},
		Security: memberSecurity, Summary: "Erase a " + t.noun + " for good",
		Description: "Deletes a disabled " + t.noun + " with everything that holds its data (change log, access rows, name keys, " +
			"attachments and their files, traces, potential matches, transitions, notifications, approvals, flags), in one " +
			"transaction; afterwards its id is unknown everywhere (404). The " + t.noun + " must be disabled first (409 otherwise): " +
			"erasure is a deliberate second step. The audit log keeps who erased which id, the reason and the reference, no " +
			"personal data. Files are removed after the commit.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, t.perm("erase")), func(ctx context.Context, in *eraseRecordInput) (*struct{}, error) {
		tc, _ := tenantFrom(ctx)
		err := s.records.Erase(ctx, tc.Code, t.recordType, in.ID, records.EraseInput{Reason: in.Body.Data.Reason,
			Reference: in.Body.Data.Reference})
		if err != nil {
			return nil, problem(err)
		}
		return nil, nil
	})
}
