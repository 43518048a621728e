package people

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Service holds a tenant's people use cases. It is built from the platform
// and reaches tenant data only through tenancy.Platform.Tx, after the
// fail-closed tenancy.Platform.Authorize.
type Service struct {
	p *tenancy.Platform
}

// New returns the people service of platform p.
func New(p *tenancy.Platform) *Service { return &Service{p: p} }

// Permissions the use cases require (declared in policy.Catalog).
var (
	permAgenciesRead         = policy.Permission{Resource: "agencies", Action: "read"}
	permAgenciesWrite        = policy.Permission{Resource: "agencies", Action: "write"}
	permServiceAccountsRead  = policy.Permission{Resource: "service_accounts", Action: "read"}
	permServiceAccountsWrite = policy.Permission{Resource: "service_accounts", Action: "write"}
	permUserGroupsRead       = policy.Permission{Resource: "user_groups", Action: "read"}
	permUserGroupsWrite      = policy.Permission{Resource: "user_groups", Action: "write"}
	permUsersRead            = policy.Permission{Resource: "users", Action: "read"}
	permUsersReadSelf        = policy.Permission{Resource: "users", Action: "read_self"}
	permUsersWrite           = policy.Permission{Resource: "users", Action: "write"}
	// permUsersWriteSelf lets a member change their own name and language.
	permUsersWriteSelf = policy.Permission{Resource: "users", Action: "write_self"}
)

// uniqueViolation reports a unique constraint's refusal (SQLSTATE 23505).
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
