package quality

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// swapSide says on which side the generator swapped the child's names
// between the given-name field and a family-name field: "trace", "case",
// "both" or "" (synthetic: the note "swap" in the trace's or the case's
// Distortions).
func swapSide(trace, cas []string) string {
	has := func(ns []string) bool {
		for _, n := range ns {
			if n == "swap" {
				return true
			}
		}
		return false
	}
	switch t, c := has(trace), has(cas); {
	case t && c:
		return "both"
	case t:
		return "trace"
	case c:
		return "case"
	}
	return ""
}

// swapTally is, for one class of held-out traces whose child is ranked,
// the recall at 1 and 10, the child's levels of the name comparisons, and
// where the child is not first what it loses to the case ranked first.
type swapTally struct {
	n, first, top10 int
	levels          map[string]map[string]int // name comparison -> child's level -> traces
	lost            map[string]int            // comparison -> outranked children weighing less there
	bits            map[string]float64        // comparison -> bits lost there (top - child, where positive)
	pairs           map[string]map[string]int // comparison -> "child level | top level" where the child weighs less
}

func newSwapTally() *swapTally {
	return &swapTally{levels: map[string]map[string]int{}, lost: map[string]int{}, bits: map[string]float64{},
		pairs: map[string]map[string]int{}}
}

// nameComparisons are the comparisons a swap of the child's names can
// lower.
var nameComparisons = []string{"given_name", "family_names", "other_names"}

// BenchmarkDiagnoseSwaps is a diagnosis, not a figure of the report: among
// the held-out traces whose child is ranked (among the candidates kept by
// the pre-score), it compares the traces whose names or whose child's
// registration's names were swapped between the given-name and a
// family-name field (synthetic `Swap`) with the others: recall at 1 and at
// 10, the child's levels of the name comparisons, and for the children
// not first, per comparison, how often and by how many bits the child
// weighs less than the case ranked first, with the pairs of levels. Then a
// bound for a name comparison across fields: the swapped children not
// first (not in the top 10) whose weight gap to the first (the tenth) is
// below what the child lacks on given_name plus family_names against the
// mean weights of those comparisons on the non-swapped children ranked
// first (an optimistic bound: as if a swap cost nothing). Run with
// -quality.profile=A|B, -quality.cases, -quality.traces, -quality.prescore.
func BenchmarkDiagnoseSwaps(b *testing.B) {
	p := diagnosisProfile()
	var mu sync.Mutex
	tallies := map[string]*swapTally{}
	// Means of given_name and family_names weights on the non-swapped
	// children ranked first.
	var sumGiven, sumFamily float64
	nFirst := 0
	type pending struct {
		class              string
		given, family      float64
		gapFirst, gapTenth float64
		inTop10            bool
	}
	var outranked []pending
	outside := map[string]int{}
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
		Prior: *qualityPrior, PreScore: *qualityPreScore,
		Inspect: func(in Inspection) {
			if in.Trace.CaseID == "" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			class := swapSide(in.Trace.Distortions, in.Case(in.Trace.CaseID).Distortions)
			switch class {
			case "":
				class = "not swapped"
			case "both":
				class = "swapped on both sides"
			default:
				class = "swapped on the " + class
			}
			rank := -1
			for i, c := range in.Ranked {
				if c.Case.ID == in.Trace.CaseID {
					rank = i
					break
				}
			}
			if rank < 0 {
				outside[class]++
				return
			}
			child := in.Ranked[rank]
			weightOf := func(name string) float64 {
				for _, f := range child.Fields {
					if f.Comparison == name {
						return f.Weight
					}
				}
				return 0
			}
			if class == "not swapped" && rank == 0 {
				nFirst++
				sumGiven += weightOf("given_name")
				sumFamily += weightOf("family_names")
			}
			for _, key := range []string{class, "all swapped"} {
				if key == "all swapped" && class == "not swapped" {
					continue
				}
				t := tallies[key]
				if t == nil {
					t = newSwapTally()
					tallies[key] = t
				}
				t.n++
				if rank == 0 {
					t.first++
				}
				if rank < 10 {
					t.top10++
				}
				for _, f := range child.Fields {
					for _, c := range nameComparisons {
						if f.Comparison == c {
							if t.levels[c] == nil {
								t.levels[c] = map[string]int{}
							}
							t.levels[c][f.Level]++
						}
					}
				}
				if rank == 0 {
					continue
				}
				top := in.Ranked[0]
				for i, f := range child.Fields {
					d := top.Fields[i].Weight - f.Weight
					if d <= 0.01 {
						continue
					}
					t.lost[f.Comparison]++
					t.bits[f.Comparison] += d
					if t.pairs[f.Comparison] == nil {
						t.pairs[f.Comparison] = map[string]int{}
					}
					t.pairs[f.Comparison][f.Level+" | "+top.Fields[i].Level]++
				}
			}
			if rank > 0 && class != "not swapped" {
				tenth := 0.0
				if len(in.Ranked) >= 10 {
					tenth = in.Ranked[9].Weight
				}
				outranked = append(outranked, pending{class: class, given: weightOf("given_name"), family: weightOf("family_names"),
					gapFirst: in.Ranked[0].Weight - child.Weight, gapTenth: tenth - child.Weight, inTop10: rank < 10})
			}
		}}
	res := runB(b, o)
	var out strings.Builder
	out.WriteString(res.Report())
	meanGiven, meanFamily := sumGiven/float64(max(nFirst, 1)), sumFamily/float64(max(nFirst, 1))
	fmt.Fprintf(&out, "profile %s, %d cases; held-out traces whose child is registered but not ranked: %v\n", p.Name, *qualityCases, outside)
	for _, key := range sortedKeys(tallies) {
		t := tallies[key]
		fmt.Fprintf(&out, "\n%s: %d children ranked, recall@1 %.3f (%d), recall@10 %.3f (%d)\n", key, t.n,
			float64(t.first)/float64(max(t.n, 1)), t.first, float64(t.top10)/float64(max(t.n, 1)), t.top10)
		for _, c := range nameComparisons {
			fmt.Fprintf(&out, "  %-13s child's levels:", c)
			printMost(&out, t.levels[c], 8)
			out.WriteString("\n")
		}
		comps := sortedKeys(t.lost)
		sort.SliceStable(comps, func(i, j int) bool { return t.bits[comps[i]] > t.bits[comps[j]] })
		miss := t.n - t.first
		fmt.Fprintf(&out, "  not first %d; per comparison where the child weighs less than the first:\n", miss)
		for _, c := range comps {
			fmt.Fprintf(&out, "    %-18s %4d (%.2f), %.2f bits per child not first; levels (child | first):", c, t.lost[c],
				float64(t.lost[c])/float64(max(miss, 1)), t.bits[c]/float64(max(miss, 1)))
			printMost(&out, t.pairs[c], 5)
			out.WriteString("\n")
		}
	}
	fmt.Fprintf(&out, "\nnon-swapped children ranked first: %d, mean weight given_name %.2f, family_names %.2f bits\n", nFirst, meanGiven, meanFamily)
	bound := map[string]int{}
	for _, x := range outranked {
		lack := max(0, meanGiven-x.given) + max(0, meanFamily-x.family)
		if x.gapFirst < lack {
			bound[x.class+": could be first"]++
			bound["all swapped: could be first"]++
		}
		if !x.inTop10 && x.gapTenth < lack {
			bound[x.class+": could enter the top 10"]++
			bound["all swapped: could enter the top 10"]++
		}
		bound[x.class+": not first"]++
		bound["all swapped: not first"]++
	}
	out.WriteString("optimistic bound for a name comparison across fields (gap below the names' lack):\n")
	for _, k := range sortedKeys(bound) {
		fmt.Fprintf(&out, "  %-50s %d\n", k, bound[k])
	}
	fmt.Fprintln(os.Stdout, out.String())
}
