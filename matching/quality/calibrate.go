package quality

import (
	"math"

	"github.com/cpims-hosted/cpims/matching"
)

// CalibrationTrace is one trace's evidence for fitting a calibration: each
// candidate's parts of its log likelihood ratio (natural log): the field
// weights of the comparisons siblings do not share, of those they share,
// and the family adjustment (matching.Calibration); and which candidate is
// its child (-1: none of them, the child is not registered or blocking
// missed it).
type CalibrationTrace struct {
	Parts [][3]float64
	True  int
}

// calibrationDims are the fitted values: the three scales and the offset.
const calibrationDims = 4

func toVector(c matching.Calibration) [calibrationDims]float64 {
	return [calibrationDims]float64{c.Child, c.Family, c.Adjustment, c.Offset}
}

func fromVector(v [calibrationDims]float64) matching.Calibration {
	return matching.Calibration{Child: v[0], Family: v[1], Adjustment: v[2], Offset: v[3]}
}

// FitCalibration fits matching.Calibration by maximum likelihood: the
// probability the calibrated posterior gives the truth of each trace (its
// child among the candidates, or none of them), with the priors of p. The
// posterior is a multinomial logit whose utilities are linear in the
// scales and the offset, so the log likelihood is concave and Newton's
// method (steps halved until the likelihood does not fall) finds its
// maximum. Traces are taken one by one (the single-trace posterior of
// matching.Matcher.Rank), not with their tracing request's other traces.
// Returns the calibration and the mean log likelihood of the truth.
func FitCalibration(p *matching.Parameters, traces []CalibrationTrace) (matching.Calibration, float64) {
	logPM := math.Log(p.Prior / float64(p.Cases))
	logNone := math.Log(1 - p.Prior)
	theta := toVector(matching.NoCalibration)
	ll, g, h := calibrationNewton(logPM, logNone, theta, traces)
	for range 100 {
		// Solve H·d = g: d is the step to subtract (H is negative definite).
		d, ok := solve(h, g)
		if !ok {
			break
		}
		improved := false
		for step := 1.0; step > 1e-6; step /= 2 {
			next := theta
			for i := range next {
				next[i] -= step * d[i]
			}
			nll, ng, nh := calibrationNewton(logPM, logNone, next, traces)
			if nll >= ll {
				theta, ll, g, h = next, nll, ng, nh
				improved = true
				break
			}
		}
		size := 0.0
		for _, x := range d {
			size += math.Abs(x)
		}
		if !improved || size < 1e-7 {
			break
		}
	}
	return fromVector(theta), ll / float64(max(len(traces), 1))
}

// calibrationNewton returns the log likelihood of the traces' truth at
// theta, its gradient and its Hessian. The features of a candidate are its
// three parts and 0, those of "none" 0, 0, 0 and 1: the gradient is the
// truth's features minus their expectation, the Hessian minus their
// covariance.
func calibrationNewton(logPM, logNone float64, theta [calibrationDims]float64, traces []CalibrationTrace) (
	float64, [calibrationDims]float64, [calibrationDims][calibrationDims]float64) {
	var (
		ll float64
		g  [calibrationDims]float64
		h  [calibrationDims][calibrationDims]float64
	)
	utility := func(x [3]float64) float64 { return logPM + theta[0]*x[0] + theta[1]*x[1] + theta[2]*x[2] }
	for _, t := range traces {
		none := logNone + theta[3]
		mx := none
		for _, x := range t.Parts {
			mx = max(mx, utility(x))
		}
		pn := math.Exp(none - mx)
		z := pn
		var ex [3]float64
		var exx [3][3]float64
		for _, x := range t.Parts {
			w := math.Exp(utility(x) - mx)
			z += w
			for a := range 3 {
				ex[a] += w * x[a]
				for b := range 3 {
					exx[a][b] += w * x[a] * x[b]
				}
			}
		}
		pn /= z
		for a := range 3 {
			ex[a] /= z
			for b := range 3 {
				exx[a][b] /= z
			}
		}
		var truth [calibrationDims]float64
		if t.True >= 0 {
			x := t.Parts[t.True]
			truth = [calibrationDims]float64{x[0], x[1], x[2], 0}
			ll += utility(x) - mx - math.Log(z)
		} else {
			truth[3] = 1
			ll += none - mx - math.Log(z)
		}
		mean := [calibrationDims]float64{ex[0], ex[1], ex[2], pn}
		for a := range calibrationDims {
			g[a] += truth[a] - mean[a]
		}
		for a := range 3 {
			for b := range 3 {
				h[a][b] -= exx[a][b] - ex[a]*ex[b]
			}
			// E[x_a·x_none] = 0: the covariance is -E[x_a]·pn.
			h[a][3] += ex[a] * pn
			h[3][a] += ex[a] * pn
		}
		h[3][3] -= pn - pn*pn
	}
	return ll, g, h
}

// solve solves a·x = b by Gaussian elimination with partial pivoting.
func solve(a [calibrationDims][calibrationDims]float64, b [calibrationDims]float64) ([calibrationDims]float64, bool) {
	const n = calibrationDims
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-12 || math.IsNaN(a[p][col]) {
			return b, false
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for c := col; c < n; c++ {
				a[r][c] -= f * a[col][c]
			}
			b[r] -= f * b[col]
		}
	}
	var x [calibrationDims]float64
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for c := r + 1; c < n; c++ {
			s -= a[r][c] * x[c]
		}
		x[r] = s / a[r][r]
	}
	return x, true
}

// CalibrationLogLikelihood is the mean log probability a calibration gives
// the truth of the traces (higher is better; compare fits).
func CalibrationLogLikelihood(p *matching.Parameters, c matching.Calibration, traces []CalibrationTrace) float64 {
	ll, _, _ := calibrationNewton(math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior), toVector(c), traces)
	return ll / float64(max(len(traces), 1))
}
