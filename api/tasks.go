package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/tenancy"
)

type listTasksInput struct {
	Page int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per  int    `query:"per" minimum:"1" maximum:"1000" default:"50" doc:"Tasks per page."`
	Due  string `query:"due" enum:"overdue,upcoming" doc:"Only overdue tasks (due before today) or upcoming ones (due today or later)."`
}

type listTasksOutput struct {
	Body struct {
		Data     []casework.Task `json:"data"`
		Metadata ListMetadata    `json:"metadata"`
	}
}

type listAlertsInput struct {
	Page int `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per  int `query:"per" minimum:"1" maximum:"1000" default:"50" doc:"Alerts per page."`
}

type listAlertsOutput struct {
	Body struct {
		Data     []casework.Alert `json:"data"`
		Metadata ListMetadata     `json:"metadata"`
	}
}

// AlertsReadRequest names the record whose alerts are read.
type AlertsReadRequest struct {
	RecordID string `json:"record_id,omitempty" doc:"The record whose alerts are read; omitted: every record the caller owns."`
}

// AlertsReadResult says how many records' alerts were marked read.
type AlertsReadResult struct {
	Records int `json:"records" doc:"How many records' alerts were marked read."`
}

type markAlertsReadInput struct {
	Body struct {
		Data AlertsReadRequest `json:"data"`
	}
}

type markAlertsReadOutput struct {
	Body struct {
		Data AlertsReadResult `json:"data"`
	}
}

type dashboardsOutput struct {
	Body struct {
		Data casework.Dashboard `json:"data"`
	}
}

type notificationSettingsOutput struct {
	Body struct {
		Data []notify.Setting `json:"data" doc:"Each kind of email and whether the user receives it."`
	}
}

type updateNotificationSettingsInput struct {
	Body struct {
		Data []notify.Setting `json:"data" maxItems:"50" doc:"Kinds to turn on (email true) or off (false); kinds not named are left as they are."`
	}
}

func registerTasks(api huma.API, s *Server) {
	tags := []string{"Tasks, alerts and dashboards"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-tasks", Method: http.MethodGet, Path: "/api/v2/tasks", Tags: tags, Security: memberSecurity,
		Summary: "List your tasks",
		Description: "Due dates on the open cases you own or are assigned, soonest first: the assessment (7 days after " +
			"registration, until assessment_completed_date is set), the case plan (14 days after the assessment, until " +
			"date_case_plan is set), follow-ups (followup_needed_by_date without followup_date) and services " +
			"(service_appointment_date without service_implemented_day_time). Overdue tasks are due before today in your time zone (your time_zone, else the instance's default).",
	}, casework.PermTasks), func(ctx context.Context, in *listTasksInput) (*listTasksOutput, error) {
		tc, _ := tenantFrom(ctx)
		ts, total, err := s.casework.Tasks(ctx, tc.Code, casework.TaskFilter{Due: in.Due, Page: tenancy.Page{Page: in.Page, Per: in.Per}})
		if err != nil {
			return nil, problem(err)
		}
		out := &listTasksOutput{}
		out.Body.Data, out.Body.Metadata = ts, ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-alerts", Method: http.MethodGet, Path: "/api/v2/alerts", Tags: tags, Security: memberSecurity,
		Summary: "List your unread alerts",
		Description: "What others did to the records you own since you became their owner or marked them read (at most 30 " +
			"days back), newest first: assignments, referrals, transfers and transfer requests and their answers, field " +
			"changes (field names only), attachments, a new incident from a case.",
	}, casework.PermAlerts), func(ctx context.Context, in *listAlertsInput) (*listAlertsOutput, error) {
		tc, _ := tenantFrom(ctx)
		as, total, err := s.casework.Alerts(ctx, tc.Code, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &listAlertsOutput{}
		out.Body.Data, out.Body.Metadata = as, ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "mark-alerts-read", Method: http.MethodPost, Path: "/api/v2/alerts/read", Tags: tags, Security: memberSecurity,
		Summary:     "Mark your alerts read",
		Description: "Of one record you own (data.record_id), or of all. A record you do not own: 404.",
		Errors:      []int{http.StatusNotFound},
	}, casework.PermAlerts), func(ctx context.Context, in *markAlertsReadInput) (*markAlertsReadOutput, error) {
		tc, _ := tenantFrom(ctx)
		n, err := s.casework.MarkAlertsRead(ctx, tc.Code, in.Body.Data.RecordID)
		if err != nil {
			return nil, problem(err)
		}
		out := &markAlertsReadOutput{}
		out.Body.Data.Records = n
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-dashboards", Method: http.MethodGet, Path: "/api/v2/dashboards", Tags: tags, Security: memberSecurity,
		Summary: "Your dashboard counts",
		Description: "Counts of the cases within your record scope (open by risk level, new in the last 7 days, flagged), " +
			"your overdue and upcoming tasks, and the referrals, transfers and transfer requests pending to and from you. " +
			"No personal data.",
	}, casework.PermDashboards), func(ctx context.Context, _ *struct{}) (*dashboardsOutput, error) {
		tc, _ := tenantFrom(ctx)
		d, err := s.casework.Dashboards(ctx, tc.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &dashboardsOutput{}
		out.Body.Data = d
		return out, nil
	})

	stags := []string{"Users"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-notification-settings", Method: http.MethodGet, Path: "/api/v2/users/me/notification_settings",
		Tags: stags, Security: memberSecurity, Summary: "Your email notification settings",
		Description: "Each kind of email (workflow events and their answers, the daily digest of overdue tasks) and whether " +
			"you receive it. Users only (a service account: 404).",
		Errors: []int{http.StatusNotFound},
	}, notify.PermReadSelf), func(ctx context.Context, _ *struct{}) (*notificationSettingsOutput, error) {
		tc, _ := tenantFrom(ctx)
		m, err := s.notifications.Settings(ctx, tc.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &notificationSettingsOutput{}
		out.Body.Data = m
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-notification-settings", Method: http.MethodPut, Path: "/api/v2/users/me/notification_settings",
		Tags: stags, Security: memberSecurity, Summary: "Turn email notifications on or off",
		Description: "Per kind. An unknown or repeated kind: 422 at body.data[i].kind, and nothing changes.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, notify.PermWriteSelf), func(ctx context.Context, in *updateNotificationSettingsInput) (*notificationSettingsOutput, error) {
		tc, _ := tenantFrom(ctx)
		m, err := s.notifications.UpdateSettings(ctx, tc.Code, in.Body.Data)
		if err != nil {
			return nil, problem(err)
		}
		out := &notificationSettingsOutput{}
		out.Body.Data = m
		return out, nil
	})
}
