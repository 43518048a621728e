package settings

import (
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Service holds a tenant's settings use cases. It is built from the
// platform and reaches tenant data only through tenancy.Platform.Tx.
type Service struct {
	p *tenancy.Platform
}

// New returns the settings service of platform p.
func New(p *tenancy.Platform) *Service { return &Service{p: p} }

// permSettingsWrite changes a tenant's settings (declared in policy.Catalog).
var permSettingsWrite = policy.Permission{Resource: "system_settings", Action: "write"}
