package casework

import (
	"regexp"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Service reads tasks, alerts and dashboards.
type Service struct{ p *tenancy.Platform }

// New returns a Service on p.
func New(p *tenancy.Platform) *Service { return &Service{p: p} }

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
