package matching_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// smallTenant is a tenant with n cases with consent, as a new deployment
// has them: three girls named Amina or Aminata (near-identical, as in the
// end-to-end tenant) and generated children for the rest; a tracing request
// for Amina Hassan as registered, and one for a child who is not registered.
// Its parameters are estimated as the service does (the traces with their
// candidates; random pairs of those traces and the cases).
func smallTenant(t *testing.T, n int, noShrink bool) (scorer *matching.Matcher, ix *matching.Index, child, stranger *matching.Subject) {
	t.Helper()
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 2 * n, Traces: 10, Seed: uint64(n)})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
	require.NoError(t, err)
	place := ds.Locations.Codes()[len(ds.Locations.Codes())-1]
	cases := []map[string]any{
		{"name_first": "Amina", "name_last": "Hassan", "sex": "female", "date_of_birth": "2017-03-02", "location_current": place},
		{"name_first": "Aminata", "name_last": "Diallo", "sex": "female", "date_of_birth": "2016-11-20"},
		{"name_first": "Amina", "name_last": "Yusuf", "sex": "female", "date_of_birth": "2018-05-14"},
	}
	for _, c := range ds.Cases {
		if len(cases) == n {
			break
		}
		if c.Consent {
			cases = append(cases, c.Data)
		}
	}
	require.Len(t, cases, n)
	est := m.NewEstimator()
	var pool []*matching.Subject
	for i, d := range cases {
		s := m.NewCase(fmt.Sprintf("c%d", i), d)
		pool = append(pool, s)
		est.AddCase(s)
	}
	ix = m.NewIndex(pool, est.Stop())
	child = m.NewTrace("t-amina", map[string]any{"inquiry_date": "2025-06-01", "relation_name": "Halima Abdi"},
		map[string]any{"relation": "mother", "name_first": "Amina", "name_last": "Hassan", "sex": "female",
			"date_of_birth": "2017-03-02", "location_last": place})
	stranger = m.NewTrace("t-stranger", map[string]any{"inquiry_date": "2025-06-01", "relation_name": "Gatdet Riek"},
		map[string]any{"relation": "father", "name_first": "Nyabol", "name_last": "Gatdet", "sex": "male", "age": 15})
	in := matching.EstimateInput{RandomCases: pool, RandomTraces: []*matching.Subject{child, stranger}, Seed: 1, RandomPairs: 20_000,
		NoShrinkage: noShrink}
	for _, tr := range []*matching.Subject{child, stranger} {
		in.Blocked = append(in.Blocked, matching.Blocked{Trace: tr, Cases: ix.Candidates(tr), Group: tr.ID})
	}
	p, err := est.Estimate(in)
	require.NoError(t, err)
	scorer, err = m.WithParameters(p)
	require.NoError(t, err)
	return scorer, ix, child, stranger
}

// TestSmallTenantsReadIdenticalChildren: in a tenant with a handful of
// cases, u and term frequencies counted on those cases alone are near 1
// (three Aminas among three cases), and an identical child read "< 1 %
// unlikely". Shrunk towards design values (a pseudo-count of
// matching.DesignCases cases), the identical child is likely or possible
// and ranks first, and a child who is not registered is unlikely.
func TestSmallTenantsReadIdenticalChildren(t *testing.T) {
	t.Parallel()
	for _, n := range []int{3, 10, 50} {
		scorer, ix, child, stranger := smallTenant(t, n, false)
		ranked, err := scorer.Rank(child, ix.Candidates(child))
		require.NoError(t, err)
		require.NotEmpty(t, ranked)
		t.Logf("%d cases: the child %s %.3f %s (weight %.1f bits)", n, ranked[0].Case.ID, ranked[0].Probability, ranked[0].Label, ranked[0].Weight)
		require.Equal(t, "c0", ranked[0].Case.ID, "%d cases", n)
		require.Contains(t, []string{matching.LabelLikely, matching.LabelPossible}, ranked[0].Label, "%d cases: %.3f", n, ranked[0].Probability)
		for _, f := range ranked[0].Fields {
			if f.Level == "exact" || f.Level == "same_date_of_birth" || f.Level == "equal" || f.Level == "same" {
				require.Greater(t, f.Weight, 0.0, "%d cases: agreeing on %s is evidence for the match", n, f.Comparison)
			}
		}
		others, err := scorer.Rank(stranger, ix.Candidates(stranger))
		require.NoError(t, err)
		for _, c := range others {
			require.Equal(t, matching.LabelUnlikely, c.Label, "%d cases: %s %.3f", n, c.Case.ID, c.Probability)
		}
		// The stranger against every case, not only its candidates.
		all, err := scorer.Rank(stranger, ix.Candidates(child))
		require.NoError(t, err)
		for _, c := range all {
			require.Equal(t, matching.LabelUnlikely, c.Label, "%d cases: %s %.3f", n, c.Case.ID, c.Probability)
		}

		// Without the shrinkage (what main did): the figures of the issue.
		raw, rix, rchild, _ := smallTenant(t, n, true)
		rr, err := raw.Rank(rchild, rix.Candidates(rchild))
		require.NoError(t, err)
		t.Logf("%d cases, no shrinkage: the child %.3f %s (weight %.1f bits)", n, rr[0].Probability, rr[0].Label, rr[0].Weight)
		if n == 3 {
			require.Equal(t, matching.LabelUnlikely, rr[0].Label, "the end-to-end tenant's reading before the shrinkage")
		}
	}
}
