package quality

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/names"
)

// TestFitCalibrationRecoversTheTruth: traces drawn from a calibrated
// posterior with known scales and offset (over-confident weights, the
// family's most) give those values back, and the fitted calibration
// explains the traces better than none.
func TestFitCalibrationRecoversTheTruth(t *testing.T) {
	t.Parallel()
	p := &matching.Parameters{NameKeys: names.KeysVersion, Prior: 0.6, Cases: 10_000}
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
	p := &matching.Parameters{NameKeys: names.KeysVersion, Prior: 0.6, Siblings: 1, Cases: 10_000}
	want := matching.Calibration{Child: 0.8, Family: 0.6, Adjustment: 0.7, Offset: -1}
	rng := rand.New(rand.NewPCG(5, 6))
	requests := make([]CalibrationRequest, 3_000)
	var traces []CalibrationTrace
	for r := range requests {
		var ts []CalibrationTrace
		requests[r], ts = drawRequest(rng, p, want, 2)
		traces = append(traces, ts...)
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

// drawRequest draws a tracing request of n traces (1 or 2) with p's
// priors: each trace's candidates (1 to 10) with random parts, the first
// of them one case shared by every trace whose family's weights are strong,
// and the truth drawn from the group posterior of calibration c (a case is
// the child of at most one trace: the truths enumerated). Returns the
// request and its traces one by one.
func drawRequest(rng *rand.Rand, p *matching.Parameters, c matching.Calibration, n int) (CalibrationRequest, []CalibrationTrace) {
	logPM, logNone := math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior)+c.Offset
	parts := make([][][3]float64, n)
	ids := make([][]string, n)
	logW := make([][]float64, n) // per candidate, then none last
	for k := range parts {
		parts[k] = make([][3]float64, 1+rng.IntN(10))
		for j := range parts[k] {
			parts[k][j] = [3]float64{rng.NormFloat64()*4 - 2, rng.NormFloat64()*3 - 1, rng.NormFloat64()}
			ids[k] = append(ids[k], fmt.Sprintf("%d-%d", k, j))
		}
		// the shared case: the family's weights strong for every trace
		parts[k][0][0] += 6
		parts[k][0][1] += 8
		ids[k][0] = "shared"
		for _, x := range parts[k] {
			logW[k] = append(logW[k], logPM+c.Child*x[0]+c.Family*x[1]+c.Adjustment*x[2])
		}
		logW[k] = append(logW[k], logNone)
	}
	// Enumerate the traces' truths (index len: none), the first trace's
	// the slowest, the shared case given to at most one.
	var picks [][]int
	var terms []float64
	pick := make([]int, n)
	for {
		shared, term := 0, 0.0
		for k, i := range pick {
			if i == 0 {
				shared++
			}
			term += logW[k][i]
		}
		if shared <= 1 {
			picks = append(picks, slices.Clone(pick))
			terms = append(terms, term)
		}
		k := n - 1
		for ; k >= 0; k-- {
			if pick[k]++; pick[k] < len(logW[k]) {
				break
			}
			pick[k] = 0
		}
		if k < 0 {
			break
		}
	}
	z := logSumExp(terms)
	u, acc, truth := rng.Float64(), 0.0, picks[len(picks)-1]
	for i, x := range terms {
		acc += math.Exp(x - z)
		if u < acc {
			truth = picks[i]
			break
		}
	}
	traces := make([]CalibrationTrace, n)
	for k := range truth {
		if truth[k] == len(parts[k]) {
			truth[k] = -1
		}
		traces[k] = CalibrationTrace{Parts: parts[k], True: truth[k]}
	}
	return CalibrationRequest{Evidence: matching.NewRequestEvidence(p, ids, parts), True: truth}, traces
}

// TestFitCalibrationBySizeRecoversASizeDependentPrior: requests of one
// trace and of two (sharing a case), the truth drawn from the group
// posterior of a calibration whose adjustment and offset differ by the
// request's size. The size fit gives the six numbers back; the group fit
// of one calibration for all cannot, and explains the truth worse.
func TestFitCalibrationBySizeRecoversASizeDependentPrior(t *testing.T) {
	t.Parallel()
	p := &matching.Parameters{NameKeys: names.KeysVersion, Prior: 0.6, Siblings: 1, Cases: 10_000}
	want := SizeCalibration{
		One:     matching.Calibration{Child: 0.8, Family: 0.6, Adjustment: 0.9, Offset: -0.5},
		Several: matching.Calibration{Child: 0.8, Family: 0.6, Adjustment: 0.5, Offset: -1.8},
	}
	rng := rand.New(rand.NewPCG(7, 8))
	requests := make([]CalibrationRequest, 4_000)
	for r := range requests {
		n := 1 + rng.IntN(2)
		requests[r], _ = drawRequest(rng, p, want.For(n), n)
	}
	got := FitCalibrationBySize(Same(matching.DefaultCalibration), true, requests)
	t.Logf("size fit %s (%d evaluations)", got.Calibration, got.Evaluations)
	require.Less(t, got.Evaluations, sizeFitEvaluations, "converged")
	require.InDelta(t, want.One.Child, got.Calibration.One.Child, 0.05)
	require.InDelta(t, want.One.Family, got.Calibration.One.Family, 0.05)
	require.InDelta(t, want.One.Adjustment, got.Calibration.One.Adjustment, 0.15)
	require.InDelta(t, want.Several.Adjustment, got.Calibration.Several.Adjustment, 0.15)
	require.InDelta(t, want.One.Offset, got.Calibration.One.Offset, 0.3)
	require.InDelta(t, want.Several.Offset, got.Calibration.Several.Offset, 0.3)

	one := FitCalibrationGroups(matching.DefaultCalibration, requests)
	t.Logf("one calibration for all %+v", one.Calibration)
	require.Greater(t, got.LL, one.LL+0.005)

	// The offset alone by size: the adjustment one for both, the
	// likelihood between the two fits'.
	offset := FitCalibrationBySize(Same(matching.DefaultCalibration), false, requests)
	t.Logf("the offset by size %s (%d evaluations)", offset.Calibration, offset.Evaluations)
	require.Equal(t, offset.Calibration.One.Adjustment, offset.Calibration.Several.Adjustment)
	require.Less(t, offset.Calibration.Several.Offset, offset.Calibration.One.Offset-0.5)
	require.Greater(t, offset.LL, one.LL)
	require.Less(t, offset.LL, got.LL)
}
