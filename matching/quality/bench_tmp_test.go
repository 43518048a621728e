package quality

import (
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

func BenchmarkTmpRank(b *testing.B) {
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 20000, Traces: 200, Seed: 1})
	m, _ := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
	var pool []*matching.Subject
	for _, c := range ds.Cases {
		if c.Consent {
			pool = append(pool, m.NewCase(c.ID, c.Data))
		}
	}
	est := m.NewEstimator()
	for _, c := range pool {
		est.AddCase(c)
	}
	idx := m.NewIndex(pool, nil)
	var traces []*matching.Subject
	var cands [][]*matching.Subject
	n := 0
	for _, r := range ds.Requests {
		for _, t := range r.Traces {
			s := m.NewTrace(t.ID, r.Data, t.Row)
			traces = append(traces, s)
			cands = append(cands, idx.Candidates(s))
			n += len(cands[len(cands)-1])
		}
	}
	p, err := est.Estimate(matching.EstimateInput{RandomTraces: traces, RandomCases: pool, RandomPairs: 1000,
		Blocked: []matching.Blocked{{Trace: traces[0], Cases: cands[0]}}})
	if err != nil {
		b.Fatal(err)
	}
	sc, _ := m.WithParameters(p)
	b.Logf("%d traces, %d pairs", len(traces), n)
	b.ResetTimer()
	start := processCPU()
	pairs := 0
	for i := 0; i < b.N; i++ {
		k := i % len(traces)
		sc.Rank(traces[k], cands[k])
		pairs += len(cands[k])
	}
	b.ReportMetric(float64(processCPU()-start)/float64(pairs), "cpu-ns/pair")
}
