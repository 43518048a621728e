package matching_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// TestPrunedRankEqualsFull: over the held-out traces of both distortion
// profiles, calibrated and not, ranking candidates read in two steps
// (DecodeCandidate, RankGroupPruned) gives the full ranking's 10 best, in
// the same order, with the same levels, weights and labels and the same
// probabilities within PruneMass; the traces of one tracing request ranked
// together agree too (a case that is a candidate of several is kept). (How many candidates it reads in full is measured,
// not asserted: docs/matching-log.md, Speed → Session 19.)
func TestPrunedRankEqualsFull(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		profile     synthetic.Profile
		calibration *matching.Calibration
	}{
		{"ProfileA", synthetic.ProfileA(), nil},
		{"ProfileB", synthetic.ProfileB(), nil},
		{"ProfileAUncalibrated", synthetic.ProfileA(), &matching.NoCalibration},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := estimatedOn(t, tc.profile, 17)
			p := *f.p
			if tc.calibration != nil {
				p.Calibration = *tc.calibration
			}
			scorer, err := f.m.WithParameters(&p)
			require.NoError(t, err)
			stored := map[string][]byte{}
			for _, c := range f.pool {
				stored[c.ID] = scorer.EncodeCase(c)
			}
			decode := func(cs []*matching.Subject) []*matching.Subject {
				out := make([]*matching.Subject, len(cs))
				for i, c := range cs {
					out[i], err = scorer.DecodeCandidate(c.ID, stored[c.ID])
					require.NoError(t, err)
				}
				return out
			}
			same := func(want, got []matching.Candidate, relative, absolute float64) {
				t.Helper()
				n := min(len(want), 10)
				require.GreaterOrEqual(t, len(got), n)
				for i := range n {
					w, g := want[i], got[i]
					require.Equal(t, w.Case.ID, g.Case.ID, "rank %d", i)
					require.Equal(t, w.Levels(), g.Levels())
					require.Equal(t, w.Weight, g.Weight)
					require.Equal(t, w.Label, g.Label)
					require.InDelta(t, w.Probability, g.Probability, relative*w.Probability+absolute)
				}
			}
			var total matching.PruneStats
			groups := map[string][]*matching.Subject{}
			for _, tr := range f.heldOut {
				cands := f.ix.Candidates(tr)
				want, err := scorer.Rank(tr, cands)
				require.NoError(t, err)
				got, st, err := scorer.RankPruned(tr, decode(cands))
				require.NoError(t, err)
				same(want, got, matching.PruneMass, 1e-15)
				require.Equal(t, len(cands), st.Candidates)
				total.Candidates += st.Candidates
				total.Read += st.Read
				groups[f.requestsOf[tr]] = append(groups[f.requestsOf[tr]], tr)
			}
			require.Greater(t, total.Candidates, 5_000, "the held-out traces had many candidates")
			t.Logf("%s: %d candidates, %d read in full (%.1f%%)", tc.name, total.Candidates, total.Read,
				100*float64(total.Read)/float64(total.Candidates))

			grouped := 0
			for _, trs := range groups {
				if len(trs) < 2 {
					continue
				}
				full := make([][]*matching.Subject, len(trs))
				pruned := make([][]*matching.Subject, len(trs))
				partial := map[string]*matching.Subject{} // one subject per case, as RankGroup links them
				for i, tr := range trs {
					full[i] = f.ix.Candidates(tr)
					for _, c := range full[i] {
						if partial[c.ID] == nil {
							partial[c.ID] = decode([]*matching.Subject{c})[0]
						}
						pruned[i] = append(pruned[i], partial[c.ID])
					}
				}
				want, err := scorer.RankGroup(trs, full)
				require.NoError(t, err)
				got, _, err := scorer.RankGroupPruned(trs, pruned)
				require.NoError(t, err)
				for i := range trs {
					// belief propagation stops at changes under 1e-9
					same(want[i], got[i], matching.PruneMass, 1e-9)
				}
				grouped++
			}
			require.Positive(t, grouped, "some requests seek several children")
		})
	}
}

// TestPruneBoundHolds: first passes that leave one or two comparisons
// unread, with a larger mass left out (1 %), prune candidates; the bound
// of what the unread comparisons can add is then what decides, and the
// pruned ranking still has the full ranking's 10 best with their
// probabilities (within the mass left out).
func TestPruneBoundHolds(t *testing.T) {
	t.Parallel()
	f := estimatedOn(t, synthetic.ProfileA(), 19)
	scorer, err := f.m.WithParameters(f.p)
	require.NoError(t, err)
	stored := map[string][]byte{}
	for _, c := range f.pool {
		stored[c.ID] = scorer.EncodeCase(c)
	}
	all := []string{}
	for _, c := range scorer.Configuration().Comparisons {
		all = append(all, c.Name)
	}
	const eps = 0.01
	for _, unread := range [][]string{{"other_names"}, {"inquirer_name"}, {"location", "separation_cause"}, {"given_name"}} {
		first := slices.DeleteFunc(slices.Clone(all), func(n string) bool { return slices.Contains(unread, n) })
		cands, read := 0, 0
		for _, tr := range f.heldOut {
			cs := f.ix.Candidates(tr)
			ids, data := make([]string, len(cs)), make([][]byte, len(cs))
			for i, c := range cs {
				ids[i], data[i] = c.ID, stored[c.ID]
			}
			want, err := scorer.Rank(tr, cs)
			require.NoError(t, err)
			got, n, err := scorer.RankPrunedWith(tr, ids, data, first, eps)
			require.NoError(t, err)
			for i := range min(len(want), 10) {
				require.Equal(t, want[i].Case.ID, got[i].Case.ID, "%v unread: rank %d", unread, i)
				require.Equal(t, want[i].Weight, got[i].Weight)
				require.InDelta(t, want[i].Probability, got[i].Probability, eps*want[i].Probability+1e-15)
			}
			cands += len(cs)
			read += n
		}
		t.Logf("%v unread: %d candidates, %d read in full", unread, cands, read)
		require.Less(t, read, cands, "%v unread: some candidates were pruned", unread)
	}
}
