package matching_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// TestSeparationOwnIsEstimated: whose separation a request gives is
// estimated from the tenant's own requests of several traces, one prior
// per trace's own place against the request's place of separation, near
// the generated truth (the share of those traces whose child the request's
// separation is about, by the same places) and ordered as it: the same
// place most often the child's, different places least; without such
// requests there is no latent.
func TestSeparationOwnIsEstimated(t *testing.T) {
	t.Parallel()
	f := estimated(t, 5)
	sp := f.p.Separation
	require.NotNil(t, sp)
	require.Equal(t, []string{"separation_date", "separation_cause"}, sp.Comparisons)
	require.Equal(t, "location", sp.Place)

	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 3000, Traces: 400, Seed: 5})
	var own, of [3]int // the same place, different, one missing
	for _, r := range ds.Requests {
		if r.Evaluation || len(r.Traces) < 2 {
			continue
		}
		for _, tr := range r.Traces {
			last, _ := tr.Row["location_last"].(string)
			sep, _ := tr.Row["location_separation"].(string)
			if sep == "" {
				sep, _ = r.Data["location_separation"].(string)
			}
			c := 2
			if last != "" && sep != "" {
				c = 1
				if last == sep {
					c = 0
				}
			}
			of[c]++
			if tr.OwnSeparation {
				own[c]++
			}
		}
	}
	got := []float64{sp.Own.Same, sp.Own.Different, sp.Own.Missing}
	truth := make([]float64, len(got))
	for c := range got {
		truth[c] = float64(own[c]) / float64(of[c])
		t.Logf("place %d: own %.3f, truth %.3f (%d of %d traces)", c, got[c], truth[c], own[c], of[c])
	}
	// about 50 traces a place here, and the prior (PriorWeight traces at
	// one half) pulls each share that way
	for c := range got {
		require.InDelta(t, truth[c], got[c], 0.2, "place %d", c)
	}
	require.Greater(t, sp.Own.Same, sp.Own.Missing)
	require.Greater(t, sp.Own.Missing, sp.Own.Different)

	// every trace a request of its own: nothing to estimate it from
	alone := estimatedWith(t, synthetic.ProfileA(), 5, func(in *matching.EstimateInput) {
		for i := range in.Blocked {
			in.Blocked[i].Group = in.Blocked[i].Trace.ID
		}
	})
	require.Nil(t, alone.p.Separation)
}
