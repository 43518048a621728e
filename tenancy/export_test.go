package tenancy

import (
	"context"

	"github.com/jackc/tern/v2/migrate"
)

// ProvisionAt provisions a tenant at an older migration version (to test upgrades).
func (p *Platform) ProvisionAt(ctx context.Context, code string, version int) error {
	return p.provision(ctx, code, version)
}

// AppendTenantMigration adds a migration after the embedded ones (to test failures).
func (p *Platform) AppendTenantMigration(name, upSQL string) {
	p.tenantMigrations = append(p.tenantMigrations, &migrate.Migration{
		Sequence: int32(len(p.tenantMigrations) + 1), Name: name, UpSQL: upSQL})
}
