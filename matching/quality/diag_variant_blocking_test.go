package quality

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/names"
)

// BenchmarkDiagnoseVariantBlocking is a diagnosis, not a figure of the
// report: the headroom of blocking by the learned given-name partners
// (docs/matching-log.md, Quality → Session 30 (engineer V), "Left"). Of the
// held-out traces whose registered child is outside the candidates, it
// counts those whose given name and the child's form a pair the estimate
// learned (the child's given name compares `variant`), those of them that
// would share a blocking key with the child if the trace also looked under
// its partners' spellings, and those of them where the child, added to the
// ranked candidates, would be ranked first. An upper bound: the partners'
// keys would bring look-alikes too, and the child would still have to pass
// the candidate cap and the pre-score. Run with -quality.profile,
// -quality.cases, -quality.traces, -quality.prescore.
func BenchmarkDiagnoseVariantBlocking(b *testing.B) {
	p, _, m := diagnosisData(b)
	type outside struct {
		in     Inspection
		ranked []string
	}
	var (
		mu         sync.Mutex
		outsides   []outside
		registered int
	)
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
		Prior: *qualityPrior, PreScore: *qualityPreScore, NoFit: true,
		Inspect: func(in Inspection) {
			if in.Trace.CaseID == "" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			registered++
			for _, c := range in.Candidates {
				if c.ID == in.Trace.CaseID {
					return
				}
			}
			var ids []string
			for _, c := range in.Ranked {
				ids = append(ids, c.Case.ID)
			}
			outsides = append(outsides, outside{in: in, ranked: ids})
		}}
	res, scorer := runAndScorer(b, m, o)
	cfg := m.Configuration()
	given := -1
	partners := map[string][]string{}
	for i, c := range cfg.Comparisons {
		if c.Name == "given_name" {
			given = i
			for _, pair := range res.Parameters.Comparisons[i].Variants {
				partners[pair[0]] = append(partners[pair[0]], pair[1])
				partners[pair[1]] = append(partners[pair[1]], pair[0])
			}
		}
	}
	variant, joined, first := 0, 0, 0
	var examples []string
	for _, x := range outsides {
		in := x.in
		child := in.Case(in.Trace.CaseID)
		t := m.NewTrace(in.Trace.ID, in.Request.Data, in.Trace.Row)
		c := m.NewCase(child.ID, child.Data)
		if cfg.Comparisons[given].Levels()[scorer.Vector(t, c)[given]] != "variant" {
			continue
		}
		variant++
		caseKeys := map[string]bool{}
		for _, k := range m.CaseKeys(c) {
			caseKeys[k] = true
		}
		// The trace's keys with each part of its given name spelt as each
		// of its learned partners.
		n := names.Parse(fmt.Sprint(in.Trace.Row["name_first"]))
		toks := n.Tokens()
		shares := false
		for j := range toks {
			for _, q := range partners[n.Token(j)] {
				row := make(map[string]any, len(in.Trace.Row))
				for k, v := range in.Trace.Row {
					row[k] = v
				}
				alt := append([]string(nil), toks...)
				alt[j] = q
				row["name_first"] = strings.Join(alt, " ")
				for _, k := range m.TraceKeys(m.NewTrace(in.Trace.ID, in.Request.Data, row)) {
					shares = shares || caseKeys[k]
				}
			}
		}
		if !shares {
			continue
		}
		joined++
		cases := []*matching.Subject{c}
		for _, id := range x.ranked {
			cases = append(cases, m.NewCase(id, in.Case(id).Data))
		}
		ranked, err := scorer.Rank(t, cases)
		if err != nil {
			b.Fatal(err)
		}
		if len(ranked) > 0 && ranked[0].Case.ID == child.ID {
			first++
		}
		examples = append(examples, fmt.Sprintf("%v / %v", in.Trace.Row["name_first"], child.Data["name_first"]))
	}
	var out strings.Builder
	fmt.Fprintf(&out, "profile %s, %d cases: %d held-out traces whose child is registered; learned given-name pairs %v\n",
		p.Name, *qualityCases, registered, res.Parameters.Comparisons[given].Variants)
	of := func(n int) float64 { return float64(n) / float64(max(registered, 1)) }
	fmt.Fprintf(&out, "  child outside the candidates %d (%.3f); its given name a learned pair %d (%.4f); "+
		"sharing a key under a partner's spelling %d (%.4f); then ranked first %d (%.4f)\n",
		len(outsides), of(len(outsides)), variant, of(variant), joined, of(joined), first, of(first))
	fmt.Fprintf(&out, "  joined: %s\n", strings.Join(examples, "; "))
	fmt.Fprintln(os.Stdout, out.String())
}
