package api_test

import (
	"fmt"
	"testing"

	"github.com/cpims-hosted/cpims/api"
)

func TestPrintOps(t *testing.T) {
	s, _ := api.New(nil, nil, api.Config{})
	for _, g := range []struct{ n string; ops []api.Operation }{{"platform", api.Operations(s.PlatformAPI())}, {"tenant", api.Operations(s.TenantAPI())}} {
		for _, op := range g.ops {
			fmt.Printf("%s %s %s %s %s\n", g.n, op.ID, op.Method, op.Path, op.Permission)
		}
	}
}
