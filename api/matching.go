package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/review"
)

type matchingConfigurationInput struct {
	Body struct {
		Data matching.Configuration `json:"data"`
	}
}

type matchingRunPath struct {
	ID string `path:"id" format:"uuid" doc:"The run's id."`
}

type caseMatchesPath struct {
	ID string `path:"id" format:"uuid" doc:"The case's id."`
}

type potentialMatchPath struct {
	ID string `path:"id" format:"uuid" doc:"The potential match's id."`
}

type potentialMatchQueueInput struct {
	Label    string `query:"label" enum:"likely,possible,unlikely" doc:"Only this label."`
	Status   string `query:"status" enum:"pending,confirmed,rejected,closed" doc:"Only this status."`
	Location string `query:"location" maxLength:"64" doc:"Only cases whose current location is this location code or lies under it."`
	Agency   string `query:"agency" maxLength:"100" doc:"Only cases owned by staff of this agency (its unique_id)."`
	Page     int    `query:"page" minimum:"1" default:"1"`
	Per      int    `query:"per" minimum:"1" maximum:"1000" default:"20"`
}

// queueParams are the review queue's query parameters.
var queueParams = []string{"label", "status", "location", "agency", "page", "per"}

// Resolve refuses any other parameter (422), as record lists do: a
// misspelt filter or a sort the queue does not have (it is always by
// probability) is never ignored.
func (in *potentialMatchQueueInput) Resolve(ctx huma.Context) []error {
	return onlyParams(ctx, queueParams, "unknown parameter; the review queue takes "+strings.Join(queueParams, ", ")+" (always by probability)")
}

type matchingRunListInput struct {
	Status string `query:"status" enum:"queued,running,succeeded,failed" doc:"Only runs with this status."`
	Reason string `query:"reason" enum:"requested,periodic,configuration" doc:"Only runs started for this reason: requested (create-matching-run), periodic (the periodic job), configuration (a configuration change)."`
	Page   int    `query:"page" minimum:"1" default:"1"`
	Per    int    `query:"per" minimum:"1" maximum:"100" default:"20"`
}

var runListParams = []string{"status", "reason", "page", "per"}

// Resolve refuses any other parameter (422): runs are always newest first.
func (in *matchingRunListInput) Resolve(ctx huma.Context) []error {
	return onlyParams(ctx, runListParams, "unknown parameter; the runs take "+strings.Join(runListParams, ", ")+" (always newest first)")
}

type matchingParametersListInput struct {
	Page int `query:"page" minimum:"1" default:"1"`
	Per  int `query:"per" minimum:"1" maximum:"100" default:"20"`
}

// Resolve refuses any other parameter (422).
func (in *matchingParametersListInput) Resolve(ctx huma.Context) []error {
	return onlyParams(ctx, []string{"page", "per"}, "unknown parameter; the parameters take page and per (always newest first)")
}

// onlyParams refuses every query parameter not in known with message (its
// callers' literal messages are catalogued: l10n's forwarders).
func onlyParams(ctx huma.Context, known []string, message string) []error {
	var errs []error
	u := ctx.URL()
	for name := range u.Query() {
		if !slices.Contains(known, name) {
			errs = append(errs, &huma.ErrorDetail{Location: "query." + truncate(name, 80), Message: message})
		}
	}
	return errs
}

// potentialMatchReview is a reviewer's decision.
type potentialMatchReview struct {
	Action string `json:"action" enum:"confirm,reject" doc:"confirm: the case is the trace's child (links them, closes the trace's other potential matches, alerts the owners); reject: it is not (never proposed again)."`
	Note   string `json:"note,omitempty" maxLength:"2000" doc:"Why (kept with the decision)."`
}

type reviewPotentialMatchInput struct {
	ID   string `path:"id" format:"uuid" doc:"The potential match's id."`
	Body struct {
		Data potentialMatchReview `json:"data"`
	}
}

func registerMatching(api huma.API, s *Server) {
	tags := []string{"Family tracing"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-matching-configuration", Method: http.MethodGet, Path: "/api/v2/matching/configuration", Tags: tags,
		Security: memberSecurity, Summary: "The matching configuration",
		Description: "Which case fields are compared with which trace or inquirer fields and how, the blocking rules, the label " +
			"thresholds and the stated prior (docs/matching.md). Version 0: the defaults for the default forms.",
	}, matching.PermConfigRead), func(ctx context.Context, _ *struct{}) (*dataOutput[matching.StoredConfiguration], error) {
		tc, _ := tenantFrom(ctx)
		c, err := s.matching.GetConfiguration(ctx, tc.Code)
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(c), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-matching-configuration", Method: http.MethodPut, Path: "/api/v2/matching/configuration", Tags: tags,
		Security: memberSecurity, Summary: "Replace the matching configuration",
		Description: "Every problem is reported at once and nothing is stored. A change queues a full re-matching run " +
			"(new parameters are estimated under the new configuration).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, matching.PermConfigWrite), func(ctx context.Context, in *matchingConfigurationInput) (*dataOutput[matching.StoredConfiguration], error) {
		tc, _ := tenantFrom(ctx)
		c, err := s.matching.PutConfiguration(ctx, tc.Code, in.Body.Data)
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(c), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-matching-run", Method: http.MethodPost, Path: "/api/v2/matching/runs", Tags: tags,
		Security: memberSecurity, Summary: "Re-match every trace", DefaultStatus: http.StatusAccepted,
		Description: "Queues a full run: parameters are estimated again from the tenant's data, then every trace is matched. " +
			"Follow its progress with get-matching-run.",
	}, matching.PermConfigWrite), func(ctx context.Context, _ *struct{}) (*dataOutput[matching.Run], error) {
		tc, _ := tenantFrom(ctx)
		r, err := s.matching.StartRun(ctx, tc.Code, matching.RunRequested)
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(r), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-matching-runs", Method: http.MethodGet, Path: "/api/v2/matching/runs", Tags: tags,
		Security: memberSecurity, Summary: "Re-matching runs, newest first",
		Description: "Every run, whoever started it (an administrator, the periodic job, a configuration change), with its " +
			"status and progress as get-matching-run gives it. Any other query parameter is a 422 (never ignored).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, matching.PermConfigRead), func(ctx context.Context, in *matchingRunListInput) (*listOutput[matching.Run], error) {
		tc, _ := tenantFrom(ctx)
		runs, total, err := s.matching.ListRuns(ctx, tc.Code, matching.RunListParams{Status: in.Status, Reason: in.Reason,
			Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := listOf(runs)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-matching-parameters", Method: http.MethodGet, Path: "/api/v2/matching/parameters", Tags: tags,
		Security: memberSecurity, Summary: "Estimated matching parameters, newest first",
		Description: "Each version the tenant's parameters were estimated in (by a run, or a record's job when there were none): " +
			"what from, the prior, the calibration, and each comparison's levels with m, u and the weight in bits a pair at " +
			"that level gets. Every potential match records its version. The term frequencies and stop keys, which list the " +
			"tenant's names, are not given. Any other query parameter is a 422.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, matching.PermConfigRead), func(ctx context.Context, in *matchingParametersListInput) (*listOutput[matching.ParametersVersion], error) {
		tc, _ := tenantFrom(ctx)
		ps, total, err := s.matching.ListParameters(ctx, tc.Code, in.Page, in.Per)
		if err != nil {
			return nil, problem(err)
		}
		out := listOf(ps)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-matching-run", Method: http.MethodGet, Path: "/api/v2/matching/runs/{id}", Tags: tags,
		Security: memberSecurity, Summary: "A re-matching run and its progress", Errors: []int{http.StatusNotFound},
	}, matching.PermConfigRead), func(ctx context.Context, in *matchingRunPath) (*dataOutput[matching.Run], error) {
		tc, _ := tenantFrom(ctx)
		r, err := s.matching.GetRun(ctx, tc.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(r), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-trace-potential-matches", Method: http.MethodGet,
		Path: "/api/v2/tracing_requests/{id}/traces/{trace_id}/potential_matches", Tags: tags, Security: memberSecurity,
		Summary:     "Potential matches of a trace",
		Description: "Best first, with probability, label and the per-field comparison. Cases outside the caller's scope are left out; values of fields the caller's role may not read are left out.",
		Errors:      []int{http.StatusNotFound},
	}, matching.PermRead), func(ctx context.Context, in *tracePath) (*listOutput[review.PotentialMatch], error) {
		tc, _ := tenantFrom(ctx)
		ms, err := s.review.ForTrace(ctx, tc.Code, in.ID, in.TraceID)
		if err != nil {
			return nil, problem(err)
		}
		return listOf(ms), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-case-potential-matches", Method: http.MethodGet, Path: "/api/v2/cases/{id}/potential_matches", Tags: tags,
		Security: memberSecurity, Summary: "Potential matches of a case",
		Description: "The traces this case may answer, best first. Tracing requests outside the caller's scope are left out.",
		Errors:      []int{http.StatusNotFound},
	}, matching.PermRead), func(ctx context.Context, in *caseMatchesPath) (*listOutput[review.PotentialMatch], error) {
		tc, _ := tenantFrom(ctx)
		ms, err := s.review.ForCase(ctx, tc.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		return listOf(ms), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-potential-matches", Method: http.MethodGet, Path: "/api/v2/potential_matches", Tags: tags,
		Security: memberSecurity, Summary: "The review queue",
		Description: "Potential matches whose case and tracing request are within the caller's scope, by probability (highest first). " +
			"Any other query parameter, and a location code the tenant does not have, is a 422 (never ignored).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, matching.PermRead), func(ctx context.Context, in *potentialMatchQueueInput) (*listOutput[review.PotentialMatch], error) {
		tc, _ := tenantFrom(ctx)
		ms, total, err := s.review.Queue(ctx, tc.Code, review.ListParams{Label: in.Label, Status: in.Status,
			Location: in.Location, Agency: in.Agency, Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := listOf(ms)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "review-potential-match", Method: http.MethodPatch, Path: "/api/v2/potential_matches/{id}", Tags: tags,
		Security: memberSecurity, Summary: "Confirm or reject a potential match",
		Description: "Only a pending potential match can be reviewed (409 otherwise, nothing changes).",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, matching.PermReview), func(ctx context.Context, in *reviewPotentialMatchInput) (*dataOutput[review.PotentialMatch], error) {
		tc, _ := tenantFrom(ctx)
		m, err := s.review.Review(ctx, tc.Code, review.ReviewInput{ID: in.ID, Action: in.Body.Data.Action, Note: in.Body.Data.Note})
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(m), nil
	})
}
