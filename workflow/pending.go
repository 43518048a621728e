package workflow

import (
	"context"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// pendingTransition is a transition that waits for an answer (referral, transfer,
// transfer request), as openPending records it.
type pendingTransition struct {
	caseID, typ string
	// to is the receiver (a user id); toAgency its agency.
	to, toAgency string
	in           Input
	overridden   bool
	// access is the record_access kind the receiver gets while the
	// transition is open ("" for none); accessRole, for a referral, the
	// role whose forms it reads.
	access, accessRole string
	// history is what the history entry's transition change says besides
	// id, type and status.
	history map[string]any
}

// openPending is the common end of Refer, Transfer and RequestTransfer, in
// their transaction: the transition row (in_progress), the receiver's
// access, the record's new version and history entry, the receiver's
// notification; it returns the transition as stored.
func (s *Service) openPending(ctx context.Context, c *tenancy.Conn, p pendingTransition) (Transition, error) {
	tid, err := insertTransition(ctx, c, p.caseID, p.typ, StatusInProgress, p.to, p.toAgency, c.Subject().Agency, p.in, p.overridden)
	if err != nil {
		return Transition{}, err
	}
	if p.access != "" {
		ref := ""
		if p.access == records.AccessReferral {
			ref = tid
		}
		if err := records.GrantAccess(ctx, c, p.caseID, p.to, p.access, ref, p.accessRole); err != nil {
			return Transition{}, err
		}
	}
	change := map[string]any{"id": tid, "type": p.typ, "status": StatusInProgress}
	for k, v := range p.history {
		change[k] = v
	}
	if _, err := records.AppendVersion(ctx, c, p.caseID, p.typ, []records.FieldChange{{Path: "transition", To: change}}); err != nil {
		return Transition{}, err
	}
	if err := s.notifyTransition(ctx, c, p.caseID, tid, p.typ, p.to); err != nil {
		return Transition{}, err
	}
	return getTransition(ctx, c, tid)
}
