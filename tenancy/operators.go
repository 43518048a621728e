package tenancy

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"time"

	"github.com/jackc/pgx/v5"
)

// Operator is a hosting-team member allowed on the platform API.
type Operator struct {
	IdentityID string    `json:"identity_id"`
	Email      string    `json:"email"`
	Disabled   bool      `json:"disabled"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

const operatorColumns = "identity_id, email, disabled, created_by, created_at"

func scanOperator(r pgx.Row) (Operator, error) {
	var o Operator
	err := r.Scan(&o.IdentityID, &o.Email, &o.Disabled, &o.CreatedBy, &o.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, ErrNotFound
	}
	return o, err
}

// AddOperator records a Kratos identity as an operator (or re-enables it).
func (p *Platform) AddOperator(ctx context.Context, identityID, email string) (Operator, error) {
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return Operator{}, &InvalidError{Field: "email", Value: email, Reason: "must be a plain email address"}
	}
	if !isUUID(identityID) {
		return Operator{}, &InvalidError{Field: "identity_id", Value: identityID, Reason: "must be a Kratos identity id"}
	}
	o, err := scanOperator(p.pool.QueryRow(ctx, `insert into platform.operators (identity_id, email, created_by) values ($1, $2, $3)
		on conflict (identity_id) do update set disabled = false, email = excluded.email, updated_at = now()
		returning `+operatorColumns, identityID, email, actorName(ctx)))
	if uniqueViolation(err) {
		return o, fmt.Errorf("%w: another identity is the operator %s", ErrConflict, email)
	}
	if err == nil {
		p.log.InfoContext(ctx, "operator added", "email", email, "actor", actorName(ctx))
	}
	return o, err
}

// SetOperatorDisabled disables or re-enables an operator, by email.
func (p *Platform) SetOperatorDisabled(ctx context.Context, email string, disabled bool) (Operator, error) {
	o, err := scanOperator(p.pool.QueryRow(ctx, `update platform.operators set disabled = $2, updated_at = now()
		where email = $1 returning `+operatorColumns, email, disabled))
	if err == nil {
		p.log.InfoContext(ctx, "operator changed", "email", email, "disabled", disabled, "actor", actorName(ctx))
	}
	return o, err
}

// ListOperators lists the operators by email.
func (p *Platform) ListOperators(ctx context.Context) ([]Operator, error) {
	rows, err := p.pool.Query(ctx, "select "+operatorColumns+" from platform.operators order by email")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Operator, error) { return scanOperator(r) })
}

// OperatorByIdentity returns the enabled operator signed in as a Kratos
// identity, or ErrNotFound.
func (p *Platform) OperatorByIdentity(ctx context.Context, identityID string) (Operator, error) {
	if !isUUID(identityID) {
		return Operator{}, ErrNotFound
	}
	return scanOperator(p.pool.QueryRow(ctx, "select "+operatorColumns+" from platform.operators where identity_id = $1 and not disabled", identityID))
}
