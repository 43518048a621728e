package casework_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

type alertKey struct{ Type, Short, Actor string }

func alertKeys(as []casework.Alert) []alertKey {
	out := make([]alertKey, len(as))
	for i, a := range as {
		out[i] = alertKey{a.Type, a.ShortID, a.Actor}
	}
	return out
}

// update changes a case as s at its current version.
func (w *World) update(t *testing.T, s policy.Subject, id string, body records.Data) {
	t.Helper()
	var v int64
	require.NoError(t, w.su.QueryRow(t.Context(), "select version from tenant_ke.records where id = $1", id).Scan(&v))
	_, err := w.rs.Update(as(s), "ke", "case", records.UpdateInput{ID: id, Body: body, IfMatch: []int64{v}})
	require.NoError(t, err)
}

func (w *World) email(t *testing.T, id string) string {
	t.Helper()
	var e string
	require.NoError(t, w.su.QueryRow(t.Context(), "select email from tenant_ke.users where id = $1", id).Scan(&e))
	return e
}

// TestAlertsAreWhatOthersDidToMyRecords: through the real records and
// workflow services, a field changed by a manager, a referral answered by
// its receiver and a case assigned to me are my alerts (newest first, field
// names only); what I did myself is not; marking a record read clears its
// alerts until someone changes it again; another's record cannot be marked.
func TestAlertsAreWhatOthersDidToMyRecords(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cw := w.user(t, "role-caseworker", "usergroup-nairobi")
	cw2 := w.user(t, "role-caseworker", "usergroup-nairobi")
	mgr := w.user(t, "role-case-manager", "usergroup-nairobi")
	wf := workflow.New(w.P, workflow.Config{})

	c1, s1 := w.kase(t, cw, "open", records.Data{"name_first": "Amina", "sex": "female", "registration_date": day(-1)})
	c2, s2 := w.kase(t, cw2, "open", records.Data{"name_first": "Baraka", "registration_date": day(-1)})
	c3, _ := w.kase(t, cw2, "open", records.Data{"name_first": "Chausiku", "registration_date": day(-1)})
	none, _, err := w.Svc.Alerts(as(cw), "ke", tenancy.Page{})
	require.NoError(t, err)
	require.Empty(t, none, "creating one's own cases alerts no one")

	w.update(t, cw, c1, records.Data{"name_last": "Hassan"})
	w.update(t, mgr, c1, records.Data{"name_first": "Aminah", "sex": "male"})
	ref, err := wf.Refer(as(cw), "ke", c1, workflow.Input{TransitionedTo: w.email(t, cw2.ID), Service: "health"})
	require.NoError(t, err)
	_, err = wf.Respond(as(cw2), "ke", workflow.TypeReferral, c1, ref.ID, workflow.StatusAccepted, "")
	require.NoError(t, err)
	_, err = wf.Assign(as(mgr), "ke", c2, workflow.Input{TransitionedTo: w.email(t, cw.ID)})
	require.NoError(t, err)

	mgrName, cw2Name := w.email(t, mgr.ID), w.email(t, cw2.ID)
	got, total, err := w.Svc.Alerts(as(cw), "ke", tenancy.Page{})
	require.NoError(t, err)
	require.Equal(t, []alertKey{{"assign", s2, mgrName}, {"referral_accepted", s1, cw2Name}, {"field_change", s1, mgrName}},
		alertKeys(got))
	require.Equal(t, 3, total)
	require.Equal(t, []string{"name_first", "sex"}, got[2].Fields, "names of the fields, never values")
	require.NotContains(t, got[2].Fields, "name_last", "my own change is not an alert")
	require.Equal(t, c1, got[1].RecordID)
	require.Equal(t, "case", got[1].RecordType)
	page2, total, err := w.Svc.Alerts(as(cw), "ke", tenancy.Page{Page: 2, Per: 2})
	require.NoError(t, err)
	require.Equal(t, []alertKey{{"field_change", s1, mgrName}}, alertKeys(page2))
	require.Equal(t, 3, total)

	// The receiver owns none of these: the assign moved c2 away from cw2 (no alert about losing it).
	theirs, _, err := w.Svc.Alerts(as(cw2), "ke", tenancy.Page{})
	require.NoError(t, err)
	require.Empty(t, theirs)

	n, err := w.Svc.MarkAlertsRead(as(cw), "ke", c1)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	got, _, err = w.Svc.Alerts(as(cw), "ke", tenancy.Page{})
	require.NoError(t, err)
	require.Equal(t, []alertKey{{"assign", s2, mgrName}}, alertKeys(got))
	_, err = w.Svc.MarkAlertsRead(as(cw), "ke", c3)
	require.ErrorIs(t, err, tenancy.ErrNotFound, "another's record")
	_, err = w.Svc.MarkAlertsRead(as(cw), "ke", "not-a-uuid")
	require.ErrorIs(t, err, tenancy.ErrNotFound)

	w.update(t, mgr, c1, records.Data{"name_nickname": "Mimi"})
	got, _, err = w.Svc.Alerts(as(cw), "ke", tenancy.Page{})
	require.NoError(t, err)
	require.Equal(t, []alertKey{{"field_change", s1, mgrName}, {"assign", s2, mgrName}}, alertKeys(got), "a change after reading is new")

	n, err = w.Svc.MarkAlertsRead(as(cw), "ke", "")
	require.NoError(t, err)
	require.Equal(t, 2, n, "both records cw owns")
	got, _, err = w.Svc.Alerts(as(cw), "ke", tenancy.Page{})
	require.NoError(t, err)
	require.Empty(t, got)
}
