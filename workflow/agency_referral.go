package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Referral to an agency without a user (Primero's transitioned_to_agency
// alone; docs/workflows.md, "Referral to an agency"). The referral is
// addressed to the agency's managers: its active users whose role holds
// cases:assign when the referral is made. Each of them reads the case
// through the referral's access role (required: there is no receiver whose
// role could be the default) while it is pending, and any of them accepts
// it (it becomes theirs: transitioned_to is set, the others' access ends)
// or rejects it (everyone's access ends).

// isAgencyReferral reports whether in refers to an agency without a user.
func isAgencyReferral(in Input) bool {
	return strings.TrimSpace(in.TransitionedTo) == "" && strings.TrimSpace(in.TransitionedToAgency) != ""
}

// referToAgency is Refer's path for a referral to an agency, in Refer's
// transaction, on the locked case l.
func (s *Service) referToAgency(ctx context.Context, c *tenancy.Conn, l records.Locked, in Input) (Transition, error) {
	var agencyID string
	err := c.QueryRow(ctx, "select id::text from agencies where unique_id = $1", strings.TrimSpace(in.TransitionedToAgency)).Scan(&agencyID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Transition{}, &tenancy.InvalidError{Field: "data.transitioned_to_agency", Value: in.TransitionedToAgency,
			Reason: "is not an agency of this country instance"}
	}
	if err != nil {
		return Transition{}, err
	}
	if in.AuthorizedRole == "" {
		return Transition{}, &tenancy.InvalidError{Field: "data.authorized_role_unique_id",
			Reason: "is required when referring to an agency without a user: the role whose forms its managers read"}
	}
	var roleOK, pending bool
	if err := c.QueryRow(ctx, `select exists (select 1 from roles where unique_id = $1),
		exists (select 1 from transitions where record_id = $2 and type = 'referral' and transitioned_to is null
			and transitioned_to_agency_id = $3 and status = 'in_progress')`, in.AuthorizedRole, l.ID, agencyID).Scan(&roleOK, &pending); err != nil {
		return Transition{}, err
	}
	if !roleOK {
		return Transition{}, &tenancy.InvalidError{Field: "data.authorized_role_unique_id", Value: in.AuthorizedRole, Reason: "is not a role of this country instance"}
	}
	if pending {
		return Transition{}, fmt.Errorf("%w: the case is already referred to %s, waiting for one of its managers", tenancy.ErrConflict, in.TransitionedToAgency)
	}
	overridden, err := checkSharing(ctx, c, TypeReferral, l, c.Subject().Agency, agencyID, in)
	if err != nil {
		return Transition{}, err
	}
	rows, err := c.Query(ctx, `select u.id::text from users u join roles r on r.id = u.role_id
		where u.agency_id = $1 and not u.disabled and 'cases:assign' = any(r.permissions) and u.id <> $2::uuid order by u.id`,
		agencyID, nullUUID(subjectID(c.Subject())))
	if err != nil {
		return Transition{}, err
	}
	managers, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return Transition{}, err
	}
	if len(managers) == 0 {
		return Transition{}, fmt.Errorf("%w: %s has no active manager (a user whose role may assign cases) to receive the referral: refer it to one of its users",
			tenancy.ErrConflict, in.TransitionedToAgency)
	}
	tid, err := insertTransition(ctx, c, l.ID, TypeReferral, StatusInProgress, "", agencyID, c.Subject().Agency, in, overridden)
	if err != nil {
		return Transition{}, err
	}
	for _, m := range managers {
		if err := records.GrantAccess(ctx, c, l.ID, m, records.AccessReferral, tid, in.AuthorizedRole); err != nil {
			return Transition{}, err
		}
	}
	if _, err := records.AppendVersion(ctx, c, l.ID, TypeReferral, []records.FieldChange{{Path: "transition", To: map[string]any{
		"id": tid, "type": TypeReferral, "status": StatusInProgress, "transitioned_to_agency": in.TransitionedToAgency}}}); err != nil {
		return Transition{}, err
	}
	if s.notifier != nil {
		sid, err := shortID(ctx, c, l.ID)
		if err != nil {
			return Transition{}, err
		}
		for _, m := range managers {
			if err := s.notify(ctx, c, Event{Kind: TypeReferral, ID: tid + ":" + TypeReferral + ":" + m, RecipientID: m, RecordID: l.ID,
				ShortID: sid, TransitionID: tid, ActorName: c.Subject().String()}); err != nil {
				return Transition{}, err
			}
		}
	}
	return getTransition(ctx, c, tid)
}

// mayAnswerForAgency checks that the caller may answer an agency referral
// still addressed to no user: it is one of the managers it was addressed to
// (holds its referral row), and the answer is accepted or rejected.
func mayAnswerForAgency(ctx context.Context, c *tenancy.Conn, caseID, tid, status string) (bool, error) {
	var ok bool
	if err := c.QueryRow(ctx, `select exists (select 1 from record_access where record_id = $1 and user_id = $2::uuid
		and kind = 'referral' and referral_id = $3)`, caseID, nullUUID(subjectID(c.Subject())), tid).Scan(&ok); err != nil || !ok {
		return false, err
	}
	if status != StatusAccepted && status != StatusRejected {
		return false, &tenancy.InvalidError{Field: "data.status", Value: status,
			Reason: "a referral to your agency is accepted (it becomes yours) or rejected first"}
	}
	return true, nil
}

// answerReferralAccess keeps record_access in step with a referral's
// answer: accepted, the answering user keeps its row (an agency referral
// becomes the user's: transitioned_to is set and the other managers' rows
// go); otherwise every row of the referral goes.
func answerReferralAccess(ctx context.Context, c *tenancy.Conn, caseID, tid, to, status string) error {
	if status == StatusAccepted {
		if to != "" {
			return nil
		}
		me := nullUUID(subjectID(c.Subject()))
		if _, err := c.Exec(ctx, "update transitions set transitioned_to = $2 where id = $1", tid, me); err != nil {
			return err
		}
		_, err := c.Exec(ctx, `delete from record_access where record_id = $1 and kind = 'referral' and referral_id = $2
			and user_id <> $3::uuid`, caseID, tid, me)
		return err
	}
	_, err := c.Exec(ctx, "delete from record_access where record_id = $1 and kind = 'referral' and referral_id = $2", caseID, tid)
	return err
}
