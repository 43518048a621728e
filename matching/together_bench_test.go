package matching

import (
	"math"
	"math/rand/v2"
	"testing"
)

// togetherGroup is a made-up request of traces traces for
// groupPosteriorLinked, of the size rankKept gives it in a run (300 kept
// candidates per trace, PreScoreKeep): a share shared of each trace's
// candidates are candidates of an earlier trace too (brothers and sisters
// have one family's names), each candidate at one or two of 60 places, a
// tenth at its trace's own place, three log likelihood ratios high and the
// others lower. Not measured on any tenant: a shape for timing the
// messages, not their values.
func togetherGroup(traces int, shared float64, seed uint64) (priors, [][]float64, []link, *siblingGroup) {
	const n, places = PreScoreKeep, 60
	r := rand.New(rand.NewPCG(seed, 7))
	pr := newPriors(0.6, 0.5, 1_000_000)
	ids := make([][]int, traces)
	lrs := make([][]float64, traces)
	g := &siblingGroup{places: make([][][2]int32, traces), two: make([][]int32, traces), top: make([][]uint8, traces)}
	twoOf := map[[2]int32]int32{}
	next := 0
	for t := range traces {
		ids[t] = make([]int, n)
		lrs[t] = make([]float64, n)
		g.places[t], g.two[t], g.top[t] = make([][2]int32, n), make([]int32, n), make([]uint8, n)
		for i := range n {
			from := -1
			if t > 0 && r.Float64() < shared {
				from = r.IntN(t)
				ids[t][i] = ids[from][i] // the same case, as a candidate of both
			} else {
				ids[t][i] = next
				next++
			}
			lrs[t][i] = 12 + 4*r.NormFloat64()
			if i < 3 {
				lrs[t][i] = 18 + 2*r.NormFloat64()
			}
			if r.IntN(10) == 0 {
				g.top[t][i] = 1
			}
			if from >= 0 {
				// the same case's places (read at another: a message's
				// mass could fall below 0, its log NaN)
				g.places[t][i], g.two[t][i] = g.places[from][i], g.two[from][i]
				continue
			}
			a := int32(r.IntN(places))
			g.places[t][i], g.two[t][i] = [2]int32{a, -1}, -1
			if r.IntN(3) == 0 {
				b := int32(r.IntN(places))
				if b != a {
					g.places[t][i][1] = b
					k := [2]int32{min(a, b), max(a, b)}
					id, ok := twoOf[k]
					if !ok {
						id = int32(len(twoOf))
						twoOf[k] = id
					}
					g.two[t][i] = id
				}
			}
		}
	}
	g.nPlaces, g.nTwos = places, len(twoOf)
	links := linksBy(traces, func(int) int { return n }, func(t, i int) string { return string(rune(ids[t][i] + 1)) })
	for t := range traces {
		for u := t + 1; u < traces; u++ {
			sb := sibling{t: int32(t), u: int32(u)}
			for _, l := range links {
				if int(l.t) == t && int(l.u) == u {
					sb.same = append(sb.same, [2]int32{l.i, l.j})
				}
			}
			g.sibs = append(g.sibs, sb)
		}
	}
	return pr, lrs, links, g
}

// togetherBenchWeights are Together's log weights, made up (Agree above
// Chance in every cell), at the default calibration's scale.
var togetherBenchWeights = DefaultCalibration.together(togetherWeights{
	agree:  [3]float64{math.Log(0.30 / 0.05), math.Log(0.45 / 0.08), math.Log(0.60 / 0.12)},
	differ: [3]float64{math.Log(0.70 / 0.95), math.Log(0.55 / 0.92), math.Log(0.40 / 0.88)},
})

// BenchmarkGroupPosteriorTogether is the group posterior of a request of two
// and of three traces with Together's messages (groupPosteriorLinked, as
// rankKept calls it). The batch benchmark (quality's BenchmarkMatchBatch)
// ranks one trace at a time, so it never meets Together; this times its
// messages alone (docs/matching-log.md, Speed → Session 36 (engineer S):
// 5 rounds for two traces, 8 for three, undamped while converging; about
// 30 damped).
func BenchmarkGroupPosteriorTogether(b *testing.B) {
	for _, traces := range []int{2, 3} {
		pr, lrs, links, g := togetherGroup(traces, 0.3, uint64(traces))
		b.Run(string(rune('0'+traces))+"-traces", func(b *testing.B) {
			for b.Loop() {
				groupPosteriorLinked(pr, lrs, links, g, togetherBenchWeights, nil)
			}
		})
	}
}
