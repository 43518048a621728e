package quality

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
)

// TestFitCalibrationRecoversTheTruth: traces drawn from a calibrated
// posterior with known scales and offset (over-confident weights, the
// family's most) give those values back, and the fitted calibration
// explains the traces better than none.
func TestFitCalibrationRecoversTheTruth(t *testing.T) {
	t.Parallel()
	p := &matching.Parameters{Prior: 0.6, Cases: 10_000}
	want := matching.Calibration{Child: 0.8, Family: 0.5, Adjustment: 0.7, Offset: 0.8}
	logPM, logNone := math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior)+want.Offset
	rng := rand.New(rand.NewPCG(3, 4))
	traces := make([]CalibrationTrace, 20_000)
	for i := range traces {
		parts := make([][3]float64, 1+rng.IntN(40))
		for j := range parts {
			parts[j] = [3]float64{rng.NormFloat64()*5 + 1, rng.NormFloat64()*4 + 1, rng.NormFloat64() * 2}
		}
		parts[0][0] += 8 // one good-looking candidate per trace
		parts[0][1] += 4
		// Draw the truth from the calibrated posterior.
		terms := []float64{logNone}
		for _, x := range parts {
			terms = append(terms, logPM+want.Child*x[0]+want.Family*x[1]+want.Adjustment*x[2])
		}
		z := logSumExp(terms)
		u, acc, truth := rng.Float64(), 0.0, -1
		for k, x := range terms {
			acc += math.Exp(x - z)
			if u < acc {
				truth = k - 1
				break
			}
		}
		traces[i] = CalibrationTrace{Parts: parts, True: truth}
	}
	got, _ := FitCalibration(p, traces)
	require.InDelta(t, want.Child, got.Child, 0.05)
	require.InDelta(t, want.Family, got.Family, 0.05)
	require.InDelta(t, want.Adjustment, got.Adjustment, 0.1)
	require.InDelta(t, want.Offset, got.Offset, 0.2)
	require.Greater(t, CalibrationLogLikelihood(p, got, traces),
		CalibrationLogLikelihood(p, matching.NoCalibration, traces)+0.01)
}

// TestFitCalibrationGroupsFitsTheGroupPosterior: requests of two traces
// (a mother seeking two children) whose candidates share one case, the
// truth drawn from the group posterior of a known calibration (a case is
// the child of at most one trace: enumerated). Fitted through the group
// posterior, the four numbers come back; fitted one trace at a time, they
// do not (the trace that does not get the shared case looks like evidence
// that strong candidates are often not the child), and explain the truth
// worse under the posterior the product computes.
func TestFitCalibrationGroupsFitsTheGroupPosterior(t *testing.T) {
	t.Parallel()
	p := &matching.Parameters{Prior: 0.6, Siblings: 1, Cases: 10_000}
	want := matching.Calibration{Child: 0.8, Family: 0.6, Adjustment: 0.7, Offset: -1}
	logPM, logNone := math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior)+want.Offset
	rng := rand.New(rand.NewPCG(5, 6))
	requests := make([]CalibrationRequest, 3_000)
	var traces []CalibrationTrace
	for r := range requests {
		var parts [2][][3]float64
		var ids [2][]string
		var logW [2][]float64 // per candidate, then none last
		for k := range parts {
			parts[k] = make([][3]float64, 1+rng.IntN(10))
			for j := range parts[k] {
				parts[k][j] = [3]float64{rng.NormFloat64()*4 - 2, rng.NormFloat64()*3 - 1, rng.NormFloat64()}
				ids[k] = append(ids[k], fmt.Sprintf("%d-%d", k, j))
			}
			// the shared case: the family's weights strong for both traces
			parts[k][0][0] += 6
			parts[k][0][1] += 8
			ids[k][0] = "shared"
			for _, x := range parts[k] {
				logW[k] = append(logW[k], logPM+want.Child*x[0]+want.Family*x[1]+want.Adjustment*x[2])
			}
			logW[k] = append(logW[k], logNone)
		}
		// Enumerate the pairs of truths (index len: none), the shared case
		// not given to both.
		type pair struct{ a, b int }
		var pairs []pair
		var terms []float64
		for a := range logW[0] {
			for b := range logW[1] {
				if a == 0 && b == 0 {
					continue
				}
				pairs = append(pairs, pair{a, b})
				terms = append(terms, logW[0][a]+logW[1][b])
			}
		}
		z := logSumExp(terms)
		u, acc, pick := rng.Float64(), 0.0, pairs[len(pairs)-1]
		for i, x := range terms {
			acc += math.Exp(x - z)
			if u < acc {
				pick = pairs[i]
				break
			}
		}
		truth := []int{pick.a, pick.b}
		for k := range truth {
			if truth[k] == len(parts[k]) {
				truth[k] = -1
			}
			traces = append(traces, CalibrationTrace{Parts: parts[k], True: truth[k]})
		}
		requests[r] = CalibrationRequest{Evidence: matching.NewRequestEvidence(p, ids[:], parts[:]), True: truth}
	}
	got := FitCalibrationGroups(matching.DefaultCalibration, requests)
	require.InDelta(t, want.Child, got.Calibration.Child, 0.05)
	require.InDelta(t, want.Family, got.Calibration.Family, 0.05)
	require.InDelta(t, want.Adjustment, got.Calibration.Adjustment, 0.1)
	require.InDelta(t, want.Offset, got.Calibration.Offset, 0.25)
	require.Less(t, got.Evaluations, groupFitEvaluations, "converged")
	require.Greater(t, got.LL, got.StartLL)

	one, _ := FitCalibration(p, traces)
	t.Logf("group fit %+v (%d evaluations), one trace at a time %+v", got.Calibration, got.Evaluations, one)
	require.Greater(t, math.Abs(one.Family-want.Family)+math.Abs(one.Offset-want.Offset), 0.3,
		"one trace at a time: %v", one)
	require.Greater(t, got.LL, GroupLogLikelihood(one, requests)+0.005)
}
