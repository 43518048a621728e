package casework_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// TestDashboardCountsWithinScope: the counts are exact under access: a
// caseworker (own scope) counts their cases, a manager (group scope) their
// groups' cases, never another group's; pending referrals count in for
// the receiver and out for the sender; tasks are the caller's own.
func TestDashboardCountsWithinScope(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cw := w.user(t, "role-caseworker", "usergroup-nairobi")
	cw2 := w.user(t, "role-caseworker", "usergroup-nairobi")
	far := w.user(t, "role-caseworker", "usergroup-mombasa")
	mgr := w.user(t, "role-case-manager", "usergroup-nairobi")
	analyst := w.user(t, "role-data-analyst")
	admin := w.user(t, "role-system-administrator")
	old := time.Now().Add(-10 * 24 * time.Hour)

	reg := func(risk string) records.Data {
		d := records.Data{"registration_date": day(-10)} // assessment overdue (3 days ago)
		if risk != "" {
			d["risk_level"] = risk
		}
		return d
	}
	c1, _ := w.kaseAt(t, cw, "open", true, time.Now(), reg("high"))
	w.kaseAt(t, cw, "open", false, old, reg("high"))
	w.kaseAt(t, cw, "open", false, old, reg(""))
	w.kaseAt(t, cw, "closed", true, time.Now(), reg("high")) // new this week, not open
	w.kaseAt(t, cw2, "open", false, old, reg("medium"))
	w.kaseAt(t, far, "open", true, time.Now(), reg("low"))
	wf := workflow.New(w.P, workflow.Config{})
	_, err := wf.Refer(as(cw), "ke", c1, workflow.Input{TransitionedTo: w.email(t, cw2.ID)})
	require.NoError(t, err)
	_, err = wf.Approve(as(cw), "ke", c1, "case_plan", "requested", "plan ready")
	require.NoError(t, err)

	get := func(s policy.Subject) casework.Dashboard {
		t.Helper()
		d, err := w.Svc.Dashboards(as(s), "ke")
		require.NoError(t, err)
		return d
	}
	d := get(cw)
	require.Equal(t, 3, d.OpenCases)
	require.Equal(t, map[string]int{"high": 2, "none": 1}, d.OpenCasesByRisk)
	require.Equal(t, 2, d.NewCasesWeek, "the new open one and the new closed one")
	require.Equal(t, 1, d.FlaggedCases, "open flagged cases only")
	require.Equal(t, 3, d.OverdueTasks, "three open cases past their assessment")
	require.Equal(t, 0, d.UpcomingTasks)
	require.Equal(t, 1, d.ReferralsOut)
	require.Zero(t, d.ReferralsIn)
	require.Equal(t, 1, d.PendingApprovals, "their case's request awaits an answer")

	d = get(cw2)
	require.Equal(t, 2, d.OpenCases, "their own and the one referred to them")
	require.Equal(t, 1, d.ReferralsIn)
	require.Zero(t, d.ReferralsOut)

	d = get(mgr)
	require.Equal(t, 4, d.OpenCases, "the Nairobi group's open cases, not Mombasa's")
	require.Equal(t, map[string]int{"high": 2, "none": 1, "medium": 1}, d.OpenCasesByRisk)
	require.Equal(t, 1, d.FlaggedCases)
	require.Zero(t, d.OverdueTasks, "a manager's own tasks: they own no case")
	require.Equal(t, 1, d.UpcomingTasks, "the approval request of their group's caseworker, due today")
	require.Equal(t, 1, d.PendingApprovals)
	tasks, total, err := w.Svc.Tasks(as(mgr), "ke", casework.TaskFilter{})
	require.NoError(t, err)
	require.Equal(t, 1, total)
	require.Equal(t, casework.TaskApproval, tasks[0].Type)
	require.Equal(t, c1, tasks[0].CaseID)
	require.Equal(t, "case_plan", tasks[0].Detail)
	require.Zero(t, get(far).PendingApprovals, "another group's caseworker sees no request")

	d = get(analyst)
	require.Equal(t, 5, d.OpenCases, "the analyst's scope is all")
	require.Equal(t, 2, d.FlaggedCases)

	_, err = w.Svc.Dashboards(as(admin), "ke")
	require.ErrorIs(t, err, tenancy.ErrForbidden)
}

// TestHomeCountsAreTheQueuesTotals: Home's pending counts equal the totals
// of the queues they open (list-transitions per direction and type,
// list-approvals pending and to answer), for caseworkers and for a manager
// whose queues also hold what is addressed to or sent by the people they
// manage; a person of another group counts none of the team's.
func TestHomeCountsAreTheQueuesTotals(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cw := w.user(t, "role-caseworker", "usergroup-nairobi")
	cw2 := w.user(t, "role-caseworker", "usergroup-nairobi")
	mgr := w.user(t, "role-case-manager", "usergroup-nairobi")
	far := w.user(t, "role-caseworker", "usergroup-mombasa")
	wf := workflow.New(w.P, workflow.Config{})
	c1, _ := w.kase(t, cw, "open", records.Data{})
	c2, _ := w.kase(t, cw, "open", records.Data{})
	c3, _ := w.kase(t, cw, "open", records.Data{})
	c4, _ := w.kase(t, cw2, "open", records.Data{})
	c5, _ := w.kase(t, far, "open", records.Data{})
	_, err := wf.Refer(as(cw), "ke", c1, workflow.Input{TransitionedTo: w.email(t, cw2.ID)})
	require.NoError(t, err)
	_, err = wf.Transfer(as(cw), "ke", c2, workflow.Input{TransitionedTo: w.email(t, cw2.ID)})
	require.NoError(t, err)
	_, err = wf.RequestTransfer(as(mgr), "ke", c3, workflow.Input{})
	require.NoError(t, err)
	_, err = wf.Refer(as(cw2), "ke", c4, workflow.Input{TransitionedTo: w.email(t, mgr.ID)})
	require.NoError(t, err)
	for _, r := range []struct {
		by policy.Subject
		id string
	}{{cw, c1}, {cw, c3}, {cw2, c4}, {far, c5}} {
		_, err := wf.Approve(as(r.by), "ke", r.id, "case_plan", workflow.ApprovalRequested, "ready")
		require.NoError(t, err)
	}

	for name, s := range map[string]policy.Subject{"Caseworker": cw, "Receiver": cw2, "Manager": mgr, "OtherGroup": far} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := w.Svc.Dashboards(as(s), "ke")
			require.NoError(t, err)
			transitions := func(dir, typ string) int {
				t.Helper()
				_, total, err := wf.ListTransitions(as(s), "ke", workflow.TransitionFilter{Direction: dir, Type: typ}, tenancy.Page{})
				require.NoError(t, err)
				return total
			}
			approvals := func(toAnswer bool) int {
				t.Helper()
				_, total, err := wf.ListApprovals(as(s), "ke", workflow.ApprovalFilter{ToAnswer: toAnswer}, tenancy.Page{})
				require.NoError(t, err)
				return total
			}
			queues := []int{transitions(workflow.DirectionIn, workflow.TypeReferral), transitions(workflow.DirectionOut, workflow.TypeReferral),
				transitions(workflow.DirectionIn, workflow.TypeTransfer), transitions(workflow.DirectionOut, workflow.TypeTransfer),
				transitions(workflow.DirectionIn, workflow.TypeTransferRequest), transitions(workflow.DirectionOut, workflow.TypeTransferRequest),
				approvals(false), approvals(true)}
			home := []int{d.ReferralsIn, d.ReferralsOut, d.TransfersIn, d.TransfersOut, d.TransferReqsIn, d.TransferReqsOut,
				d.PendingApprovals, d.ToAnswer}
			require.Equal(t, queues, home)
			want := map[string][]int{
				"Caseworker": {0, 1, 0, 1, 1, 0, 2, 0},
				"Receiver":   {1, 1, 1, 0, 0, 0, 2, 0}, // c1 (referred) and c4 (own) requests; c2's transfer is not theirs yet
				// The manager: their own referral in (c4) and cw2's (c1); cw's and cw2's referrals out; the transfer to
				// cw2 in, out from cw; their own transfer request out and in (to cw, whom they manage); the team's three
				// requests pending, which they may answer (not far's, another group).
				"Manager":    {2, 2, 1, 1, 1, 1, 3, 3},
				"OtherGroup": {0, 0, 0, 0, 0, 0, 1, 0},
			}[name]
			require.Equal(t, want, home)
		})
	}
}
