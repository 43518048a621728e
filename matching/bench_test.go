package matching_test

import (
	"testing"

	"github.com/cpims-hosted/cpims/matching"
)

// BenchmarkRank ranks held-out traces of a small generated tenant against
// their candidates: the Go side of matching one trace (go tool task bench;
// the million-case figures are go tool task bench:matching).
func BenchmarkRank(b *testing.B) {
	f := estimated(b, 12)
	scorer, err := f.m.WithParameters(f.p)
	if err != nil {
		b.Fatal(err)
	}
	cands := make([][]*matching.Subject, len(f.heldOut))
	pairs := 0
	for i, t := range f.heldOut {
		cands[i] = f.ix.Candidates(t)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(f.heldOut)
		if _, err := scorer.Rank(f.heldOut[k], cands[k]); err != nil {
			b.Fatal(err)
		}
		pairs += len(cands[k])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pairs), "ns/pair")
}
