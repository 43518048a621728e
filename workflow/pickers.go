package workflow

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// MaxReceivers is the most users one picker answers (sorted by name).
const MaxReceivers = 1000

// Receiver is a user a case may be sent to: only what a caseworker needs to
// choose (never contact details beyond the email that names the user).
type Receiver struct {
	UserName   string            `json:"user_name" doc:"The user's email: the transitioned_to of a transition."`
	FullName   string            `json:"full_name"`
	AgencyID   string            `json:"agency_id" doc:"The user's agency (unique_id): the transitioned_to_agency of a transition."`
	AgencyName map[string]string `json:"agency_name" doc:"The agency's name by locale."`
	Role       string            `json:"role" doc:"The user's role (unique_id)."`
}

// ReferableRole is a role a referral may grant its receiver (the forms the
// receiver reads the case through).
type ReferableRole struct {
	UniqueID string            `json:"unique_id"`
	Name     map[string]string `json:"name" doc:"The role's name by locale."`
}

// ReceiverFilter narrows a picker.
type ReceiverFilter struct {
	// Agency keeps the users of one agency (unique_id); empty: all.
	Agency string
}

// Receivers lists the enabled users the caller may send a case to by a
// transition of type kind (assign, referral or transfer), sorted by name:
//   - assign: within the caller's reach (checkAssignee: scope all anyone,
//     agency the caller's agency, otherwise a shared user group);
//   - referral, transfer: users of the caller's agency and of the agencies
//     the sharing protocol lets the caller's agency refer (transfer) to.
//
// The caller is left out of referral and transfer lists (they cannot send
// a case to themselves). Needs the transition's permission (cases:assign,
// cases:refer, cases:transfer), not users:read.
func (s *Service) Receivers(ctx context.Context, code, kind string, f ReceiverFilter) ([]Receiver, error) {
	perm, ok := map[string]policy.Permission{TypeAssign: PermAssign, TypeReferral: PermRefer, TypeTransfer: PermTransfer}[kind]
	if !ok {
		return nil, fmt.Errorf("workflow: no picker for transitions of type %q", kind)
	}
	if err := s.p.Authorize(ctx, code, perm); err != nil {
		return nil, err
	}
	out := []Receiver{}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		sub := c.Subject()
		var reach string
		args := []any{f.Agency, MaxReceivers}
		switch {
		case kind == TypeAssign && sub.Scope == policy.ScopeAll:
			reach = "true"
		case kind == TypeAssign && sub.Scope == policy.ScopeAgency:
			reach = "u.agency_id = $3::uuid"
			args = append(args, nullUUID(sub.Agency))
		case kind == TypeAssign:
			reach = "exists (select 1 from user_groups_users g where g.user_id = u.id and g.user_group_id = any($3::uuid[]))"
			args = append(args, append([]string{}, sub.Groups...))
		default:
			column := map[string]string{TypeReferral: "referral", TypeTransfer: "transfer"}[kind]
			reach = "u.id is distinct from $4::uuid and (u.agency_id = $3::uuid or exists (select 1 from sharing_protocol p " +
				"where p.from_agency_id = $3::uuid and p.to_agency_id = u.agency_id and p." + column + "))"
			args = append(args, nullUUID(sub.Agency), nullUUID(subjectID(sub)))
		}
		rows, err := c.Query(ctx, `select u.email, u.full_name, a.unique_id, a.name, r.unique_id
			from users u join agencies a on a.id = u.agency_id join roles r on r.id = u.role_id
			where not u.disabled and ($1::text = '' or a.unique_id = $1) and `+reach+`
			order by lower(u.full_name), u.email limit $2`, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Receiver])
		if out == nil {
			out = []Receiver{}
		}
		return err
	})
	return out, err
}

// ReferableRoles lists the roles a referral may grant its receiver
// (authorized_role_unique_id), sorted by unique_id. Needs cases:refer.
func (s *Service) ReferableRoles(ctx context.Context, code string) ([]ReferableRole, error) {
	if err := s.p.Authorize(ctx, code, PermRefer); err != nil {
		return nil, err
	}
	out := []ReferableRole{}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		rows, err := c.Query(ctx, "select unique_id, name from roles order by unique_id")
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ReferableRole])
		if out == nil {
			out = []ReferableRole{}
		}
		return err
	})
	return out, err
}
