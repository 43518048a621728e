package matching_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// TestSeparationOwnIsEstimated: whose separation a request gives is
// estimated from the tenant's own requests of several traces, near the
// generated truth (the share of those traces whose child the request's
// separation is about); without such requests there is no latent.
func TestSeparationOwnIsEstimated(t *testing.T) {
	t.Parallel()
	f := estimated(t, 5)
	sp := f.p.Separation
	require.NotNil(t, sp)
	require.Equal(t, []string{"separation_date", "separation_cause"}, sp.Comparisons)

	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 3000, Traces: 400, Seed: 5})
	own, of := 0, 0
	for _, r := range ds.Requests {
		if r.Evaluation || len(r.Traces) < 2 {
			continue
		}
		for _, tr := range r.Traces {
			of++
			if tr.OwnSeparation {
				own++
			}
		}
	}
	truth := float64(own) / float64(of)
	t.Logf("own %.3f, truth %.3f (%d of %d traces)", sp.Own, truth, own, of)
	require.InDelta(t, truth, sp.Own, 0.15)

	// every trace a request of its own: nothing to estimate it from
	alone := estimatedWith(t, synthetic.ProfileA(), 5, func(in *matching.EstimateInput) {
		for i := range in.Blocked {
			in.Blocked[i].Group = in.Blocked[i].Trace.ID
		}
	})
	require.Nil(t, alone.p.Separation)
}
