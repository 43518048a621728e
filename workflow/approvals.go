package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Approval statuses.
const (
	ApprovalRequested = "requested"
	ApprovalApproved  = "approved"
	ApprovalRejected  = "rejected"
)

// Permissions of approvals: a request needs cases:write (on a case the
// caller sees); an answer cases:approve (every type) or
// cases:approve_<type>.
var (
	PermWrite   = policy.Permission{Resource: "cases", Action: "write"}
	PermApprove = policy.Permission{Resource: "cases", Action: "approve"}
)

// PermApproveType is the permission to answer approval requests of one type.
func PermApproveType(typ string) policy.Permission {
	return policy.Permission{Resource: "cases", Action: "approve_" + typ}
}

// Approval is one approval request of a case and its answer.
type Approval struct {
	ID           string     `json:"id" format:"uuid"`
	RecordID     string     `json:"record_id" format:"uuid"`
	ApprovalType string     `json:"approval_type" enum:"assessment,case_plan,closure,action_plan,gbv_closure"`
	Status       string     `json:"approval_status" enum:"requested,approved,rejected"`
	RequestedBy  string     `json:"requested_by" doc:"The requester's email."`
	RequestedAt  time.Time  `json:"requested_at"`
	Notes        string     `json:"notes" doc:"The request's notes."`
	Approver     string     `json:"approved_by,omitempty" doc:"Who answered (email)."`
	AnsweredAt   *time.Time `json:"answered_at,omitempty"`
	Answer       string     `json:"approval_notes,omitempty" doc:"The answer's notes (why rejected)."`
}

const approvalColumns = `a.id::text, a.record_id::text, a.approval_type, a.status, a.requested_by, a.requested_at, a.comment,
	coalesce(a.approver, ''), a.answered_at, a.answer_comment`

func scanApproval(row pgx.Row) (Approval, error) {
	var a Approval
	err := row.Scan(&a.ID, &a.RecordID, &a.ApprovalType, &a.Status, &a.RequestedBy, &a.RequestedAt, &a.Notes, &a.Approver,
		&a.AnsweredAt, &a.Answer)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, tenancy.ErrNotFound
	}
	return a, err
}

// Approve requests, approves or rejects approval type typ of case id
// (Primero v2: PATCH /cases/{id}/approvals/{type} with approval_status).
//
// A request needs cases:write on a case the caller sees, open and
// enabled, of a module whose options list typ, with no request of typ
// pending (409). An answer needs a pending request (409 otherwise), a
// caller other than the requester (403) who holds cases:approve or
// cases:approve_<type> and belongs to one of the owner's user groups (403
// if they see the case, 404 if not). The managers are emailed the
// request, the owner the answer. Nothing changes on a refusal.
func (s *Service) Approve(ctx context.Context, code, id, typ, status, notes string) (Approval, error) {
	if err := s.p.Authorize(ctx, code, PermRead); err != nil {
		return Approval{}, err
	}
	if !slices.Contains(records.ApprovalTypes, typ) {
		return Approval{}, &tenancy.InvalidError{In: "path", Field: "approval_id", Value: typ, Reason: "must be one of " + strings.Join(records.ApprovalTypes, ", ")}
	}
	if !isUUID(id) {
		return Approval{}, tenancy.ErrNotFound
	}
	var out Approval
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, id)
		var aid string
		var err error
		switch status {
		case ApprovalRequested:
			aid, err = s.requestApproval(ctx, c, id, typ, notes)
		case ApprovalApproved, ApprovalRejected:
			aid, err = s.answerApproval(ctx, c, id, typ, status, notes)
		default:
			return &tenancy.InvalidError{Field: "data.approval_status", Value: status, Reason: "must be requested, approved or rejected"}
		}
		if err != nil {
			return err
		}
		out, err = scanApproval(c.QueryRow(ctx, "select "+approvalColumns+" from approvals a where a.id = $1", aid))
		return err
	})
	return out, err
}

func (s *Service) requestApproval(ctx context.Context, c *tenancy.Conn, id, typ, notes string) (string, error) {
	if err := c.Authorize(PermWrite); err != nil {
		return "", &tenancy.DeniedError{Reason: "requesting an approval needs the permission to write the case (cases:write)"}
	}
	l, err := lockCase(ctx, c, id, "sent for approval")
	if err != nil {
		return "", err
	}
	var used bool
	if err := c.QueryRow(ctx, `select coalesce((select options -> 'approvals' ? $2 from modules where unique_id = $1), false)`,
		l.ModuleID, typ).Scan(&used); err != nil {
		return "", err
	}
	if !used {
		return "", &tenancy.InvalidError{In: "path", Field: "approval_id", Value: typ, Reason: "is not an approval the case's module uses (module options)"}
	}
	prev, err := records.ApprovalStatus(ctx, c, id, typ)
	if err != nil {
		return "", err
	}
	if prev == ApprovalRequested {
		return "", fmt.Errorf("%w: the %s approval of this case is already requested: wait for the answer", tenancy.ErrConflict, approvalLabel(typ))
	}
	me := subjectID(c.Subject())
	var aid string
	if err := c.QueryRow(ctx, `insert into approvals (record_id, approval_type, requested_by, requested_by_id, comment)
		values ($1, $2, coalesce((select name from principals where id = $3::uuid), $4), $3::uuid, $5) returning id::text`,
		id, typ, nullUUID(me), c.Subject().String(), notes).Scan(&aid); err != nil {
		return "", err
	}
	if err := s.approvalChanged(ctx, c, id, aid, typ, prev, ApprovalRequested); err != nil {
		return "", err
	}
	// The managers of the owner's user groups who may approve this type.
	rows, err := c.Query(ctx, `select distinct u.id::text from users u join roles ro on ro.id = u.role_id
		join user_groups_users g on g.user_id = u.id
		where g.user_group_id in (select user_group_id from user_groups_users where user_id = $1::uuid)
		and not u.disabled and u.id <> coalesce($2::uuid, '00000000-0000-0000-0000-000000000000')
		and ro.permissions && array['cases:approve', 'cases:approve_' || $3]`, nullUUID(l.OwnerID), nullUUID(me), typ)
	if err != nil {
		return "", err
	}
	managers, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	for _, m := range managers {
		if err := s.notifyRecord(ctx, c, id, aid+":approval_request:"+m, "approval_request", m); err != nil {
			return "", err
		}
	}
	return aid, nil
}

func (s *Service) answerApproval(ctx context.Context, c *tenancy.Conn, id, typ, status, notes string) (string, error) {
	l, err := records.LockForWorkflow(ctx, c, records.TypeCase, id, false)
	if err != nil {
		return "", err
	}
	me := subjectID(c.Subject())
	if c.Authorize(PermApprove) != nil && c.Authorize(PermApproveType(typ)) != nil {
		return "", s.refuse(ctx, c, id, fmt.Sprintf("your role may not answer %s approval requests (cases:approve or cases:approve_%s)", approvalLabel(typ), typ))
	}
	var manager bool
	if err := c.QueryRow(ctx, `select exists (select 1 from user_groups_users g where g.user_id = $1::uuid
		and g.user_group_id in (select user_group_id from user_groups_users where user_id = $2::uuid))`,
		nullUUID(me), nullUUID(l.OwnerID)).Scan(&manager); err != nil {
		return "", err
	}
	if !manager {
		return "", s.refuse(ctx, c, id, "only a manager of one of the case owner's user groups may answer its approval requests")
	}
	var aid, requester string
	err = c.QueryRow(ctx, `select id::text, coalesce(requested_by_id::text, '') from approvals
		where record_id = $1 and approval_type = $2 and status = 'requested' for update`, id, typ).Scan(&aid, &requester)
	if errors.Is(err, pgx.ErrNoRows) {
		prev, err := records.ApprovalStatus(ctx, c, id, typ)
		if err != nil {
			return "", err
		}
		if prev == "" {
			prev = "not requested"
		}
		return "", fmt.Errorf("%w: the %s approval is %s: only a requested approval can be %s", tenancy.ErrConflict, approvalLabel(typ), prev, status)
	}
	if err != nil {
		return "", err
	}
	if requester != "" && requester == me {
		return "", &tenancy.DeniedError{Reason: "you requested this approval: someone else must answer it"}
	}
	if _, err := c.Exec(ctx, `update approvals set status = $2, approver = coalesce((select name from principals where id = $3::uuid), $4),
		approver_id = $3::uuid, answered_at = now(), answer_comment = $5 where id = $1`,
		aid, status, nullUUID(me), c.Subject().String(), notes); err != nil {
		return "", err
	}
	if err := s.approvalChanged(ctx, c, id, aid, typ, ApprovalRequested, status); err != nil {
		return "", err
	}
	return aid, s.notifyRecord(ctx, c, id, aid+":approval_"+status, "approval_"+status, l.OwnerID)
}

// approvalChanged keeps the case's approval status and appends the
// version and history entry of the change.
func (s *Service) approvalChanged(ctx context.Context, c *tenancy.Conn, id, aid, typ, from, to string) error {
	if err := records.SetApprovalStatus(ctx, c, id, typ, to); err != nil {
		return err
	}
	_, err := records.AppendVersion(ctx, c, id, "approval", []records.FieldChange{
		{Path: "approval_status_" + typ, From: nilIfEmpty(from), To: to},
		{Path: "transition", To: map[string]any{"id": aid, "type": "approval", "approval_type": typ, "status": to}},
	})
	return err
}

// Approvals lists the approval requests of case id, newest first.
func (s *Service) Approvals(ctx context.Context, code, id string) ([]Approval, error) {
	if err := s.p.Authorize(ctx, code, PermRead); err != nil {
		return nil, err
	}
	var out []Approval
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, id)
		ok, err := records.IsVisible(ctx, c, id)
		if err != nil {
			return err
		}
		if !ok {
			return tenancy.ErrNotFound
		}
		rows, err := c.Query(ctx, "select "+approvalColumns+" from approvals a where a.record_id = $1 order by a.requested_at desc, a.id", id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Approval, error) { return scanApproval(r) })
		return err
	})
	if out == nil {
		out = []Approval{}
	}
	return out, err
}

func approvalLabel(typ string) string { return strings.ReplaceAll(typ, "_", " ") }

// notifyRecord tells recipient about an event of case recordID that is
// not a transition (eventID unique per event and recipient).
func (s *Service) notifyRecord(ctx context.Context, c *tenancy.Conn, recordID, eventID, kind, recipient string) error {
	if s.notifier == nil || recipient == "" {
		return nil
	}
	sid, err := shortID(ctx, c, recordID)
	if err != nil {
		return err
	}
	var actor string
	if err := c.QueryRow(ctx, "select coalesce((select name from principals where id = $1::uuid), $2)",
		nullUUID(subjectID(c.Subject())), c.Subject().String()).Scan(&actor); err != nil {
		return err
	}
	return s.notify(ctx, c, Event{Kind: kind, ID: eventID, RecipientID: recipient, RecordID: recordID, ShortID: sid, ActorName: actor})
}
