package quality

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cpims-hosted/cpims/matching/synthetic"
)

var diagExamples = flag.Int("diag.examples", 15, "examples printed by BenchmarkDiagnoseRecall")

// BenchmarkDiagnoseRecall is a diagnosis, not a figure of the report: for
// each held-out trace whose child is among its candidates but not ranked
// first, it compares, comparison by comparison, the level of the child
// with that of the case ranked above it, and counts the pairs of levels
// (what the look-alike agrees on that the child does not). Run with
// -quality.profile=A|B and -quality.cases/-quality.traces.
func BenchmarkDiagnoseRecall(b *testing.B) {
	p := synthetic.ProfileA()
	if *qualityProfile == "B" {
		p = synthetic.ProfileB()
	}
	var mu sync.Mutex
	pairs := map[string]map[string]int{} // comparison -> "child level > top level" -> count
	var examples []string
	missed, sibling, total := 0, 0, 0
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
		Inspect: func(in Inspection) {
			if in.Trace.CaseID == "" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			total++
			rank := -1
			for i, c := range in.Ranked {
				if c.Case.ID == in.Trace.CaseID {
					rank = i
					break
				}
			}
			if rank <= 0 {
				return
			}
			missed++
			top, child := in.Ranked[0], in.Ranked[rank]
			if familyOf(in.Case(top.Case.ID).ChildID) == familyOf(in.Trace.ChildID) {
				sibling++
			}
			var ex strings.Builder
			fmt.Fprintf(&ex, "trace %s rank %d: top p=%.3f w=%.1f, child p=%.3f w=%.1f (adj top %.1f child %.1f)\n",
				in.Trace.ID, rank+1, top.Probability, top.Weight, child.Probability, child.Weight,
				top.FamilyAdjustment, child.FamilyAdjustment)
			for i, f := range child.Fields {
				t := top.Fields[i]
				if pairs[f.Comparison] == nil {
					pairs[f.Comparison] = map[string]int{}
				}
				pairs[f.Comparison][f.Level+" | "+t.Level]++
				fmt.Fprintf(&ex, "  %-18s child %-20s %6.1f   top %-20s %6.1f\n", f.Comparison, f.Level, f.Weight, t.Level, t.Weight)
			}
			if len(examples) < *diagExamples {
				fmt.Fprintf(&ex, "  trace %v\n  request %v\n  child %v\n  top %v\n", in.Trace.Row, trimmed(in.Request.Data),
					trimmed(in.Case(child.Case.ID).Data), trimmed(in.Case(top.Case.ID).Data))
				examples = append(examples, ex.String())
			}
		}}
	for range b.N {
		if _, err := Run(o); err != nil {
			b.Fatal(err)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "registered held-out traces %d, child among candidates but not first %d (top a sibling %d)\n\n",
		total, missed, sibling)
	var comps []string
	for c := range pairs {
		comps = append(comps, c)
	}
	sort.Strings(comps)
	for _, c := range comps {
		type kv struct {
			k string
			v int
		}
		var kvs []kv
		for k, v := range pairs[c] {
			kvs = append(kvs, kv{k, v})
		}
		sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
		fmt.Fprintf(&out, "%s (child | top):", c)
		for i, x := range kvs {
			if i == 8 {
				break
			}
			fmt.Fprintf(&out, " %s: %d;", x.k, x.v)
		}
		out.WriteString("\n")
	}
	out.WriteString("\n" + strings.Join(examples, "\n"))
	fmt.Fprintln(os.Stdout, out.String())
}

func trimmed(d map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range d {
		switch k {
		case "consent_for_tracing", "registration_date", "status":
			continue
		}
		out[k] = v
	}
	return out
}
