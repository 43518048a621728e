package casework

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Permissions of this package.
var (
	PermTasks      = policy.Permission{Resource: "tasks", Action: "read"}
	PermAlerts     = policy.Permission{Resource: "alerts", Action: "read"}
	PermDashboards = policy.Permission{Resource: "dashboards", Action: "read"}
)

// Task types.
const (
	TaskAssessment = "assessment" // registered, no assessment_completed_date
	TaskCasePlan   = "case_plan"  // assessed, no date_case_plan
	TaskFollowup   = "followup"   // a follow-up row with followup_needed_by_date and no followup_date
	TaskService    = "service"    // a service row with service_appointment_date and no service_implemented_day_time
	TaskApproval   = "approval"   // an approval request the caller may answer
)

// Due periods of the tasks that have no due date field of their own.
const (
	// AssessmentDueDays after registration (registration_date, else the creation day).
	AssessmentDueDays = 7
	// CasePlanDueDays after the assessment was completed.
	CasePlanDueDays = 14
)

// Task is one due date on a case. It carries no data about the child: the
// case's ids and the task's kind, row and date.
type Task struct {
	Type    string `json:"type" enum:"assessment,case_plan,followup,service,approval"`
	CaseID  string `json:"case_id" format:"uuid"`
	ShortID string `json:"short_id"`
	// RowID is the subform row (follow-ups, services), else empty.
	RowID   string    `json:"row_id,omitempty"`
	Detail  string    `json:"detail,omitempty" doc:"The service type or follow-up type (a lookup value), or the approval type."`
	DueDate time.Time `json:"due_date" format:"date"`
	Overdue bool      `json:"overdue"`
}

// TaskFilter selects tasks.
type TaskFilter struct {
	// Due is "overdue", "upcoming" or "" (both).
	Due string
	// Page (from 1) and Per.
	Page tenancy.Page
}

// tasksSQL lists the due dates of the open, enabled cases that $1 owns or
// is assigned: (type, case id, short id, row id, detail, due date), and the
// approval requests $1 may answer (approvalsArg: the placeholder of the
// approval types the caller's role may answer, a text[]; the requests on open
// cases whose owner shares a user group with $1, not requested by $1, due
// the day they were requested in $1's time zone, zoneArg: the placeholder of
// the zone's IANA name). $2 is AssessmentDueDays, $3 CasePlanDueDays.
// A task derived from a field (TaskFields) in a form the role of $1 cannot
// read is left out.
func tasksSQL(approvalsArg, zoneArg string) string {
	return `with mine as (
	select r.id, r.short_id, r.data, coalesce(r.registration_date, r.created_at::date) as registered
	from records r
	where r.id in (select a.record_id from record_access a where a.user_id = $1::uuid and a.kind in ('owner', 'assigned'))
		and r.record_type = 'case' and r.status = 'open' and r.enabled
), rows as (
	select m.id, m.short_id, s.row, s.section
	from mine m, lateral (
		select e as row, 'services_section' as section
		from jsonb_array_elements(case when jsonb_typeof(m.data->'services_section') = 'array' then m.data->'services_section' else '[]' end) e
		union all
		select e, 'followup_subform_section'
		from jsonb_array_elements(case when jsonb_typeof(m.data->'followup_subform_section') = 'array' then m.data->'followup_subform_section' else '[]' end) e
	) s
	where jsonb_typeof(s.row) = 'object'
), readable as (
	-- The case fields in forms the role of $1 reads (roles.form_access), for
	-- the tasks derived from a field (TaskFields).
	select fd->>'name' as field
	from forms fm cross join lateral jsonb_array_elements(fm.definition->'fields') fd
	where fm.parent_form = 'case' and not fm.is_nested
		and (select ro.form_access ->> fm.unique_id from roles ro where ro.id = coalesce(
			(select u.role_id from users u where u.id = $1::uuid), (select a.role_id from service_accounts a where a.id = $1::uuid)))
			in ('r', 'rw')
), all_tasks as (
	select 'assessment' as type, id, short_id, '' as row_id, '' as detail, registered + $2::int as due
	from mine where casework_date(data->>'assessment_completed_date') is null
	union all
	select 'case_plan', id, short_id, '', '', casework_date(data->>'assessment_completed_date') + $3::int
	from mine where casework_date(data->>'assessment_completed_date') is not null and casework_date(data->>'date_case_plan') is null
	union all
	select 'service', id, short_id, coalesce(row->>'unique_id', ''), coalesce(row->>'service_type', ''),
		casework_date(row->>'service_appointment_date')
	from rows where section = 'services_section' and casework_date(row->>'service_appointment_date') is not null
		and casework_date(row->>'service_implemented_day_time') is null
	union all
	select 'followup', id, short_id, coalesce(row->>'unique_id', ''), coalesce(row->>'followup_type', ''),
		casework_date(row->>'followup_needed_by_date')
	from rows where section = 'followup_subform_section' and casework_date(row->>'followup_needed_by_date') is not null
		and casework_date(row->>'followup_date') is null
	union all
	select 'approval', r.id, r.short_id, '', p.approval_type, (p.requested_at at time zone ` + zoneArg + `::text)::date
	from approvals p
	join records r on r.id = p.record_id
	join record_access o on o.record_id = r.id and o.kind = 'owner'
	where p.status = 'requested' and p.approval_type = any(` + approvalsArg + `::text[])
		and p.requested_by_id is distinct from $1::uuid and r.status = 'open' and r.enabled
		and exists (select 1 from user_groups_users g where g.user_id = $1::uuid
			and g.user_group_id in (select m.user_group_id from user_groups_users m where m.user_id = o.user_id))
), tasks as (
	select t.* from all_tasks t
	where t.type = 'approval' or (case t.type ` + taskFieldCases() + ` end) in (select field from readable)
)`
}

// TaskFields are the case fields that tasks derive from: a task is listed
// only to a user whose role reads the field's form (approvals are not
// derived from a field).
var TaskFields = map[string]string{
	TaskAssessment: "assessment_completed_date",
	TaskCasePlan:   "date_case_plan",
	TaskService:    "services_section",
	TaskFollowup:   "followup_subform_section",
}

// taskFieldCases is the SQL of a case expression's branches: a task type's
// field (TaskFields).
func taskFieldCases() string {
	var b strings.Builder
	for _, typ := range slices.Sorted(maps.Keys(TaskFields)) {
		fmt.Fprintf(&b, "when '%s' then '%s' ", typ, TaskFields[typ])
	}
	return b.String()
}

// Tasks returns the caller's tasks, soonest due first (overdue ones first),
// and their exact total. Needs tasks:read.
func (s *Service) Tasks(ctx context.Context, code string, f TaskFilter) ([]Task, int, error) {
	if err := s.p.Authorize(ctx, code, PermTasks); err != nil {
		return nil, 0, err
	}
	if err := checkPage(&f.Page); err != nil {
		return nil, 0, err
	}
	switch f.Due {
	case "", "overdue", "upcoming":
	default:
		return nil, 0, &tenancy.InvalidError{In: "query", Field: "due", Value: f.Due, Reason: "must be overdue or upcoming"}
	}
	var out []Task
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		self := selfID(c.Subject())
		today, err := localToday(ctx, c, self, time.Now())
		if err != nil {
			return err
		}
		out, total, err = listTasks(ctx, c, self, workflow.AnswerableTypes(c), today, f)
		return err
	})
	return out, total, err
}

// OverdueTasks returns up to limit overdue tasks of user userID on day today
// (their local date: settings.LocalDate), and how many there are, in the
// caller's transaction (the daily digest): what the user's own tasks list
// shows as overdue that day, approvals pending their decision included (by
// their role's permissions, not the caller's).
func OverdueTasks(ctx context.Context, c *tenancy.Conn, userID string, today time.Time, limit int) ([]Task, int, error) {
	var approvals []string
	if err := c.QueryRow(ctx, `select coalesce(array(select t from unnest($2::text[]) t
			where ro.permissions && array['cases:approve', 'cases:approve_' || t]), '{}')
		from users u join roles ro on ro.id = u.role_id where u.id = $1`, userID, records.ApprovalTypes).Scan(&approvals); err != nil {
		return nil, 0, err
	}
	loc, err := settings.UserLocation(ctx, c, userID)
	if err != nil {
		return nil, 0, err
	}
	return listTasks(ctx, c, userID, approvals, localDay{date: today, zone: loc.String()},
		TaskFilter{Due: "overdue", Page: tenancy.Page{Page: 1, Per: limit}})
}

// localDay is a user's day: the date from which tasks are overdue, and the
// IANA name of the zone in which approval requests fall due.
type localDay struct {
	date time.Time
	zone string
}

// localToday is the date at now in the time zone of user id (nil: the
// tenant's default), with the zone's name.
func localToday(ctx context.Context, c *tenancy.Conn, id any, now time.Time) (localDay, error) {
	s, _ := id.(string)
	loc, err := settings.UserLocation(ctx, c, s)
	if err != nil {
		return localDay{}, err
	}
	return localDay{date: settings.LocalDate(now, loc), zone: loc.String()}, nil
}

// listTasks lists the tasks of userID; overdue means due before today (the
// user's local date).
func listTasks(ctx context.Context, c *tenancy.Conn, userID any, approvals []string, today localDay, f TaskFilter) ([]Task, int, error) {
	if approvals == nil {
		approvals = []string{}
	}
	rows, err := c.Query(ctx, tasksSQL("$7", "$9")+`
		select type, id::text, short_id, row_id, detail, due, due < $8::date, count(*) over ()
		from tasks
		where due is not null and ($4 = '' or ($4 = 'overdue') = (due < $8::date))
		order by due, short_id, type, row_id limit $5 offset $6`,
		userID, AssessmentDueDays, CasePlanDueDays, f.Due, f.Page.Per, (f.Page.Page-1)*f.Page.Per, approvals, today.date, today.zone)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Task, error) {
		var t Task
		err := row.Scan(&t.Type, &t.CaseID, &t.ShortID, &t.RowID, &t.Detail, &t.DueDate, &t.Overdue, &total)
		return t, err
	})
	if err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []Task{}
	}
	if len(out) == 0 && f.Page.Page > 1 { // past the last page: count anyway
		err = c.QueryRow(ctx, tasksSQL("$5", "$7")+` select count(*) from tasks where due is not null
			and ($4 = '' or ($4 = 'overdue') = (due < $6::date))`, userID, AssessmentDueDays, CasePlanDueDays, f.Due, approvals, today.date,
			today.zone).Scan(&total)
	}
	return out, total, err
}

// countTasks counts the caller's overdue and upcoming tasks (from their
// local day).
func countTasks(ctx context.Context, c *tenancy.Conn, userID any) (overdue, upcoming int, err error) {
	today, err := localToday(ctx, c, userID, time.Now())
	if err != nil {
		return 0, 0, err
	}
	err = c.QueryRow(ctx, tasksSQL("$4", "$6")+` select count(*) filter (where due < $5::date), count(*) filter (where due >= $5::date)
		from tasks where due is not null`, userID, AssessmentDueDays, CasePlanDueDays, workflow.AnswerableTypes(c), today.date,
		today.zone).Scan(&overdue, &upcoming)
	return overdue, upcoming, err
}

// selfID is the subject's id as a record_access user id, or nil (no rows).
func selfID(s policy.Subject) any {
	if (s.Kind == policy.KindUser || s.Kind == policy.KindService) && uuidRE.MatchString(s.ID) {
		return s.ID
	}
	return nil
}

// PerMax is the largest page of tasks or alerts.
const PerMax = 1000

func checkPage(p *tenancy.Page) error {
	if p.Page == 0 {
		p.Page = 1
	}
	if p.Per == 0 {
		p.Per = 50
	}
	if p.Page < 1 {
		return &tenancy.InvalidError{In: "query", Field: "page", Value: p.Page, Reason: "must be 1 or more"}
	}
	if p.Per < 1 || p.Per > PerMax {
		return &tenancy.InvalidError{In: "query", Field: "per", Value: p.Per, Reason: "must be 1 to 1000"}
	}
	return nil
}
