package casework

import (
	"context"
	"strings"
	"time"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Dashboard is the caller's counts. Case counts are within the caller's
// record scope (exact: the records visibility predicate is in the SQL);
// tasks are the caller's own; the pending transitions and approvals are
// the totals of the queues (list-transitions, list-approvals) the counts
// open, counted with the queues' own conditions (workflow.CountQueues).
// No personal data.
type Dashboard struct {
	OpenCases        int            `json:"open_cases"`
	OpenCasesByRisk  map[string]int `json:"open_cases_by_risk" doc:"Open cases per risk_level value; \"none\" for cases without one."`
	NewCasesWeek     int            `json:"new_cases_this_week" doc:"Cases registered (created) in the last 7 days, open or closed."`
	FlaggedCases     int            `json:"flagged_cases" doc:"Open cases with a flag."`
	OverdueTasks     int            `json:"overdue_tasks"`
	UpcomingTasks    int            `json:"upcoming_tasks"`
	ReferralsIn      int            `json:"pending_referrals_in" doc:"The total of list-transitions?direction=in&type=referral (pending): to the caller, to an agency they manage for, or, for a manager, to a person they manage."`
	ReferralsOut     int            `json:"pending_referrals_out" doc:"The total of list-transitions?direction=out&type=referral: sent by the caller or, for a manager, by a person they manage."`
	TransfersIn      int            `json:"pending_transfers_in" doc:"The total of list-transitions?direction=in&type=transfer."`
	TransfersOut     int            `json:"pending_transfers_out" doc:"The total of list-transitions?direction=out&type=transfer."`
	TransferReqsIn   int            `json:"pending_transfer_requests_in" doc:"The total of list-transitions?direction=in&type=transfer_request: requests to transfer a case the caller (or, for a manager, a person they manage) owns."`
	TransferReqsOut  int            `json:"pending_transfer_requests_out" doc:"The total of list-transitions?direction=out&type=transfer_request."`
	PendingApprovals int            `json:"pending_approvals" doc:"The total of list-approvals (pending): approval requests on the cases the caller sees (for a caseworker, their cases awaiting an answer)."`
	ToAnswer         int            `json:"approvals_to_answer" doc:"The total of list-approvals?to_answer=true: the pending requests the caller may answer."`
}

// Dashboards returns the caller's counts. Needs dashboards:read.
func (s *Service) Dashboards(ctx context.Context, code string) (Dashboard, error) {
	if err := s.p.Authorize(ctx, code, PermDashboards); err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{OpenCasesByRisk: map[string]int{}}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		sub := c.Subject()
		week := []any{time.Now().Add(-7 * 24 * time.Hour)}
		// The agency and group scopes count on records' scope side table
		// (records.ScopeSQL: bounded by the scope's owners); others on
		// records with the visibility predicate.
		alts, args := records.ScopeSQL(sub, week)
		from := "records r where r.record_type = 'case' and r.enabled and "
		if alts == nil {
			var pred string
			pred, args = records.VisibleSQL(sub, week)
			from += pred
		} else {
			parts := make([]string, len(alts))
			for i, a := range alts {
				parts[i] = "select r.risk_level, r.status, r.created_at, r.flagged from record_scope r where r.record_type = 'case' and r.enabled and (" + a + ")"
			}
			from = "(" + strings.Join(parts, "\nunion all\n") + ") r"
		}
		q, err := workflow.CountQueues(ctx, c)
		if err != nil {
			return err
		}
		d.ReferralsIn, d.ReferralsOut = q.In[workflow.TypeReferral], q.Out[workflow.TypeReferral]
		d.TransfersIn, d.TransfersOut = q.In[workflow.TypeTransfer], q.Out[workflow.TypeTransfer]
		d.TransferReqsIn, d.TransferReqsOut = q.In[workflow.TypeTransferRequest], q.Out[workflow.TypeTransferRequest]
		d.PendingApprovals, d.ToAnswer = q.Approvals, q.ToAnswer
		rows, err := c.Query(ctx, `select coalesce(r.risk_level, 'none'), count(*) filter (where r.status = 'open'),
				count(*) filter (where r.created_at >= $1), count(*) filter (where r.status = 'open' and r.flagged)
			from `+from+` group by 1`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var risk string
			var open, week, flagged int
			if err := rows.Scan(&risk, &open, &week, &flagged); err != nil {
				return err
			}
			if open > 0 {
				d.OpenCasesByRisk[risk] = open
			}
			d.OpenCases += open
			d.NewCasesWeek += week
			d.FlaggedCases += flagged
		}
		if err := rows.Err(); err != nil {
			return err
		}
		self := selfID(sub)
		if self == nil {
			return nil
		}
		d.OverdueTasks, d.UpcomingTasks, err = countTasks(ctx, c, self)
		return err
	})
	return d, err
}
