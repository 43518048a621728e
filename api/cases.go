package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/records"
)

var casesAPI = recordTypeAPI{recordType: records.TypeCase, resource: "cases", singular: "case", plural: "cases", noun: "case", tag: "Cases"}

func registerCases(api huma.API, s *Server) {
	registerRecordOperations(api, s, casesAPI)

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-case-incident", Method: http.MethodPost, Path: "/api/v2/cases/{id}/incidents", Tags: []string{"Cases"},
		Security: memberSecurity, Summary: "Create an incident from a case",
		Description: "The incident's case_id is the case, and the case lists it in incident_ids. The caller must see the case " +
			"(cases:read, within scope) and write incidents; the incident is created as by create-incident (idempotent with a client-chosen id).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, incidentsAPI.perm("write")), func(ctx context.Context, in *createIncidentInput) (*recordOutput, error) {
		tc, _ := tenantFrom(ctx)
		r, _, err := s.records.CreateIncidentFromCase(ctx, tc.Code, in.ID, records.CreateInput{Body: records.Data(in.Body.Data)})
		if err != nil {
			return nil, problem(err)
		}
		return recordOut(r, "/api/v2/incidents/"+r.ID), nil
	})
}
