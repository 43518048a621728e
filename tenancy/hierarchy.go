package tenancy

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
)

// The hierarchy rule (docs/authorization.md): a user or service account never
// changes a member (user or service account) whose role reaches beyond its
// own, and never grants a role that does (policy.Beyond). Operators and named
// system actors have fixed grants and are not bound by it.

// ActorReach reads the reach of the acting subject's role. bound is false for
// subjects the hierarchy does not bind. A subject whose role is gone reaches
// nothing (fail closed).
func ActorReach(ctx context.Context, c *Conn) (reach policy.Reach, bound bool, err error) {
	s := c.Subject()
	if s.Kind != policy.KindUser && s.Kind != policy.KindService {
		return policy.Reach{}, false, nil
	}
	reach = policy.Reach{Scope: policy.ScopeOwn}
	if len(s.Roles) != 1 {
		return reach, true, nil
	}
	err = c.QueryRow(ctx, "select permissions, record_scope from roles where unique_id = $1", s.Roles[0]).
		Scan(&reach.Permissions, &reach.Scope)
	if errors.Is(err, pgx.ErrNoRows) {
		return policy.Reach{Scope: policy.ScopeOwn}, true, nil
	}
	return reach, true, err
}

// CheckGrant refuses granting a role that reaches beyond the actor's (field
// names the role in the request).
func CheckGrant(actor policy.Reach, bound bool, field, role string, reach policy.Reach) error {
	if !bound {
		return nil
	}
	if why := policy.Beyond(actor, reach); why != "" {
		return &InvalidError{Field: field, Value: role, Reason: "you may not grant this role: " + why}
	}
	return nil
}

// CheckTarget refuses changing something (a member, through its role, or a
// role) that reaches beyond the actor's role. what names it in the reason,
// e.g. "this user: their role".
func CheckTarget(actor policy.Reach, bound bool, what string, reach policy.Reach) error {
	if !bound {
		return nil
	}
	if why := policy.Beyond(actor, reach); why != "" {
		return &DeniedError{Reason: "you may not change " + what + " reaches beyond yours (" + why + ")"}
	}
	return nil
}

// administratorsSQL counts the tenant's active administrators: enabled users
// whose role manages users and roles over all records.
const administratorsSQL = `select count(*) from users u join roles r on r.id = u.role_id
	where not u.disabled and r.record_scope = 'all' and r.permissions @> '{users:write,roles:write}'`

// KeepAdministrator runs change, refusing it (ErrConflict) if it leaves a
// tenant that had an active administrator without one. Such changes are
// serialised per tenant, so two administrators cannot disable each other at
// the same time.
func KeepAdministrator(ctx context.Context, c *Conn, change func() error) error {
	if _, err := c.Exec(ctx, "select pg_advisory_xact_lock(hashtext('cpims.administrators'), hashtext(current_schema()))"); err != nil {
		return err
	}
	var before, after int
	if err := c.QueryRow(ctx, administratorsSQL).Scan(&before); err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	if err := c.QueryRow(ctx, administratorsSQL).Scan(&after); err != nil {
		return err
	}
	if before > 0 && after == 0 {
		return fmt.Errorf("%w: this would leave the country instance without an active administrator "+
			"(an enabled user whose role holds users:write and roles:write over all records); appoint another one first", ErrConflict)
	}
	return nil
}
