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
