package quality

import (
	"strings"
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// BenchmarkBlocking measures the blocking rules on generated data (profile
// A, 20,000 cases, 2,000 traces): the share of traces whose child is
// registered that find it among their candidates, through the union of the
// rules and through each rule, how many only one rule finds, and the
// candidates per trace. Figures for docs/matching.md, not assertions.
func BenchmarkBlocking(b *testing.B) {
	for range b.N {
		ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 20000, Traces: 2000, Seed: 2,
			EvaluationShare: 0.5})
		m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
		if err != nil {
			b.Fatal(err)
		}
		var pool []*matching.Subject
		for _, c := range ds.Cases {
			if c.Consent {
				pool = append(pool, m.NewCase(c.ID, c.Data))
			}
		}
		post := map[string][]int{}
		for i, c := range pool {
			for _, k := range m.CaseKeys(c) {
				post[k] = append(post[k], i)
			}
		}
		rules := []string{"nn", "ns", "rn", "rr", "ls"}
		found, only, perRuleCands := map[string]int{}, map[string]int{}, map[string]int{}
		reg, traces, union, inUnion := 0, 0, 0, 0
		for _, r := range ds.Requests {
			for _, tr := range r.Traces {
				s := m.NewTrace(tr.ID, r.Data, tr.Row)
				traces++
				perRule := map[string]map[int]bool{}
				all := map[int]bool{}
				for _, k := range m.TraceKeys(s) {
					rule, _, _ := strings.Cut(k, ":")
					if perRule[rule] == nil {
						perRule[rule] = map[int]bool{}
					}
					for _, c := range post[k] {
						perRule[rule][c] = true
						all[c] = true
					}
				}
				union += len(all)
				for _, rr := range rules {
					perRuleCands[rr] += len(perRule[rr])
				}
				if tr.CaseID == "" {
					continue
				}
				reg++
				var hit []string
				for _, rr := range rules {
					for c := range perRule[rr] {
						if pool[c].ID == tr.CaseID {
							hit = append(hit, rr)
							found[rr]++
						}
					}
				}
				if len(hit) > 0 {
					inUnion++
				}
				if len(hit) == 1 {
					only[hit[0]]++
				}
			}
		}
		b.ReportMetric(float64(inUnion)/float64(reg), "found")
		b.ReportMetric(float64(union)/float64(traces), "candidates/trace")
		for _, rr := range rules {
			b.ReportMetric(float64(found[rr])/float64(reg), "found-"+rr)
			b.ReportMetric(float64(only[rr])/float64(reg), "only-"+rr)
			b.ReportMetric(float64(perRuleCands[rr])/float64(traces), "candidates-"+rr)
		}
	}
}
