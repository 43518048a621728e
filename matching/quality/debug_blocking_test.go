package quality

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

func TestDebugBlocking(t *testing.T) {
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 20000, Traces: 2000, Seed: 2, EvaluationShare: 0.5})
	m, _ := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
	var pool []*matching.Subject
	data := map[string]synthetic.Case{}
	for _, c := range ds.Cases {
		if c.Consent {
			pool = append(pool, m.NewCase(c.ID, c.Data))
		}
		data[c.ID] = c
	}
	post := map[string][]int{}
	for i, c := range pool {
		for _, k := range m.CaseKeys(c) {
			post[k] = append(post[k], i)
		}
	}
	rules := []string{"nn", "ns", "rn", "rr", "ls"}
	found, only, candsPerRule := map[string]int{}, map[string]int{}, map[string]int{}
	missed, reg, ntr, union := 0, 0, 0, 0
	for _, r := range ds.Requests {
		for _, tr := range r.Traces {
			s := m.NewTrace(tr.ID, r.Data, tr.Row)
			ntr++
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
				candsPerRule[rr] += len(perRule[rr])
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
			if len(hit) == 1 {
				only[hit[0]]++
			}
			if len(hit) == 0 {
				missed++
				b, _ := json.Marshal(tr.Row)
				rq, _ := json.Marshal(r.Data)
				cd, _ := json.Marshal(data[tr.CaseID].Data)
				fmt.Printf("MISSED\nTRACE %s\nREQ %s\nCASE %s\n", b, rq, cd)
			}
		}
	}
	fmt.Printf("traces %d registered %d missed %d mean union %.0f\n", ntr, reg, missed, float64(union)/float64(ntr))
	for _, rr := range rules {
		fmt.Printf("rule %s: finds %d, only it %d, mean candidates %.0f\n", rr, found[rr], only[rr], float64(candsPerRule[rr])/float64(ntr))
	}
}
