package quality

import (
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
