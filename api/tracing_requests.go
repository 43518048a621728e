package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/records"
)

var tracingRequestsAPI = recordTypeAPI{recordType: records.TypeTracingRequest, resource: "tracing_requests",
	singular: "tracing-request", plural: "tracing-requests", noun: "tracing request", tag: "Tracing requests"}

type traceListOutput struct {
	Body struct {
		Data []traceJSON `json:"data"`
	}
}

type traceOutput struct {
	Body struct {
		Data traceJSON `json:"data"`
	}
}

type tracePath struct {
	ID      string `path:"id" format:"uuid" doc:"The tracing request's id."`
	TraceID string `path:"trace_id" format:"uuid" doc:"The trace's id (its row's unique_id)."`
}

func registerTracingRequests(api huma.API, s *Server) {
	registerRecordOperations(api, s, tracingRequestsAPI)
	tags := []string{tracingRequestsAPI.tag}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-traces", Method: http.MethodGet, Path: "/api/v2/tracing_requests/{id}/traces", Tags: tags,
		Security: memberSecurity, Summary: "The traces of a tracing request",
		Description: "One trace per child sought (the rows of " + records.TraceSubform + "), in the order they were added.",
		Errors:      []int{http.StatusNotFound},
	}, tracingRequestsAPI.perm("read")), func(ctx context.Context, in *recordIDPath) (*traceListOutput, error) {
		tc, _ := tenantFrom(ctx)
		traces, err := s.records.Traces(ctx, tc.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &traceListOutput{}
		out.Body.Data = make([]traceJSON, len(traces))
		for i, t := range traces {
			out.Body.Data[i] = traceJSON{t}
		}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-trace", Method: http.MethodGet, Path: "/api/v2/tracing_requests/{id}/traces/{trace_id}", Tags: tags,
		Security: memberSecurity, Summary: "Show a trace", Errors: []int{http.StatusNotFound},
	}, tracingRequestsAPI.perm("read")), func(ctx context.Context, in *tracePath) (*traceOutput, error) {
		tc, _ := tenantFrom(ctx)
		t, err := s.records.Trace(ctx, tc.Code, in.ID, in.TraceID)
		if err != nil {
			return nil, problem(err)
		}
		out := &traceOutput{}
		out.Body.Data = traceJSON{t}
		return out, nil
	})
}
