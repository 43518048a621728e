package matching

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParamsCacheKeepsTheNewestPerTenant: the decoded parameters a job
// reuses are those of the tenant's newest version as its row says (number
// and xmin); a version not met, a tenant created again under the same code
// or the row rewritten (the same number, another xmin) and another tenant
// are misses, and a job that decoded an older version after a newer one
// was cached does not put it back. Mutations caught: the xmin left out of
// the key (the second tenant "ke" gets the first one's), the guard against
// an older put.
func TestParamsCacheKeepsTheNewestPerTenant(t *testing.T) {
	pc := &paramsCache{byTenant: map[string]cachedParams{}}
	v1, v2 := &Parameters{Version: 1}, &Parameters{Version: 2}
	k1 := paramsKey{tenant: "ke", version: 1, xmin: 900}
	require.Nil(t, pc.get(k1))
	pc.put(k1, v1)
	require.Same(t, v1, pc.get(k1))
	require.Nil(t, pc.get(paramsKey{tenant: "so", version: 1, xmin: 900}), "another tenant")
	require.Nil(t, pc.get(paramsKey{tenant: "ke", version: 1, xmin: 1200}), "ke created again, or the row rewritten")
	k2 := paramsKey{tenant: "ke", version: 2, xmin: 950}
	require.Nil(t, pc.get(k2), "a newer version")
	pc.put(k2, v2)
	pc.put(k1, v1) // a job that read version 1 before version 2 was stored
	require.Same(t, v2, pc.get(k2))
	require.Nil(t, pc.get(k1))
}
