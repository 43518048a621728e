package matching

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTogetherUndampedAsDamped: with Together, the messages go undamped
// while their change falls; every probability (and "none") is within 1e-9
// of the damped rounds' (every round damped, as before), for requests of
// two and three traces sharing none, a tenth or a third of their
// candidates, at the bench's weights, and for two traces at weights ten
// times as strong (for three, the damped rounds reach GroupRounds
// unconverged there, and the two differ by up to 4e-3: docs/matching-log.md,
// Speed → Session 36 (engineer S)). Not parallel: it sets
// groupAlwaysDamped, which parallel tests read.
func TestTogetherUndampedAsDamped(t *testing.T) {
	strong := togetherWeights{}
	for c := range 3 {
		strong.agree[c], strong.differ[c] = 10*togetherBenchWeights.agree[c], 10*togetherBenchWeights.differ[c]
	}
	worst := 0.0
	for _, traces := range []int{2, 3} {
		for _, shared := range []float64{0, 0.1, 0.3} {
			for seed := range uint64(3) {
				for _, tw := range []togetherWeights{togetherBenchWeights, strong} {
					if traces == 3 && tw == strong {
						continue
					}
					pr, lrs, links, g := togetherGroup(traces, shared, seed)
					none := make([]float64, traces)
					got := groupPosteriorLinked(pr, lrs, links, g, tw, none)
					groupAlwaysDamped = true
					wantNone := make([]float64, traces)
					want := groupPosteriorLinked(pr, lrs, links, g, tw, wantNone)
					groupAlwaysDamped = false
					for tr := range want {
						for i := range want[tr] {
							worst = max(worst, math.Abs(got[tr][i]-want[tr][i]))
						}
						worst = max(worst, math.Abs(none[tr]-wantNone[tr]))
					}
				}
			}
		}
	}
	t.Logf("largest difference from the damped rounds: %g", worst)
	require.Less(t, worst, 1e-9)
}
