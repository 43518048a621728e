package casework_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// World is a provisioned tenant "ke" with people and a way to write cases.
type World struct {
	DB  *testdb.DB
	P   *tenancy.Platform
	Enf *policy.Enforcer
	Svc *casework.Service
	rs  *records.Service
	su  *pgx.Conn
}

func sys(actor string) context.Context {
	return policy.WithSubject(context.Background(), policy.System(actor))
}

func setup(t *testing.T) *World {
	t.Helper()
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	_, err = p.Create(sys(policy.ActorProvisioner), tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(sys(policy.ActorProvisioner), "ke"))
	version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), "ke")
	require.NoError(t, err)
	require.NoError(t, enf.SetTenantPolicy("ke", version, roles))
	require.NoError(t, people.New(p).AddAgency(sys(policy.ActorSeeder), "ke", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	require.NoError(t, people.New(p).AddUserGroup(sys(policy.ActorSeeder), "ke", "usergroup-nairobi", "Nairobi"))
	require.NoError(t, people.New(p).AddUserGroup(sys(policy.ActorSeeder), "ke", "usergroup-mombasa", "Mombasa"))
	fs := forms.New(p, forms.Config{})
	return &World{DB: db, P: p, Enf: enf, Svc: casework.New(p), rs: records.New(p, records.Config{Schemas: records.FormsSchemas(fs)}), su: db.Superuser(t)}
}

// user adds a member and returns their subject.
func (w *World) user(t *testing.T, role string, groups ...string) policy.Subject {
	t.Helper()
	identity := newUUID()
	_, err := people.New(w.P).AddUser(sys(policy.ActorSeeder), "ke", people.NewUser{Email: "u" + identity[:8] + "@example.org",
		FullName: "User " + identity[:4], Locale: "en", Role: role, Agency: "agency-unicef", UserGroups: groups},
		func(context.Context) (string, error) { return identity, nil }, nil)
	require.NoError(t, err)
	pr, err := w.P.PrincipalByIdentity(sys(policy.ActorAuthenticator), "ke", identity)
	require.NoError(t, err)
	return pr.Subject()
}

// kase writes an open case owned by owner with data and returns its id and short id.
func (w *World) kase(t *testing.T, owner policy.Subject, status string, data records.Data) (string, string) {
	t.Helper()
	return w.kaseAt(t, owner, status, false, time.Now(), data)
}

func (w *World) kaseAt(t *testing.T, owner policy.Subject, status string, flagged bool, created time.Time, data records.Data) (string, string) {
	t.Helper()
	id := newUUID()
	_, err := w.rs.CreateBatch(sys(policy.ActorDemoSeeder), "ke", []records.BatchRecord{{ID: id, RecordType: "case",
		ModuleID: "primeromodule-cp", Status: status, Workflow: "new", Flagged: flagged, OwnerID: owner.ID, CreatedAt: created,
		UpdatedAt: created, Data: data}})
	require.NoError(t, err)
	var short string
	require.NoError(t, w.su.QueryRow(context.Background(), "select short_id from tenant_ke.records where id = $1", id).Scan(&short))
	return id, short
}

func as(s policy.Subject) context.Context { return policy.WithSubject(context.Background(), s) }

func day(offset int) string { return time.Now().UTC().AddDate(0, 0, offset).Format(time.DateOnly) }

type taskKey struct{ Type, Short, Due string }

func keys(ts []casework.Task) []taskKey {
	out := make([]taskKey, len(ts))
	for i, t := range ts {
		out[i] = taskKey{t.Type, t.ShortID, t.DueDate.Format(time.DateOnly)}
	}
	return out
}

// TestTasksAreTheDueDatesOfMyOpenCases: tasks come from the open cases a
// user owns or is assigned, from the due date fields of the default forms,
// soonest first; done items, closed cases and others' cases give none.
func TestTasksAreTheDueDatesOfMyOpenCases(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cw := w.user(t, "role-caseworker", "usergroup-nairobi")
	cw2 := w.user(t, "role-caseworker", "usergroup-nairobi")
	// Registered 10 days ago, not assessed: assessment due 3 days ago. A
	// service overdue, one implemented, a follow-up due in 5 days, one done.
	c1, s1 := w.kase(t, cw, "open", records.Data{"name_first": "Amina", "registration_date": day(-10),
		"services_section": []any{
			map[string]any{"unique_id": newUUID(), "service_type": "health", "service_appointment_date": day(-2)},
			map[string]any{"unique_id": newUUID(), "service_type": "education", "service_appointment_date": day(-9),
				"service_implemented_day_time": day(-8)},
		},
		"followup_subform_section": []any{
			map[string]any{"unique_id": newUUID(), "followup_type": "home_visit", "followup_needed_by_date": day(5)},
			map[string]any{"unique_id": newUUID(), "followup_needed_by_date": day(-1), "followup_date": day(-1)},
		}})
	// Assessed 20 days ago, no case plan: case plan due 6 days ago.
	_, s2 := w.kase(t, cw, "open", records.Data{"registration_date": day(-30), "assessment_completed_date": day(-20)})
	// Assessed and planned: nothing due.
	w.kase(t, cw, "open", records.Data{"registration_date": day(-30), "assessment_completed_date": day(-20), "date_case_plan": day(-15)})
	// Closed: nothing.
	w.kase(t, cw, "closed", records.Data{"registration_date": day(-30)})
	// Another's case: not mine, until I am assigned to it.
	c5, s5 := w.kase(t, cw2, "open", records.Data{"registration_date": day(0)})

	ts, total, err := w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{})
	require.NoError(t, err)
	require.Equal(t, []taskKey{
		{"case_plan", s2, day(-6)}, {"assessment", s1, day(-3)}, {"service", s1, day(-2)}, {"followup", s1, day(5)},
	}, keys(ts))
	require.Equal(t, 4, total)
	require.True(t, ts[0].Overdue)
	require.False(t, ts[3].Overdue)
	require.Equal(t, c1, ts[1].CaseID)
	require.Equal(t, "health", ts[2].Detail)
	require.NotEmpty(t, ts[2].RowID)

	_, err = w.su.Exec(context.Background(), "insert into tenant_ke.record_access (record_id, user_id, kind) values ($1, $2, 'assigned')", c5, cw.ID)
	require.NoError(t, err)
	ts, total, err = w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{Due: "upcoming"})
	require.NoError(t, err)
	require.Equal(t, []taskKey{{"followup", s1, day(5)}, {"assessment", s5, day(7)}}, keys(ts), "an assigned case's tasks are mine too")
	require.Equal(t, 2, total)

	ts, total, err = w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{Due: "overdue", Page: tenancy.Page{Page: 2, Per: 2}})
	require.NoError(t, err)
	require.Equal(t, []taskKey{{"service", s1, day(-2)}}, keys(ts))
	require.Equal(t, 3, total)
	ts, total, err = w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{Page: tenancy.Page{Page: 9, Per: 2}})
	require.NoError(t, err)
	require.Empty(t, ts)
	require.Equal(t, 5, total, "past the last page the total is still exact")

	ts, _, err = w.Svc.Tasks(as(cw2), "ke", casework.TaskFilter{})
	require.NoError(t, err)
	require.Equal(t, []taskKey{{"assessment", s5, day(7)}}, keys(ts), "the owner keeps the tasks of a case they assigned")

	var inv *tenancy.InvalidError
	_, _, err = w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{Due: "soon"})
	require.True(t, errors.As(err, &inv), err)
	require.Equal(t, "due", inv.Field)
	admin := w.user(t, "role-system-administrator")
	_, _, err = w.Svc.Tasks(as(admin), "ke", casework.TaskFilter{})
	require.ErrorIs(t, err, tenancy.ErrForbidden)
	_, _, err = w.Svc.Tasks(context.Background(), "ke", casework.TaskFilter{})
	require.ErrorIs(t, err, policy.ErrNoActor)
}

// TestTasksHonourFormAccessAndDigestIncludesApprovals: a task derived from a
// field in a form the user's role cannot read is not listed (neither in the
// tasks list nor in the digest's overdue tasks), and the digest's overdue
// tasks include the approvals pending the user's decision.
func TestTasksHonourFormAccessAndDigestIncludesApprovals(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cw := w.user(t, "role-caseworker", "usergroup-nairobi")
	mgr := w.user(t, "role-case-manager", "usergroup-nairobi")
	c1, s1 := w.kase(t, cw, "open", records.Data{"registration_date": day(-10), "services_section": []any{
		map[string]any{"unique_id": newUUID(), "service_type": "health", "service_appointment_date": day(-2)}}})
	ts, _, err := w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{})
	require.NoError(t, err)
	require.Equal(t, []taskKey{{"assessment", s1, day(-3)}, {"service", s1, day(-2)}}, keys(ts))

	// The caseworker's role no longer reads the services form.
	ctx := context.Background()
	_, err = w.su.Exec(ctx, "update tenant_ke.roles set form_access = form_access - 'services' where unique_id = 'role-caseworker'")
	require.NoError(t, err)
	ts, total, err := w.Svc.Tasks(as(cw), "ke", casework.TaskFilter{})
	require.NoError(t, err)
	require.Equal(t, []taskKey{{"assessment", s1, day(-3)}}, keys(ts))
	require.Equal(t, 1, total)
	d, err := w.Svc.Dashboards(as(cw), "ke")
	require.NoError(t, err)
	require.Equal(t, 1, d.OverdueTasks, "the dashboard counts the same tasks")

	// An approval requested 2 days ago is overdue for the manager of the
	// owner's group, in their digest (computed as the notifier).
	_, err = w.su.Exec(ctx, `insert into tenant_ke.approvals (record_id, approval_type, requested_by, requested_by_id, requested_at)
		values ($1, 'case_plan', 'cw', $2, now() - interval '2 days')`, c1, cw.ID)
	require.NoError(t, err)
	var digest []casework.Task
	require.NoError(t, w.P.Tx(sys(policy.ActorNotifier), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		digest, total, err = casework.OverdueTasks(ctx, c, mgr.ID, settings.LocalDate(time.Now(), time.UTC), 20)
		return err
	}))
	require.Equal(t, []taskKey{{"approval", s1, day(-2)}}, keys(digest))
	require.Equal(t, "case_plan", digest[0].Detail)
	require.Equal(t, 1, total)
	require.NoError(t, w.P.Tx(sys(policy.ActorNotifier), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		digest, _, err = casework.OverdueTasks(ctx, c, cw.ID, settings.LocalDate(time.Now(), time.UTC), 20)
		return err
	}))
	require.Equal(t, []taskKey{{"assessment", s1, day(-3)}}, keys(digest), "no approval for the requester; no service task without the form")
}

// TestTasksOverdueFromTheUsersLocalDay: the same service, due on the local
// date of Pacific/Pago_Pago (UTC-11), is upcoming for a user in that zone
// and overdue for one in Pacific/Kiritimati (UTC+14, always a later date),
// in the tasks list and in the dashboard's counts.
func TestTasksOverdueFromTheUsersLocalDay(t *testing.T) {
	t.Parallel()
	w := setup(t)
	admin := w.user(t, "role-system-administrator")
	early, late := w.user(t, "role-caseworker"), w.user(t, "role-caseworker")
	set := func(s policy.Subject, zone string) {
		_, err := people.New(w.P).UpdateUser(as(admin), "ke", s.ID, people.UserPatch{TimeZone: &zone})
		require.NoError(t, err)
	}
	set(early, "Pacific/Pago_Pago")
	set(late, "Pacific/Kiritimati")
	pago, err := time.LoadLocation("Pacific/Pago_Pago")
	require.NoError(t, err)
	due := time.Now().In(pago).Format(time.DateOnly)
	for _, s := range []policy.Subject{early, late} {
		w.kase(t, s, "open", records.Data{"registration_date": day(-1), "assessment_completed_date": day(-1), "date_case_plan": day(-1),
			"services_section": []any{map[string]any{"unique_id": newUUID(), "service_type": "health", "service_appointment_date": due}}})
	}
	for _, c := range []struct {
		who     policy.Subject
		overdue bool
	}{{early, false}, {late, true}} {
		ts, total, err := w.Svc.Tasks(as(c.who), "ke", casework.TaskFilter{})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, due, ts[0].DueDate.Format(time.DateOnly))
		require.Equal(t, c.overdue, ts[0].Overdue)
		_, overdue, err := w.Svc.Tasks(as(c.who), "ke", casework.TaskFilter{Due: "overdue"})
		require.NoError(t, err)
		require.Equal(t, c.overdue, overdue == 1)
		d, err := w.Svc.Dashboards(as(c.who), "ke")
		require.NoError(t, err)
		require.Equal(t, c.overdue, d.OverdueTasks == 1)
		require.Equal(t, !c.overdue, d.UpcomingTasks == 1)
	}
}

// TestApprovalTasksFallDueOnTheManagersLocalDay: one approval request, made
// at one instant, falls due on the local date of that instant for each of
// two managers of the owner's group, one in Pacific/Pago_Pago (UTC-11) and
// one in Pacific/Kiritimati (UTC+14, always a later date): not overdue for
// either on the day it was made, in the list, the dashboard and the digest;
// a request made a day earlier is overdue for both.
func TestApprovalTasksFallDueOnTheManagersLocalDay(t *testing.T) {
	t.Parallel()
	w := setup(t)
	admin := w.user(t, "role-system-administrator")
	cw := w.user(t, "role-caseworker", "usergroup-nairobi")
	early, late := w.user(t, "role-case-manager", "usergroup-nairobi"), w.user(t, "role-case-manager", "usergroup-nairobi")
	zones := map[string]string{early.ID: "Pacific/Pago_Pago", late.ID: "Pacific/Kiritimati"}
	for id, zone := range zones {
		_, err := people.New(w.P).UpdateUser(as(admin), "ke", id, people.UserPatch{TimeZone: &zone})
		require.NoError(t, err)
	}
	now := time.Now()
	c1, s1 := w.kase(t, cw, "open", records.Data{"registration_date": day(0), "assessment_completed_date": day(0), "date_case_plan": day(0)})
	_, err := w.su.Exec(context.Background(), `insert into tenant_ke.approvals (record_id, approval_type, requested_by, requested_by_id, requested_at)
		values ($1, 'case_plan', 'cw', $2, $3)`, c1, cw.ID, now)
	require.NoError(t, err)
	for _, m := range []policy.Subject{early, late} {
		loc, err := time.LoadLocation(zones[m.ID])
		require.NoError(t, err)
		ts, total, err := w.Svc.Tasks(as(m), "ke", casework.TaskFilter{})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, []taskKey{{"approval", s1, now.In(loc).Format(time.DateOnly)}}, keys(ts), zones[m.ID])
		require.False(t, ts[0].Overdue, zones[m.ID])
		d, err := w.Svc.Dashboards(as(m), "ke")
		require.NoError(t, err)
		require.Equal(t, [2]int{0, 1}, [2]int{d.OverdueTasks, d.UpcomingTasks}, zones[m.ID])
		var digest []casework.Task
		require.NoError(t, w.P.Tx(sys(policy.ActorNotifier), "ke", func(ctx context.Context, c *tenancy.Conn) error {
			digest, _, err = casework.OverdueTasks(ctx, c, m.ID, settings.LocalDate(now, loc), 20)
			return err
		}))
		require.Empty(t, digest, zones[m.ID])
	}
	// A day earlier: overdue for both.
	_, err = w.su.Exec(context.Background(), "update tenant_ke.approvals set requested_at = requested_at - interval '1 day'")
	require.NoError(t, err)
	for _, m := range []policy.Subject{early, late} {
		loc, err := time.LoadLocation(zones[m.ID])
		require.NoError(t, err)
		ts, _, err := w.Svc.Tasks(as(m), "ke", casework.TaskFilter{Due: "overdue"})
		require.NoError(t, err)
		require.Equal(t, []taskKey{{"approval", s1, now.AddDate(0, 0, -1).In(loc).Format(time.DateOnly)}}, keys(ts), zones[m.ID])
	}
}
