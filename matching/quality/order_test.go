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
	// A world of N cases with the cap and the stop threshold divided by
	// 1,000,000/N stands in for 1,000,000 cases (look-alikes per key grow
	// with the cases): minutes instead of an hour.
	orderCap      = flag.Int("order.cap", matching.MaxCandidates, "BenchmarkCandidateOrder's cap (candidates kept per trace); the shares are at 1/8, 1/4, 1/2 and all of it")
	orderStop     = flag.Int("order.stop", matching.StopCases, "BenchmarkCandidateOrder's stop threshold (a key held by more cases selects nothing)")
	orderRules    = flag.String("order.rules", "nn,ns,rn,rr,ls,nb,lg", "BenchmarkCandidateOrder's rule sets, separated by ';' (each a comma-separated list of rules whose keys the trace looks for)")
	orderProfiles = flag.String("order.profiles", "A,B", "BenchmarkCandidateOrder's profiles")
)

// candidateOrder is a trace's candidates in two orders: by the summed
// weight of the keys they share (matching.KeyWeight, what the SQL query and
// matching.Index do) and, before session 20, by the count of shared keys.
// Each is capped at -order.cap; ties go to the lower index. hits holds
// every case sharing a key (before the cap) with what its keys say, from
// which other orders rank the child (rankBy).
type candidateOrder struct {
	byWeight, byCount []int32
	hits              map[int32]ruleHit
}

// orderCandidates selects a trace's candidates from postings (the cases of
// each key, n cases in all) as both orders, stop keys aside.
func orderCandidates(keys []string, postings map[string][]int32, stop map[string]bool, n int, withCount bool) candidateOrder {
	hits := map[int32]ruleHit{}
	for _, k := range keys {
		if stop[k] {
			continue
		}
		cs := postings[k]
		w := matching.KeyWeight(n, len(cs))
		r := ruleOf(k)
		for _, c := range cs {
			h := hits[c]
			h.weight += w
			h.count++
			if r >= 0 {
				h.max[r] = max(h.max[r], w)
				h.sum[r] += w
			}
			hits[c] = h
		}
	}
	ids := make([]int32, 0, len(hits))
	for c := range hits {
		ids = append(ids, c)
	}
	o := candidateOrder{hits: hits}
	top := func(key func(ruleHit) int64) []int32 {
		out := slices.Clone(ids)
		slices.SortFunc(out, func(a, b int32) int {
			if ka, kb := key(hits[a]), key(hits[b]); ka != kb {
				return cmp.Compare(kb, ka)
			}
			return cmp.Compare(a, b)
		})
		return out[:min(len(out), *orderCap)]
	}
	o.byWeight = top(func(h ruleHit) int64 { return h.weight })
	if withCount {
		o.byCount = top(func(h ruleHit) int64 { return int64(h.count) })
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
// child is among the first 1/8, 1/4, 1/2, 3/4 and all of -order.cap candidates of an
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
	c := *orderCap
	return fmt.Sprintf("%.3f / %.3f / %.3f / %.3f / %.3f (rank p99 %d)", within(c/8), within(c/4), within(c/2), within(c*3/4), within(c), p99)
}

// BenchmarkCandidateOrder measures where traces' children fall in the
// candidate order, by shared-key weight (now), by shared-key count (before
// session 20) and by rule evidence (ruleOrder, session 25: not in the
// product), for both distortion profiles at each of -order.cases: the
// share of traces whose child is registered that find it within the first
// 1/8, 1/4, 1/2, 3/4 and all of -order.cap candidates. With -order.fit the
// by-rule constants are first fitted on profile A. Blocking keys only (no
// parameters, no scoring), so a 300,000-case world costs minutes. Figures,
// not assertions (docs/matching-log.md, Speed, Session 25).
func BenchmarkCandidateOrder(b *testing.B) {
	for range b.N {
		for _, f := range strings.Split(*orderCases, ",") {
			var n int
			if _, err := fmt.Sscan(f, &n); err != nil {
				b.Fatal(err)
			}
			for _, p := range []synthetic.Profile{synthetic.ProfileA(), synthetic.ProfileB()} {
				if strings.Contains(*orderProfiles, p.Name) {
					orderRun(b, p, n)
				}
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
	var caseKeys [][]string
	ds := synthetic.Generate(synthetic.Options{Profile: p, Cases: cases, Traces: *orderTraces, Seed: 21,
		OnCase: func(c synthetic.Case) {
			if !c.Consent {
				return
			}
			i := int32(len(index))
			index[c.ID] = i
			ks := m.CaseKeys(m.NewCase(c.ID, c.Data))
			for _, k := range ks {
				postings[k] = append(postings[k], i)
			}
			if *orderLost {
				caseKeys = append(caseKeys, ks)
			}
		}})
	stop := map[string]bool{}
	for k, cs := range postings {
		if len(cs) > *orderStop {
			stop[k] = true
		}
	}
	fmt.Printf("profile %s, %d cases (%d with consent), %d stop keys (over %d cases), cap %d; built in %s\n",
		p.Name, cases, len(index), len(stop), *orderStop, *orderCap, time.Since(start).Round(time.Second))
	for _, set := range strings.Split(*orderRules, ";") {
		// "precise>loose@T": the loose rules' keys only when the precise
		// ones select fewer than T cases (two passes).
		twoPass, threshold := "", 0
		if i := strings.Index(set, ">"); i >= 0 {
			rest := set[i+1:]
			set = set[:i]
			j := strings.Index(rest, "@")
			twoPass = rest[:j]
			if _, err := fmt.Sscan(rest[j+1:], &threshold); err != nil {
				b.Fatal(err)
			}
		}
		rules := strings.Split(set, ",")
		// each calls fn with every trace whose child is registered, its
		// child's index, its candidates and whether its tracing request is
		// even-numbered (the half a fit sees).
		each := func(fn func(c int32, tk []string, o candidateOrder, even bool)) {
			for ri, r := range ds.Requests {
				for _, t := range r.Traces {
					c, ok := index[t.CaseID]
					if !ok {
						continue
					}
					tk := slices.DeleteFunc(m.TraceKeys(m.NewTrace(t.ID, r.Data, t.Row)), func(k string) bool {
						rule, _, _ := strings.Cut(k, ":")
						return !slices.Contains(rules, rule)
					})
					o := orderCandidates(tk, postings, stop, len(index), true)
					if twoPass != "" && len(o.hits) < threshold {
						loose := strings.Split(twoPass, ",")
						tk = slices.DeleteFunc(m.TraceKeys(m.NewTrace(t.ID, r.Data, t.Row)), func(k string) bool {
							rule, _, _ := strings.Cut(k, ":")
							return !slices.Contains(rules, rule) && !slices.Contains(loose, rule)
						})
						o = orderCandidates(tk, postings, stop, len(index), true)
					}
					fn(c, tk, o, ri%2 == 0)
				}
			}
		}
		if *orderFit && p.Name == *orderFitProfile {
			fitStart := time.Now()
			var f orderFitter
			each(func(c int32, _ []string, o candidateOrder, even bool) {
				if even {
					f.add(o.hits, c)
				}
			})
			o, before, after := f.fit()
			fittedRuleOrder = o
			fmt.Printf("  fitted on profile %s's even requests (%d traces whose child shares a key, %d rows) in %s: "+
				"mean log-likelihood of the child %.4f (summed rarity) -> %.4f\n  constants (A/B per rule, thousandths): %s\n",
				p.Name, len(f.starts), len(f.w), time.Since(fitStart).Round(time.Second), before, after, o.String())
		}
		ro := fittedRuleOrder
		halfCapped := 0
		var byWeight, byCount, byRule, byWeightOdd, byRuleOdd, union []int
		unionSize := 0
		hits, capped, traces, shared := 0, 0, 0, 0
		var lost lostReport
		each(func(c int32, tk []string, o candidateOrder, even bool) {
			halfCapped += min(len(o.byWeight), *orderCap/2)
			byWeight = append(byWeight, childRank(o.byWeight, c))
			if *orderLost && byWeight[len(byWeight)-1] < 0 {
				lost.add(tk, caseKeys[c], stop)
			}
			byCount = append(byCount, childRank(o.byCount, c))
			byRule = append(byRule, rankBy(o.hits, c, ro.score))
			// Both orders' first halves together: the child is within k of
			// them when either order has it within k/2.
			u := -1
			if rw, rr := byWeight[len(byWeight)-1], byRule[len(byRule)-1]; rw > 0 || rr > 0 {
				if rw < 0 || (rr > 0 && rr < rw) {
					rw = rr
				}
				u = 2 * rw
			}
			union = append(union, u)
			unionSize += unionOfHalves(o, ro)
			if !even {
				byWeightOdd = append(byWeightOdd, byWeight[len(byWeight)-1])
				byRuleOdd = append(byRuleOdd, byRule[len(byRule)-1])
			}
			hits += len(o.hits)
			if _, ok := o.hits[c]; ok {
				shared++
			}
			capped += len(o.byWeight)
			traces++
		})
		if twoPass != "" {
			set += " then " + twoPass + fmt.Sprintf(" under %d", threshold)
		}
		fmt.Printf("  rules %s: %d traces with their child registered, cases sharing a key per trace %d (candidates after the cap %d, after cap/2 %d)\n"+
			"  child shares a key (no cap) %.3f; child within cap/8 / cap/4 / cap/2 / 3cap/4 / cap:\n"+
			"    by weight %s\n    by count  %s\n    by rule   %s (%s)\n"+
			"    smallest cap at which by rule keeps as many children as by weight within the cap: %s\n"+
			"    both orders' first halves (within k: either order has it within k/2; %d candidates per trace at the cap) %s\n"+
			"    odd requests only (%d traces; held out from a fit): by weight %s; by rule %s\n",
			set, traces, hits/max(traces, 1), capped/max(traces, 1), halfCapped/max(traces, 1),
			float64(shared)/float64(max(traces, 1)), orderShares(byWeight), orderShares(byCount),
			orderShares(capRanks(byRule)), ro.String(), smallestCap(byRule, byWeight),
			unionSize/max(traces, 1), orderShares(capRanks(union)),
			len(byWeightOdd), orderShares(byWeightOdd), orderShares(capRanks(byRuleOdd)))
		if *orderLost {
			fmt.Println(lost.String())
		}
	}
}

// capRanks returns ranks with those beyond -order.cap as not found (-1).
func capRanks(ranks []int) []int {
	out := slices.Clone(ranks)
	for i, r := range out {
		if r > *orderCap {
			out[i] = -1
		}
	}
	return out
}

// smallestCap is the smallest cap at which the uncapped ranks of an order
// keep at least as many children as ref (ranks within -order.cap) keeps
// within -order.cap, with that cap's share of -order.cap.
func smallestCap(ranks, ref []int) string {
	need := 0
	for _, r := range ref {
		if r > 0 && r <= *orderCap {
			need++
		}
	}
	var found []int
	for _, r := range ranks {
		if r > 0 {
			found = append(found, r)
		}
	}
	slices.Sort(found)
	if need == 0 {
		return "0"
	}
	if len(found) < need {
		return "never"
	}
	k := found[need-1]
	return fmt.Sprintf("%d (%.2f of the cap)", k, float64(k)/float64(*orderCap))
}

// unionOfHalves is how many cases the first -order.cap/2 by weight and the
// first -order.cap/2 by rule (ro) are together.
func unionOfHalves(o candidateOrder, ro ruleOrder) int {
	half := *orderCap / 2
	ids := make([]int32, 0, len(o.hits))
	for c := range o.hits {
		ids = append(ids, c)
	}
	scores := make(map[int32]int64, len(ids))
	for c, h := range o.hits {
		scores[c] = ro.score(&h)
	}
	slices.SortFunc(ids, func(a, b int32) int {
		if sa, sb := scores[a], scores[b]; sa != sb {
			return cmp.Compare(sb, sa)
		}
		return cmp.Compare(a, b)
	})
	in := map[int32]bool{}
	for _, c := range ids[:min(len(ids), half)] {
		in[c] = true
	}
	for _, c := range o.byWeight[:min(len(o.byWeight), half)] {
		in[c] = true
	}
	return len(in)
}
