package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

type listAuditLogsInput struct {
	Actor      string    `query:"actor" doc:"Exactly this actor, e.g. user:<id>."`
	Action     string    `query:"action" doc:"Exactly this action, e.g. users:read."`
	RecordType string    `query:"record_type" doc:"e.g. user, case."`
	RecordID   string    `query:"record_id" doc:"A record's UUID."`
	Outcome    string    `query:"outcome" enum:"allowed,denied,failed," doc:"allowed, denied or failed."`
	From       time.Time `query:"from" doc:"Occurred at or after (RFC 3339)."`
	To         time.Time `query:"to" doc:"Occurred before (RFC 3339)."`
	Page       int       `query:"page" minimum:"1" default:"1"`
	Per        int       `query:"per" minimum:"1" maximum:"500" default:"50"`
}

type auditLogListOutput struct {
	Body struct {
		Data     []tenancy.AuditLog `json:"data"`
		Metadata ListMetadata       `json:"metadata"`
	}
}

func registerAuditLogs(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-audit-logs", Method: http.MethodGet, Path: "/api/v2/audit_logs", Tags: []string{"Audit log"},
		Security: memberSecurity, Summary: "Search the audit log (newest first)",
		Description: "Every call on tenant data, including refusals and failed sign-ins, with who, what, which record, " +
			"outcome, address and time. Rows are hash-chained; `cpims audit verify` checks the chain.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, policy.Permission{Resource: "audit_logs", Action: "read"}), func(ctx context.Context, in *listAuditLogsInput) (*auditLogListOutput, error) {
		t, _ := tenantFrom(ctx)
		f := tenancy.AuditFilter{Actor: in.Actor, Action: in.Action, RecordType: in.RecordType, RecordID: in.RecordID,
			Outcome: tenancy.Outcome(in.Outcome), From: in.From, To: in.To, Page: in.Page, Per: in.Per}
		logs, total, err := s.platform.ListAuditLogs(ctx, t.Code, f)
		if err != nil {
			return nil, problem(err)
		}
		out := &auditLogListOutput{}
		out.Body.Data = append([]tenancy.AuditLog{}, logs...)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})
}
