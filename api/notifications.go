package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/tenancy"
)

type listNotificationsInput struct {
	Page   int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per    int    `query:"per" minimum:"1" maximum:"1000" default:"20" doc:"Deliveries per page."`
	Status string `query:"status" enum:"queued,sending,sent,failed,skipped" doc:"Only deliveries in this state."`
}

type listNotificationsOutput struct {
	Body struct {
		Data     []notify.Delivery `json:"data"`
		Metadata ListMetadata      `json:"metadata"`
	}
}

func registerNotifications(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-notifications", Method: http.MethodGet, Path: "/api/v2/notifications", Tags: []string{"Transitions"},
		Security: memberSecurity, Summary: "List notification deliveries",
		Description: "Email notifications of workflow events and daily digests, newest first, with their delivery state: queued " +
			"(waiting or to be retried), sending, sent, failed (gave up, or the worker stopped mid-send: see last_error), " +
			"skipped (the recipient opted out, or nothing was left to tell), with attempts and the last error. No message content.",
	}, notify.PermRead), func(ctx context.Context, in *listNotificationsInput) (*listNotificationsOutput, error) {
		tc, _ := tenantFrom(ctx)
		ds, total, err := s.notifications.List(ctx, tc.Code, in.Status, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &listNotificationsOutput{}
		out.Body.Data = ds
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})
}
