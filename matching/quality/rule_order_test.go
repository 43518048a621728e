package quality

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

var (
	orderFit = flag.Bool("order.fit", false, "BenchmarkCandidateOrder fits the by-rule order's constants on profile A "+
		"(its even-numbered tracing requests; conditional logit, maximum likelihood) and uses them for the rest of the run")
	orderFitProfile = flag.String("order.fitprofile", "A", "the profile -order.fit fits on (the product's constants: A only; "+
		"B is a diagnosis of what a per-tenant fit would give, read on its odd requests)")
	orderFitBy = flag.String("order.fitby", "ml", "how -order.fit fits: ml (maximum likelihood only) or cap4 "+
		"(then a coordinate search from the likelihood's optimum for the largest share of children within cap/4)")
	orderForm = flag.String("order.form", "a,b,sum", "the by-rule order's terms that -order.fit fits (the others stay 0): "+
		"a (per rule, a multiple of the rarest shared key's rarity), b (per rule, a constant when shared), "+
		"s (per rule, a multiple of its shared keys' summed rarity), sum (a multiple of the summed rarity)")
)

// blockRules are the blocking rules in the order of ruleHit.max.
var blockRules = [...]string{"nn", "ns", "rn", "rr", "ls", "nb", "lg"}

// ruleOf is the index in blockRules of a key's rule (its prefix before
// ':'), -1 for none.
func ruleOf(k string) int {
	r, _, _ := strings.Cut(k, ":")
	return slices.Index(blockRules[:], r)
}

// ruleHit is what a trace's shared keys say of one case: the summed rarity
// (matching.KeyWeight), the count of keys and, per rule, the rarity of the
// rarest shared key (0: no key of the rule shared).
type ruleHit struct {
	weight int64
	count  int32
	max    [len(blockRules)]int64
	sum    [len(blockRules)]int64
}

// ruleOrder scores a hit by rule evidence, in thousandths of a nat:
// Σ over rules r shared of (A[r]·max[r]/1000 + B[r] + S[r]·sum[r]/1000) +
// C·weight/1000 (A, S and C in thousandths, B in thousandths of a nat).
type ruleOrder struct {
	A, B, S [len(blockRules)]int64
	C       int64
}

func (o *ruleOrder) score(h *ruleHit) int64 {
	s := o.C * h.weight / 1000
	for r, w := range h.max {
		if w > 0 {
			s += o.A[r]*w/1000 + o.B[r] + o.S[r]*h.sum[r]/1000
		}
	}
	return s
}

func (o *ruleOrder) String() string {
	var sb strings.Builder
	for r, name := range blockRules {
		fmt.Fprintf(&sb, "%s %d/%d/%d; ", name, o.A[r], o.B[r], o.S[r])
	}
	fmt.Fprintf(&sb, "sum %d", o.C)
	return sb.String()
}

// defaultRuleOrder is the by-rule order's constants, fitted with
// -order.fit on profile A (docs/matching-log.md, Speed, Session 25).
// Form "a,b" (the per-rule form Σ_r a_r·max_r + b_r), fitted with
// -order.cases=100000 -order.cap=200 -order.stop=200 -order.fit
// -order.form=a,b (seed 21): mean log-likelihood of the child -5.04 (each
// rule's rarest key summed, the start) -> -2.07.
var defaultRuleOrder = ruleOrder{
	//  nn     ns    rn    rr    ls    nb    lg
	A: [...]int64{438, 109, 389, 689, 359, 301, 98},
	B: [...]int64{-2720, 268, -1127, -1023, -456, 946, 2838},
}

// fittedRuleOrder is the by-rule order a run measures: defaultRuleOrder, or
// the constants -order.fit fitted on profile A.
var fittedRuleOrder = defaultRuleOrder

// rankBy is the 1-based rank of case c among hits under score (higher
// first, ties to the lower index), -1 when c is not a hit: the rank in
// the uncapped order, counted without sorting.
func rankBy(hits map[int32]ruleHit, c int32, score func(*ruleHit) int64) int {
	hc, ok := hits[c]
	if !ok {
		return -1
	}
	sc := score(&hc)
	r := 1
	for j, h := range hits {
		if s := score(&h); s > sc || (s == sc && j < c) {
			r++
		}
	}
	return r
}

// features is a hit's evidence for the fit: per rule the rarest shared
// key's rarity in nats, whether the rule is shared and the rule's keys'
// summed rarity in nats, then the summed rarity of all keys in nats.
const nFeatures = 3*len(blockRules) + 1

func features(h *ruleHit, out []float64) {
	for r, w := range h.max {
		out[r] = float64(w) / 1000
		out[len(blockRules)+r] = 0
		if w > 0 {
			out[len(blockRules)+r] = 1
		}
	}
	for r, w := range h.sum {
		out[2*len(blockRules)+r] = float64(w) / 1000
	}
	out[3*len(blockRules)] = float64(h.weight) / 1000
}

// orderFitter collects, per trace whose child shares a key, the child's
// features and those of the other hits (all of them up to fitKeep; beyond,
// the fitKeep/2 heaviest by summed rarity and a uniform sample of fitKeep/2
// of the rest, weighted by the inverse of the sampling rate), and fits
// the constants by maximising the conditional likelihood that the child is
// the one hit chosen: P(child) = exp(s_child) / Σ_hits exp(s).
type orderFitter struct {
	x      []float32 // nFeatures per row
	w      []float32 // weight per row
	starts []int     // first row of each trace (its child's)
	rng    *rand.Rand
}

const fitKeep = 1000

func (f *orderFitter) add(hits map[int32]ruleHit, c int32) {
	if f.rng == nil {
		f.rng = rand.New(rand.NewPCG(25, 25))
	}
	hc, ok := hits[c]
	if !ok {
		return
	}
	var buf [nFeatures]float64
	row := func(h *ruleHit, w float64) {
		features(h, buf[:])
		for _, v := range buf {
			f.x = append(f.x, float32(v))
		}
		f.w = append(f.w, float32(w))
	}
	f.starts = append(f.starts, len(f.w))
	row(&hc, 1)
	others := make([]ruleHit, 0, len(hits)-1)
	for j, h := range hits {
		if j != c {
			others = append(others, h)
		}
	}
	if len(others) <= fitKeep {
		for i := range others {
			row(&others[i], 1)
		}
		return
	}
	slices.SortFunc(others, func(a, b ruleHit) int { return int(b.weight - a.weight) })
	for i := range others[:fitKeep/2] {
		row(&others[i], 1)
	}
	rest := others[fitKeep/2:]
	f.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	w := float64(len(rest)) / float64(fitKeep/2)
	for i := range rest[:fitKeep/2] {
		row(&rest[i], w)
	}
}

// fit runs Newton's method on the (concave) log-likelihood with a small
// ridge, from the summed rarity alone (today's order), and returns the
// constants rounded to thousandths with the mean log-likelihood before and
// after.
func (f *orderFitter) fit() (ruleOrder, float64, float64) {
	const ridge = 1.0
	n := len(f.starts)
	beta := make([]float64, nFeatures)
	beta[nFeatures-1] = 1
	terms := strings.Split(*orderForm, ",")
	free := make([]bool, nFeatures)
	for a := range free {
		switch {
		case a < len(blockRules):
			free[a] = slices.Contains(terms, "a")
		case a < 2*len(blockRules):
			free[a] = slices.Contains(terms, "b")
		case a < 3*len(blockRules):
			free[a] = slices.Contains(terms, "s")
		default:
			free[a] = slices.Contains(terms, "sum")
		}
	}
	if !free[nFeatures-1] {
		beta[nFeatures-1] = 0
		for a := range blockRules {
			// the sum of each rule's rarest key, or of its keys: a start
			// near today's order
			switch {
			case free[2*len(blockRules)+a]:
				beta[2*len(blockRules)+a] = 1
			case free[a]:
				beta[a] = 1
			}
		}
	}
	ll := func(beta []float64) float64 {
		total := 0.0
		f.each(beta, func(_ int, lse, sc float64, _, _ []float64) { total += sc - lse })
		for _, b := range beta[:nFeatures-1] {
			total -= ridge / 2 * b * b
		}
		return total / float64(n)
	}
	start := ll(beta)
	cur := start
	for iter := 0; iter < 50; iter++ {
		g := make([]float64, nFeatures)
		h := make([]float64, nFeatures*nFeatures)
		f.each(beta, func(_ int, _, _ float64, xc []float64, mom []float64) {
			// mom: E[x] (nFeatures) then E[x xᵀ] (nFeatures²)
			for a := range nFeatures {
				g[a] += xc[a] - mom[a]
				for b := range nFeatures {
					h[a*nFeatures+b] += mom[nFeatures+a*nFeatures+b] - mom[a]*mom[b]
				}
			}
		})
		for a := range nFeatures - 1 {
			g[a] -= ridge * beta[a]
			h[a*nFeatures+a] += ridge
		}
		h[(nFeatures-1)*nFeatures+nFeatures-1] += 1e-6
		for a := range nFeatures {
			if !free[a] {
				g[a] = 0
				for b := range nFeatures {
					h[a*nFeatures+b], h[b*nFeatures+a] = 0, 0
				}
				h[a*nFeatures+a] = 1
			}
		}
		step := newtonSolve(h, g)
		t := 1.0
		var next []float64
		var nl float64
		for range 30 {
			next = slices.Clone(beta)
			for a := range next {
				next[a] += t * step[a]
			}
			if nl = ll(next); nl >= cur-1e-12 {
				break
			}
			t /= 2
		}
		beta = next
		done := nl-cur < 1e-7
		cur = nl
		if done {
			break
		}
	}
	if *orderFitBy == "cap4" {
		f.searchWithin(beta, free, *orderCap/4)
	}
	var o ruleOrder
	for r := range blockRules {
		o.A[r] = int64(math.Round(1000 * beta[r]))
		o.B[r] = int64(math.Round(1000 * beta[len(blockRules)+r]))
		o.S[r] = int64(math.Round(1000 * beta[2*len(blockRules)+r]))
	}
	o.C = int64(math.Round(1000 * beta[nFeatures-1]))
	return o, start, cur
}

// each calls fn per trace with the log of its partition sum, the child's
// score, the child's features and the weighted moments of the features
// under the model's choice probabilities.
func (f *orderFitter) each(beta []float64, fn func(t int, lse, sc float64, xc, mom []float64)) {
	xc := make([]float64, nFeatures)
	mom := make([]float64, nFeatures+nFeatures*nFeatures)
	x := make([]float64, nFeatures)
	for t, s := range f.starts {
		end := len(f.w)
		if t+1 < len(f.starts) {
			end = f.starts[t+1]
		}
		scores := make([]float64, end-s)
		top := math.Inf(-1)
		for i := s; i < end; i++ {
			v := 0.0
			for a := range nFeatures {
				v += beta[a] * float64(f.x[i*nFeatures+a])
			}
			scores[i-s] = v
			top = max(top, v)
		}
		z := 0.0
		clear(mom)
		for i := s; i < end; i++ {
			p := float64(f.w[i]) * math.Exp(scores[i-s]-top)
			z += p
			for a := range nFeatures {
				x[a] = float64(f.x[i*nFeatures+a])
			}
			for a := range nFeatures {
				mom[a] += p * x[a]
				for b := range nFeatures {
					mom[nFeatures+a*nFeatures+b] += p * x[a] * x[b]
				}
			}
		}
		for a := range mom {
			mom[a] /= z
		}
		for a := range nFeatures {
			xc[a] = float64(f.x[s*nFeatures+a])
		}
		fn(t, top+math.Log(z), scores[0], xc, mom)
	}
}

// newtonSolve returns x with h·x = g (Gaussian elimination, partial pivoting).
func newtonSolve(h, g []float64) []float64 {
	n := len(g)
	a := slices.Clone(h)
	b := slices.Clone(g)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r*n+c]) > math.Abs(a[p*n+c]) {
				p = r
			}
		}
		for k := range n {
			a[c*n+k], a[p*n+k] = a[p*n+k], a[c*n+k]
		}
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / a[c*n+c]
			for k := c; k < n; k++ {
				a[r*n+k] -= f * a[c*n+k]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		v := b[r]
		for k := r + 1; k < n; k++ {
			v -= a[r*n+k] * x[k]
		}
		x[r] = v / a[r*n+r]
	}
	return x
}

// within is the (sampling-weighted) share of the fit's traces whose child
// has fewer than k other hits scoring above it.
func (f *orderFitter) within(beta []float64, k int) float64 {
	in := 0
	score := func(i int) float64 {
		v := 0.0
		for a := range nFeatures {
			v += beta[a] * float64(f.x[i*nFeatures+a])
		}
		return v
	}
	for t, s := range f.starts {
		end := len(f.w)
		if t+1 < len(f.starts) {
			end = f.starts[t+1]
		}
		sc := score(s)
		above := 0.0
		for i := s + 1; i < end && above < float64(k); i++ {
			if score(i) > sc {
				above += float64(f.w[i])
			}
		}
		if above < float64(k) {
			in++
		}
	}
	return float64(in) / float64(len(f.starts))
}

// searchWithin changes beta's free terms one at a time, by steps from
// coarse to fine (a rarity multiple by a third of the step, a constant by
// the step in nats), keeping each change that raises within(beta, k).
func (f *orderFitter) searchWithin(beta []float64, free []bool, k int) {
	best := f.within(beta, k)
	start := best
	for _, step := range []float64{1, 0.3, 0.1, 0.03} {
		for improved, rounds := true, 0; improved && rounds < 5; rounds++ {
			improved = false
			for a := range beta {
				if !free[a] {
					continue
				}
				d := step
				if a < len(blockRules) || a >= 2*len(blockRules) {
					d = step / 3
				}
				for _, sign := range []float64{1, -1} {
					old := beta[a]
					beta[a] += sign * d
					if v := f.within(beta, k); v > best {
						best, improved = v, true
						break
					}
					beta[a] = old
				}
			}
		}
	}
	fmt.Printf("  coordinate search: share within %d on the fit's traces %.4f -> %.4f\n", k, start, best)
}
