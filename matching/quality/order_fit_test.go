package quality

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// TestRankByIsTheWeightOrder: the child's rank that BenchmarkCandidateOrder
// counts without sorting (rankBy) is its place in the sorted order by
// summed rarity (what the SQL query and matching.Index keep), and each
// hit's per-rule rarity is the largest KeyWeight of its shared keys of
// that rule, so the by-rule order compares with today's on the same hits.
func TestRankByIsTheWeightOrder(t *testing.T) {
	t.Parallel()
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 3000, Traces: 300, Seed: 25})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
	require.NoError(t, err)
	postings := map[string][]int32{}
	index := map[string]int32{}
	var caseKeys [][]string
	for _, c := range ds.Cases {
		if !c.Consent {
			continue
		}
		index[c.ID] = int32(len(caseKeys))
		ks := m.CaseKeys(m.NewCase(c.ID, c.Data))
		for _, k := range ks {
			postings[k] = append(postings[k], int32(len(caseKeys)))
		}
		caseKeys = append(caseKeys, ks)
	}
	checked := 0
	for _, r := range ds.Requests {
		for _, tr := range r.Traces {
			c, ok := index[tr.CaseID]
			if !ok {
				continue
			}
			tk := m.TraceKeys(m.NewTrace(tr.ID, r.Data, tr.Row))
			o := orderCandidates(tk, postings, nil, len(caseKeys), false)
			require.LessOrEqual(t, len(o.hits), *orderCap, "the cap does not bind at this size")
			require.Equal(t, childRank(o.byWeight, c), rankBy(o.hits, c, func(h *ruleHit) int64 { return h.weight }))
			if h, ok := o.hits[c]; ok {
				var want [len(blockRules)]int64
				for _, k := range tk {
					// rules after blockRules (fi, session 36) count in the
					// summed rarity only
					if _, shared := slices.BinarySearch(caseKeys[c], k); shared && ruleOf(k) >= 0 {
						r := ruleOf(k)
						want[r] = max(want[r], matching.KeyWeight(len(caseKeys), len(postings[k])))
					}
				}
				require.Equal(t, want, h.max)
				checked++
			}
		}
	}
	require.Greater(t, checked, 100)
}

// TestOrderFitRecoversConstants: hits drawn at random, the child among each
// trace's hits chosen with the probability the per-rule form gives it under
// known constants; the fit (form a,b) finds those constants again.
func TestOrderFitRecoversConstants(t *testing.T) {
	form := *orderForm
	*orderForm = "a,b"
	t.Cleanup(func() { *orderForm = form })
	truth := ruleOrder{A: [...]int64{300, 100, 400, 700, 350, 300, 100}, B: [...]int64{-2500, 300, -1000, -1000, -500, 1000, 2800}}
	rng := rand.New(rand.NewPCG(1, 2))
	var f orderFitter
	for range 1500 {
		hits := map[int32]ruleHit{}
		var p []float64
		for j := range int32(150) {
			var h ruleHit
			for r := range blockRules {
				if rng.Float64() < 0.35 {
					h.max[r] = 5000 + rng.Int64N(6000)
					h.sum[r] = h.max[r]
					h.weight += h.max[r]
				}
			}
			hits[j] = h
			p = append(p, math.Exp(float64(truth.score(&h))/1000))
		}
		u := rng.Float64() * floatsSum(p)
		c := int32(0)
		for ; c < int32(len(p))-1 && u > p[c]; c++ {
			u -= p[c]
		}
		f.add(hits, c)
	}
	got, before, after := f.fit()
	t.Logf("fitted %s (log-likelihood %.3f -> %.3f)", got.String(), before, after)
	require.Greater(t, after, before, "the fit raises the likelihood from its start")
	for r, name := range blockRules {
		require.InDelta(t, truth.A[r], got.A[r], 120, "a of %s", name)
		require.InDelta(t, truth.B[r], got.B[r], 600, "b of %s", name)
	}
}

func floatsSum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}
