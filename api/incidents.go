package api

import (
	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/records"
)

var incidentsAPI = recordTypeAPI{recordType: records.TypeIncident, resource: "incidents", singular: "incident", plural: "incidents", noun: "incident", tag: "Incidents"}

func registerIncidents(api huma.API, s *Server) {
	registerRecordOperations(api, s, incidentsAPI)
}
