package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/records"
)

// duplicateJSON is a possible duplicate on the wire.
type duplicateJSON struct {
	Record  recordJSON       `json:"record"`
	Score   float64          `json:"score" minimum:"0" maximum:"1" doc:"1 for an ID field in common; else name (0.6), date of birth or age (0.2), sex (0.1) and location (0.1) add up."`
	Reasons []records.Reason `json:"reasons" doc:"What the case shares with the one about to be created."`
}

type duplicatesOutput struct {
	Body struct {
		Data []duplicateJSON `json:"data"`
	}
}

// registerDuplicates registers the search before create of cases.
func registerDuplicates(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "find-case-duplicates", Method: http.MethodPost, Path: "/api/v2/cases/duplicates", Tags: []string{"Cases"},
		Security: memberSecurity, Summary: "Find possible duplicates of a case about to be created",
		Description: "Send the would-be case (as for create-case; nothing is written): the cases within the caller's scope that share " +
			"an ID field value, or whose names are spellings of the same names (in Latin or Arabic script) with a compatible sex and " +
			"age, best first (at most 20), each with its score and reasons. Give at least the names or an ID field.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, casesAPI.perm("read")), func(ctx context.Context, in *createRecordInput) (*duplicatesOutput, error) {
		tc, _ := tenantFrom(ctx)
		found, err := s.records.Duplicates(ctx, tc.Code, records.Data(in.Body.Data))
		if err != nil {
			return nil, problem(err)
		}
		out := &duplicatesOutput{}
		out.Body.Data = make([]duplicateJSON, len(found))
		for i, d := range found {
			out.Body.Data[i] = duplicateJSON{Record: recordJSON{d.Record}, Score: d.Score, Reasons: d.Reasons}
		}
		return out, nil
	})
}
