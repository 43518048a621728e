package tenancy

import (
	"context"
	"errors"
	"fmt"

	"github.com/cpims-hosted/cpims/policy"
)

// Authorizer decides whether a subject may do something in a domain (a
// tenant code). policy.Enforcer is the implementation.
type Authorizer interface {
	Allowed(s policy.Subject, domain string, p policy.Permission) (bool, error)
}

// ErrForbidden means the acting subject lacks the permission a data method
// requires. The API checks permissions before handlers run, so reaching this
// is a bug upstream: the store fails closed rather than trusting its caller.
var ErrForbidden = errors.New("forbidden")

// Permissions the data methods require (declared in policy.Catalog).
var (
	permAuditLogsRead       = policy.Permission{Resource: "audit_logs", Action: "read"}
	permRolesRead           = policy.Permission{Resource: "roles", Action: "read"}
	permRolesWrite          = policy.Permission{Resource: "roles", Action: "write"}
	permServiceAccountsRead = policy.Permission{Resource: "service_accounts", Action: "read"}
	permUsersRead           = policy.Permission{Resource: "users", Action: "read"}
)

// Authorize checks that the subject in ctx may perform perm in tenant code:
// the fail-closed check every data method makes before touching tenant data
// (no subject: policy.ErrNoActor; not allowed: ErrForbidden). Domain
// packages (forms, records, ...) call it first, then Tx.
func (p *Platform) Authorize(ctx context.Context, code string, perm policy.Permission) error {
	return p.authorize(ctx, code, perm)
}

// authorize checks that the subject in ctx may perform perm in tenant code.
func (p *Platform) authorize(ctx context.Context, code string, perm policy.Permission) error {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return err
	}
	ok, err := p.cfg.Authorizer.Allowed(s, code, perm)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s may not %s in tenant %s", ErrForbidden, s, perm, code)
	}
	return nil
}
