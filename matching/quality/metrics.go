package quality

import (
	"fmt"
	"math"
	"strings"
)

// Prediction is one scored (trace, case) pair as a reviewer would see it.
type Prediction struct {
	Probability float64
	Label       string
	True        bool
}

// TraceResult is what one method gave for one held-out trace.
type TraceResult struct {
	// Registered: the trace's child is a matchable case.
	Registered bool
	// Sibling: a brother or sister of the child is a matchable case.
	Sibling bool
	// Rank of the child's case among the ranked candidates (1 = first), 0
	// when it is not among them.
	Rank int
	// Candidates is how many cases were scored.
	Candidates int
	// Top are the best candidates, best first (at most StoredPerTrace).
	Top []Prediction
	// Mass is the sum of all candidates' probabilities: the model's
	// probability that the child is among them (0 for the baseline).
	Mass float64
}

// StoredPerTrace is how many candidates per trace count as stored (shown to
// reviewers) for calibration and label figures.
const StoredPerTrace = 10

// Metrics are the quality figures of one method on one evaluation set.
type Metrics struct {
	Method             string
	Traces, Registered int
	RecallAt           map[int]float64 // k -> share of registered traces with the child in the top k
	InCandidates       float64         // share of registered traces whose child is among the candidates
	ECE, ECETop1       float64
	Reliability        []Bin
	TrueLikely         float64 // share of registered traces whose child is labelled likely
	UnregisteredLikely float64 // share of unregistered traces with a likely candidate
	UnregSiblingLikely float64 // the same, among those with a registered brother or sister
	UnregSiblingTraces int
	LikelyPrecision    float64 // share of likely labels that are the child
	// Tradeoff: for likely thresholds, the share of registered traces
	// whose child would be likely and of unregistered traces with a likely.
	Tradeoff             []ThresholdFigures
	MeanCandidates       float64
	MaxCandidates        int
	LikelyPerTrace       float64
	PossiblePerTrace     float64
	StoredTrueBelowFloor int
}

// ThresholdFigures are the label figures at one likely threshold: measured
// with the truth, and expected by the model from its own probabilities
// alone (what a tenant can compute without knowing the answers).
type ThresholdFigures struct {
	Threshold, TrueLikely, UnregisteredLikely      float64
	ExpectedTrueLikely, ExpectedUnregisteredLikely float64
}

// Thresholds for which Tradeoff is computed.
var Thresholds = []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}

// Bin is one row of a reliability table.
type Bin struct {
	Lo, Hi    float64
	N         int
	Predicted float64 // mean predicted probability
	Observed  float64 // share that are true matches
}

// Evaluate computes the metrics of one method's results.
func Evaluate(method string, rs []TraceResult, likely, possible string) Metrics {
	m := Metrics{Method: method, RecallAt: map[int]float64{}}
	var all, top1 []Prediction
	likelyN, likelyTrue := 0, 0
	cands := 0
	for _, r := range rs {
		m.Traces++
		cands += r.Candidates
		m.MaxCandidates = max(m.MaxCandidates, r.Candidates)
		top := r.Top[:min(len(r.Top), StoredPerTrace)]
		all = append(all, top...)
		if len(top) > 0 {
			top1 = append(top1, top[0])
		}
		anyLikely := false
		for _, p := range top {
			switch p.Label {
			case likely:
				likelyN++
				anyLikely = true
				if p.True {
					likelyTrue++
				}
			case possible:
				m.PossiblePerTrace++
			}
		}
		if r.Registered {
			m.Registered++
			if r.Rank > 0 {
				m.InCandidates++
			}
			for _, k := range []int{1, 5, 10} {
				if r.Rank > 0 && r.Rank <= k {
					m.RecallAt[k]++
				}
			}
			for _, p := range top {
				if p.True && p.Label == likely {
					m.TrueLikely++
				}
			}
		} else {
			if anyLikely {
				m.UnregisteredLikely++
			}
			if r.Sibling {
				m.UnregSiblingTraces++
				if anyLikely {
					m.UnregSiblingLikely++
				}
			}
		}
	}
	reg := float64(max(m.Registered, 1))
	unreg := float64(max(m.Traces-m.Registered, 1))
	for k := range m.RecallAt {
		m.RecallAt[k] /= reg
	}
	m.InCandidates /= reg
	m.TrueLikely /= reg
	m.UnregisteredLikely /= unreg
	m.UnregSiblingLikely /= float64(max(m.UnregSiblingTraces, 1))
	if likelyN > 0 {
		m.LikelyPrecision = float64(likelyTrue) / float64(likelyN)
	}
	m.LikelyPerTrace = float64(likelyN) / float64(max(m.Traces, 1))
	m.PossiblePerTrace /= float64(max(m.Traces, 1))
	m.MeanCandidates = float64(cands) / float64(max(m.Traces, 1))
	for _, th := range Thresholds {
		f := ThresholdFigures{Threshold: th}
		found, none := 0.0, 0.0
		for _, r := range rs {
			top := r.Top[:min(len(r.Top), StoredPerTrace)]
			if r.Registered {
				for _, p := range top {
					if p.True && p.Probability >= th {
						f.TrueLikely++
					}
				}
			} else if len(top) > 0 && top[0].Probability >= th {
				f.UnregisteredLikely++
			}
			found += r.Mass
			none += 1 - r.Mass
			for _, p := range top {
				if p.Probability >= th {
					f.ExpectedTrueLikely += p.Probability
				}
			}
			if len(top) > 0 && top[0].Probability >= th {
				f.ExpectedUnregisteredLikely += 1 - r.Mass
			}
		}
		f.TrueLikely /= reg
		f.UnregisteredLikely /= unreg
		f.ExpectedTrueLikely /= max(found, 1e-9)
		f.ExpectedUnregisteredLikely /= max(none, 1e-9)
		m.Tradeoff = append(m.Tradeoff, f)
	}
	m.Reliability, m.ECE = reliability(all)
	_, m.ECETop1 = reliability(top1)
	return m
}

// reliability bins predictions into ten equal-width bins and returns the
// table and the expected calibration error (the bins' |observed -
// predicted| weighted by their size).
func reliability(ps []Prediction) ([]Bin, float64) {
	bins := make([]Bin, 10)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = float64(i)/10, float64(i+1)/10
	}
	for _, p := range ps {
		i := min(int(p.Probability*10), 9)
		bins[i].N++
		bins[i].Predicted += p.Probability
		if p.True {
			bins[i].Observed++
		}
	}
	ece := 0.0
	for i := range bins {
		if bins[i].N == 0 {
			continue
		}
		n := float64(bins[i].N)
		bins[i].Predicted /= n
		bins[i].Observed /= n
		ece += n / float64(max(len(ps), 1)) * math.Abs(bins[i].Observed-bins[i].Predicted)
	}
	return bins, ece
}

// Table formats metrics side by side (Markdown).
func Table(ms ...Metrics) string {
	var b strings.Builder
	b.WriteString("| figure |")
	for _, m := range ms {
		fmt.Fprintf(&b, " %s |", m.Method)
	}
	b.WriteString("\n|---|")
	for range ms {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	row := func(name string, f func(m Metrics) string) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, m := range ms {
			fmt.Fprintf(&b, " %s |", f(m))
		}
		b.WriteString("\n")
	}
	pct := func(x float64) string { return fmt.Sprintf("%.3f", x) }
	row("traces (child registered)", func(m Metrics) string { return fmt.Sprintf("%d (%d)", m.Traces, m.Registered) })
	row("recall@1", func(m Metrics) string { return pct(m.RecallAt[1]) })
	row("recall@5", func(m Metrics) string { return pct(m.RecallAt[5]) })
	row("recall@10", func(m Metrics) string { return pct(m.RecallAt[10]) })
	row("child among candidates", func(m Metrics) string { return pct(m.InCandidates) })
	row("ECE (top 10 per trace)", func(m Metrics) string { return pct(m.ECE) })
	row("ECE (best per trace)", func(m Metrics) string { return pct(m.ECETop1) })
	row("true match labelled likely", func(m Metrics) string { return pct(m.TrueLikely) })
	row("unregistered child: trace with a likely", func(m Metrics) string { return pct(m.UnregisteredLikely) })
	row("  of which a sibling is registered", func(m Metrics) string {
		return fmt.Sprintf("%s (%d traces)", pct(m.UnregSiblingLikely), m.UnregSiblingTraces)
	})
	row("likely labels that are the child", func(m Metrics) string { return pct(m.LikelyPrecision) })
	row("likely / possible labels per trace", func(m Metrics) string {
		return fmt.Sprintf("%.2f / %.2f", m.LikelyPerTrace, m.PossiblePerTrace)
	})
	row("candidates per trace (mean / max)", func(m Metrics) string {
		return fmt.Sprintf("%.0f / %d", m.MeanCandidates, m.MaxCandidates)
	})
	return b.String()
}

// TradeoffTable formats the label figures per likely threshold (Markdown):
// for a score that is not a probability (the baseline's), the thresholds
// apply to it all the same.
func TradeoffTable(m Metrics) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s: likely at or above | true match likely | unregistered child, a likely | expected by the model: true likely | expected: unregistered, a likely |\n|---|---|---|---|---|\n", m.Method)
	for _, f := range m.Tradeoff {
		fmt.Fprintf(&b, "| %.2f | %.3f | %.3f | %.3f | %.3f |\n", f.Threshold, f.TrueLikely, f.UnregisteredLikely,
			f.ExpectedTrueLikely, f.ExpectedUnregisteredLikely)
	}
	return b.String()
}

// ReliabilityTable formats a reliability table (Markdown).
func ReliabilityTable(m Metrics) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s: predicted | pairs | mean predicted | observed |\n|---|---|---|---|\n", m.Method)
	for _, bin := range m.Reliability {
		if bin.N == 0 {
			fmt.Fprintf(&b, "| %.1f-%.1f | 0 | | |\n", bin.Lo, bin.Hi)
			continue
		}
		fmt.Fprintf(&b, "| %.1f-%.1f | %d | %.3f | %.3f |\n", bin.Lo, bin.Hi, bin.N, bin.Predicted, bin.Observed)
	}
	return b.String()
}
