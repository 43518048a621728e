package quality

import (
	"cmp"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

var (
	orderCases  = flag.String("order.cases", "100000", "case counts of BenchmarkCandidateOrder (comma-separated)")
	orderTraces = flag.Int("order.traces", 4_000, "traces generated per profile by BenchmarkCandidateOrder")
)

// candidateOrder is the two orders of a trace's candidates: by the summed
// weight of the keys they share (matching.KeyWeight, what the SQL query and
// matching.Index do) and, before session 20, by the count of shared keys.
// Each is capped at matching.MaxCandidates; ties go to the lower index.
type candidateOrder struct {
	byWeight, byCount []int32
	hits              int // cases sharing a key, before the cap
	// shares reports whether a case shares a key with the trace (is a
	// candidate before the cap).
	shares func(int32) bool
}

// orderCandidates selects a trace's candidates from postings (the cases of
// each key, n cases in all) as both orders, stop keys aside.
func orderCandidates(keys []string, postings map[string][]int32, stop map[string]bool, n int, withCount bool) candidateOrder {
	type hit struct {
		weight int64
		count  int32
	}
	hits := map[int32]hit{}
	for _, k := range keys {
		if stop[k] {
			continue
		}
		cs := postings[k]
		w := matching.KeyWeight(n, len(cs))
		for _, c := range cs {
			h := hits[c]
			h.weight += w
			h.count++
			hits[c] = h
		}
	}
	ids := make([]int32, 0, len(hits))
	for c := range hits {
		ids = append(ids, c)
	}
	o := candidateOrder{hits: len(ids), shares: func(c int32) bool { _, ok := hits[c]; return ok }}
	top := func(key func(hit) int64) []int32 {
		out := slices.Clone(ids)
		slices.SortFunc(out, func(a, b int32) int {
			if ka, kb := key(hits[a]), key(hits[b]); ka != kb {
				return cmp.Compare(kb, ka)
			}
			return cmp.Compare(a, b)
		})
		return out[:min(len(out), matching.MaxCandidates)]
	}
	o.byWeight = top(func(h hit) int64 { return h.weight })
	if withCount {
		o.byCount = top(func(h hit) int64 { return int64(h.count) })
	}
	return o
}

// childRank is the 1-based rank of case c in ids, -1 when absent.
func childRank(ids []int32, c int32) int {
	if i := slices.Index(ids, c); i >= 0 {
		return i + 1
	}
	return -1
}

// orderShares is, over traces whose child is registered, the share whose
// child is among the first 250, 500, 1,000 and 2,000 candidates of an
// order, and the 99th percentile of its rank among those found.
func orderShares(ranks []int) string {
	if len(ranks) == 0 {
		return "no traces"
	}
	var found []int
	for _, r := range ranks {
		if r > 0 {
			found = append(found, r)
		}
	}
	slices.Sort(found)
	within := func(n int) float64 {
		k, _ := slices.BinarySearch(found, n+1)
		return float64(k) / float64(len(ranks))
	}
	p99 := 0
	if len(found) > 0 {
		p99 = found[min(len(found)-1, int(0.99*float64(len(found))))]
	}
	return fmt.Sprintf("%.3f / %.3f / %.3f / %.3f (rank p99 %d)", within(250), within(500), within(1000), within(2000), p99)
}

// BenchmarkCandidateOrder measures where traces' children fall in the
// candidate order, by shared-key weight (now) and by shared-key count
// (before session 20), for both distortion profiles at each of
// -order.cases: the share of traces whose child is registered that find
// it within the first 250/500/1,000/2,000 candidates. Blocking keys only
// (no parameters, no scoring), so a 300,000-case world costs minutes.
// Figures, not assertions.
func BenchmarkCandidateOrder(b *testing.B) {
	for range b.N {
		for _, f := range strings.Split(*orderCases, ",") {
			var n int
			if _, err := fmt.Sscan(f, &n); err != nil {
				b.Fatal(err)
			}
			for _, p := range []synthetic.Profile{synthetic.ProfileA(), synthetic.ProfileB()} {
				orderRun(b, p, n)
			}
		}
	}
}

func orderRun(b *testing.B, p synthetic.Profile, cases int) {
	start := time.Now()
	probe := synthetic.Generate(synthetic.Options{Profile: p, Cases: 1, Traces: 1, Seed: 21})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), probe.Locations, probe.Today)
	if err != nil {
		b.Fatal(err)
	}
	postings := map[string][]int32{}
	index := map[string]int32{}
	ds := synthetic.Generate(synthetic.Options{Profile: p, Cases: cases, Traces: *orderTraces, Seed: 21,
		OnCase: func(c synthetic.Case) {
			if !c.Consent {
				return
			}
			i := int32(len(index))
			index[c.ID] = i
			for _, k := range m.CaseKeys(m.NewCase(c.ID, c.Data)) {
				postings[k] = append(postings[k], i)
			}
		}})
	stop := map[string]bool{}
	for k, cs := range postings {
		if len(cs) > matching.StopCases {
			stop[k] = true
		}
	}
	var byWeight, byCount []int
	hits, capped, traces, shared := 0, 0, 0, 0
	for _, r := range ds.Requests {
		for _, t := range r.Traces {
			c, ok := index[t.CaseID]
			if !ok {
				continue
			}
			o := orderCandidates(m.TraceKeys(m.NewTrace(t.ID, r.Data, t.Row)), postings, stop, len(index), true)
			byWeight = append(byWeight, childRank(o.byWeight, c))
			byCount = append(byCount, childRank(o.byCount, c))
			hits += o.hits
			if o.shares(c) {
				shared++
			}
			capped += len(o.byWeight)
			traces++
		}
	}
	fmt.Printf("profile %s, %d cases (%d with consent), %d traces with their child registered, %d stop keys, "+
		"cases sharing a key per trace %d (candidates after the cap %d); %s\n"+
		"  child shares a key (no cap) %.3f; child within 250 / 500 / 1,000 / 2,000: by weight %s; by count %s\n",
		p.Name, cases, len(index), traces, len(stop), hits/max(traces, 1), capped/max(traces, 1),
		time.Since(start).Round(time.Second), float64(shared)/float64(max(traces, 1)), orderShares(byWeight), orderShares(byCount))
}
