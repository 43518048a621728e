package tenancy

import (
	"context"
)

// The platform's row of a tenant (platform.tenants) holds what the host
// routing needs before any tenant transaction: its languages and the origins
// allowed to call its API. The tenant's settings (package settings) change
// them together with the tenant's own system_settings, in the tenant's
// transaction, through these narrow methods: the tenant role cannot reach
// the platform schema, and nothing outside this package runs as the login
// role.

// SetTenantLocales writes the tenant's languages to its platform row in the
// transaction c (as the login role, then back to the tenant role), and
// forgets the cached row (Lookup). The caller writes system_settings.locales
// in the same transaction, so the two never disagree.
func (c *Conn) SetTenantLocales(ctx context.Context, locales []string) error {
	err := c.asLoginRole(ctx, func() error {
		_, err := c.Exec(ctx, "update platform.tenants set locales = $2, updated_at = now() where code = $1", c.tenant, locales)
		return err
	})
	c.p.tenants.forget(c.tenant)
	return err
}

// TenantCORSOrigins reads the origins allowed to call the tenant's API from
// other web applications (Tenant.CORSOrigins) in the transaction c or, when
// replace is not nil, replaces them (an empty, non-nil list allows none),
// and returns them as they now are. The caller forgets the cached row
// (Platform.ForgetTenant) once the transaction has ended.
func (c *Conn) TenantCORSOrigins(ctx context.Context, replace []string) ([]string, error) {
	var origins []string
	err := c.asLoginRole(ctx, func() error {
		if replace == nil {
			return c.QueryRow(ctx, "select cors_origins from platform.tenants where code = $1", c.tenant).Scan(&origins)
		}
		return c.QueryRow(ctx, "update platform.tenants set cors_origins = $2, updated_at = now() where code = $1 returning cors_origins",
			c.tenant, append([]string{}, replace...)).Scan(&origins)
	})
	return origins, err
}

// ForgetTenant drops the cached row of tenant code (Lookup): the next
// request reads it afresh.
func (p *Platform) ForgetTenant(code string) { p.tenants.forget(code) }

// asLoginRole runs fn in the transaction c as the login role, which writes
// the platform's row of the tenant (the tenant role cannot reach the
// platform schema; the search path is empty, so fn names platform.tenants),
// then returns the transaction to the tenant role and its search path: what
// fn writes commits or rolls back with the tenant's writes.
func (c *Conn) asLoginRole(ctx context.Context, fn func() error) error {
	if err := resetRole(ctx, c.Tx); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	_, err := c.Exec(ctx, `select set_config('role', $1, true), set_config('search_path', $2, true)`,
		c.p.TenantRole(c.tenant), tenantSearchPath(c.tenant))
	return err
}
