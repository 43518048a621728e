package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Transition types of closing and reopening (done at once).
const (
	TypeClose  = "close"
	TypeReopen = "reopen"
)

// Permissions of closing and reopening.
var (
	PermClose  = policy.Permission{Resource: "cases", Action: "close"}
	PermReopen = policy.Permission{Resource: "cases", Action: "reopen"}
)

// Close closes open case id (visible to the caller) with a reason, listed
// as a close transition. When the case's module uses closure approvals
// (module options), the case's closure must be approved first (409).
// Needs cases:close.
func (s *Service) Close(ctx context.Context, code, id, reason string) (Transition, error) {
	return s.setStatus(ctx, code, id, reason, PermClose, TypeClose)
}

// Reopen reopens closed case id with a reason, listed as a reopen
// transition; its closure approval status is cleared (closing again needs
// a new approval). Needs cases:reopen.
func (s *Service) Reopen(ctx context.Context, code, id, reason string) (Transition, error) {
	return s.setStatus(ctx, code, id, reason, PermReopen, TypeReopen)
}

func (s *Service) setStatus(ctx context.Context, code, id, reason string, perm policy.Permission, typ string) (Transition, error) {
	if err := s.p.Authorize(ctx, code, perm); err != nil {
		return Transition{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" && typ == TypeReopen {
		return Transition{}, &tenancy.InvalidError{Field: "data.reason", Reason: "is required: why the case is reopened"}
	}
	if reason == "" {
		return Transition{}, &tenancy.InvalidError{Field: "data.reason", Reason: "is required: why the case is closed"}
	}
	var out Transition
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, id)
		l, err := records.LockForWorkflow(ctx, c, records.TypeCase, id, true)
		if err != nil {
			return err
		}
		from, to := "open", "closed"
		if typ == TypeReopen {
			from, to = "closed", "open"
		}
		switch {
		case !l.Enabled:
			return fmt.Errorf("%w: the case is disabled: enable it first", tenancy.ErrConflict)
		case l.Status != from:
			return fmt.Errorf("%w: the case is %s already", tenancy.ErrConflict, l.Status)
		}
		changes := []records.FieldChange{{Path: "status", From: from, To: to}}
		if typ == TypeClose {
			var needs bool
			if err := c.QueryRow(ctx, `select coalesce((select options -> 'approvals' ? 'closure' from modules where unique_id = $1), false)`,
				l.ModuleID).Scan(&needs); err != nil {
				return err
			}
			if needs {
				st, err := records.ApprovalStatus(ctx, c, id, "closure")
				if err != nil {
					return err
				}
				if st != ApprovalApproved {
					return fmt.Errorf("%w: closing this case needs an approved closure (its module requires closure approval): "+
						"request the closure approval first", tenancy.ErrConflict)
				}
			}
		} else if st, err := records.ApprovalStatus(ctx, c, id, "closure"); err != nil {
			return err
		} else if st != "" {
			if err := records.SetApprovalStatus(ctx, c, id, "closure", ""); err != nil {
				return err
			}
			changes = append(changes, records.FieldChange{Path: "approval_status_closure", From: st})
		}
		if err := records.SetStatus(ctx, c, id, to); err != nil {
			return err
		}
		tid, err := insertTransition(ctx, c, id, typ, StatusDone, "", "", c.Subject().Agency, Input{Notes: reason}, false)
		if err != nil {
			return err
		}
		changes = append(changes, records.FieldChange{Path: "transition", To: map[string]any{"id": tid, "type": typ, "status": StatusDone}})
		if _, err := records.AppendVersion(ctx, c, id, typ, changes); err != nil {
			return err
		}
		out, err = getTransition(ctx, c, tid)
		return err
	})
	return out, err
}
