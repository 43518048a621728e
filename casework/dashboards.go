package casework

import (
	"context"
	"time"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Dashboard is the caller's counts. Case counts are within the caller's
// record scope (exact: the records visibility predicate is in the SQL);
// tasks are the caller's own; pending transitions are those sent to (in)
// or by (out) the caller. No personal data.
type Dashboard struct {
	OpenCases        int            `json:"open_cases"`
	OpenCasesByRisk  map[string]int `json:"open_cases_by_risk" doc:"Open cases per risk_level value; \"none\" for cases without one."`
	NewCasesWeek     int            `json:"new_cases_this_week" doc:"Cases registered (created) in the last 7 days, open or closed."`
	FlaggedCases     int            `json:"flagged_cases" doc:"Open cases with a flag."`
	OverdueTasks     int            `json:"overdue_tasks"`
	UpcomingTasks    int            `json:"upcoming_tasks"`
	ReferralsIn      int            `json:"pending_referrals_in"`
	ReferralsOut     int            `json:"pending_referrals_out"`
	TransfersIn      int            `json:"pending_transfers_in"`
	TransfersOut     int            `json:"pending_transfers_out"`
	TransferReqsIn   int            `json:"pending_transfer_requests_in" doc:"Requests by others to transfer a case the caller owns."`
	TransferReqsOut  int            `json:"pending_transfer_requests_out"`
	PendingApprovals int            `json:"pending_approvals" doc:"Approval requests pending on open cases within the scope (to answer for a manager, awaiting an answer for a caseworker)."`
}

// Dashboards returns the caller's counts. Needs dashboards:read.
func (s *Service) Dashboards(ctx context.Context, code string) (Dashboard, error) {
	if err := s.p.Authorize(ctx, code, PermDashboards); err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{OpenCasesByRisk: map[string]int{}}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		sub := c.Subject()
		pred, args := records.VisibleSQL(sub, []any{time.Now().Add(-7 * 24 * time.Hour)})
		apred, aargs := records.VisibleSQL(sub, nil)
		if err := c.QueryRow(ctx, `select count(*) from approvals p join records r on r.id = p.record_id
			where p.status = 'requested' and r.record_type = 'case' and r.status = 'open' and r.enabled and `+apred,
			aargs...).Scan(&d.PendingApprovals); err != nil {
			return err
		}
		rows, err := c.Query(ctx, `select coalesce(r.risk_level, 'none'), count(*) filter (where r.status = 'open'),
				count(*) filter (where r.created_at >= $1), count(*) filter (where r.status = 'open' and r.flagged)
			from records r where r.record_type = 'case' and r.enabled and `+pred+` group by 1`, args...)
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
		if d.OverdueTasks, d.UpcomingTasks, err = countTasks(ctx, c, self); err != nil {
			return err
		}
		// A transfer request is addressed to the case's owner (transitioned_to).
		// A referral to an agency not yet accepted is addressed to the
		// agency's current managers: those holding its referral row.
		return c.QueryRow(ctx, `select
				count(*) filter (where t.type = 'referral' and t.transitioned_to = $1) + (select count(*)
					from record_access a join transitions x on x.id = a.referral_id
					where a.user_id = $1::uuid and a.kind = 'referral' and x.status = 'in_progress' and x.transitioned_to is null),
				count(*) filter (where t.type = 'referral' and t.transitioned_by = $1),
				count(*) filter (where t.type = 'transfer' and t.transitioned_to = $1),
				count(*) filter (where t.type = 'transfer' and t.transitioned_by = $1),
				count(*) filter (where t.type = 'transfer_request' and t.transitioned_to = $1),
				count(*) filter (where t.type = 'transfer_request' and t.transitioned_by = $1)
			from transitions t
			where t.status = 'in_progress' and (t.transitioned_to = $1::uuid or t.transitioned_by = $1::uuid)`, self).
			Scan(&d.ReferralsIn, &d.ReferralsOut, &d.TransfersIn, &d.TransfersOut, &d.TransferReqsIn, &d.TransferReqsOut)
	})
	return d, err
}
