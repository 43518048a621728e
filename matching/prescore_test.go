package matching_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
)

// TestPreScoreRanksTheBestInFull: a matcher WithPreScore(keep) ranks
// exactly keep candidates of a trace that has more, each scored in full
// (the same levels and weights as when every candidate is ranked, in the
// same relative order); the child of a trace whose full ranking makes it a
// likely first is kept and still first; candidates read in two steps
// (DecodeCandidate) rank exactly as parsed ones; a trace with at most keep
// candidates ranks as without the pre-score; and over the held-out traces
// the pre-score costs at most a few points of recall@1.
func TestPreScoreRanksTheBestInFull(t *testing.T) {
	t.Parallel()
	f := estimated(t, 17)
	full, err := f.m.WithParameters(f.p)
	require.NoError(t, err)
	const keep = 20
	pre := full.WithPreScore(keep)
	require.Equal(t, keep, pre.PreScore())
	require.Zero(t, full.PreScore())
	stored := map[string][]byte{}
	for _, c := range f.pool {
		stored[c.ID] = full.EncodeCase(c)
	}
	var pruned, likelyFirst, registered, fullAt1, preAt1 int
	for _, tr := range f.heldOut {
		cands := f.ix.Candidates(tr)
		want, err := full.Rank(tr, cands)
		require.NoError(t, err)
		got, err := pre.Rank(tr, cands)
		require.NoError(t, err)
		if child := f.truth[tr]; child != "" {
			registered++
			if len(want) > 0 && want[0].Case.ID == child {
				fullAt1++
			}
			if len(got) > 0 && got[0].Case.ID == child {
				preAt1++
			}
		}
		if len(cands) <= keep {
			require.Equal(t, len(want), len(got))
			for i := range want {
				require.Equal(t, want[i].Case.ID, got[i].Case.ID)
				require.Equal(t, want[i].Probability, got[i].Probability)
			}
			continue
		}
		pruned++
		require.Len(t, got, keep, "trace %s: %d candidates", tr.ID, len(cands))
		at := map[string]int{}
		for i, c := range want {
			at[c.Case.ID] = i
		}
		last := -1
		for _, g := range got {
			i, ok := at[g.Case.ID]
			require.True(t, ok)
			require.Greater(t, i, last, "trace %s: the kept candidates keep their relative order", tr.ID)
			last = i
			require.Equal(t, want[i].Levels(), g.Levels(), "scored in full, not on the first pass")
			require.Equal(t, want[i].Weight, g.Weight)
			require.GreaterOrEqual(t, g.Probability, want[i].Probability, "the mass of those left out is no longer shared")
		}
		if child := f.truth[tr]; child != "" && want[0].Case.ID == child && want[0].Label == matching.LabelLikely {
			likelyFirst++
			require.Equal(t, child, got[0].Case.ID, "trace %s: a likely first is kept first", tr.ID)
		}
		// read in two steps by the pre-scoring matcher (as the job does),
		// or by another whose first step reads fewer values
		for _, reader := range []*matching.Matcher{pre, full} {
			decoded := make([]*matching.Subject, len(cands))
			for i, c := range cands {
				decoded[i], err = reader.DecodeCandidate(c.ID, stored[c.ID])
				require.NoError(t, err)
			}
			two, err := pre.Rank(tr, decoded)
			require.NoError(t, err)
			require.Len(t, two, keep)
			for i := range got {
				require.Equal(t, got[i].Case.ID, two[i].Case.ID)
				require.Equal(t, got[i].Levels(), two[i].Levels())
				require.Equal(t, got[i].Probability, two[i].Probability)
			}
		}
	}
	require.Greater(t, pruned, 50, "traces with more candidates than kept")
	require.Greater(t, likelyFirst, 20, "likely children kept first")
	t.Logf("%d traces pre-scored; recall@1 %d/%d with every candidate ranked, %d/%d keeping %d", pruned, fullAt1, registered, preAt1, registered, keep)
	require.GreaterOrEqual(t, preAt1, fullAt1-registered/50, "recall@1 falls by at most 0.02")
}
