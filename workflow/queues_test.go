package workflow_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

type queued struct {
	Type, Short, Name string
	Answer, Revoke    bool
}

func queuedOf(ts []workflow.QueuedTransition) []queued {
	out := make([]queued, len(ts))
	for i, t := range ts {
		out[i] = queued{t.Type, t.ShortID, t.Name, t.MayAnswer, t.MayRevoke}
	}
	return out
}

func (e *env) shortID(t *testing.T, id string) string {
	t.Helper()
	var s string
	require.NoError(t, e.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		return c.QueryRow(ctx, "select short_id from records where id = $1", id).Scan(&s)
	}))
	return s
}

// TestTransitionsQueue: in lists what is addressed to the caller (and, for
// a manager, to the users they manage), out what they or the users they
// manage sent; only on cases the caller sees (a transition of a case the
// caller cannot see is not listed, the totals agree); names as the caller
// may see them; may_answer and may_revoke as the rules say; bad filters
// are refused naming the parameter.
func TestTransitionsQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wf := workflow.New(e.p, workflow.Config{Names: e.rs})
	sender := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	receiver := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	outsider := e.user(t, "role-caseworker", "agency-a")
	manager := e.user(t, "role-case-manager", "agency-a", "usergroup-a")

	referred := e.newCase(t, sender, nil)
	hidden := e.newCase(t, sender, records.Data{"hidden_name": true, "name_first": "Secret"})
	_, err := wf.Refer(sender.ctx, "ke", referred, workflow.Input{TransitionedTo: receiver.email, Service: "health"})
	require.NoError(t, err)
	_, err = wf.Transfer(sender.ctx, "ke", hidden, workflow.Input{TransitionedTo: receiver.email})
	require.NoError(t, err)
	// The outsider's case is transferred to the receiver, who rejects it:
	// the receiver no longer sees the case, so the rejected transfer is not
	// in the receiver's list; the outsider (the sender) still lists it.
	gone := e.newCase(t, outsider, nil)
	tr, err := wf.Transfer(outsider.ctx, "ke", gone, workflow.Input{TransitionedTo: receiver.email})
	require.NoError(t, err)
	_, err = wf.Respond(receiver.ctx, "ke", workflow.TypeTransfer, gone, tr.ID, workflow.StatusRejected, "no")
	require.NoError(t, err)
	require.False(t, e.sees(t, receiver, gone))

	list := func(a actor, f workflow.TransitionFilter, page tenancy.Page) ([]queued, int) {
		t.Helper()
		ts, total, err := wf.ListTransitions(a.ctx, "ke", f, page)
		require.NoError(t, err)
		return queuedOf(ts), total
	}
	sRef, sHid, sGone := e.shortID(t, referred), e.shortID(t, hidden), e.shortID(t, gone)

	// The receiver: both pending, newest first; the hidden name masked.
	got, total := list(receiver, workflow.TransitionFilter{}, tenancy.Page{})
	require.Equal(t, []queued{{"transfer", sHid, records.HiddenNameMask, true, false}, {"referral", sRef, "Amina Yusuf", true, false}}, got)
	require.Equal(t, 2, total)
	got, total = list(receiver, workflow.TransitionFilter{Type: workflow.TypeReferral}, tenancy.Page{})
	require.Equal(t, []queued{{"referral", sRef, "Amina Yusuf", true, false}}, got)
	require.Equal(t, 1, total)
	got, total = list(receiver, workflow.TransitionFilter{Status: workflow.StatusRejected}, tenancy.Page{})
	require.Empty(t, got, "the rejected transfer's case is out of the receiver's sight")
	require.Zero(t, total)
	got, total = list(receiver, workflow.TransitionFilter{Direction: workflow.DirectionOut}, tenancy.Page{})
	require.Empty(t, got)
	require.Zero(t, total)
	// Pages: one a page, the exact total on each.
	got, total = list(receiver, workflow.TransitionFilter{}, tenancy.Page{Page: 2, Per: 1})
	require.Equal(t, []queued{{"referral", sRef, "Amina Yusuf", true, false}}, got)
	require.Equal(t, 2, total)

	// The sender: out, may revoke; the owner sees the hidden name.
	got, total = list(sender, workflow.TransitionFilter{Direction: workflow.DirectionOut}, tenancy.Page{})
	require.Equal(t, []queued{{"transfer", sHid, "Secret Yusuf", false, true}, {"referral", sRef, "Amina Yusuf", false, true}}, got)
	require.Equal(t, 2, total)
	got, _ = list(sender, workflow.TransitionFilter{}, tenancy.Page{})
	require.Empty(t, got, "nothing is addressed to the sender")
	got, total = list(outsider, workflow.TransitionFilter{Direction: workflow.DirectionOut, Status: workflow.StatusRejected}, tenancy.Page{})
	require.Equal(t, []queued{{"transfer", sGone, "Amina Yusuf", false, false}}, got)
	require.Equal(t, 1, total)

	// The manager of the group (cases:assign, group scope): in lists what is
	// addressed to the receiver (the transfer is theirs to answer too, the
	// referral is not); out what the sender sent; nothing of the outsider,
	// who shares no group.
	got, total = list(manager, workflow.TransitionFilter{}, tenancy.Page{})
	require.Equal(t, []queued{{"transfer", sHid, "Secret Yusuf", true, false}, {"referral", sRef, "Amina Yusuf", false, false}}, got)
	require.Equal(t, 2, total)
	got, total = list(manager, workflow.TransitionFilter{Direction: workflow.DirectionOut}, tenancy.Page{})
	require.Len(t, got, 2)
	require.Equal(t, 2, total)
	got, _ = list(manager, workflow.TransitionFilter{Direction: workflow.DirectionOut, Status: workflow.StatusRejected}, tenancy.Page{})
	require.Empty(t, got, "the outsider's transfer: not a user the manager manages")

	// An answer moves it out of pending.
	_, err = wf.Respond(receiver.ctx, "ke", workflow.TypeReferral, referred, queuedID(t, wf, receiver, workflow.TypeReferral), workflow.StatusAccepted, "")
	require.NoError(t, err)
	got, _ = list(receiver, workflow.TransitionFilter{}, tenancy.Page{})
	require.Equal(t, []queued{{"transfer", sHid, records.HiddenNameMask, true, false}}, got)
	got, _ = list(receiver, workflow.TransitionFilter{Status: workflow.StatusAccepted}, tenancy.Page{})
	require.Equal(t, []queued{{"referral", sRef, "Amina Yusuf", true, false}}, got, "an accepted referral can still be marked done")

	for _, c := range []struct {
		f     workflow.TransitionFilter
		field string
	}{
		{workflow.TransitionFilter{Status: "open"}, "status"},
		{workflow.TransitionFilter{Direction: "sideways"}, "direction"},
		{workflow.TransitionFilter{Type: workflow.TypeAssign}, "type"},
	} {
		_, _, err := wf.ListTransitions(receiver.ctx, "ke", c.f, tenancy.Page{})
		var ie *tenancy.InvalidError
		require.ErrorAs(t, err, &ie)
		require.Equal(t, c.field, ie.Field)
	}
	admin := e.user(t, "role-system-administrator", "agency-a")
	_, _, err = wf.ListTransitions(admin.ctx, "ke", workflow.TransitionFilter{}, tenancy.Page{})
	require.ErrorIs(t, err, tenancy.ErrForbidden)
}

func queuedID(t *testing.T, wf *workflow.Service, a actor, typ string) string {
	t.Helper()
	ts, _, err := wf.ListTransitions(a.ctx, "ke", workflow.TransitionFilter{Type: typ}, tenancy.Page{})
	require.NoError(t, err)
	require.Len(t, ts, 1)
	return ts[0].ID
}

// TestAgencyReferralInItsManagersQueue: a referral to an agency is in the
// queue of each of its current managers (who may answer it) until one
// accepts; then only in the accepting manager's.
func TestAgencyReferralInItsManagersQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wf := workflow.New(e.p, workflow.Config{Names: e.rs})
	admin := e.user(t, "role-system-administrator", "agency-a")
	_, err := wf.SetProtocol(admin.ctx, "ke", []workflow.ProtocolRule{{FromAgency: "agency-a", ToAgency: "agency-b", Referral: true}})
	require.NoError(t, err)
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	m1 := e.user(t, "role-case-manager", "agency-b")
	m2 := e.user(t, "role-case-manager", "agency-b")
	cwB := e.user(t, "role-caseworker", "agency-b")
	id := e.newCase(t, cw, records.Data{"disclosure_other_orgs": true})
	tr, err := wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedToAgency: "agency-b", Service: "health", AuthorizedRole: "role-caseworker"})
	require.NoError(t, err)
	for _, m := range []actor{m1, m2} {
		ts, total, err := wf.ListTransitions(m.ctx, "ke", workflow.TransitionFilter{}, tenancy.Page{})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, tr.ID, ts[0].ID)
		require.True(t, ts[0].MayAnswer)
		// The access role by its name in every language: the managers hold no roles:read.
		require.Equal(t, "role-caseworker", ts[0].AuthorizedRole)
		require.Equal(t, "Travailleur social", ts[0].AuthorizedRoleName["fr"])
		require.Equal(t, "أخصائي حالة", ts[0].AuthorizedRoleName["ar"])
	}
	require.Equal(t, "Caseworker", tr.AuthorizedRoleName["en"], "the referral as created names its role too")
	ts, total, err := wf.ListTransitions(cwB.ctx, "ke", workflow.TransitionFilter{}, tenancy.Page{})
	require.NoError(t, err)
	require.Empty(t, ts)
	require.Zero(t, total)
	_, err = wf.Respond(m2.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusAccepted, "")
	require.NoError(t, err)
	ts, _, err = wf.ListTransitions(m1.ctx, "ke", workflow.TransitionFilter{Status: workflow.StatusAccepted}, tenancy.Page{})
	require.NoError(t, err)
	require.Empty(t, ts, "the other manager lost the case")
	ts, _, err = wf.ListTransitions(m2.ctx, "ke", workflow.TransitionFilter{Status: workflow.StatusAccepted}, tenancy.Page{})
	require.NoError(t, err)
	require.Len(t, ts, 1)
}

// TestApprovalsQueue: requests on the cases the caller sees, filtered by
// status, type and case in SQL (exact totals); to_answer keeps those the
// caller may answer (a manager of the owner's group, not the requester); a
// case the caller cannot see is 404 as a filter and absent from the list.
func TestApprovalsQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wf := workflow.New(e.p, workflow.Config{Names: e.rs})
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	other := e.user(t, "role-caseworker", "agency-a")
	manager := e.user(t, "role-case-manager", "agency-a", "usergroup-a")
	c1, c2 := e.newCase(t, cw, nil), e.newCase(t, cw, records.Data{"name_first": "Omar"})
	c3 := e.newCase(t, other, nil)
	for _, r := range []struct {
		a      actor
		id, ty string
	}{{cw, c1, "case_plan"}, {cw, c2, "case_plan"}, {cw, c2, "closure"}, {other, c3, "case_plan"}} {
		_, err := wf.Approve(r.a.ctx, "ke", r.id, r.ty, workflow.ApprovalRequested, "please")
		require.NoError(t, err)
	}
	_, err := wf.Approve(manager.ctx, "ke", c1, "case_plan", workflow.ApprovalApproved, "ok")
	require.NoError(t, err)

	type row struct {
		Short, Type, Name string
		Answer            bool
	}
	list := func(a actor, f workflow.ApprovalFilter) ([]row, int) {
		t.Helper()
		as, total, err := wf.ListApprovals(a.ctx, "ke", f, tenancy.Page{})
		require.NoError(t, err)
		out := make([]row, len(as))
		for i, x := range as {
			out[i] = row{x.ShortID, x.ApprovalType, x.Name, x.MayAnswer}
		}
		return out, total
	}
	s1, s2 := e.shortID(t, c1), e.shortID(t, c2)
	got, total := list(manager, workflow.ApprovalFilter{ToAnswer: true})
	require.Equal(t, []row{{s2, "closure", "Omar Yusuf", true}, {s2, "case_plan", "Omar Yusuf", true}}, got)
	require.Equal(t, 2, total, "not the other caseworker's case (no shared group, out of scope)")
	got, total = list(manager, workflow.ApprovalFilter{ToAnswer: true, Type: "closure"})
	require.Equal(t, []row{{s2, "closure", "Omar Yusuf", true}}, got)
	require.Equal(t, 1, total)
	got, _ = list(manager, workflow.ApprovalFilter{Status: workflow.ApprovalApproved})
	require.Equal(t, []row{{s1, "case_plan", "Amina Yusuf", false}}, got)
	got, total = list(manager, workflow.ApprovalFilter{RecordID: c1})
	require.Empty(t, got, "c1 has no pending request")
	require.Zero(t, total)

	// The requester lists their own requests, never to answer.
	got, total = list(cw, workflow.ApprovalFilter{})
	require.Len(t, got, 2)
	require.Equal(t, 2, total)
	got, _ = list(cw, workflow.ApprovalFilter{ToAnswer: true})
	require.Empty(t, got)
	_, _, err = wf.ListApprovals(cw.ctx, "ke", workflow.ApprovalFilter{RecordID: c3}, tenancy.Page{})
	require.ErrorIs(t, err, tenancy.ErrNotFound, "a case the caller cannot see")
	_, _, err = wf.ListApprovals(cw.ctx, "ke", workflow.ApprovalFilter{Type: "bia"}, tenancy.Page{})
	requireInvalid(t, err, "approval_type")
	_, _, err = wf.ListApprovals(cw.ctx, "ke", workflow.ApprovalFilter{Status: "requested"}, tenancy.Page{})
	requireInvalid(t, err, "status")
}
