package quality

import (
	"cmp"
	"math"
	"slices"
	"time"

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

func toVector(c matching.Calibration) []float64 {
	return []float64{c.Child, c.Family, c.Adjustment, c.Offset}
}

func fromVector(v []float64) matching.Calibration {
	return matching.Calibration{Child: v[0], Family: v[1], Adjustment: v[2], Offset: v[3]}
}

// logitTrace is one trace as a multinomial logit sees it: per candidate d
// features (X holds the rows one after the other), and which candidate is
// the child (-1: none of them).
type logitTrace struct {
	X    []float64
	True int
}

// logitTraces are the calibration traces with their three parts as
// features.
func logitTraces(traces []CalibrationTrace) []logitTrace {
	out := make([]logitTrace, len(traces))
	for i, t := range traces {
		x := make([]float64, 0, 3*len(t.Parts))
		for _, p := range t.Parts {
			x = append(x, p[:]...)
		}
		out[i] = logitTrace{X: x, True: t.True}
	}
	return out
}

// FitCalibration fits matching.Calibration by maximum likelihood: the
// probability the calibrated posterior gives the truth of each trace (its
// child among the candidates, or none of them), with the priors of p. The
// posterior is a multinomial logit whose utilities are linear in the
// scales and the offset, so the log likelihood is concave and Newton's
// method (steps halved until the likelihood does not fall) finds its
// maximum. Traces are taken one by one (the single-trace posterior of
// matching.Matcher.Rank), not with their tracing request's other traces
// (FitCalibrationGroups fits through RankGroup's posterior).
// Returns the calibration and the mean log likelihood of the truth.
func FitCalibration(p *matching.Parameters, traces []CalibrationTrace) (matching.Calibration, float64) {
	theta, ll := fitLogit(math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior), toVector(matching.NoCalibration),
		logitTraces(traces))
	return fromVector(theta), ll
}

// fitLogit fits by maximum likelihood, from start, the scales of a
// multinomial logit whose candidate utilities are logPM plus the scaled sum
// of their features, and whose "none of them" utility is logNone plus an
// offset: theta holds the d scales, then the offset (len(start) = d+1).
// Returns theta and the mean log likelihood of the truth.
func fitLogit(logPM, logNone float64, start []float64, traces []logitTrace) ([]float64, float64) {
	theta := slices.Clone(start)
	ll, g, h := logitNewton(logPM, logNone, theta, traces)
	for range 100 {
		// Solve H·d = g: d is the step to subtract (H is negative definite).
		d, ok := solve(h, g)
		if !ok {
			break
		}
		improved := false
		for step := 1.0; step > 1e-6; step /= 2 {
			next := slices.Clone(theta)
			for i := range next {
				next[i] -= step * d[i]
			}
			nll, ng, nh := logitNewton(logPM, logNone, next, traces)
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
	return theta, ll / float64(max(len(traces), 1))
}

// logitNewton returns the log likelihood of the traces' truth at theta,
// its gradient and its Hessian. The features of a candidate are its d
// features and 0, those of "none" d zeros and 1: the gradient is the
// truth's features minus their expectation, the Hessian minus their
// covariance.
func logitNewton(logPM, logNone float64, theta []float64, traces []logitTrace) (float64, []float64, [][]float64) {
	n := len(theta)
	d := n - 1
	var ll float64
	g := make([]float64, n)
	h := make([][]float64, n)
	for a := range h {
		h[a] = make([]float64, n)
	}
	utility := func(x []float64) float64 {
		u := logPM
		for a, v := range x {
			u += theta[a] * v
		}
		return u
	}
	ex := make([]float64, d)
	exx := make([]float64, d*d)
	for _, t := range traces {
		rows := len(t.X) / max(d, 1)
		none := logNone + theta[d]
		mx := none
		for r := range rows {
			mx = max(mx, utility(t.X[r*d:(r+1)*d]))
		}
		pn := math.Exp(none - mx)
		z := pn
		clear(ex)
		clear(exx)
		for r := range rows {
			x := t.X[r*d : (r+1)*d]
			w := math.Exp(utility(x) - mx)
			z += w
			for a := range d {
				wa := w * x[a]
				ex[a] += wa
				for b := a; b < d; b++ {
					exx[a*d+b] += wa * x[b]
				}
			}
		}
		pn /= z
		for a := range d {
			ex[a] /= z
			for b := a; b < d; b++ {
				exx[a*d+b] /= z
			}
		}
		if t.True >= 0 {
			x := t.X[t.True*d : (t.True+1)*d]
			for a := range d {
				g[a] += x[a]
			}
			ll += utility(x) - mx - math.Log(z)
		} else {
			g[d]++
			ll += none - mx - math.Log(z)
		}
		for a := range d {
			g[a] -= ex[a]
		}
		g[d] -= pn
		for a := range d {
			for b := a; b < d; b++ {
				h[a][b] -= exx[a*d+b] - ex[a]*ex[b]
			}
			// E[x_a·x_none] = 0: the covariance is -E[x_a]·pn.
			h[a][d] += ex[a] * pn
		}
		h[d][d] -= pn - pn*pn
	}
	for a := range n {
		for b := range a {
			h[a][b] = h[b][a]
		}
	}
	return ll, g, h
}

// solve solves a·x = b by Gaussian elimination with partial pivoting (a
// and b are not changed).
func solve(a [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	m := make([][]float64, n)
	for r := range m {
		m[r] = slices.Clone(a[r])
	}
	x := slices.Clone(b)
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[p][col]) {
				p = r
			}
		}
		if math.Abs(m[p][col]) < 1e-12 || math.IsNaN(m[p][col]) {
			return nil, false
		}
		m[col], m[p] = m[p], m[col]
		x[col], x[p] = x[p], x[col]
		for r := col + 1; r < n; r++ {
			f := m[r][col] / m[col][col]
			for c := col; c < n; c++ {
				m[r][c] -= f * m[col][c]
			}
			x[r] -= f * x[col]
		}
	}
	for r := n - 1; r >= 0; r-- {
		for c := r + 1; c < n; c++ {
			x[r] -= m[r][c] * x[c]
		}
		x[r] /= m[r][r]
	}
	return x, true
}

// CalibrationLogLikelihood is the mean log probability a calibration gives
// the truth of the traces (higher is better; compare fits).
func CalibrationLogLikelihood(p *matching.Parameters, c matching.Calibration, traces []CalibrationTrace) float64 {
	ll, _, _ := logitNewton(math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior), toVector(c), logitTraces(traces))
	return ll / float64(max(len(traces), 1))
}

// CalibrationRequest is one tracing request's evidence for fitting a
// calibration through the group posterior: its traces' candidates (in
// the order of True's indexes) and, per trace, which candidate is its
// child (-1: none of them).
type CalibrationRequest struct {
	Evidence *matching.RequestEvidence
	True     []int
}

// GroupFit is a calibration fitted through the group posterior
// (FitCalibrationGroups), with the mean log likelihood of the traces'
// truth under it, under the calibration it started from and (set by the
// caller) under the calibration fitted one trace at a time.
type GroupFit struct {
	Calibration, Start    matching.Calibration
	LL, StartLL           float64
	OneAtATimeLL          float64
	Evaluations, Requests int
	Took                  time.Duration
}

// minProbability bounds the probability of a trace's truth from below in
// the log likelihood: a truth given less (the posterior underflowed)
// costs log(minProbability) instead of minus infinity.
const minProbability = 1e-300

// GroupLogLikelihood is the mean over the traces of the log probability
// calibration c gives each trace's truth when its tracing request's
// traces are ranked together (matching.Matcher.RankGroup's posterior).
func GroupLogLikelihood(c matching.Calibration, requests []CalibrationRequest) float64 {
	return groupLogLikelihood(func(int) matching.Calibration { return c }, requests)
}

// groupLogLikelihood is GroupLogLikelihood with each request's
// calibration given by its number of traces (SizeCalibration.For).
func groupLogLikelihood(calibrationFor func(traces int) matching.Calibration, requests []CalibrationRequest) float64 {
	lls := make([]float64, len(requests))
	traces := 0
	for _, r := range requests {
		traces += len(r.True)
	}
	parallel(len(requests), func(i int) {
		r := requests[i]
		probs, none := r.Evidence.Posterior(calibrationFor(len(r.True)))
		for t, truth := range r.True {
			p := none[t]
			if truth >= 0 {
				p = probs[t][truth]
			}
			lls[i] += math.Log(max(p, minProbability))
		}
	})
	ll := 0.0
	for _, x := range lls { // in order: the same sum whatever the workers
		ll += x
	}
	return ll / float64(max(traces, 1))
}

// FitCalibrationGroups fits matching.Calibration by maximum likelihood of
// the truth under the posterior the product computes: each tracing
// request's traces ranked together (a case is the child of at most one of
// them), which is not a multinomial logit, so FitCalibration's Newton
// steps do not apply. Nelder-Mead's simplex over the four numbers climbs
// from start instead, each evaluation recomputing the requests' group
// posteriors from their candidates' parts (no pair compared again), until
// the simplex's likelihoods differ by less than 1e-9 or after
// groupFitEvaluations.
func FitCalibrationGroups(start matching.Calibration, requests []CalibrationRequest) GroupFit {
	f := func(x []float64) float64 { return -GroupLogLikelihood(fromVector(x), requests) }
	x, fx, evals := nelderMead(f, toVector(start), []float64{0.05, 0.05, 0.05, 0.25}, groupFitEvaluations, 1e-9)
	return GroupFit{Calibration: fromVector(x), Start: start, LL: -fx, StartLL: GroupLogLikelihood(start, requests),
		Evaluations: evals, Requests: len(requests)}
}

// FitCalibrationTogether fits Calibration.Together, the scale of the
// factor between a request's traces (matching.Together), by maximum
// likelihood of the truth under the group posterior, as
// FitCalibrationGroups fits the other four: with the four (scaleOnly
// false; five numbers, first steps FitCalibrationGroups' and 0.25 on the
// scale) or after them (the four held at start's, the scale alone).
func FitCalibrationTogether(start matching.Calibration, scaleOnly bool, requests []CalibrationRequest) GroupFit {
	with := func(x []float64) matching.Calibration {
		if scaleOnly {
			c := start
			c.Together = x[0]
			return c
		}
		c := fromVector(x[:4])
		c.Together = x[4]
		return c
	}
	x0, step := append(toVector(start), start.Together), []float64{0.05, 0.05, 0.05, 0.25, 0.25}
	if scaleOnly {
		x0, step = []float64{start.Together}, []float64{0.25}
	}
	f := func(x []float64) float64 { return -GroupLogLikelihood(with(x), requests) }
	x, fx, evals := nelderMead(f, x0, step, groupFitEvaluations, 1e-9)
	return GroupFit{Calibration: with(x), Start: start, LL: -fx, StartLL: GroupLogLikelihood(start, requests),
		Evaluations: evals, Requests: len(requests)}
}

// groupFitEvaluations bounds FitCalibrationGroups' evaluations.
const groupFitEvaluations = 400

// nelderMead minimises f from x0 with the simplex x0, x0 + step[i]·e_i
// (the standard reflection, expansion, contraction and shrink), until the
// simplex's values differ by less than tol or after maxEvals evaluations.
// Returns the best point, its value and the evaluations made.
func nelderMead(f func([]float64) float64, x0, step []float64, maxEvals int, tol float64) ([]float64, float64, int) {
	n := len(x0)
	pts := make([][]float64, n+1)
	vals := make([]float64, n+1)
	evals := 0
	eval := func(x []float64) float64 {
		evals++
		return f(x)
	}
	for i := range pts {
		pts[i] = slices.Clone(x0)
		if i > 0 {
			pts[i][i-1] += step[i-1]
		}
		vals[i] = eval(pts[i])
	}
	along := func(c, x []float64, t float64) []float64 { // c + t·(x − c)
		out := make([]float64, n)
		for k := range out {
			out[k] = c[k] + t*(x[k]-c[k])
		}
		return out
	}
	order := make([]int, n+1)
	for evals < maxEvals {
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(vals[a], vals[b]) })
		sorted, sortedVals := make([][]float64, n+1), make([]float64, n+1)
		for i, o := range order {
			sorted[i], sortedVals[i] = pts[o], vals[o]
		}
		pts, vals = sorted, sortedVals
		if vals[n]-vals[0] < tol {
			break
		}
		centroid := make([]float64, n)
		for _, p := range pts[:n] {
			for k := range centroid {
				centroid[k] += p[k] / float64(n)
			}
		}
		xr := along(centroid, pts[n], -1)
		fr := eval(xr)
		switch {
		case fr < vals[0]:
			xe := along(centroid, pts[n], -2)
			if fe := eval(xe); fe < fr {
				pts[n], vals[n] = xe, fe
			} else {
				pts[n], vals[n] = xr, fr
			}
		case fr < vals[n-1]:
			pts[n], vals[n] = xr, fr
		default:
			t := 0.5 // inside contraction, or outside when the reflection did better than the worst
			if fr < vals[n] {
				t = -0.5
			}
			xc := along(centroid, pts[n], t)
			if fc := eval(xc); fc < min(fr, vals[n]) {
				pts[n], vals[n] = xc, fc
				continue
			}
			for i := 1; i <= n; i++ { // shrink towards the best
				pts[i] = along(pts[0], pts[i], 0.5)
				vals[i] = eval(pts[i])
			}
		}
	}
	best := 0
	for i := range vals {
		if vals[i] < vals[best] {
			best = i
		}
	}
	return pts[best], vals[best], evals
}
