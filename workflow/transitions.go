package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Assign makes the user named in.TransitionedTo the owner of case id (as
// Primero v2's assign does: owned_by changes; the previous owner keeps the
// case only through their scope). The receiver must be within the caller's
// reach: anyone with scope all, the caller's agency with scope agency, the
// caller's user groups otherwise. Needs cases:assign.
func (s *Service) Assign(ctx context.Context, code, id string, in Input) (Transition, error) {
	if err := s.p.Authorize(ctx, code, PermAssign); err != nil {
		return Transition{}, err
	}
	var out Transition
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, id)
		to, err := userByEmail(ctx, c, "data.transitioned_to", in.TransitionedTo)
		if err != nil {
			return err
		}
		if err := checkAssignee(ctx, c, to); err != nil {
			return err
		}
		tid, err := s.assign(ctx, c, id, to, in)
		if err != nil {
			return err
		}
		if tid == "" {
			return &tenancy.InvalidError{Field: "data.transitioned_to", Value: in.TransitionedTo, Reason: "already owns the case"}
		}
		out, err = getTransition(ctx, c, tid)
		return err
	})
	return out, err
}

// BulkAssign assigns up to MaxBulk cases to one user in one transaction:
// all or none. Cases the caller cannot see are listed in a 422 (at
// data.ids[i]); a case the receiver already owns is left as it is.
func (s *Service) BulkAssign(ctx context.Context, code string, ids []string, in Input) ([]Transition, error) {
	if err := s.p.Authorize(ctx, code, PermAssign); err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > MaxBulk {
		return nil, &tenancy.InvalidError{Field: "data.ids", Value: len(ids), Reason: fmt.Sprintf("must list 1 to %d case ids", MaxBulk)}
	}
	var out []Transition
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		to, err := userByEmail(ctx, c, "data.transitioned_to", in.TransitionedTo)
		if err != nil {
			return err
		}
		if err := checkAssignee(ctx, c, to); err != nil {
			return err
		}
		var bad []tenancy.FieldError
		var done []string
		for i, id := range ids {
			if slices.Contains(ids[:i], id) {
				bad = append(bad, tenancy.FieldError{Path: fmt.Sprintf("data.ids[%d]", i), Value: id, Reason: "is listed twice"})
				continue
			}
			tid, err := s.assign(ctx, c, id, to, in)
			switch {
			case err == nil:
				if tid != "" {
					done = append(done, tid)
				}
			case errors.Is(err, tenancy.ErrNotFound):
				bad = append(bad, tenancy.FieldError{Path: fmt.Sprintf("data.ids[%d]", i), Value: id, Reason: "is not a case you can see"})
			default:
				if fe, ok := reason(err); ok {
					bad = append(bad, tenancy.FieldError{Path: fmt.Sprintf("data.ids[%d]", i), Value: id, Reason: fe})
					continue
				}
				return err
			}
		}
		if len(bad) > 0 {
			return &tenancy.ValidationError{Title: "No case was assigned: some cannot be.", Errors: bad}
		}
		if err := c.AuditChange(ctx, "cases:assign", map[string]any{"ids": ids, "transitioned_to": to.ID}); err != nil {
			return err
		}
		out = make([]Transition, 0, len(done))
		for _, tid := range done {
			t, err := getTransition(ctx, c, tid)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// reason turns a refusal of one case of a bulk call into a detail.
func reason(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	if errors.Is(err, tenancy.ErrConflict) {
		return strings.TrimPrefix(err.Error(), tenancy.ErrConflict.Error()+": "), true
	}
	return "", false
}

// assign moves case id to user to; it returns "" when to already owns it
// (a retried bulk call), else the new transition's id.
func (s *Service) assign(ctx context.Context, c *tenancy.Conn, id string, to user, in Input) (string, error) {
	l, err := lockCase(ctx, c, id, "assigned")
	if err != nil {
		return "", err
	}
	if l.OwnerID == to.ID {
		return "", nil
	}
	if err := records.SetOwner(ctx, c, id, to.ID); err != nil {
		return "", err
	}
	// Assigned rows of the new owner are now its owner row.
	if err := records.RevokeAccess(ctx, c, id, to.ID, records.AccessAssigned, ""); err != nil {
		return "", err
	}
	tid, err := insertTransition(ctx, c, id, TypeAssign, StatusDone, to.ID, to.AgencyID, c.Subject().Agency, in, false)
	if err != nil {
		return "", err
	}
	if _, err := records.AppendVersion(ctx, c, id, TypeAssign, []records.FieldChange{
		{Path: "owned_by", From: nilIfEmpty(l.OwnerName), To: to.Email},
		{Path: "transition", To: map[string]any{"id": tid, "type": TypeAssign, "status": StatusDone}},
	}); err != nil {
		return "", err
	}
	return tid, s.notifyTransition(ctx, c, id, tid, TypeAssign, to.ID)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// checkAssignee checks that user u is within the caller's reach for an
// assignment.
func checkAssignee(ctx context.Context, c *tenancy.Conn, u user) error {
	sub := c.Subject()
	switch sub.Scope {
	case policy.ScopeAll:
		return nil
	case policy.ScopeAgency:
		if u.AgencyID == sub.Agency {
			return nil
		}
		return &tenancy.DeniedError{Reason: "your role may assign cases only to users of your agency"}
	}
	var shares bool
	if err := c.QueryRow(ctx, "select exists (select 1 from user_groups_users where user_id = $1 and user_group_id = any($2::uuid[]))",
		u.ID, append([]string{}, sub.Groups...)).Scan(&shares); err != nil {
		return err
	}
	if !shares {
		return &tenancy.DeniedError{Reason: "your role may assign cases only to users of your user groups"}
	}
	return nil
}

// Refer refers case id to a user (of this or another agency, within the
// sharing protocol and with consent) for a service: the receiver reaches
// the case through a referral row with the access role (in.AuthorizedRole,
// default the receiver's role) until the referral is rejected, done or
// revoked. Needs cases:refer.
func (s *Service) Refer(ctx context.Context, code, id string, in Input) (Transition, error) {
	return s.onOpenCase(ctx, code, PermRefer, id, "referred", func(ctx context.Context, c *tenancy.Conn, l records.Locked) (Transition, error) {
		if isAgencyReferral(in) { // agency_referral.go
			return s.referToAgency(ctx, c, l, in)
		}
		return s.referToUser(ctx, c, l, in)
	})
}

// referToUser is Refer's path for a referral to a user, in Refer's
// transaction, on the locked case l.
func (s *Service) referToUser(ctx context.Context, c *tenancy.Conn, l records.Locked, in Input) (Transition, error) {
	to, err := s.receiver(ctx, c, in)
	if err != nil {
		return Transition{}, err
	}
	if to.ID == subjectID(c.Subject()) {
		return Transition{}, &tenancy.InvalidError{Field: "data.transitioned_to", Value: in.TransitionedTo, Reason: "is you: refer the case to someone else"}
	}
	if in.AuthorizedRole == "" {
		in.AuthorizedRole = to.Role
	}
	var roleOK, pending bool
	if err := c.QueryRow(ctx, `select exists (select 1 from roles where unique_id = $1),
		exists (select 1 from transitions where record_id = $2 and type = 'referral' and transitioned_to = $3
			and status in ('in_progress', 'accepted'))`, in.AuthorizedRole, l.ID, to.ID).Scan(&roleOK, &pending); err != nil {
		return Transition{}, err
	}
	if !roleOK {
		return Transition{}, &tenancy.InvalidError{Field: "data.authorized_role_unique_id", Value: in.AuthorizedRole, Reason: "is not a role of this country instance"}
	}
	if pending {
		return Transition{}, fmt.Errorf("%w: the case is already referred to %s (in progress or accepted)", tenancy.ErrConflict, to.Email)
	}
	overridden, err := checkSharing(ctx, c, TypeReferral, l, c.Subject().Agency, to.AgencyID, in)
	if err != nil {
		return Transition{}, err
	}
	return s.openPending(ctx, c, pendingTransition{caseID: l.ID, typ: TypeReferral, to: to.ID, toAgency: to.AgencyID, in: in, overridden: overridden,
		access: records.AccessReferral, accessRole: in.AuthorizedRole, history: map[string]any{"transitioned_to": to.Email}})
}

// receiver resolves and checks the receiver of a referral or transfer.
func (s *Service) receiver(ctx context.Context, c *tenancy.Conn, in Input) (user, error) {
	to, err := userByEmail(ctx, c, "data.transitioned_to", in.TransitionedTo)
	if err != nil {
		return to, err
	}
	if in.TransitionedToAgency != "" && in.TransitionedToAgency != to.Agency {
		return to, &tenancy.InvalidError{Field: "data.transitioned_to_agency", Value: in.TransitionedToAgency,
			Reason: "is not the receiver's agency (" + to.Agency + ")"}
	}
	return to, nil
}

// Transfer offers case id to a user of another agency (or the caller's):
// pending until the receiver, or a manager of the receiver, accepts
// (ownership moves) or rejects; the sender may revoke it meanwhile. The
// receiver can read the case while deciding. Across agencies the sharing
// protocol must allow it and the child must have consented (or the
// caller's role overrides consent, with a reason). Needs cases:transfer.
func (s *Service) Transfer(ctx context.Context, code, id string, in Input) (Transition, error) {
	return s.onOpenCase(ctx, code, PermTransfer, id, "transferred", func(ctx context.Context, c *tenancy.Conn, l records.Locked) (Transition, error) {
		to, err := s.receiver(ctx, c, in)
		if err != nil {
			return Transition{}, err
		}
		if to.ID == l.OwnerID {
			return Transition{}, &tenancy.InvalidError{Field: "data.transitioned_to", Value: in.TransitionedTo, Reason: "already owns the case"}
		}
		var pending bool
		if err := c.QueryRow(ctx, `select exists (select 1 from transitions where record_id = $1 and type = 'transfer'
			and status = 'in_progress')`, id).Scan(&pending); err != nil {
			return Transition{}, err
		}
		if pending {
			return Transition{}, fmt.Errorf("%w: the case has a transfer in progress: it must be accepted, rejected or revoked first", tenancy.ErrConflict)
		}
		overridden, err := checkSharing(ctx, c, TypeTransfer, l, c.Subject().Agency, to.AgencyID, in)
		if err != nil {
			return Transition{}, err
		}
		in.Service, in.AuthorizedRole = "", ""
		return s.openPending(ctx, c, pendingTransition{caseID: id, typ: TypeTransfer, to: to.ID, toAgency: to.AgencyID, in: in, overridden: overridden,
			access: records.AccessTransfer, history: map[string]any{"transitioned_to": to.Email, "consent_overridden": overridden}})
	})
}

// RequestTransfer asks the owner of case id (which the caller sees but does
// not own) to transfer it to the caller. The owner accepts (ownership moves
// to the caller, within the sharing protocol and consent) or rejects.
// Needs cases:request_transfer.
func (s *Service) RequestTransfer(ctx context.Context, code, id string, in Input) (Transition, error) {
	return s.onOpenCase(ctx, code, PermRequestTransfer, id, "transferred", func(ctx context.Context, c *tenancy.Conn, l records.Locked) (Transition, error) {
		me := subjectID(c.Subject())
		if l.OwnerID == me || me == "" {
			return Transition{}, fmt.Errorf("%w: you own the case already", tenancy.ErrConflict)
		}
		var pending bool
		if err := c.QueryRow(ctx, `select exists (select 1 from transitions where record_id = $1 and type = 'transfer_request'
			and transitioned_by = $2 and status = 'in_progress')`, id, me).Scan(&pending); err != nil {
			return Transition{}, err
		}
		if pending {
			return Transition{}, fmt.Errorf("%w: you have already asked for this case; wait for the owner's answer", tenancy.ErrConflict)
		}
		owner, err := userByID(ctx, c, l.OwnerID)
		if err != nil {
			return Transition{}, err
		}
		in.Service, in.AuthorizedRole, in.ConsentOverride = "", "", false
		return s.openPending(ctx, c, pendingTransition{caseID: id, typ: TypeTransferRequest, to: owner.ID, toAgency: owner.AgencyID, in: in})
	})
}

// onOpenCase is the common start of the transitions that open a pending
// one (Refer, Transfer, RequestTransfer): the permission, the tenant transaction,
// the case named on the audit row and locked (visible, enabled, open; what
// says what the case would be, for the refusal); then run.
func (s *Service) onOpenCase(ctx context.Context, code string, perm policy.Permission, id, what string,
	run func(ctx context.Context, c *tenancy.Conn, l records.Locked) (Transition, error)) (Transition, error) {
	if err := s.p.Authorize(ctx, code, perm); err != nil {
		return Transition{}, err
	}
	var out Transition
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, id)
		l, err := lockCase(ctx, c, id, what)
		if err != nil {
			return err
		}
		out, err = run(ctx, c, l)
		return err
	})
	return out, err
}

// notifyTransition tells the receiver (or, for an answer, the sender) of a
// transition.
func (s *Service) notifyTransition(ctx context.Context, c *tenancy.Conn, recordID, tid, kind, recipient string) error {
	if s.notifier == nil {
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
	return s.notify(ctx, c, Event{Kind: kind, ID: tid + ":" + kind, RecipientID: recipient, RecordID: recordID, ShortID: sid,
		TransitionID: tid, ActorName: actor})
}

// List lists the transitions of case id (visible to the caller), newest first.
func (s *Service) List(ctx context.Context, code, id string) ([]Transition, error) {
	if err := s.p.Authorize(ctx, code, PermRead); err != nil {
		return nil, err
	}
	var out []Transition
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, id)
		ok, err := records.IsVisible(ctx, c, id)
		if err != nil {
			return err
		}
		if !ok {
			return tenancy.ErrNotFound
		}
		rows, err := c.Query(ctx, "select "+transitionColumns+transitionFrom+
			"where t.record_id = $1 and r.record_type = 'case' order by t.created_at desc, t.id", id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Transition, error) { return scanTransition(r) })
		return err
	})
	return out, err
}
