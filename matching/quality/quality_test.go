package quality

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// TestRecallFloor runs the whole harness on a small labelled set of each
// profile and fails when scoring, blocking or estimation breaks: the floors
// sit well below what the model reaches there (docs/matching.md) and well
// above what the Primero-style baseline reaches.
func TestRecallFloor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		profile           synthetic.Profile
		recall1, recall10 float64
	}{
		{synthetic.ProfileA(), 0.80, 0.90},
		{synthetic.ProfileB(), 0.70, 0.85},
	} {
		t.Run(tc.profile.Name, func(t *testing.T) {
			t.Parallel()
			res, err := Run(Options{Profile: tc.profile, Cases: 3000, Traces: 300, Seed: 11, Baseline: true})
			require.NoError(t, err)
			m, b := res.Model, res.Baseline
			t.Logf("%s\n%s", res.Dataset, Table(m, b))
			require.Greater(t, m.Registered, 150)
			require.GreaterOrEqual(t, m.RecallAt[1], tc.recall1)
			require.GreaterOrEqual(t, m.RecallAt[10], tc.recall10)
			require.Greater(t, m.RecallAt[1], b.RecallAt[1]+0.15, "well above the baseline")
			require.Less(t, m.ECE, 0.05, "calibrated")
			require.Greater(t, m.TrueLikely, 0.6)
			require.Less(t, m.UnregisteredLikely, 0.25)
		})
	}
}
