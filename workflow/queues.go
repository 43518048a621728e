package workflow

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Queues across cases (docs/workflows.md, "Session 19: queues"): the
// pending transfers, referrals and transfer requests addressed to the
// caller or sent by them (and, for a manager, by or to the people they
// manage), and the approval requests on the cases the caller sees. Both
// lists are filtered on the caller's visible cases in SQL, so totals are
// exact and a transition or approval of a case the caller cannot see is
// never listed.

// Permissions of the queues.
var (
	PermTransitionsQueue = policy.Permission{Resource: "transitions", Action: "read"}
	PermApprovalsQueue   = policy.Permission{Resource: "approvals", Action: "read"}
)

// QueueStatusPending is the queues' status filter for what awaits an
// answer (a transition in progress, an approval requested).
const QueueStatusPending = "pending"

// Queue directions.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// CaseNames gives the names of cases as the transaction's subject may see
// them: only the name fields its role (or a referral's access role) reads,
// masked where the case hides the name. Package records implements it.
type CaseNames interface {
	CaseNames(ctx context.Context, c *tenancy.Conn, ids []string) (map[string]string, error)
}

// TransitionFilter selects the transitions queue.
type TransitionFilter struct {
	// Status is pending (in progress, the default), accepted, rejected,
	// done or revoked.
	Status string
	// Direction is in (addressed to the caller, the default) or out (sent
	// by the caller).
	Direction string
	// Type is referral, transfer or transfer_request; "" for the three.
	Type string
}

// QueuedTransition is a transition in a queue, with its case's short id,
// the case's name as the caller may see it, and what the caller may do.
type QueuedTransition struct {
	Transition
	ShortID   string `json:"short_id" doc:"The case's short id."`
	Name      string `json:"name,omitempty" doc:"The case's name as the caller may see it: absent when the caller's role (or the referral's access role) does not read the name fields, ***** when the case hides the name."`
	MayAnswer bool   `json:"may_answer" doc:"The caller may answer it now (accept, reject; a referral also done)."`
	MayRevoke bool   `json:"may_revoke" doc:"The caller sent it and may revoke it now."`
}

// queueTypes are the transition types the queue lists.
var queueTypes = []string{TypeReferral, TypeTransfer, TypeTransferRequest}

// normalise checks f and fills its defaults.
func (f *TransitionFilter) normalise() error {
	f.Status = cmp.Or(f.Status, QueueStatusPending)
	f.Direction = cmp.Or(f.Direction, DirectionIn)
	if !slices.Contains([]string{QueueStatusPending, StatusAccepted, StatusRejected, StatusDone, StatusRevoked}, f.Status) {
		return &tenancy.InvalidError{In: "query", Field: "status", Value: f.Status, Reason: "must be pending, accepted, rejected, done or revoked"}
	}
	if f.Direction != DirectionIn && f.Direction != DirectionOut {
		return &tenancy.InvalidError{In: "query", Field: "direction", Value: f.Direction, Reason: "must be in or out"}
	}
	if f.Type != "" && !slices.Contains(queueTypes, f.Type) {
		return &tenancy.InvalidError{In: "query", Field: "type", Value: f.Type, Reason: "must be referral, transfer or transfer_request"}
	}
	return nil
}

func checkQueuePage(p *tenancy.Page) error {
	if p.Page == 0 {
		p.Page = 1
	}
	if p.Per == 0 {
		p.Per = 20
	}
	if p.Page < 1 {
		return &tenancy.InvalidError{In: "query", Field: "page", Value: p.Page, Reason: "must be 1 or more"}
	}
	if p.Per < 1 || p.Per > 1000 {
		return &tenancy.InvalidError{In: "query", Field: "per", Value: p.Per, Reason: "must be 1 to 1000"}
	}
	return nil
}

// sqlArgs collects a statement's arguments.
type sqlArgs []any

func (a *sqlArgs) arg(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// managedSQL is the condition that the user whose id is the SQL
// expression col is managed by the transaction's subject (as manages:
// holds cases:assign and reaches the user by scope), "false" for a
// subject without cases:assign.
func managedSQL(c *tenancy.Conn, a *sqlArgs, col string) string {
	if c.Authorize(PermAssign) != nil {
		return "false"
	}
	sub := c.Subject()
	switch sub.Scope {
	case policy.ScopeAll:
		return col + " is not null"
	case policy.ScopeAgency:
		return col + " in (select u.id from users u where u.agency_id = " + a.arg(nullUUID(sub.Agency)) + "::uuid)"
	}
	return col + " in (select g.user_id from user_groups_users g where g.user_group_id = any(" + a.arg(append([]string{}, sub.Groups...)) + "::uuid[]))"
}

// queueSQL builds the conditions of the queues for the transaction's
// subject: the one definition of what each queue holds, used by the
// lists (ListTransitions, ListApprovals) and by Home's counts
// (CountQueues), so the two agree by construction. A condition's
// arguments are added to args as it is built: a statement takes args and
// must use every condition built for it.
type queueSQL struct {
	c    *tenancy.Conn
	args sqlArgs
	vis  string // the select of the ids of the cases the subject sees
	self string // the subject's user id placeholder, "" until used
}

func newQueueSQL(c *tenancy.Conn) *queueSQL {
	vis, args := records.VisibleRecords(c, records.TypeCase)
	return &queueSQL{c: c, args: sqlArgs(args), vis: vis}
}

// me is the placeholder of the subject's user id (null for a service
// account), one argument however often it is used.
func (q *queueSQL) me() string {
	if q.self == "" {
		q.self = q.args.arg(nullUUID(subjectID(q.c.Subject())))
	}
	return q.self
}

// visible is the condition that the case whose id is col is one the
// subject sees.
func (q *queueSQL) visible(col string) string { return col + " in (" + q.vis + ")" }

// heldReferral is the condition that transition t is a referral to an
// agency not yet accepted whose current managers include the subject
// (they hold its referral row).
func (q *queueSQL) heldReferral() string {
	return "(t.type = 'referral' and t.transitioned_to is null and exists (select 1 from record_access x where x.referral_id = t.id and x.user_id = " +
		q.me() + "::uuid and x.kind = 'referral'))"
}

// transitionsIn is the condition that transition t is in the subject's in
// queue: addressed to them, a referral to an agency they currently manage
// for, or addressed to a user they manage.
func (q *queueSQL) transitionsIn() string {
	return "(t.transitioned_to = " + q.me() + "::uuid or " + q.heldReferral() + " or " + managedSQL(q.c, &q.args, "t.transitioned_to") + ")"
}

// transitionsOut is the condition that transition t is in the subject's
// out queue: sent by them or by a user they manage.
func (q *queueSQL) transitionsOut() string {
	return "(t.transitioned_by = " + q.me() + "::uuid or " + managedSQL(q.c, &q.args, "t.transitioned_by") + ")"
}

// approvalToAnswer is the condition that approval a is one the subject may
// answer, answerApproval's rule: pending, a type the role answers, not the
// requester, a case whose owner shares a user group with the subject.
func (q *queueSQL) approvalToAnswer() string {
	me := q.me()
	return fmt.Sprintf(`(a.status = 'requested' and a.approval_type = any(%s::text[]) and a.requested_by_id is distinct from %s::uuid
			and exists (select 1 from records rr join record_access o on o.record_id = rr.id and o.kind = 'owner'
				join user_groups_users m on m.user_id = o.user_id
				join user_groups_users g on g.user_group_id = m.user_group_id and g.user_id = %s::uuid
				where rr.id = a.record_id))`, q.args.arg(AnswerableTypes(q.c)), me, me)
}

// transitions is the condition that transition t is in the subject's queue
// selected by f (normalised).
func (q *queueSQL) transitions(f TransitionFilter) string {
	status := f.Status
	if status == QueueStatusPending {
		status = StatusInProgress
	}
	types := queueTypes
	if f.Type != "" {
		types = []string{f.Type}
	}
	where := q.visible("t.record_id") + " and t.status = " + q.args.arg(status) + " and t.type = any(" + q.args.arg(types) + "::text[]) and "
	if f.Direction == DirectionIn {
		return where + q.transitionsIn()
	}
	return where + q.transitionsOut()
}

// approvals is the condition that approval a is in the subject's approvals
// queue of status (an approval status; only those the subject may answer
// when toAnswer), before the filters of one type or case.
func (q *queueSQL) approvals(status string, toAnswer bool) string {
	where := q.visible("a.record_id") + " and a.status = " + q.args.arg(status)
	if toAnswer {
		where += " and " + q.approvalToAnswer()
	}
	return where
}

// QueueCounts are the totals of the caller's pending queues, as the lists
// count them (Home's counts).
type QueueCounts struct {
	// In and Out are, per transition type (referral, transfer,
	// transfer_request), the totals of list-transitions with status
	// pending and direction in or out.
	In, Out map[string]int
	// Approvals is the total of list-approvals with status pending;
	// ToAnswer the same with to_answer.
	Approvals, ToAnswer int
}

// CountQueues returns the totals of the pending queues of the transaction's
// subject with the lists' own conditions (queueSQL), so a count and the
// list it opens agree. It checks no permission: the use case calling it
// does (Home's counts need dashboards:read; the counts carry no personal
// data).
func CountQueues(ctx context.Context, c *tenancy.Conn) (QueueCounts, error) {
	n := QueueCounts{In: map[string]int{}, Out: map[string]int{}}
	for dir, m := range map[string]map[string]int{DirectionIn: n.In, DirectionOut: n.Out} {
		q := newQueueSQL(c)
		rows, err := c.Query(ctx, "select t.type, count(*) from transitions t where "+
			q.transitions(TransitionFilter{Status: QueueStatusPending, Direction: dir})+" group by t.type", q.args...)
		if err != nil {
			return n, err
		}
		var typ string
		var count int
		if _, err := pgx.ForEachRow(rows, []any{&typ, &count}, func() error { m[typ] = count; return nil }); err != nil {
			return n, err
		}
	}
	q := newQueueSQL(c)
	pending := q.approvals(ApprovalRequested, false)
	err := c.QueryRow(ctx, "select count(*), count(*) filter (where "+q.approvalToAnswer()+") from approvals a where "+pending, q.args...).
		Scan(&n.Approvals, &n.ToAnswer)
	return n, err
}

// ListTransitions returns a page of the referrals, transfers and transfer
// requests of cases the caller sees, newest first, with the exact total.
//
// In: addressed to the caller (transitioned_to), or a referral to an agency
// not yet accepted whose current managers include the caller (they hold its
// referral row), or, for a manager (cases:assign), addressed to a user they
// manage (scope all: anyone; agency: their agency's users; group: users
// sharing one of their user groups). Out: sent by the caller, or by a user
// they manage. Needs transitions:read.
func (s *Service) ListTransitions(ctx context.Context, code string, f TransitionFilter, page tenancy.Page) ([]QueuedTransition, int, error) {
	if err := s.p.Authorize(ctx, code, PermTransitionsQueue); err != nil {
		return nil, 0, err
	}
	if err := f.normalise(); err != nil {
		return nil, 0, err
	}
	if err := checkQueuePage(&page); err != nil {
		return nil, 0, err
	}
	var out []QueuedTransition
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, "")
		q := newQueueSQL(c)
		where := q.transitions(f)
		if err := c.QueryRow(ctx, "select count(*) from transitions t where "+where, q.args...).Scan(&total); err != nil {
			return err
		}
		// What the caller may do: answer (the receiver, a current manager of
		// the agency a referral is addressed to, a manager of a transfer's
		// receiver) or revoke (the sender), while the state allows.
		open := "(t.status = 'in_progress' or (t.type = 'referral' and t.status = 'accepted'))"
		answer := open + " and (t.transitioned_to = " + q.me() + "::uuid or " + q.heldReferral() +
			" or (t.type = 'transfer' and " + managedSQL(c, &q.args, "t.transitioned_to") + "))"
		revoke := open + " and t.transitioned_by = " + q.me() + "::uuid"
		lim, off := q.args.arg(page.Per), q.args.arg((page.Page-1)*page.Per)
		rows, err := c.Query(ctx, "select "+transitionColumns+", r.short_id, coalesce("+answer+", false), coalesce("+revoke+", false)"+
			transitionFrom+"where "+where+" order by t.created_at desc, t.id limit "+lim+" offset "+off, q.args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueuedTransition, error) {
			var q QueuedTransition
			err := r.Scan(q.Transition.dest(&q.ShortID, &q.MayAnswer, &q.MayRevoke)...)
			return q, err
		})
		if err != nil {
			return err
		}
		return nameQueuePage(ctx, s, c, PermTransitionsQueue, total, out, func(q *QueuedTransition) (string, *string) { return q.RecordID, &q.Name })
	})
	if out == nil {
		out = []QueuedTransition{}
	}
	return out, total, err
}

// nameQueuePage fills in the names of a queue page's cases as the caller
// may see them (none without a CaseNames; item gives an item's case id and
// where its name goes) and writes the read on the call's audit row (perm,
// the total and the cases shown).
func nameQueuePage[T any](ctx context.Context, s *Service, c *tenancy.Conn, perm policy.Permission, total int, items []T,
	item func(*T) (recordID string, name *string)) error {
	ids := make([]string, len(items))
	for i := range items {
		ids[i], _ = item(&items[i])
	}
	if s.names != nil && len(ids) > 0 {
		names, err := s.names.CaseNames(ctx, c, slices.Compact(slices.Sorted(slices.Values(ids))))
		if err != nil {
			return err
		}
		for i := range items {
			id, name := item(&items[i])
			*name = names[id]
		}
	}
	return c.AuditChange(ctx, perm.String(), map[string]any{"total": total, "record_ids": ids})
}

// ApprovalFilter selects the approvals queue.
type ApprovalFilter struct {
	// Status is pending (requested, the default), approved or rejected.
	Status string
	// Type is an approval type (records.ApprovalTypes); "" for all.
	Type string
	// RecordID narrows to one case (404 if the caller cannot see it).
	RecordID string
	// ToAnswer keeps only the requests the caller may answer: pending, of a
	// type its role approves, not requested by the caller, on a case whose
	// owner shares a user group with the caller (answerApproval's rule).
	ToAnswer bool
}

// QueuedApproval is an approval request in the queue, with its case's short
// id, the case's name as the caller may see it, and whether the caller may
// answer it.
type QueuedApproval struct {
	Approval
	ShortID   string `json:"short_id" doc:"The case's short id."`
	Name      string `json:"name,omitempty" doc:"The case's name as the caller may see it (absent when its role does not read the name fields, ***** when the case hides the name)."`
	MayAnswer bool   `json:"may_answer" doc:"The caller may approve or reject it now."`
}

// AnswerableTypes returns the approval types the transaction's subject may
// answer (cases:approve, or cases:approve_<type>).
func AnswerableTypes(c *tenancy.Conn) []string {
	out := []string{}
	all := c.Authorize(PermApprove) == nil
	for _, typ := range records.ApprovalTypes {
		if all || c.Authorize(PermApproveType(typ)) == nil {
			out = append(out, typ)
		}
	}
	return out
}

// ListApprovals returns a page of the approval requests on cases the
// caller sees, newest request first, with the exact total. Needs
// approvals:read.
func (s *Service) ListApprovals(ctx context.Context, code string, f ApprovalFilter, page tenancy.Page) ([]QueuedApproval, int, error) {
	if err := s.p.Authorize(ctx, code, PermApprovalsQueue); err != nil {
		return nil, 0, err
	}
	status := cmp.Or(f.Status, QueueStatusPending)
	switch status {
	case QueueStatusPending:
		status = ApprovalRequested
	case ApprovalApproved, ApprovalRejected:
	default:
		return nil, 0, &tenancy.InvalidError{In: "query", Field: "status", Value: f.Status, Reason: "must be pending, approved or rejected"}
	}
	if f.Type != "" && !slices.Contains(records.ApprovalTypes, f.Type) {
		return nil, 0, &tenancy.InvalidError{In: "query", Field: "approval_type", Value: f.Type,
			Reason: "must be one of " + strings.Join(records.ApprovalTypes, ", ")}
	}
	if err := checkQueuePage(&page); err != nil {
		return nil, 0, err
	}
	var out []QueuedApproval
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, f.RecordID)
		q := newQueueSQL(c)
		where := q.approvals(status, f.ToAnswer)
		if f.RecordID != "" {
			if !isUUID(f.RecordID) {
				return tenancy.ErrNotFound
			}
			ok, err := records.IsVisible(ctx, c, f.RecordID)
			if err != nil {
				return err
			}
			if !ok {
				return tenancy.ErrNotFound
			}
			where += " and a.record_id = " + q.args.arg(f.RecordID) + "::uuid"
		}
		if f.Type != "" {
			where += " and a.approval_type = " + q.args.arg(f.Type)
		}
		if err := c.QueryRow(ctx, "select count(*) from approvals a where "+where, q.args...).Scan(&total); err != nil {
			return err
		}
		answer := q.approvalToAnswer()
		lim, off := q.args.arg(page.Per), q.args.arg((page.Page-1)*page.Per)
		rows, err := c.Query(ctx, "select "+approvalColumns+", r.short_id, "+answer+
			" from approvals a join records r on r.id = a.record_id where "+where+
			" order by a.requested_at desc, a.id limit "+lim+" offset "+off, q.args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueuedApproval, error) {
			var q QueuedApproval
			x := &q.Approval
			err := r.Scan(&x.ID, &x.RecordID, &x.ApprovalType, &x.Status, &x.RequestedBy, &x.RequestedAt, &x.Notes, &x.Approver,
				&x.AnsweredAt, &x.Answer, &q.ShortID, &q.MayAnswer)
			return q, err
		})
		if err != nil {
			return err
		}
		return nameQueuePage(ctx, s, c, PermApprovalsQueue, total, out, func(q *QueuedApproval) (string, *string) { return q.RecordID, &q.Name })
	})
	if out == nil {
		out = []QueuedApproval{}
	}
	return out, total, err
}
