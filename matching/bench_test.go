package matching_test

import (
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
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

// BenchmarkDecodeCase decodes the stored parsed values of a small
// generated tenant's cases, as a trace reads its candidates (per case).
func BenchmarkDecodeCase(b *testing.B) {
	f := estimated(b, 12)
	forms := make([][]byte, len(f.pool))
	for i, c := range f.pool {
		forms[i] = f.m.EncodeCase(c)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(forms)
		if _, err := f.m.DecodeCase(f.pool[k].ID, forms[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeCaseShared is BenchmarkDecodeCase through a value table
// that holds the tenant's values (as a run's SubjectCache does once its
// cases were read), the case-level cache left out: what a case the cache
// evicted costs to decode again (per case).
func BenchmarkDecodeCaseShared(b *testing.B) {
	f := estimated(b, 12)
	forms := make([][]byte, len(f.pool))
	for i, c := range f.pool {
		forms[i] = f.m.EncodeCase(c)
	}
	tab := matching.NewValueTable(1 << 20)
	ctx := f.m.DecodeContext("")
	for k := range forms {
		if _, err := f.m.DecodeShared(tab, ctx, f.pool[k].ID, forms[k]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(forms)
		if _, err := f.m.DecodeShared(tab, ctx, f.pool[k].ID, forms[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEstimate estimates a generated tenant's parameters (20,000
// cases, the traces of 1,000 tracing requests, profile B) on one worker:
// the Go side of a run's comparing and estimating stages.
func BenchmarkEstimate(b *testing.B) {
	ct := countedTenant(b, synthetic.Options{Profile: synthetic.ProfileB(), Cases: 20_000, Traces: 2_000, Seed: 4})
	in := matching.EstimateInput{RandomCases: ct.pool, Seed: 4, Workers: 1}
	for _, r := range ct.ds.Requests {
		for k, tr := range r.Traces {
			s := ct.m.NewTrace(tr.ID, r.Data, tr.Row)
			s.SetOrder(k)
			in.Blocked = append(in.Blocked, matching.Blocked{Trace: s, Cases: ct.ix.Candidates(s), Group: r.ID})
			in.RandomTraces = append(in.RandomTraces, s)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var p *matching.Parameters
	for range b.N {
		var err error
		if p, err = ct.est.Estimate(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Estimation.Iterations), "iterations")
	b.ReportMetric(float64(p.Estimation.BlockedPairs), "pairs")
}

// BenchmarkRankStored ranks held-out traces of a small generated tenant
// through a run store (RankStored, a pre-score keeping 20): the pre-score,
// decoding the kept and ranking them, per trace. At 3,000 cases the store
// is in the caches, so what a run at scale waits on (docs/matching.md,
// Speed) shows less here than what is computed.
func BenchmarkRankStored(b *testing.B) {
	f := estimated(b, 12)
	full, err := f.m.WithParameters(f.p)
	if err != nil {
		b.Fatal(err)
	}
	pre := full.WithPreScore(20)
	store, err := pre.NewRunStore("")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range f.pool {
		if _, err := store.Add(c.ID, 1, full.EncodeCase(c)); err != nil {
			b.Fatal(err)
		}
	}
	store.Done()
	cands := make([][]matching.StoredCandidate, len(f.heldOut))
	for i, t := range f.heldOut {
		for _, c := range f.ix.Candidates(t) {
			at, _, _ := store.Lookup(c.ID)
			cands[i] = append(cands[i], matching.StoredCandidate{At: at})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(f.heldOut)
		if _, err := pre.RankStored(store, f.heldOut[k:k+1], cands[k:k+1]); err != nil {
			b.Fatal(err)
		}
	}
}
