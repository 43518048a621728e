package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// next lists, per transition type and status, the statuses it may move to.
var next = map[string]map[string][]string{
	TypeReferral: {
		StatusInProgress: {StatusAccepted, StatusRejected, StatusDone, StatusRevoked},
		StatusAccepted:   {StatusDone, StatusRevoked},
	},
	TypeTransfer:        {StatusInProgress: {StatusAccepted, StatusRejected, StatusRevoked}},
	TypeTransferRequest: {StatusInProgress: {StatusAccepted, StatusRejected, StatusRevoked}},
}

// Respond moves transition tid (of type kind) of case caseID to status: the receiver
// accepts, rejects or (a referral) marks it done; a transfer may also be
// answered by a manager of the receiver (cases:assign over the receiver);
// the sender revokes. A referral's access ends when it is rejected, done
// or revoked; an accepted transfer (or transfer request) makes the
// receiver (the requester) the owner. A move the transition's state does
// not allow is tenancy.ErrConflict naming both; nothing changes.
func (s *Service) Respond(ctx context.Context, code, kind, caseID, tid, status, notes string) (Transition, error) {
	return s.Answer(ctx, code, kind, caseID, tid, Answer{Status: status, Notes: notes})
}

// Answer is an answer to a transition.
type Answer struct {
	Status, Notes string
	// ConsentOverride (only when the owner accepts a transfer request to
	// another agency) moves the case without the child's recorded consent:
	// needs cases:consent_override and ConsentOverrideReason, recorded on
	// the transition and in the history entry.
	ConsentOverride       bool
	ConsentOverrideReason string
}

// Answer is Respond with an owner-side consent override (Answer).
func (s *Service) Answer(ctx context.Context, code, kind, caseID, tid string, a Answer) (Transition, error) {
	status, notes := a.Status, a.Notes
	if err := s.p.Authorize(ctx, code, PermRead); err != nil {
		return Transition{}, err
	}
	if a.ConsentOverride && (kind != TypeTransferRequest || status != StatusAccepted) {
		return Transition{}, &tenancy.InvalidError{Field: "data.consent_individual_transfer", Value: true,
			Reason: "applies only to the owner accepting a transfer request"}
	}
	switch status {
	case StatusAccepted, StatusRejected, StatusDone, StatusRevoked:
	default:
		return Transition{}, &tenancy.InvalidError{Field: "data.status", Value: status, Reason: "must be accepted, rejected, done or revoked"}
	}
	if !isUUID(caseID) || !isUUID(tid) {
		return Transition{}, tenancy.ErrNotFound
	}
	var out Transition
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, records.TypeCase, caseID)
		var typ, cur, by, to, role string
		err := c.QueryRow(ctx, `select t.type, t.status, t.transitioned_by::text, coalesce(t.transitioned_to::text, ''), coalesce(t.authorized_role, '')
			from transitions t join records r on r.id = t.record_id
			where t.id = $1 and t.record_id = $2 and r.record_type = 'case' and t.type = $3 for update of t`, tid, caseID, kind).Scan(&typ, &cur, &by, &to, &role)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := s.mayRespond(ctx, c, caseID, tid, typ, status, by, to); err != nil {
			return err
		}
		if typ == TypeAssign {
			return fmt.Errorf("%w: an assignment is done when made: it has no answer (assign the case again instead)", tenancy.ErrConflict)
		}
		allowed := next[typ][cur]
		if status == StatusDone && typ != TypeReferral {
			return &tenancy.InvalidError{Field: "data.status", Value: status, Reason: "applies to referrals only: a " + typ + " is accepted or rejected"}
		}
		if !slices.Contains(allowed, status) {
			return fmt.Errorf("%w: the %s is %s: it cannot be %s", tenancy.ErrConflict, label(typ), cur, status)
		}
		l, err := records.LockForWorkflow(ctx, c, records.TypeCase, caseID, false)
		if err != nil {
			return err
		}
		changes := []records.FieldChange{{Path: "transition", From: map[string]any{"id": tid, "type": typ, "status": cur},
			To: map[string]any{"id": tid, "type": typ, "status": status}}}
		switch typ {
		case TypeReferral:
			if err := answerReferralAccess(ctx, c, caseID, tid, to, status); err != nil {
				return err
			}
		case TypeTransfer:
			if err := records.RevokeAccess(ctx, c, caseID, to, records.AccessTransfer, ""); err != nil {
				return err
			}
			if status == StatusAccepted {
				ch, err := moveOwner(ctx, c, l, to)
				if err != nil {
					return err
				}
				changes = append(changes, ch)
			}
		case TypeTransferRequest:
			if status == StatusAccepted {
				if l.OwnerID != to {
					return fmt.Errorf("%w: the case changed owner since the request: ask the new owner", tenancy.ErrConflict)
				}
				requester, err := userByID(ctx, c, by)
				if err != nil {
					return err
				}
				overridden, err := checkSharing(ctx, c, TypeTransfer, l, c.Subject().Agency, requester.AgencyID,
					Input{ConsentOverride: a.ConsentOverride, ConsentOverrideReason: a.ConsentOverrideReason})
				if err != nil {
					return err
				}
				if overridden {
					if _, err := c.Exec(ctx, `update transitions set consent_overridden = true, consent_override_reason = $2 where id = $1`,
						tid, a.ConsentOverrideReason); err != nil {
						return err
					}
					changes[0].To.(map[string]any)["consent_overridden"] = true
				}
				ch, err := moveOwner(ctx, c, l, by)
				if err != nil {
					return err
				}
				changes = append(changes, ch)
			}
		}
		if _, err := c.Exec(ctx, `update transitions set status = $2, responded_by = $3, responded_at = now(), response_notes = nullif($4, ''),
			updated_at = now() where id = $1`, tid, status, nullUUID(subjectID(c.Subject())), notes); err != nil {
			return err
		}
		if _, err := records.AppendVersion(ctx, c, caseID, typ, changes); err != nil {
			return err
		}
		// The sender hears the answer; the receiver hears a revocation.
		recipient := by
		if status == StatusRevoked {
			recipient = to
		}
		if err := s.notifyTransition(ctx, c, caseID, tid, typ+"_"+status, recipient); err != nil {
			return err
		}
		out, err = getTransition(ctx, c, tid)
		return err
	})
	return out, err
}

// mayRespond checks that the caller may move a transition to status: the
// sender revokes; the receiver answers (for a transfer, a manager of the
// receiver too). Someone unrelated who cannot see the case gets
// ErrNotFound, as for a missing case.
func (s *Service) mayRespond(ctx context.Context, c *tenancy.Conn, caseID, tid, typ, status, by, to string) error {
	me := subjectID(c.Subject())
	if status == StatusRevoked {
		if me == by {
			return nil
		}
		return s.refuse(ctx, c, caseID, "only the sender may revoke the "+label(typ))
	}
	if me == to {
		return nil
	}
	if typ == TypeReferral && to == "" { // a referral to an agency (agency_referral.go)
		ok, err := mayAnswerForAgency(ctx, c, caseID, tid, status)
		if err != nil || ok {
			return err
		}
		return s.refuse(ctx, c, caseID, "only a manager of the agency the referral is addressed to may answer it")
	}
	if typ == TypeTransfer {
		ok, err := manages(ctx, c, to)
		if err != nil || ok {
			return err
		}
		return s.refuse(ctx, c, caseID, "only the receiver of the transfer, or a manager of theirs, may answer it")
	}
	return s.refuse(ctx, c, caseID, "only the receiver of the "+label(typ)+" may answer it")
}

func (s *Service) refuse(ctx context.Context, c *tenancy.Conn, caseID, why string) error {
	ok, err := records.IsVisible(ctx, c, caseID)
	if err != nil {
		return err
	}
	if !ok {
		return tenancy.ErrNotFound
	}
	return &tenancy.DeniedError{Reason: why}
}

// manages reports whether the caller manages user id: holds cases:assign
// and reaches the user by scope (all; agency: same agency; group: a shared
// user group).
func manages(ctx context.Context, c *tenancy.Conn, id string) (bool, error) {
	if c.Authorize(PermAssign) != nil {
		return false, nil
	}
	a := sqlArgs{id}
	var ok bool
	err := c.QueryRow(ctx, "select coalesce("+managedSQL(c, &a, "$1::uuid")+", false)", a...).Scan(&ok)
	return ok, err
}

// moveOwner makes user id the owner of the locked case; the change for the history.
func moveOwner(ctx context.Context, c *tenancy.Conn, l records.Locked, id string) (records.FieldChange, error) {
	u, err := userByID(ctx, c, id)
	if err != nil {
		return records.FieldChange{}, err
	}
	if u.Disabled {
		return records.FieldChange{}, fmt.Errorf("%w: %s is disabled and cannot own the case", tenancy.ErrConflict, u.Email)
	}
	if err := records.SetOwner(ctx, c, l.ID, id); err != nil {
		return records.FieldChange{}, err
	}
	if err := records.RevokeAccess(ctx, c, l.ID, id, records.AccessAssigned, ""); err != nil {
		return records.FieldChange{}, err
	}
	return records.FieldChange{Path: "owned_by", From: nilIfEmpty(l.OwnerName), To: u.Email}, nil
}

func label(typ string) string {
	if typ == TypeTransferRequest {
		return "transfer request"
	}
	return typ
}
